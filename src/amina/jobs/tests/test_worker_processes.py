"""Real ``amina worker`` processes: killed mid-job, and held up by a locked database.

Each test uses its own embedded SQLite installation (``processes.migrated_installation``)
with a two-second lease, and reads the database with ``sqlite3`` as an operator would. The
handlers that block until the test releases them are in ``blocking_handlers``.
"""

from __future__ import annotations

import datetime
import sqlite3
import subprocess
import time
from pathlib import Path

from amina.lib.testing.processes import AMINA, clean_env, migrated_installation, run_amina

LEASE = "2"
IMPORT = "import amina.jobs.tests.blocking_handlers; "


def worker_code(*args: str) -> str:
    call = f"call_command('worker', {', '.join(map(repr, args))})"
    return IMPORT + "from django.core.management import call_command; " + call


def start_worker(var: Path, log: Path, *args: str, **env: str) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(  # noqa: S603
            [str(AMINA), "shell", "--no-imports", "-c", worker_code(*args)],
            env=clean_env(var, AMINA_JOB_LEASE_SECONDS=LEASE, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def queue(var: Path, kind: str, parameters: dict, files: list[Path] = ()) -> int:
    code = IMPORT + (
        "from amina.jobs.services import start_job; "
        f"print(start_job({kind!r}, {parameters!r}, files={[str(f) for f in files]!r}).pk)"
    )
    result = run_amina(["shell", "--no-imports", "-c", code], var)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def row(var: Path, job_id: int) -> dict:
    with sqlite3.connect(var / "amina.sqlite3") as db:
        db.row_factory = sqlite3.Row
        found = db.execute("SELECT * FROM jobs_job WHERE id = ?", [job_id]).fetchone()
        return dict(found)


def task_status(var: Path, task_id: str) -> str:
    from django_tasks_db.models import DBTaskResult

    table = DBTaskResult._meta.db_table
    with sqlite3.connect(var / "amina.sqlite3") as db:
        key = task_id.replace("-", "")
        return db.execute(f"SELECT status FROM {table} WHERE id = ?", [key]).fetchone()[0]  # noqa: S608


def when(text: str) -> datetime.datetime:
    """A datetime as Django stores it in SQLite (UTC)."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def wait_for(condition, what: str, timeout: float = 120) -> None:
    """Poll until ``condition()`` holds; the timeout only keeps a broken test from hanging."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_killed_worker_s_job_is_failed_or_run_again_once_its_lease_lapses(
    tmp_path_factory, tmp_path
):
    var = migrated_installation(tmp_path_factory, tmp_path / "var")
    (var / "media").mkdir(exist_ok=True)
    uploads = {name: var / "media" / f"{name}.csv" for name in ("plain", "idempotent")}
    for path in uploads.values():
        path.write_text("governorate,families\n")
    jobs = {
        name: queue(
            var,
            kind,
            {"started": str(tmp_path / f"started-{name}"), "release": str(tmp_path / f"go-{name}")},
            files=[uploads[name]],
        )
        for name, kind in (("plain", "test-block"), ("idempotent", "test-block-idempotent"))
    }
    workers = [start_worker(var, tmp_path / f"worker-{i}.log") for i in range(2)]
    wait_for(
        lambda: all((tmp_path / f"started-{name}").exists() for name in jobs),
        "each worker to start one job",
    )
    for worker in workers:
        worker.kill()  # SIGKILL: no handler, no finally, no goodbye
        worker.wait()
    rows = {name: row(var, pk) for name, pk in jobs.items()}
    assert {r["status"] for r in rows.values()} == {"running"}
    assert all(r["lease_expires_at"] and r["attempts"] == 1 for r in rows.values())
    (tmp_path / "go-idempotent").touch()  # its second run may finish
    lapse = max(when(r["lease_expires_at"]) for r in rows.values())
    wait_for(lambda: now() > lapse, "the leases to lapse")

    sweeper = run_amina(
        ["shell", "--no-imports", "-c", worker_code("--batch", "--interval", "0")],
        var,
        AMINA_JOB_LEASE_SECONDS=LEASE,
    )
    assert sweeper.returncode == 0, sweeper.stdout + sweeper.stderr

    plain = row(var, jobs["plain"])
    assert (plain["status"], plain["error_code"], plain["attempts"]) == (
        "failed",
        "worker-stopped",
        1,
    )
    assert plain["error"].startswith("The worker running this job stopped before it finished")
    assert task_status(var, plain["task_id"]) == "FAILED"  # not RUNNING for ever in the queue
    assert not uploads["plain"].exists()

    again = row(var, jobs["idempotent"])
    assert (again["status"], again["attempts"], again["error_code"]) == ("succeeded", 2, "")
    assert (tmp_path / "started-idempotent").read_text() == "attempt 1\nattempt 2\n"
    assert not uploads["idempotent"].exists()


def test_a_worker_waits_out_a_locked_database_and_its_heartbeat_keeps_a_silent_job(
    tmp_path_factory, tmp_path
):
    var = migrated_installation(tmp_path_factory, tmp_path / "var")
    started, release = tmp_path / "started", tmp_path / "go"
    job = queue(var, "test-block", {"started": str(started), "release": str(release)})
    log = tmp_path / "worker.log"
    holder = sqlite3.connect(var / "amina.sqlite3", isolation_level=None, timeout=60)
    holder.execute("BEGIN EXCLUSIVE")  # another process's long write transaction
    worker = start_worker(var, log, "--batch", "--interval", "0", AMINA_SQLITE_TIMEOUT="0")
    try:
        wait_for(lambda: "the database is locked" in log.read_text(), "a failed claim")
        assert worker.poll() is None, log.read_text()
        holder.execute("COMMIT")
        wait_for(started.exists, "the job to start")

        first_lease = when(row(var, job)["lease_expires_at"])
        wait_for(lambda: now() > first_lease, "the first lease to end")
        # The handler said nothing all along: the heartbeat renewed the lease.
        assert row(var, job)["status"] == "running"
        wait_for(
            lambda: when(row(var, job)["lease_expires_at"]) > now(), "a lease beyond the first"
        )

        holder.execute("BEGIN EXCLUSIVE")
        wait_for(lambda: "lease not renewed" in log.read_text(), "a failed heartbeat")
        holder.execute("COMMIT")
        release.touch()
        assert worker.wait(timeout=120) == 0, log.read_text()
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    done = row(var, job)
    assert (done["status"], done["attempts"], done["error"]) == ("succeeded", 1, "")
