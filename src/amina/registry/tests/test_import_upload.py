"""Importing a registration list in the UI: upload → a job checks it → the preview →
confirmation → a job imports it. The files never outlive their use."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from amina.jobs.models import Job
from amina.jobs.services import execute
from amina.registry.models import Household
from amina.registry.tests.conftest import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "registry-imports"


def _upload(client, name="households.xlsx", data=None):
    data = (SAMPLES / name).read_bytes() if data is None else data
    return client.post(reverse("registry:import"), {"file": SimpleUploadedFile(name, data)})


def _preview(client) -> Job:
    job = Job.objects.get(kind="registry-preview")
    return execute(job)


def test_an_upload_is_checked_by_a_job_then_imported_on_confirmation(
    client, national_user, reference_geography, media
):
    client.force_login(national_user)
    response = _upload(client)
    job = Job.objects.get(kind="registry-preview")
    assert response.url == reverse("registry:import-preview", args=[job.pk])
    assert 'data-testid="upload-checking"' in client.get(response.url).content.decode()
    assert len(list(media.iterdir())) == 1

    job = _preview(client)
    body = client.get(response.url).content.decode()
    assert job.status == "succeeded" and 'data-testid="preview"' in body
    assert not Household.objects.exists()

    confirmed = client.post(response.url)
    imported = Job.objects.get(kind="registry-import")
    assert confirmed.url == reverse("jobs:detail", args=[imported.pk])
    imported = execute(imported)
    assert imported.status == "succeeded", imported.error
    assert Household.objects.count() == 63
    assert not list(media.iterdir())  # the file is gone with its job


def test_a_broken_upload_lists_its_problems_writes_nothing_and_is_removed(
    client, national_user, reference_geography, media
):
    client.force_login(national_user)
    data = (SAMPLES / "households.csv").read_bytes().replace(b"2014-09-19", b"2014-19-09", 1)
    response = _upload(client, "households.csv", data)
    _preview(client)
    body = client.get(response.url).content.decode()
    assert 'data-testid="problems"' in body and "row 2" in body and "displacement_date" in body
    assert not Household.objects.exists() and not list(media.iterdir())
    assert client.post(response.url).url == reverse("registry:import")
    assert not Job.objects.filter(kind="registry-import").exists()


def test_a_file_that_is_not_a_table_is_refused_by_its_check_and_removed(
    client, national_user, media
):
    client.force_login(national_user)
    response = _upload(client, "households.xlsx", b"PK\x03\x04 a zip that is not a workbook")
    _preview(client)
    body = client.get(response.url).content.decode()
    assert "not an XLSX workbook" in body and not list(media.iterdir())


def test_a_preview_is_confirmed_once(client, national_user, reference_geography, media):
    client.force_login(national_user)
    response = _upload(client)
    _preview(client)
    client.post(response.url)
    again = client.post(response.url)
    assert again.url == reverse("registry:import")
    assert Job.objects.filter(kind="registry-import").count() == 1


def test_an_expired_preview_cannot_be_confirmed(
    client, national_user, reference_geography, media, settings
):
    client.force_login(national_user)
    response = _upload(client)
    job = _preview(client)
    late = timezone.now() - datetime.timedelta(hours=settings.AMINA_UPLOAD_PREVIEW_HOURS + 1)
    Job.objects.filter(pk=job.pk).update(finished_at=late)
    assert client.post(response.url).url == reverse("registry:import")
    assert not Job.objects.filter(kind="registry-import").exists()


def test_a_preview_is_shown_to_its_uploader_only(
    client, national_user, officer_b, reference_geography, media
):
    client.force_login(national_user)
    response = _upload(client)
    _preview(client)
    client.force_login(officer_b)
    assert client.get(response.url).status_code == 404
    assert client.post(response.url).status_code == 404
    assert not Job.objects.filter(kind="registry-import").exists()


def test_it_refuses_a_file_over_the_size_limit_before_keeping_it(
    client, national_user, media, settings
):
    settings.AMINA_UPLOAD_MAX_BYTES = 100
    client.force_login(national_user)
    response = _upload(client, "households.csv")
    assert response.status_code == 200 and "the limit is 100" in response.content.decode()
    assert not Job.objects.exists() and not media.exists()


def test_the_files_are_removed_when_the_import_job_fails(
    client, national_user, reference_geography, media
):
    client.force_login(national_user)
    response = _upload(client)
    _preview(client)
    client.post(response.url)
    # Registered meanwhile by someone else: the import is refused as a whole.
    execute(
        Job.objects.create(
            kind="registry-import",
            parameters={"path": str(SAMPLES / "households.xlsx")},
            created_by=national_user,
        )
    )
    imported = execute(Job.objects.filter(kind="registry-import").order_by("pk").first())
    assert imported.status == "failed" and "already registered" in imported.error
    assert not list(media.iterdir())
