"""Scope and masking: without the personal-data permission no page, API route or export
shows a name, document number or phone; with it, every view is logged."""

import pytest
from django.urls import reverse

from amina.audit.models import AccessLog
from amina.registry.models import DuplicateCandidate
from amina.registry.services import ordered

pytestmark = pytest.mark.django_db

SECRETS = [
    "أحمد خالد محمود العزاوي",
    "Ahmed Khalid Al-Azzawi",
    "123456789012",
    "07701234567",
    "زينب",
]


@pytest.fixture
def pair(household_a, register, location_a):
    twin = register(location_a, first="احمد", document="", phone="")
    a, b = ordered(household_a.pk, twin.pk)
    return DuplicateCandidate.objects.create(
        household_a_id=a,
        household_b_id=b,
        governorate_id=household_a.governorate_id,
        probability=0.95,
    )


def pages(household, candidate):
    return [
        ("get", reverse("registry:home"), {}),
        ("get", reverse("registry:detail", args=[household.pk]), {}),
        ("get", reverse("registry:duplicates"), {}),
        ("get", reverse("registry:duplicate", args=[candidate.pk]), {}),
        ("post", reverse("registry:check"), {"head-document_number": "123456789012"}),
        (
            "post",
            reverse("registry:export"),
            {"kind": "households", "format": "csv", "purpose": "distribution planning"},
        ),
        ("post", reverse("registry:export"), {"kind": "duplicates", "format": "csv"}),
        ("get", "/api/v1/registry/households/", {}),
        ("get", f"/api/v1/registry/households/{household.pk}/", {}),
        ("get", "/api/v1/registry/duplicates/", {}),
    ]


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize("persona", ["field_a", "logistics_a", "partner", "officer_b"])
def test_without_the_permission_or_scope_nothing_personal_is_shown(
    client, request, persona, household_a, pair
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for method, url, data in pages(household_a, pair):
        response = getattr(client, method)(url, data)
        text = body(response)
        for secret in SECRETS:
            assert secret not in text, (persona, url, secret)
    assert not AccessLog.objects.exists()


def test_without_the_permission_search_is_refused(client, field_a, household_a, api_client):
    client.force_login(field_a)
    assert client.get(reverse("registry:home"), {"q": "العزاوي"}).status_code == 403
    api_client.force_authenticate(field_a)
    assert api_client.get("/api/v1/registry/households/", {"q": "Ahmed"}).status_code == 403


def test_masked_values_keep_only_the_last_digits(client, field_a, household_a):
    client.force_login(field_a)
    text = body(client.get(reverse("registry:detail", args=[household_a.pk])))
    assert "•••67" in text and "•••12" in text


def test_out_of_scope_households_are_absent(client, officer_b, household_a):
    client.force_login(officer_b)
    assert client.get(reverse("registry:detail", args=[household_a.pk])).status_code == 404


def test_with_the_permission_every_view_is_logged(client, officer_a, household_a, pair, api_client):
    client.force_login(officer_a)
    api_client.force_authenticate(officer_a)
    for method, url, data in pages(household_a, pair):
        before = AccessLog.objects.count()
        caller = api_client if url.startswith("/api/") else client
        response = getattr(caller, method)(url, data)
        assert response.status_code == 200, url
        text = body(response)
        if any(secret in text for secret in SECRETS):
            assert AccessLog.objects.count() > before, url
    assert AccessLog.objects.filter(action="export", purpose="distribution planning").exists()
    assert AccessLog.objects.filter(channel="api").exists()


def test_search_finds_arabic_latin_document_and_phone_within_scope(
    client, officer_a, household_a, household_b
):
    client.force_login(officer_a)
    for q in ("احمد العزاوى", "Ahmad Azawi", "123456789012", "+964 770 123 4567"):
        text = body(client.get(reverse("registry:home"), {"q": q}))
        assert household_a.household_ref in text, q
        assert household_b.household_ref not in text
    assert AccessLog.objects.filter(purpose="search").exists()


def test_the_export_command_needs_a_purpose_and_logs_it(household_a, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="purpose"):
        call_command("export", "households", "-o", str(tmp_path / "h.csv"))
    call_command(
        "export", "households", "--purpose", "audit by MoMD", "-o", str(tmp_path / "h.csv")
    )
    assert household_a.household_ref in (tmp_path / "h.csv").read_text(encoding="utf-8-sig")
    log = AccessLog.objects.get()
    assert log.purpose == "audit by MoMD" and log.channel == "cli"
