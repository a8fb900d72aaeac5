"""The boundary job's uploaded file: refused unread beyond the size limit, removed when
the job ends whatever the outcome; an operator's own file (command line) is kept."""

import pytest

from amina.jobs.models import Job
from amina.jobs.services import execute

pytestmark = pytest.mark.django_db


def _job(path) -> Job:
    return execute(Job.objects.create(kind="boundaries", parameters={"path": str(path)}))


def test_an_upload_over_the_size_limit_is_refused_unread_and_removed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.AMINA_UPLOAD_MAX_BYTES = 10
    path = tmp_path / "uploads" / "boundaries" / "b.geojson"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"type": "FeatureCollection", "features": []}')
    job = _job(path)
    assert job.status == "failed" and "the limit is 10" in job.error
    assert not path.exists()


def test_a_refused_upload_is_removed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "uploads" / "boundaries" / "b.geojson"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not json")
    assert _job(path).status == "failed" and not path.exists()


def test_a_file_outside_the_uploads_is_never_removed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "own.geojson"
    path.write_bytes(b"not json")
    assert _job(path).status == "failed" and path.exists()
