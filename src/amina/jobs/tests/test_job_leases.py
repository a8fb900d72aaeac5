"""Leases of running jobs: a lapsed one is reclaimed once, failed or run again, and shown why.

The processes themselves (a worker killed mid-job, a locked database) are in
``test_worker_processes``; these tests drive the same functions in this process.
"""

import datetime
import socket
import subprocess
import sys

import pytest
from django.db import OperationalError, connection
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from amina.jobs import recovery
from amina.jobs.models import DATABASE_BUSY, ERROR_MESSAGES, WORKER_STOPPED, Job
from amina.jobs.services import (
    create_job,
    execute,
    handler,
    job_finished,
    remove_files,
    start_job,
    worker_identity,
)
from amina.jobs.supervisor import Supervisor
from amina.jobs.worker import Backoff

ELSEWHERE = "another-machine:4242:1"
SEEN: dict = {}


@handler("test-lease-plain")
def plain_handler(job, progress) -> dict:
    return {}


@handler("test-lease-idempotent", idempotent=True)
def idempotent_handler(job, progress) -> dict:
    return {}


@handler("test-lease-locked-out")
def locked_out(job, progress) -> dict:
    """Its import could not begin: another process held the database past the timeout."""
    raise OperationalError("database is locked")


@handler("test-lease-reclaimed-midway")
def reclaimed_midway(job, progress) -> dict:
    """Its lease lapses and a sweep reclaims it while it runs (its worker was stalled)."""
    Job.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1), worker=ELSEWHERE
    )
    SEEN["reclaimed"] = recovery.reclaim_expired()
    if job.parameters["then"] == "progress":
        progress(1, 2, "still going")
        SEEN["went on"] = True
    return {"rows": 2}


def lapsed(**fields) -> Job:
    """A job that a worker on another machine claimed, whose lease ended a second ago."""
    now = timezone.now()
    values = {
        "kind": "test-lease-plain",
        "status": Job.Status.RUNNING,
        "started_at": now - datetime.timedelta(minutes=5),
        "lease_expires_at": now - datetime.timedelta(seconds=1),
        "attempts": 1,
        "worker": ELSEWHERE,
        **fields,
    }
    return Job.objects.create(**values)


@pytest.fixture
def ended():
    """Ids of the jobs ``job_finished`` was sent for, in order."""
    seen = []

    def receiver(sender, job, **kwargs):
        seen.append(job.pk)

    job_finished.connect(receiver)
    yield seen
    job_finished.disconnect(receiver)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def test_a_job_whose_lease_lapsed_is_failed_saying_its_worker_stopped_and_its_files_go(
    db, media, ended, django_capture_on_commit_callbacks
):
    upload = media / "upload.csv"
    upload.write_text("a,b\n")
    job = lapsed(files=[str(upload)])
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.reclaim_expired() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error_code, job.lease_expires_at) == ("failed", WORKER_STOPPED, None)
    assert job.error == (
        "The worker running this job stopped before it finished; the job did not complete. "
        "Start it again."
    )
    assert job.finished_at and not upload.exists() and ended == [job.pk]


def test_two_sweeps_never_both_reclaim_a_job(db, ended, django_capture_on_commit_callbacks):
    job = lapsed()
    # Two sweeps read the same lapsed job; one changes it, then the other tries.
    seen_by_first, seen_by_second = Job.objects.get(pk=job.pk), Job.objects.get(pk=job.pk)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery._reclaim(seen_by_first, now) is True
        assert recovery._reclaim(seen_by_second, now) is False
        assert recovery.reclaim_expired() == []
    assert ended == [job.pk]


