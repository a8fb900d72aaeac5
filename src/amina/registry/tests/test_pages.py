"""The import page (preview, then a background job), the dedupe button, the home panel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amina.jobs.models import Job
from amina.jobs.services import execute
from amina.registry.models import Household
from amina.registry.tests.conftest import SAMPLES

pytestmark = pytest.mark.django_db


def test_an_upload_is_previewed_then_imported_by_a_job(client, officer_a):
    client.force_login(officer_a)
    upload = SimpleUploadedFile("households.xlsx", (SAMPLES / "households.xlsx").read_bytes())
    response = client.post(reverse("registry:import"), {"file": upload})
    body = response.content.decode()
    assert 'data-testid="preview"' in body and not Household.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("registry:import"), {"token": token})
    job = Job.objects.get(kind="registry-import")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    job = execute(job)
    assert job.status == "succeeded", job.error
    assert Household.objects.count() == 63 and job.result["households"] == 63


def test_a_broken_upload_lists_its_problems_and_writes_nothing(client, officer_a):
    client.force_login(officer_a)
    data = (SAMPLES / "households.csv").read_bytes().replace(b"2014-09-19", b"2014-19-09", 1)
    response = client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile("households.csv", data)}
    )
    body = response.content.decode()
    assert 'data-testid="problems"' in body and "row 2" in body and "displacement_date" in body
    assert not Household.objects.exists() and not Job.objects.exists()


def test_a_forged_token_starts_nothing(client, officer_a):
    client.force_login(officer_a)
    assert client.post(reverse("registry:import"), {"token": "x"}).status_code == 403
    assert not Job.objects.exists()


def test_the_dedupe_button_queues_a_job_for_the_users_governorates(client, officer_a, gov_a):
    client.force_login(officer_a)
    response = client.post(reverse("registry:dedupe-start"))
    job = Job.objects.get(kind="registry-dedupe")
    assert response.status_code == 302 and job.parameters == {"governorates": [gov_a.pk]}


def test_the_home_page_shows_the_registry_panel_to_detail_roles_only(
    client, officer_a, partner, household_a
):
    client.force_login(officer_a)
    assert 'data-testid="registry-panel"' in client.get("/").content.decode()
    client.force_login(partner)
    body = client.get("/").content.decode()
    assert 'data-testid="registry-panel"' not in body
    assert client.get(reverse("registry:home")).status_code == 403


def test_pages_render_in_arabic(client, officer_a, household_a):
    client.force_login(officer_a)
    client.cookies["django_language"] = "ar"
    for url in (
        reverse("registry:home"),
        reverse("registry:register"),
        reverse("registry:detail", args=[household_a.pk]),
        reverse("registry:duplicates"),
        reverse("registry:import"),
        reverse("registry:export"),
    ):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
        assert 'dir="rtl"' in body, url
    assert "سجل الأسر" in client.get(reverse("registry:home")).content.decode()
