"""A job started by an English user reads in Arabic to an Arabic user: its label, its
problems (row, column, reason, the place suggested by its Arabic name) and its results are
stored untranslated and translated for whoever opens the job's page (issue 16)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amina.coordination.tests.test_import_activities import PLAIN
from amina.jobs.models import Job
from amina.jobs.services import execute

pytestmark = pytest.mark.django_db

#: Latin words of the interface that must not appear in the Arabic page's problems.
ENGLISH = re.compile(r"\b(row|column|unknown|did you mean|is not a date|Nothing was imported)\b")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _failed_import(client, user) -> Job:
    """An English user uploads a sheet with a misspelt governorate and an impossible date."""
    bad = (
        PLAIN.replace("2015-06-01", "2015-13-01", 1).splitlines()[0]
        + "\n"
        + PLAIN.replace("2015-06-01", "2015-13-01", 1).splitlines()[1]
        + "\nNRC,2,NFI kits,Najav,,Hay Al-Nour 1,2015-06-01,,,1,1,1,1,1,1\n"
    )
    client.force_login(user)
    client.post(
        reverse("coordination:activity-import"),
        {"file": SimpleUploadedFile("4w.csv", bad.encode())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    job = execute(Job.objects.get(kind="coordination-4w-import"))
    assert job.status == "failed"
    return job


def _failure_box(page: str) -> str:
    return re.search(r'data-testid="job-failure">(.*?)</div>', page, re.S).group(1)


def test_an_english_users_import_reads_in_english_to_them(
    client, admin_user, location_a, location_b, orgs, media
):
    job = _failed_import(client, admin_user)
    page = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    box = _failure_box(page.content.decode())
    assert "Nothing was imported" in box
    assert "row 3, column &#x27;Governorate&#x27;: unknown governorate &#x27;Najav&#x27;" in box
    assert "Najaf (IQG04)" in box  # the suggestion, by its English name


def test_the_same_job_reads_in_arabic_to_an_arabic_user(
    client, admin_user, officer_a, location_a, location_b, orgs, media
):
    job = _failed_import(client, admin_user)
    client.force_login(admin_user)
    response = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="ar")
    page = response.content.decode()
    box = _failure_box(page)
    assert 'dir="rtl"' in page
    assert "الصف 3، العمود «Governorate»" in box  # where, in Arabic
    assert "النجف (IQG04)" in box  # the suggested governorate by its Arabic name
    assert "Najav" in box  # what the file says stays as written
    assert not ENGLISH.search(box), ENGLISH.search(box)
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "4w.csv" in title and "Import" not in title
