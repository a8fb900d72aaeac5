"""Duplicates and personal data: the warning at registration tells a user without the
permission only whom to ask, and a duplicate pair (or cluster) is seen only by users who
may see every household in it — on the pages, the API, the export, the counts and the
decisions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from amina.audit.models import AccessLog
from amina.registry.exports import duplicate_clusters, export_duplicates
from amina.registry.models import DuplicateCandidate, Household
from amina.registry.services import confirm_candidate, ordered, reject_candidate
from conftest import make_user

pytestmark = pytest.mark.django_db


def pair(first, second, cluster=1, probability=0.9):
    a, b = ordered(first.pk, second.pk)
    return DuplicateCandidate.objects.create(
        household_a_id=a,
        household_b_id=b,
        governorate_id=Household.objects.get(pk=a).governorate_id,
        probability=probability,
        cluster=cluster,
        agreeing=["first", "phone"],
    )


@pytest.fixture
def across(household_a, household_b):
    """A pair joining a family of Najaf (A) and one of Duhok (B)."""
    return pair(household_a, household_b, cluster=7)


@pytest.fixture
def within_a(household_a, register, location_a):
    twin = register(location_a, first="احمد", document="", phone="07701234500")
    return pair(household_a, twin, cluster=3)


@pytest.fixture
def officer_ab(gov_a, gov_b):
    return make_user("officer_ab", "governorate", [gov_a, gov_b], personal_data=True)


def text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


# --- the warning at registration -------------------------------------------------------


def test_the_warning_tells_a_user_without_the_permission_only_whom_to_ask(
    client, field_a, officer_a, household_a
):
    client.force_login(field_a)
    response = client.post(reverse("registry:check"), {"head-document_number": "123456789012"})
    body = text(response)
    assert response.status_code == 200
    assert "may already be registered" in body
    assert household_a.household_ref not in body
    assert reverse("registry:detail", args=[household_a.pk]) not in body
    assert household_a.location.name_en not in body
    assert "same document number" not in body
    assert "officer_a" in body  # the governorate's officer who may check
    assert not AccessLog.objects.exists()


def test_the_warning_without_the_permission_names_no_colleague_of_another_governorate(
    client, field_a, officer_b, household_a
):
    client.force_login(field_a)
    body = text(client.post(reverse("registry:check"), {"head-phone": "07701234567"}))
    assert "may already be registered" in body and "officer_b" not in body


def test_the_warning_without_anyone_to_ask_says_so_in_general_terms(client, field_a, household_a):
    from amina.accounts.models import User

    User.objects.exclude(pk=field_a.pk).update(can_view_personal_data=False)
    client.force_login(field_a)
    body = text(client.post(reverse("registry:check"), {"head-phone": "07701234567"}))
    assert "a colleague with access to personal data" in body
    assert household_a.household_ref not in body


def test_the_warning_says_nothing_when_nothing_matches(client, field_a, household_a):
    client.force_login(field_a)
    body = text(client.post(reverse("registry:check"), {"head-phone": "07809999999"}))
    assert "may already be registered" not in body


def test_the_warning_with_the_permission_is_logged_as_a_search(client, officer_a, household_a):
    client.force_login(officer_a)
    body = text(client.post(reverse("registry:check"), {"head-phone": "07701234567"}))
    assert household_a.household_ref in body
    log = AccessLog.objects.get(model="registry.household")
    assert log.action == "search" and log.object_ids == [str(household_a.pk)]
    assert log.purpose == "duplicate check at registration" and log.actor_id == officer_a.pk


def test_the_warning_for_an_officer_of_another_governorate_finds_nothing(
    client, officer_b, household_a
):
    client.force_login(officer_b)
    body = text(client.post(reverse("registry:check"), {"head-phone": "07701234567"}))
    assert household_a.household_ref not in body and "may already be registered" not in body
    assert not AccessLog.objects.exists()


# --- pairs across governorates ---------------------------------------------------------


def test_an_officer_of_one_side_does_not_see_a_pair_across_governorates(
    client, api_client, officer_a, officer_b, across, within_a, household_a, household_b
):
    for officer, other_side in ((officer_a, household_b), (officer_b, household_a)):
        client.force_login(officer)
        page = text(client.get(reverse("registry:duplicates")))
        assert other_side.household_ref not in page
        assert reverse("registry:duplicate", args=[across.pk]) not in page
        assert client.get(reverse("registry:duplicate", args=[across.pk])).status_code == 404
        api_client.force_authenticate(officer)
        rows = api_client.get("/api/v1/registry/duplicates/").json()["results"]
        assert across.pk not in [r["id"] for r in rows]
        detail = api_client.get(f"/api/v1/registry/duplicates/{across.pk}/")
        assert detail.status_code == 404
    api_client.force_authenticate(officer_a)
    rows = api_client.get("/api/v1/registry/duplicates/").json()["results"]
    assert [r["id"] for r in rows] == [within_a.pk]


def test_users_who_may_see_both_sides_see_the_pair(
    client, api_client, national_user, officer_ab, across
):
    for user in (national_user, officer_ab):
        client.force_login(user)
        page = text(client.get(reverse("registry:duplicates")))
        assert reverse("registry:duplicate", args=[across.pk]) in page
        assert client.get(reverse("registry:duplicate", args=[across.pk])).status_code == 200
        api_client.force_authenticate(user)
        rows = api_client.get("/api/v1/registry/duplicates/").json()["results"]
        assert [r["id"] for r in rows] == [across.pk]


def test_the_counts_of_pending_pairs_leave_out_pairs_across_the_scope(
    client, officer_a, officer_ab, across, within_a
):
    from amina.registry.panels import registry_panel

    class Request:
        def __init__(self, user):
            self.user = user

    assert registry_panel(Request(officer_a))["pending"] == 1
    assert registry_panel(Request(officer_ab))["pending"] == 2
    client.force_login(officer_a)
    assert client.get(reverse("registry:home")).context["pending"] == 1


def test_an_officer_of_one_side_may_neither_merge_nor_reject_the_pair(client, officer_a, across):
    client.force_login(officer_a)
    for action in ("confirm", "reject"):
        url = reverse("registry:duplicate", args=[across.pk])
        assert client.post(url, {"action": action}).status_code == 404
    for decide in (confirm_candidate, reject_candidate):
        with pytest.raises(PermissionDenied):
            decide(officer_a, across)
    across.refresh_from_db()
    assert across.decision == "pending"


def test_the_export_leaves_out_pairs_and_clusters_that_reach_outside_the_scope(
    client, officer_a, officer_ab, household_a, household_b, register, location_a, within_a
):
    # A cluster of three: two families of A and one of B, joined by two pairs.
    third = register(location_a, first="محمد", family="الجبوري", phone="", document="")
    fourth = register(location_a, first="علي", family="الجبوري", phone="", document="")
    pair(third, fourth, cluster=9)
    pair(fourth, household_b, cluster=9)
    refs = [c["household_refs"] for c in duplicate_clusters(officer_a)]
    assert refs == [" ".join(sorted(within_a_refs(within_a)))]
    assert household_b.household_ref not in export_duplicates(officer_a, "csv").decode()
    client.force_login(officer_a)
    body = text(client.post(reverse("registry:export"), {"kind": "duplicates", "format": "csv"}))
    assert third.household_ref not in body and household_b.household_ref not in body
    whole = {c["cluster"]: c for c in duplicate_clusters(officer_ab)}
    assert whole[9]["size"] == 3 and household_b.household_ref in whole[9]["household_refs"]


def within_a_refs(candidate) -> list[str]:
    return [candidate.household_a.household_ref, candidate.household_b.household_ref]


def test_the_export_command_by_governorate_keeps_clusters_wholly_inside_it(
    across, within_a, household_b
):
    rows = duplicate_clusters(None, ["IQG04"])
    assert [r["cluster"] for r in rows] == [3]
    assert {r["cluster"] for r in duplicate_clusters(None)} == {3, 7}


def test_clusters_of_two_runs_with_the_same_number_are_told_apart(
    officer_a, household_a, register, location_a
):
    one = register(location_a, first="احمد", document="", phone="07701234500")
    two = register(location_a, first="زيد", family="الحسني", phone="", document="")
    three = register(location_a, first="زياد", family="الحسني", phone="", document="")
    pair(household_a, one, cluster=1)
    pair(two, three, cluster=1)
    rows = duplicate_clusters(officer_a)
    assert [r["size"] for r in rows] == [2, 2]
