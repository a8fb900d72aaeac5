"""``amina purge-uploads``: uploads left behind are removed after the preview window,
unless a queued or running job still needs them."""

import os
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from amina.jobs import uploads
from amina.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.AMINA_UPLOAD_PREVIEW_HOURS = 24
    return tmp_path


def _upload(folder: str, hours_old: float):
    path = uploads.save_upload(SimpleUploadedFile("list.csv", b"a,b\n1,2\n"), folder)
    then = time.time() - hours_old * 3600
    os.utime(path, (then, then))
    return path


def _left(media, relative: str, hours_old: float):
    path = media / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    os.utime(path, (time.time() - hours_old * 3600,) * 2)
    return path


def test_it_removes_uploads_older_than_the_preview_window(media):
    old = [
        _left(media, name, 25)
        for name in (
            "registry-imports/a-households",
            "uploads/needs/b.csv",
            "tracking/uploads/R5.csv",
        )
    ]
    out = StringIO()
    call_command("purge-uploads", stdout=out)
    assert not any(p.exists() for p in old)
    assert "removed 3 expired upload(s)" in out.getvalue()


def test_it_keeps_recent_uploads(media):
    recent = _upload("registry-imports", 23)
    call_command("purge-uploads", stdout=StringIO())
    assert recent.exists()


def test_it_keeps_an_old_upload_a_queued_job_still_needs(media):
    needed = _upload("uploads/coordination", 48)
    Job.objects.create(kind="coordination-4w-import", parameters={"path": str(needed)})
    call_command("purge-uploads", stdout=StringIO())
    assert needed.exists()


def test_it_removes_the_file_of_a_job_that_died(media):
    orphan = _upload("registry-imports", 48)
    Job.objects.create(kind="registry-import", parameters={"path": str(orphan)}, status="failed")
    call_command("purge-uploads", "--hours", "1", stdout=StringIO())
    assert not orphan.exists()


def test_a_new_upload_purges_expired_ones_on_the_way(media):
    old = _upload("registry-imports", 25)
    new = _upload("registry-imports", 0)
    assert not old.exists() and new.exists()


def test_an_upload_is_readable_by_the_server_only(media):
    assert _upload("uploads/needs", 0).stat().st_mode & 0o777 == 0o600
