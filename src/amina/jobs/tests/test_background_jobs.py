"""Background jobs: queued in the database, run by `amina worker`, progress and failures shown."""

import json

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from amina.jobs.models import Job
from amina.jobs.services import JobError, handler, run_inline, start_job
from amina.lib.testing.processes import migrated_installation, run_amina

SEEN = {}


@handler("test-count")
def count_handler(job, progress) -> dict:
    n = job.parameters["n"]
    for i in range(n):
        progress(i + 1, n, f"row {i + 1}")
        if i == 0:
            row = Job.objects.get(pk=job.pk)
            SEEN["while running"] = (row.status, row.done, row.total, row.message)
    return {"rows": n}


@handler("test-refuse")
def refusing_handler(job, progress) -> dict:
    progress(1, 10, "reading")
    raise JobError("row 7, column 'families': 'many' is not a number")


@handler("test-crash")
def crashing_handler(job, progress) -> dict:
    return {"x": 1 / 0}


@handler("test-atomic")
def atomic_handler(job, progress) -> dict:
    with transaction.atomic():
        progress(3, 8, "inside the import's transaction")
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT done, message FROM jobs_job WHERE id = %s", [job.pk])
                SEEN["from another connection"] = cursor.fetchone()
        finally:
            other.close()
    return {}


@pytest.fixture
def run_worker(monkeypatch):
    """The worker in this process: it must not close the test's connection between tasks
    (a fresh worker process is tested below)."""
    from amina.jobs import worker

    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    return lambda: call_command("worker", "--batch", "--interval", "0")


def test_a_queued_job_is_run_by_the_worker_and_succeeds_with_its_progress(
    db, officer_a, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("test-count", {"n": 3}, officer_a, label="Count three")
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent, job.message) == (3, 3, 100, "row 3")
    assert job.result == {"rows": 3} and job.started_at and job.finished_at
    assert SEEN["while running"] == ("running", 1, 3, "row 1")


def test_nothing_is_queued_when_the_transaction_that_started_a_job_rolls_back(
    db, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                start_job("test-count", {"n": 1})
                raise RuntimeError("the upload failed")
        except RuntimeError:
            pass
    assert callbacks == [] and not DBTaskResult.objects.exists() and not Job.objects.exists()


def test_a_refused_job_shows_why_and_is_failed(db, django_capture_on_commit_callbacks, run_worker):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("test-refuse", {})
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "row 7, column 'families': 'many' is not a number"


def test_a_crashing_job_shows_the_exception_without_a_traceback(db):
    job = run_inline("test-crash", {}, show_bar=False)
    assert job.status == Job.Status.FAILED
    assert job.error == "ZeroDivisionError: division by zero"


def test_an_unknown_kind_is_refused_before_anything_is_queued(db):
    with pytest.raises(JobError, match="unknown job kind 'nope'"):
        start_job("nope", {})
    assert not Job.objects.exists()


def test_the_job_page_polls_while_running_and_stops_when_finished(client, officer_a):
    job = Job.objects.create(
        kind="test-count",
        label="Count",
        created_by=officer_a,
        status=Job.Status.RUNNING,
        done=2,
        total=8,
        message="row 2",
    )
    client.force_login(officer_a)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Count" in page and "25%" in page and "row 2" in page and 'hx-trigger="every 1s"' in page
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="job-progress"') and "<html" not in partial
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="row 7: bad number")
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in partial and "row 7: bad number" in partial


def test_the_jobs_list_takes_a_fixed_number_of_queries(
    client, admin_user, officer_a, django_assert_max_num_queries
):
    for i in range(30):
        Job.objects.create(kind="test-count", label=f"job {i}", created_by=officer_a)
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get("/jobs/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/jobs/").json()["count"] == 30


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_progress_inside_an_import_transaction_is_visible_to_other_connections():
    job = run_inline("test-atomic", {}, show_bar=False)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert SEEN["from another connection"] == (3, "inside the import's transaction")


def square(lon, lat):
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat]]],
    }


def test_a_queued_job_survives_a_restart_and_a_fresh_worker_process_runs_it(
    tmp_path_factory, tmp_path
):
    var = migrated_installation(tmp_path_factory, tmp_path / "var")
    good = tmp_path / "good.geojson"
    good.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ADM1_PCODE": "IQG04"},
                        "geometry": square(43, 31),
                    }
                ],
            }
        )
    )
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ADM1_PCODE": "IQG99"},
                        "geometry": square(43, 31),
                    }
                ],
            }
        )
    )
    queue = run_amina(
        [
            "shell",
            "--no-imports",
            "-c",
            (
                "from amina.jobs.services import start_job;"
                f"start_job('boundaries', {{'path': {str(good)!r}}}, label='good');"
                f"start_job('boundaries', {{'path': {str(bad)!r}}}, label='bad')"
            ),
        ],
        var,
    )
    assert queue.returncode == 0, queue.stderr
    worker = run_amina(["worker", "--batch", "--interval", "0"], var)
    assert worker.returncode == 0, worker.stderr
    check = run_amina(
        [
            "shell",
            "--no-imports",
            "-c",
            (
                "from amina.jobs.models import Job; from amina.geo.models import Governorate;"
                "print([(j.label, j.status, j.error) for j in Job.objects.order_by('pk')]);"
                "print(Governorate.objects.get(pcode='IQG04').boundary['type'])"
            ),
        ],
        var,
    )
    lines = check.stdout.strip().splitlines()
    assert lines[-2] == (
        "[('good', 'succeeded', ''), ('bad', 'failed', \"feature 1: ADM1_PCODE 'IQG99' is not a "
        'known governorate; add it first")]'
    ), check.stdout + check.stderr
    assert lines[-1] == "Polygon"