def test_a_job_whose_lease_runs_or_that_started_a_moment_ago_is_left_running(db):
    now = timezone.now()
    leased = lapsed(lease_expires_at=now + datetime.timedelta(seconds=30))
    fresh = lapsed(lease_expires_at=None, started_at=now)  # claimed before leases existed
    old = lapsed(lease_expires_at=None, started_at=now - datetime.timedelta(hours=1))
    assert recovery.reclaim_expired() == [old.pk]
    assert {j.status for j in Job.objects.filter(pk__in=[leased.pk, fresh.pk])} == {"running"}


def queued_and_claimed(kind: str, attempts: int, capture, **fields) -> Job:
    """A job started through the queue, whose task and job a worker claimed, then died."""
    with capture(execute=True):
        job = start_job(kind, {}, **fields)
    job.refresh_from_db()
    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING", started_at=past)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        attempts=attempts,
        started_at=past,
        lease_expires_at=past,
        worker=ELSEWHERE,
    )
    job.refresh_from_db()
    return job


def test_an_idempotent_job_runs_again_until_its_attempts_run_out(
    db, settings, ended, django_capture_on_commit_callbacks
):
    settings.AMINA_JOB_MAX_ATTEMPTS = 2
    job = queued_and_claimed("test-lease-idempotent", 1, django_capture_on_commit_callbacks)
    first_task = job.task_id
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.reclaim_expired() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error_code, job.error) == ("queued", "worker-stopped-retrying", "")
    assert job.error_message.endswith("(attempt 2 of 2).")
    assert DBTaskResult.objects.get(id=first_task).status == "FAILED"
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    assert ended == []  # it has not ended: its files stay

    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=2, lease_expires_at=timezone.now(), worker=ELSEWHERE
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.reclaim_expired() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "worker-stopped-gave-up")
    assert ended == [job.pk]


def test_an_idempotent_job_whose_file_is_gone_is_failed_not_run_again(
    db, media, django_capture_on_commit_callbacks
):
    job = queued_and_claimed(
        "test-lease-idempotent",
        1,
        django_capture_on_commit_callbacks,
        files=[str(media / "removed-meanwhile.csv")],
    )
    assert recovery.reclaim_expired() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", WORKER_STOPPED)


def test_an_idempotent_job_run_from_the_command_line_is_failed_not_queued(db):
    job = lapsed(kind="test-lease-idempotent")  # no queue entry: it ran in a terminal
    assert recovery.reclaim_expired() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", WORKER_STOPPED)


@pytest.mark.parametrize("then", ["progress", "return"])
def test_a_process_that_lost_its_lease_neither_goes_on_nor_overwrites_the_reclaimed_job(db, then):
    SEEN.clear()
    job = create_job("test-lease-reclaimed-midway", {"then": then})
    job = execute(job)
    assert SEEN["reclaimed"] == [job.pk]
    assert "went on" not in SEEN
    assert (job.status, job.error_code, job.result) == ("failed", WORKER_STOPPED, {})


@pytest.mark.skipif(connection.vendor != "sqlite", reason="one machine holds an SQLite database")
def test_on_sqlite_a_job_whose_worker_still_runs_here_is_not_reclaimed(db):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    gone.wait()
    alive = lapsed(worker=worker_identity())  # held up, say, by another process's import
    dead = lapsed(worker=f"{socket.gethostname()}:{gone.pid}:1")
    assert recovery.reclaim_expired() == [dead.pk]
    alive.refresh_from_db()
    assert alive.status == "running"


