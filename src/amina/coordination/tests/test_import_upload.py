"""Importing a 4W sheet in the UI: the request keeps the file, a job reads and imports it,
and the file is gone when the job ends."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amina.coordination.models import Activity
from amina.coordination.tests.test_import_activities import PLAIN
from amina.jobs.models import Job
from amina.jobs.services import execute

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, user, data: bytes, name="4w.csv") -> Job:
    client.force_login(user)
    response = client.post(
        reverse("coordination:activity-import"), {"file": SimpleUploadedFile(name, data)}
    )
    job = Job.objects.get(kind="coordination-4w-import")
    assert response.url == reverse("jobs:detail", args=[job.pk]), "nothing is read in the request"
    assert not Activity.objects.exists()
    return execute(job)


def test_a_sheet_is_imported_by_a_job_and_its_file_removed(
    client, admin_user, location_a, location_b, orgs, media
):
    job = _upload(client, admin_user, PLAIN.encode())
    assert job.status == "succeeded", job.error
    assert job.result["created"] == 3 and Activity.objects.count() == 3
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_broken_sheet_fails_its_job_with_every_row_and_is_removed(
    client, admin_user, location_a, location_b, orgs, media
):
    job = _upload(client, admin_user, PLAIN.replace("2015-06-01", "2015-13-01").encode())
    assert job.status == "failed" and "row 2" in job.error
    assert not Activity.objects.exists() and not any(p.is_file() for p in media.rglob("*"))


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(
    client, admin_user, orgs, media, settings
):
    settings.AMINA_UPLOAD_MAX_BYTES = 10
    client.force_login(admin_user)
    response = client.post(
        reverse("coordination:activity-import"), {"file": SimpleUploadedFile("4w.csv", b"x" * 11)}
    )
    assert response.status_code == 200 and "the limit is 10" in response.content.decode()
    assert not Job.objects.exists() and not any(p.is_file() for p in media.rglob("*"))
