"""The dedupe button, the home panel, Arabic pages (the import: ``test_import_upload``)."""

import pytest
from django.urls import reverse

from amina.jobs.models import Job

pytestmark = pytest.mark.django_db


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