def test_a_queued_job_whose_queue_entry_ended_is_queued_again(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lost = start_job("test-lease-plain", {})
        waiting = start_job("test-lease-plain", {})
    lost.refresh_from_db()
    waiting.refresh_from_db()
    # A worker took the entry but gave up claiming the job (a database locked too long).
    DBTaskResult.objects.filter(id=lost.task_id).update(status="FAILED")
    assert recovery.requeue_orphans() == [lost.pk]
    old_task = lost.task_id
    lost.refresh_from_db()
    assert lost.status == "queued" and lost.task_id != old_task
    assert DBTaskResult.objects.get(id=lost.task_id).status == "READY"
    assert recovery.requeue_orphans() == []
    assert Job.objects.get(pk=waiting.pk).task_id == waiting.task_id  # its entry will run it


def test_the_job_page_and_api_show_a_stopped_worker_in_the_reader_s_language(client, officer_a):
    job = lapsed(created_by=officer_a, label="Import households.csv")
    client.force_login(officer_a)
    page = client.get(f"/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    with translation.override("ar"):
        arabic = str(ERROR_MESSAGES[WORKER_STOPPED])
        arabic_why = translation.gettext("Why it failed")
    assert arabic in page and arabic_why in page and "hx-get" not in page
    english = client.get(f"/api/v1/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["status"], english["error_code"]) == ("failed", WORKER_STOPPED)
    assert english["error"] == str(ERROR_MESSAGES[WORKER_STOPPED])
    stored = Job.objects.get(pk=job.pk).error
    assert stored == english["error"]  # English kept in the row, for logs and the admin


def test_a_job_that_waited_too_long_for_the_database_says_so_in_the_reader_s_language(db):
    job = execute(create_job("test-lease-locked-out", {}))
    assert (job.status, job.error_code) == ("failed", DATABASE_BUSY)
    assert job.error == "OperationalError: database is locked"  # for the administrator
    with translation.override("ar"):
        assert job.error_message == str(ERROR_MESSAGES[DATABASE_BUSY])


def test_a_finished_job_s_files_are_removed_but_never_a_file_elsewhere(
    db, media, tmp_path, ended, django_capture_on_commit_callbacks
):
    upload, elsewhere = media / "households.csv", tmp_path / "households.csv"
    for path in (upload, elsewhere):
        path.write_text("household_ref\n")
    job = create_job("test-lease-plain", {}, files=[upload, elsewhere])
    with django_capture_on_commit_callbacks(execute=True):
        job = execute(job)
    assert job.status == "succeeded" and ended == [job.pk]
    assert not upload.exists() and elsewhere.exists()
    remove_files([str(tmp_path)])  # not even a folder given by mistake
    assert elsewhere.exists()


def test_a_locked_database_never_stops_the_worker_loop_but_a_lost_server_does():
    backoff = Backoff(first=0.5, most=30, patience=3)
    delays = [backoff.wait(OperationalError("database is locked")) for _ in range(50)]
    assert max(delays) <= 30 and delays[-1] >= 15
    backoff.reset()
    for _ in range(3):
        backoff.wait(OperationalError("server closed the connection unexpectedly"))
    with pytest.raises(OperationalError, match="server closed"):
        backoff.wait(OperationalError("server closed the connection unexpectedly"))


def test_the_demo_supervisor_starts_a_worker_that_exits_again(tmp_path):
    starts = tmp_path / "starts"
    worker = [sys.executable, "-c", f"open({str(starts)!r}, 'a').write('x')"]
    # The "server" exits once the worker has been started three times (or gives up).
    server = [
        sys.executable,
        "-c",
        "import os, sys, time\n"
        "deadline = time.monotonic() + 60\n"
        f"while not (os.path.exists({str(starts)!r}) and len(open({str(starts)!r}).read()) >= 3):\n"
        "    if time.monotonic() > deadline: sys.exit(1)\n"
        "    time.sleep(0.01)\n",
    ]
    supervisor = Supervisor(worker, server, first_delay=0.01, most_delay=0.05, poll=0.01)
    assert supervisor.run() == 0
    assert supervisor.restarts >= 2 and len(starts.read_text()) >= 3


def test_the_demo_supervisor_stops_the_worker_when_the_server_exits():
    supervisor = Supervisor(
        [sys.executable, "-c", "import time; time.sleep(600)"],
        [sys.executable, "-c", "raise SystemExit(3)"],
        poll=0.01,
    )
    assert supervisor.run() == 3
    assert supervisor.worker.poll() is not None and supervisor.restarts == 0
