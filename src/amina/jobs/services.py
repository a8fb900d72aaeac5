"""Starting, running and reporting background jobs.

A capability registers a handler for a job kind with ``@handler("kind")``; the handler
receives the ``Job`` and a ``Progress`` and returns a JSON-able result. ``start_job``
queues it for ``amina worker`` (django-tasks' database backend: no broker, and any
number of workers on any machines share the queue); ``run_inline`` runs it in the
current process, as the command line does, with a progress bar in the terminal.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone

from amina.jobs.models import Job

log = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], dict]
_HANDLERS: dict[str, Handler] = {}


class JobError(Exception):
    """A failure to show the user as it is (a bad file, a missing round): no traceback."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return register


def get_handler(kind: str) -> Handler:
    from django.apps import apps

    # Handlers live in each app's ``jobs`` module; import them on first use.
    if kind not in _HANDLERS:
        for config in apps.get_app_configs():
            if config.name.startswith("amina."):
                try:
                    __import__(f"{config.name}.jobs")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.jobs":
                        raise
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise JobError(f"unknown job kind {kind!r}") from None


class Progress:
    """Progress of a running job, written to its row at most every ``interval`` seconds."""

    def __init__(self, job: Job, bar=None, interval: float = 0.5) -> None:
        self.job = job
        self.bar = bar
        self.interval = interval
        self._last = 0.0
        self._side = None
        self._side_ok = True

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        if total is not None:
            self.job.total = max(total, 0)
        self.job.done = min(done, self.job.total) if self.job.total else done
        if message:
            self.job.message = message[:300]
        if self.bar is not None:
            if total is not None:
                self.bar.total = total
            self.bar.n = self.job.done
            if message:
                self.bar.set_description(message[:40])
            self.bar.refresh()
        now = time.monotonic()
        if now - self._last >= self.interval or (self.job.total and done >= self.job.total):
            self._last = now
            self._write()

    def _write(self) -> None:
        """Store the progress where the UI can read it.

        A handler may run inside its own transaction (an all-or-nothing import): on
        PostgreSQL the row is then written through a second, autocommitting connection so
        that the job page sees progress before the import commits. The job's row is never
        touched by the main connection inside that transaction, so the two cannot lock
        each other. SQLite allows one writer at a time: there, progress inside a
        transaction shows when it commits.
        """
        values = {"done": self.job.done, "total": self.job.total, "message": self.job.message}
        if connection.in_atomic_block and connection.vendor == "postgresql" and self._side_ok:
            try:
                if self._write_aside(values):
                    return
            except DatabaseError:
                pass
            # The row is locked by, or not yet committed in, this very transaction (a job
            # created and run inside one): write it here, visible at commit.
            log.debug("job %s: progress written in the job's transaction", self.job.pk)
            self._side_ok = False
            self.close()
        Job.objects.filter(pk=self.job.pk).update(**values)

    def _write_aside(self, values: dict) -> bool:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute("SET lock_timeout = '1s'")
        table = self._side.ops.quote_name(Job._meta.db_table)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET done = %s, total = %s, message = %s WHERE id = %s",  # noqa: S608
                [values["done"], values["total"], values["message"], self.job.pk],
            )
            return cursor.rowcount == 1

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def create_job(kind: str, parameters: dict, user=None, label: str = "", governorate=None) -> Job:
    get_handler(kind)  # refuse unknown kinds before anything is queued
    return Job.objects.create(
        kind=kind,
        parameters=parameters,
        created_by=user if user and user.pk else None,
        label=label[:200],
        governorate=governorate,
    )


def start_job(kind: str, parameters: dict, user=None, label: str = "", governorate=None) -> Job:
    """Record a job and queue it for a worker once the surrounding transaction commits."""
    from amina.jobs.tasks import run_job

    job = create_job(kind, parameters, user, label, governorate)

    def enqueue() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def execute(job: Job, bar=None) -> Job:
    """Run ``job`` now, in this process; record success or the reason for failure."""
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # another worker has it, or it already ran
        job.refresh_from_db()
        return job
    job.refresh_from_db()
    progress = Progress(job, bar=bar)
    try:
        result = get_handler(job.kind)(job, progress)
    except JobError as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            Job.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            detail=traceback.format_exc(limit=5),
        )
    else:
        _finish(job, Job.Status.SUCCEEDED, result=result or {})
    finally:
        progress.close()
    job.refresh_from_db()
    return job


def _finish(
    job: Job, status: str, result: dict | None = None, error: str = "", detail: str = ""
) -> None:
    fields = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error[:5000],
        "done": job.done,
        "total": job.total,
        "message": job.message,
    }
    if result is not None:
        fields["result"] = result
    if status == Job.Status.SUCCEEDED and job.total:
        fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)
    if detail:
        log.debug("job %s traceback:\n%s", job.pk, detail)


def run_inline(
    kind: str, parameters: dict, user=None, label: str = "", show_bar: bool = True
) -> Job:
    """Create and run a job in this process (the command line), with a terminal progress bar."""
    import sys

    from tqdm import tqdm

    job = create_job(kind, parameters, user, label)
    bar = tqdm(total=0, unit="row", file=sys.stderr, disable=not show_bar, leave=False)
    try:
        return execute(job, bar=bar)
    finally:
        bar.close()
