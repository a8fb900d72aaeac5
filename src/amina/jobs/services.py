"""Starting, running and reporting background jobs.

A capability registers a handler for a job kind with ``@handler("kind")``; the handler
receives the ``Job`` and a ``Progress`` and returns a JSON-able result. ``start_job``
queues it for ``amina worker`` (django-tasks' database backend: no broker, and any
number of workers on any machines share the queue); ``run_inline`` runs it in the
current process, as the command line does, with a progress bar in the terminal.

Leases. The process that claims a job holds it for ``AMINA_JOB_LEASE_SECONDS`` and renews
the lease from a heartbeat thread (every quarter of the lease) and with each progress
write. A process that dies (killed, out of memory, machine lost) stops renewing; every
worker's sweep, and the job pages, find the lapsed lease (``amina.jobs.recovery``) and fail the
job with a message saying its worker stopped, or queue it again when its handler is
registered ``idempotent=True`` (at most ``AMINA_JOB_MAX_ATTEMPTS`` runs in all, and only
while the files it owns still exist). Every change of hands is one conditional UPDATE, as
healthchecks claims its work, so two sweeps never both reclaim a job and a process that
lost its lease never overwrites the reclaimed row. django-tasks-db has no such recovery of
its own: a task whose worker died stays RUNNING there (its issue #46); the sweep closes it.

Locked database. SQLite has one writer at a time: while another process holds a long write
transaction, claiming, renewing or finishing fails with "database is locked" once
``AMINA_SQLITE_TIMEOUT`` has passed. ``retry_locked`` waits and tries again with backoff,
logging each wait; the worker loop (``amina.jobs.worker``) does the same for its own queries.

The end of a job. When a job has ended for good (succeeded, failed, or reclaimed as failed;
not when it is queued again), the files listed in ``Job.files`` are deleted (uploads the
job owned; give them with ``start_job(..., files=[path])``) and ``job_finished`` is sent.
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import socket
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone, translation

from amina.jobs.models import DATABASE_BUSY, Job
from amina.lib import numbers
from amina.lib.i18n import Message

log = logging.getLogger(__name__)
T = TypeVar("T")

Handler = Callable[[Job, "Progress"], dict]
_HANDLERS: dict[str, Handler] = {}
_IDEMPOTENT: set[str] = set()
_RESULTS: dict[str, dict[str, str]] = {}

#: Sent once a job has ended for good (succeeded, failed, or reclaimed as failed), after its
#: row is committed and its ``files`` are deleted; not when it is queued again. Keyword
#: argument ``job``: the row, fresh from the database. For cleaning up what the job owned
#: (an upload record, say); a receiver's error is logged, never raised into the worker.
job_finished = Signal()


class JobError(Exception):
    """A failure to show the user as it is (a bad file, a missing round): no traceback.

    ``message`` is text or an ``amina.lib.i18n.Message`` (translated for each reader);
    ``problems`` are an import's ``Problem.as_dict()`` rows, of ``count`` in all. Build one
    from a refused import with ``JobError.from_failure(report.failure())``.
    """

    def __init__(self, message, problems: Iterable[dict] = (), count: int | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.count = len(self.problems) if count is None else count

    @classmethod
    def from_failure(cls, failure) -> JobError:
        """From an ``amina.lib.tabular.Failure``."""
        return cls(failure.message, failure.problems, failure.count)

    @classmethod
    def from_validation(cls, exc) -> JobError:
        """From a ``ValidationError`` (or ``PermissionDenied``): its messages kept to be
        translated for the reader where they were marked for translation."""
        from amina.lib.i18n import Message
        from amina.lib.tabular import Problem

        errors = getattr(exc, "error_list", None)
        if errors is None:
            reason = exc.args[0] if exc.args else ""
            return cls(Message.of(reason) if reason else str(exc))
        messages = [Message.of(e.message, e.params) for e in errors]
        if len(messages) == 1:
            return cls(messages[0])
        return cls(messages[0], [Problem(None, None, m).as_dict() for m in messages])

    def english(self) -> str:
        """The failure in English, one line then a line per problem: ``Job.error``, the
        command line and logs."""
        from amina.lib.i18n import Message
        from amina.lib.tabular import Problem

        message = self.message
        lines = [message.english() if isinstance(message, Message) else str(message)]
        for data in self.problems:
            problem = Problem.from_dict(data)
            with translation.override("en"):
                lines.append(str(problem))
        if self.count > len(self.problems):
            lines.append(f"… and {self.count - len(self.problems)} more")
        return "\n".join(lines)

    def stored(self) -> dict:
        """As ``Job.failure`` keeps it, to be translated when shown."""
        from amina.lib.i18n import as_data

        return {"message": as_data(self.message), "problems": self.problems, "count": self.count}


class LeaseLost(BaseException):
    """This process's lease on the job lapsed and the job was reclaimed: stop the handler.

    A ``BaseException``, like ``KeyboardInterrupt``, so that a handler's ``except
    Exception`` does not swallow it, and the handler's transaction rolls back.
    """


def handler(
    kind: str, *, idempotent: bool = False, results: Mapping[str, str] | None = None
) -> Callable[[Handler], Handler]:
    """Register the handler of ``kind``.

    ``idempotent=True`` declares that running the job again after its worker died part-way
    is safe (an all-or-nothing import, whose transaction died with the worker): such a job
    is queued again instead of failed, while its files still exist.

    ``results``: the label (``gettext_lazy``) of each key of the handler's result that a
    person reads on the job's page, in order; keys without one are not shown there (they
    stay in the API's ``result``).
    """

    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        _RESULTS[kind] = dict(results or {})
        if idempotent:
            _IDEMPOTENT.add(kind)
        else:
            _IDEMPOTENT.discard(kind)
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


def result_rows(job: Job) -> list[tuple[str, str]]:
    """(label, value) of each result a person reads, in the active language: counts
    grouped by thousands, yes or no, lists joined, stored messages translated, "—" for
    nothing."""
    from amina.lib.i18n import join_list, render

    try:
        get_handler(job.kind)
    except JobError:
        return []
    result = job.result or {}
    rows = []
    for key, label in _RESULTS.get(job.kind, {}).items():
        if key not in result:
            continue
        value = result[key]
        if isinstance(value, bool) or value is None or value == "":
            text = render(value if value != "" else None)
        elif isinstance(value, int | float):
            text = numbers.figure(value)
        elif isinstance(value, list):
            text = join_list(value) if value else "—"
        else:
            text = render(value)
        rows.append((str(label), text))
    return rows


def is_idempotent(kind: str) -> bool:
    try:
        get_handler(kind)
    except JobError:
        return False
    return kind in _IDEMPOTENT


# -- leases and locks -------------------------------------------------------------------


def lease_duration() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.AMINA_JOB_LEASE_SECONDS)


def heartbeat_seconds() -> float:
    """How often a running job's lease is renewed: four chances before it lapses."""
    return settings.AMINA_JOB_LEASE_SECONDS / 4


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` says another writer holds the database (or the row) for now."""
    first = exc.args[0] if exc.args else exc
    text = str(first).lower()
    return "is locked" in text or "lock timeout" in text or first == 1205  # 1205: MySQL's


def retry_locked(func: Callable[[], T], what: str, *, patience: float = 600.0) -> T:
    """Call ``func``; while the database is locked by another writer, wait and call it again.

    The waits double from a quarter second up to ten, with jitter, each logged; after
    ``patience`` seconds the error is raised. Inside a transaction it is raised at once:
    the transaction is broken and only its owner can start it again.
    """
    deadline = time.monotonic() + patience
    delay = 0.25
    while True:
        try:
            return func()
        except OperationalError as exc:
            if not is_locked(exc) or connection.in_atomic_block or time.monotonic() >= deadline:
                raise
            wait = delay * (0.5 + random.random() / 2)  # noqa: S311 (jitter, not secrecy)
            log.warning("%s: the database is locked (%s); trying again in %.1f s", what, exc, wait)
            time.sleep(wait)
            delay = min(delay * 2, 10.0)


def process_state(pid: int) -> tuple[str, str]:
    """(state, start time in clock ticks since boot) of a process, from Linux's /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return "", ""
    return fields[0], fields[19]


def worker_identity() -> str:
    """This process, as ``host:pid:start``: the start time tells a reused pid apart."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{process_state(pid)[1]}"[:200]


class Lease:
    """A process's hold on a running job, renewed by a heartbeat thread while it runs.

    The thread writes through its own database connection. On SQLite it cannot write while
    the job's own transaction holds the database (an all-or-nothing import): then the
    progress writes inside that transaction renew the lease, visible when it commits, and
    no sweep can write before that either. ``lost`` turns true once a renewal finds the job
    reclaimed; the next progress call then stops the handler.
    """

    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self.attempt = job.attempts
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def mine(self):
        """The job's row, as long as this process still holds it."""
        return Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING, attempts=self.attempt)

    def renew(self) -> None:
        if self.mine().update(lease_expires_at=timezone.now() + lease_duration()):
            return
        # Lost only if the row shows another hand; a row this connection cannot see yet
        # (created in a transaction not committed) is nobody else's either.
        now = Job.objects.filter(pk=self.job_id).values_list("status", "attempts").first()
        if now is not None and now != (Job.Status.RUNNING, self.attempt):
            self.lost = True

    def start(self) -> None:
        if connection.in_atomic_block:
            # Run inside the caller's transaction: nobody else sees the claim before it
            # commits, so there is nothing to renew, and a second connection could only
            # wait for this one's locks.
            return
        self._thread = threading.Thread(
            target=self._beat, name=f"job-{self.job_id}-heartbeat", daemon=True
        )
        self._thread.start()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(heartbeat_seconds()):
                try:
                    self.renew()
                except DatabaseError as exc:
                    log.warning(
                        "job %s: lease not renewed (%s); trying again in %.1f s",
                        self.job_id,
                        exc,
                        heartbeat_seconds(),
                    )
                except Exception:
                    log.exception("job %s: lease not renewed", self.job_id)
                if self.lost:
                    log.warning("job %s: its lease lapsed and it was reclaimed", self.job_id)
                    return
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def give_up(self) -> None:
        """Let the lease lapse now (the process is being stopped): the next sweep reclaims."""
        try:
            self.mine().update(lease_expires_at=timezone.now())
        except DatabaseError as exc:
            log.warning("job %s: lease not given up (%s)", self.job_id, exc)


class Progress:
    """Progress of a running job, written to its row at most every ``interval`` seconds.

    Each write also renews the job's lease; a write that finds the job reclaimed raises
    ``LeaseLost``. A write that finds the database locked outside a transaction is skipped:
    progress is advisory, and the heartbeat keeps the lease.
    """

    def __init__(self, job: Job, bar=None, interval: float = 0.5, lease: Lease | None = None):
        self.job = job
        self.bar = bar
        self.interval = interval
        self.lease = lease
        self._last = 0.0
        self._side = None
        self._side_ok = True

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        """``message``: what is being done, an English msgid marked with ``gettext_noop``
        (it is stored untranslated and translated on the job's page)."""
        if self.lease is not None and self.lease.lost:
            raise LeaseLost(self.job.pk)
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
        """Store the progress where the UI can read it, and renew the lease.

        A handler may run inside its own transaction (an all-or-nothing import): on
        PostgreSQL the row is then written through a second, autocommitting connection so
        that the job page sees progress before the import commits. The job's row is never
        touched by the main connection inside that transaction, so the two cannot lock
        each other. SQLite allows one writer at a time: there, progress inside a
        transaction shows when it commits.
        """
        values = {"done": self.job.done, "total": self.job.total, "message": self.job.message}
        if self.lease is not None:
            values["lease_expires_at"] = timezone.now() + lease_duration()
        if connection.in_atomic_block and connection.vendor == "postgresql" and self._side_ok:
            try:
                if self._write_aside(values):
                    return
            except DatabaseError:
                pass
            # The row is locked by, or not yet committed in, this very transaction (a job
            # created and run inside one), or the lease was lost: write it here.
            log.debug("job %s: progress written in the job's transaction", self.job.pk)
            self._side_ok = False
            self.close()
        rows = self.lease.mine() if self.lease is not None else Job.objects.filter(pk=self.job.pk)
        try:
            written = rows.update(**values)
        except OperationalError as exc:
            if connection.in_atomic_block or not is_locked(exc):
                raise
            log.info("job %s: progress not written, the database is locked", self.job.pk)
            return
        if not written and self.lease is not None:
            self.lease.lost = True
            raise LeaseLost(self.job.pk)

    def _write_aside(self, values: dict) -> bool:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute("SET lock_timeout = '1s'")
        table = self._side.ops.quote_name(Job._meta.db_table)
        columns = ", ".join(f"{name} = %s" for name in values)
        condition, params = "id = %s", [*values.values(), self.job.pk]
        if self.lease is not None:
            condition += " AND status = %s AND attempts = %s"
            params += [Job.Status.RUNNING, self.lease.attempt]
        with self._side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {columns} WHERE {condition}", params)  # noqa: S608
            return cursor.rowcount == 1

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


# -- starting and running ---------------------------------------------------------------


def create_job(
    kind: str,
    parameters: dict,
    user=None,
    label: str | Message = "",
    governorate=None,
    files: Iterable[str | os.PathLike] = (),
) -> Job:
    """``label``: what the job does, best a ``Message`` (translated for each reader)."""
    get_handler(kind)  # refuse unknown kinds before anything is queued
    english = label.english() if isinstance(label, Message) else str(label)
    return Job.objects.create(
        kind=kind,
        parameters=parameters,
        created_by=user if user and user.pk else None,
        label=english[:200],
        label_message=label.as_data() if isinstance(label, Message) else {},
        governorate=governorate,
        files=[str(path) for path in files],
    )


def start_job(
    kind: str,
    parameters: dict,
    user=None,
    label: str | Message = "",
    governorate=None,
    files: Iterable[str | os.PathLike] = (),
) -> Job:
    """Record a job and queue it for a worker once the surrounding transaction commits.

    ``files``: paths (under ``MEDIA_ROOT`` or the temporary directory) that the job owns:
    deleted when it has ended for good, kept while it may run again.
    """
    from amina.jobs.tasks import run_job

    job = create_job(kind, parameters, user, label, governorate, files)

    def enqueue() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def _claim(job: Job) -> bool:
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING,
            started_at=now,
            lease_expires_at=now + lease_duration(),
            attempts=F("attempts") + 1,
            worker=worker_identity(),
        )
    )


def execute(job: Job, bar=None) -> Job:
    """Run ``job`` now, in this process, holding its lease; record success or why it failed."""
    if not retry_locked(lambda: _claim(job), f"job {job.pk}: claim"):
        job.refresh_from_db()  # another worker has it, or it already ran
        return job
    job.refresh_from_db()
    lease = Lease(job)
    lease.start()
    progress = Progress(job, bar=bar, lease=lease)
    try:
        outcome: dict | None = None
        try:
            result = get_handler(job.kind)(job, progress)
        except LeaseLost:
            log.warning("job %s (%s) stopped: it was reclaimed while it ran", job.pk, job.kind)
        except JobError as exc:
            outcome = {"status": Job.Status.FAILED, "error": exc.english(), "failure": exc.stored()}
        except Exception as exc:
            log.exception("job %s (%s) failed", job.pk, job.kind)
            outcome = {
                "status": Job.Status.FAILED,
                "error": f"{type(exc).__name__}: {exc}",
                "detail": traceback.format_exc(limit=5),
            }
            if isinstance(exc, OperationalError) and is_locked(exc):
                # Another process held the database past AMINA_SQLITE_TIMEOUT.
                outcome["error_code"] = DATABASE_BUSY
        except BaseException:
            lease.give_up()  # stopped by a signal: the next sweep fails or retries it now
            raise
        else:
            outcome = {"status": Job.Status.SUCCEEDED, "result": result or {}}
        finally:
            progress.close()
        if outcome is not None:
            _finish(job, lease, **outcome)
    finally:
        lease.stop()
    job.refresh_from_db()
    return job


def _finish(
    job: Job,
    lease: Lease,
    status: str,
    result: dict | None = None,
    error: str = "",
    detail: str = "",
    error_code: str = "",
    failure: dict | None = None,
) -> None:
    fields = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error[:5000],
        "failure": failure or {},
        "error_code": error_code,
        "lease_expires_at": None,
        "done": job.done,
        "total": job.total,
        "message": job.message,
    }
    if result is not None:
        fields["result"] = result
    if status == Job.Status.SUCCEEDED and job.total:
        fields["done"] = job.total
    written = retry_locked(lambda: lease.mine().update(**fields), f"job {job.pk}: record its end")
    if detail:
        log.debug("job %s traceback:\n%s", job.pk, detail)
    if written:
        end_on_commit(job.pk)
    else:
        log.warning("job %s was reclaimed while it ran; its outcome %s is dropped", job.pk, status)


def run_inline(
    kind: str, parameters: dict, user=None, label: str | Message = "", show_bar: bool = True
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


# -- the end of a job -------------------------------------------------------------------


def end_on_commit(job_id: int) -> None:
    transaction.on_commit(lambda: job_ended(job_id))


def job_ended(job_id: int) -> None:
    """Delete the files the job owned and send ``job_finished`` (its row is committed)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return
    remove_files(job.files)
    for receiver, response in job_finished.send_robust(sender=Job, job=job):
        if isinstance(response, Exception):
            log.error("job %s: %r failed after the job ended", job_id, receiver, exc_info=response)


def remove_files(paths: Iterable[str]) -> None:
    """Delete files a job owned: only under ``MEDIA_ROOT`` or the temporary directory, so
    that a wrong path can never remove anything else (it is logged and left)."""
    roots = [
        Path(settings.MEDIA_ROOT).resolve(),
        Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()).resolve(),
    ]
    for name in paths:
        path = Path(name).resolve()
        if not any(path.is_relative_to(root) for root in roots):
            log.warning("job file %s is outside MEDIA_ROOT and the temporary directory", path)
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("job file %s not removed: %s", path, exc)
