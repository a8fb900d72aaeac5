"""Importing in the UI: a job checks the upload, the preview lists every problem, commit
runs as a job with progress; the file is removed when it can no longer be used."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amina.audit.models import ChangeLog
from amina.jobs.models import Job
from amina.jobs.services import execute
from amina.tracking import queries
from amina.tracking.models import DtmUpload
from amina.tracking.tests.conftest import DATA, counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, user, name, content, *, check=True, **fields):
    """Upload a file and (``check``) run the job that checks it, as a worker would."""
    client.force_login(user)
    response = client.post(
        reverse("tracking:import"),
        {"file": SimpleUploadedFile(name, content), "kind": "idps", **fields},
    )
    if check and response.status_code == 302:
        execute(Job.objects.get(kind="tracking-dtm-preview", status="queued"))
    return response


def test_a_clean_file_is_previewed_then_imported_by_a_job(
    client, national_user, tracking_reference, django_capture_on_commit_callbacks
):
    response = upload(
        client,
        national_user,
        "dtm-master-list-round21.xlsx",
        (DATA / "dtm-master-list-round21.xlsx").read_bytes(),
        check=False,
        round_date="2015-05-21",
    )
    record = DtmUpload.objects.get()
    assert response.url == reverse("tracking:import-preview", args=[record.pk])
    assert record.file and record.file.path.startswith(str(record.file.storage.location))
    page = client.get(response.url).content.decode()
    assert 'data-testid="upload-checking"' in page, "the request only keeps the file"
    assert not record.report
    execute(Job.objects.get(kind="tracking-dtm-preview"))
    page = client.get(response.url).content.decode()
    assert "600 locations" in page and 'data-testid="commit-import"' in page
    assert counts()["LocationAssessment"] == 0, "a preview writes nothing"
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("tracking:import-commit", args=[record.pk]))
    job = Job.objects.get(kind="tracking-dtm-import")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    trail = ChangeLog.objects.filter(model="tracking.dtmupload", object_id=str(record.pk))
    assert list(trail.order_by("pk").values_list("action", "actor_id")) == [
        ("create", national_user.pk),
        ("update", national_user.pk),
        ("update", national_user.pk),
    ], "uploading, checking and queueing a file are all audited"
    job = execute(job)
    assert job.status == "succeeded", job.error
    assert job.result["next_url"] == reverse("tracking:round", args=["R21"])
    assert job.done == job.total == 600
    assert queries.national_total("R21").locations == 600
    record.refresh_from_db()
    assert record.status == "committed" and not record.file, "the stored file is removed"
    assert trail.order_by("-pk").first().diff == {"status": ["queued", "committed"]}


def test_a_bad_file_lists_every_row_error_and_cannot_be_committed(
    client, national_user, tracking_reference
):
    rows = (DATA / "dtm-master-list-round21.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace(",Dahuk,", ",Atlantis,", 1)
    rows[5] = rows[5].replace(",168,", ",-168,", 1)
    response = upload(
        client,
        national_user,
        "r21.csv",
        "\n".join(rows).encode(),
        round_code="R21",
        round_date="2015-05-21",
    )
    page = client.get(response.url).content.decode()
    assert "2 errors" in page
    assert "unknown governorate &#x27;Atlantis&#x27;" in page
    assert "-168 is below 0" in page
    assert 'data-testid="commit-import"' not in page
    record = DtmUpload.objects.get()
    assert not record.file, "a file with errors is removed at once"
    client.post(reverse("tracking:import-commit", args=[record.pk]))
    assert not Job.objects.filter(kind="tracking-dtm-import").exists()
    assert counts()["LocationAssessment"] == 0


def test_unmatched_districts_are_listed_for_review(client, national_user, tracking_reference):
    content = (
        b"Place id,Governorate,District,Location name in English,Families\n"
        b"1,Baghdad,Tarmia,Hay A,5\n"
    )
    response = upload(
        client, national_user, "x.csv", content, round_code="R3", round_date="2015-01-01"
    )
    page = client.get(response.url).content.decode()
    assert "Tarmia (Baghdad): 1" in page


def test_only_data_managers_may_import(client, officer_a, field_a, partner):
    for user in (officer_a, field_a, partner):
        client.force_login(user)
        assert client.get(reverse("tracking:import")).status_code == 403


def test_a_file_for_a_round_of_another_kind_is_refused_in_the_preview(
    client, national_user, tracking_reference
):
    from amina.tracking.models import Round

    Round.objects.create(code="R21", kind="returnees", date="2015-05-21")
    upload(
        client,
        national_user,
        "dtm-master-list-round21.xlsx",
        (DATA / "dtm-master-list-round21.xlsx").read_bytes(),
    )
    record = DtmUpload.objects.get()
    record.refresh_from_db()
    assert record.report["error_count"] >= 1
    assert record.report["errors"][0]["message"].startswith("Round R21 is a round of another")
    page = client.get(reverse("tracking:import-preview", args=[record.pk])).content.decode()
    assert 'data-testid="commit-import"' not in page
    client.post(reverse("tracking:import-commit", args=[record.pk]))
    assert not Job.objects.filter(kind="tracking-dtm-import").exists()
    assert counts()["LocationAssessment"] == 0


def test_a_file_the_check_cannot_read_shows_why_and_is_removed(client, national_user):
    response = upload(
        client,
        national_user,
        "R5.xlsx",
        b"PK\x03\x04 not a workbook",
        round_code="R5",
        round_date="2015-01-01",
    )
    page = client.get(response.url).content.decode()
    assert "not an XLSX workbook" in page and 'data-testid="commit-import"' not in page
    assert not DtmUpload.objects.get().file


def test_an_unconfirmed_preview_expires(client, national_user, tracking_reference, settings):
    import datetime

    from django.utils import timezone

    upload(
        client,
        national_user,
        "dtm-master-list-round21.xlsx",
        (DATA / "dtm-master-list-round21.xlsx").read_bytes(),
        round_date="2015-05-21",
    )
    record = DtmUpload.objects.get()
    late = timezone.now() - datetime.timedelta(hours=settings.AMINA_UPLOAD_PREVIEW_HOURS + 1)
    DtmUpload.objects.filter(pk=record.pk).update(created_at=late)
    page = client.get(reverse("tracking:import-preview", args=[record.pk])).content.decode()
    assert "This preview has expired" in page and 'data-testid="commit-import"' not in page
    client.post(reverse("tracking:import-commit", args=[record.pk]))
    assert not Job.objects.filter(kind="tracking-dtm-import").exists()


def test_the_file_is_removed_when_the_import_fails(client, national_user, tracking_reference):
    from amina.tracking.models import Round

    upload(
        client,
        national_user,
        "dtm-master-list-round21.xlsx",
        (DATA / "dtm-master-list-round21.xlsx").read_bytes(),
        round_date="2015-05-21",
    )
    record = DtmUpload.objects.get()
    client.post(reverse("tracking:import-commit", args=[record.pk]))
    # Between the preview and the import, the round became a round of another kind.
    Round.objects.create(code="R21", kind="returnees", date="2015-05-21")
    job = execute(Job.objects.get(kind="tracking-dtm-import"))
    record.refresh_from_db()
    assert job.status == "failed" and record.status == "failed" and not record.file
    assert counts()["LocationAssessment"] == 0
