"""Reclaiming jobs whose worker stopped, and queueing again jobs the queue lost.

Every worker sweeps (``recover_jobs``) at start and every quarter lease; the job pages
reclaim too (``reclaim_for_page``), so that a reader sees a job whose worker died as failed.
See ``amina.jobs.services`` for the lease itself.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import uuid
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation

from amina.jobs.models import (
    ERROR_MESSAGES,
    WORKER_STOPPED,
    WORKER_STOPPED_GAVE_UP,
    WORKER_STOPPED_RETRYING,
    Job,
)
from amina.jobs.services import (
    LeaseLost,
    end_on_commit,
    is_idempotent,
    lease_duration,
    process_state,
    retry_locked,
)

log = logging.getLogger(__name__)


def _worker_alive(identity: str) -> bool:
    """Whether the process named by ``identity`` still runs on this machine.

    False for a process on another machine or of unknown identity: there, the lease alone
    decides.
    """
    host, _, rest = identity.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user
    state, started = process_state(pid)
    if state in ("Z", "X"):  # exited, not yet reaped by its parent
        return False
    return not (start and started and started != start)


def _lapsed(now: datetime.datetime) -> Q:
    """Running, with a lease that ended (or none, from before leases, started a lease ago)."""
    return Q(status=Job.Status.RUNNING) & (
        Q(lease_expires_at__lt=now)
        | Q(lease_expires_at__isnull=True, started_at__lt=now - lease_duration())
    )


def reclaim_expired(now: datetime.datetime | None = None, *, patience: float = 0.0) -> list[int]:
    """Fail, or queue again, the running jobs whose worker stopped renewing their lease.

    Returns the ids reclaimed by this call. Each job changes hands in one conditional UPDATE
    (still running, same attempt, lease still lapsed), so a job is reclaimed once however
    many workers and pages sweep at the same time. On SQLite, whose database lives on one
    machine, a job whose worker process still runs on this machine is left alone: its
    heartbeat is only waiting for another writer (a long import) to finish.
    """
    now = now or timezone.now()
    candidates = list(
        Job.objects.filter(_lapsed(now)).only(
            "pk", "kind", "attempts", "worker", "files", "task_id"
        )
    )
    reclaimed = []
    for job in candidates:
        if connection.vendor == "sqlite" and _worker_alive(job.worker):
            log.info("job %s: lease lapsed but its worker %s still runs", job.pk, job.worker)
            continue
        if retry_locked(
            lambda job=job: _reclaim(job, now), f"job {job.pk}: reclaim", patience=patience
        ):
            reclaimed.append(job.pk)
    return reclaimed


def _english(code: str, job: Job) -> str:
    with translation.override("en"):
        return str(ERROR_MESSAGES[code] % job.error_params())


@transaction.atomic
def _reclaim(job: Job, now: datetime.datetime) -> bool:
    rows = Job.objects.filter(_lapsed(now), pk=job.pk, attempts=job.attempts)
    idempotent = is_idempotent(job.kind) and bool(job.task_id)  # queued, not a command line
    can_retry = job.attempts < settings.AMINA_JOB_MAX_ATTEMPTS
    if idempotent and can_retry and all(Path(name).exists() for name in job.files):
        if not rows.update(
            status=Job.Status.QUEUED,
            lease_expires_at=None,
            worker="",
            done=0,
            message="",
            error="",
            error_code=WORKER_STOPPED_RETRYING,
        ):
            return False
        _close_task(job.task_id, now)
        from amina.jobs.tasks import run_job

        # In this transaction: the queue is the same database, so the job cannot be left
        # queued without a task.
        Job.objects.filter(pk=job.pk).update(task_id=str(run_job.enqueue(job.pk).id))
        log.warning(
            "job %s (%s): its worker stopped; queued to run again (attempt %s of %s)",
            job.pk,
            job.kind,
            job.attempts + 1,
            settings.AMINA_JOB_MAX_ATTEMPTS,
        )
        return True
    code = WORKER_STOPPED_GAVE_UP if idempotent and not can_retry else WORKER_STOPPED
    if not rows.update(
        status=Job.Status.FAILED,
        finished_at=now,
        lease_expires_at=None,
        error_code=code,
        error=_english(code, job),
    ):
        return False
    _close_task(job.task_id, now)
    end_on_commit(job.pk)
    log.warning("job %s (%s): its worker stopped; marked failed", job.pk, job.kind)
    return True


def _task_uuid(task_id: str) -> str | None:
    try:
        return str(uuid.UUID(task_id))
    except ValueError:
        return None


def _close_task(task_id: str, now: datetime.datetime) -> None:
    """Mark failed the queue entry of a job whose worker stopped (else it stays RUNNING)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not (task_id and (key := _task_uuid(task_id))):
        return
    DBTaskResult.objects.filter(id=key, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{LeaseLost.__module__}.{LeaseLost.__qualname__}",
        traceback="The worker stopped before the task finished: its job's lease lapsed.",
    )


def requeue_orphans(now: datetime.datetime | None = None, *, patience: float = 0.0) -> list[int]:
    """Queue again the queued jobs whose queue entry will never run them.

    That entry ended or is gone, or a worker took it a lease ago and stopped before
    claiming the job (killed, or its claim gave up on a locked database). A second entry
    for a job is harmless: only one claim of a queued job succeeds.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    queued = {
        pk: key
        for pk, task_id in Job.objects.filter(status=Job.Status.QUEUED)
        .exclude(task_id="")
        .values_list("pk", "task_id")
        if (key := _task_uuid(task_id))
    }
    if not queued:
        return []
    tasks = {
        str(task.id): task
        for task in DBTaskResult.objects.filter(id__in=list(queued.values())).only(
            "id", "status", "started_at"
        )
    }
    requeued = []
    for pk, key in queued.items():
        task = tasks.get(key)
        stale = (
            task is None
            or task.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
            or (
                task.status == TaskResultStatus.RUNNING
                and task.started_at is not None
                and task.started_at < now - lease_duration()
            )
        )
        if stale and retry_locked(
            lambda pk=pk, key=key: _requeue(pk, key, now), f"job {pk}: queue", patience=patience
        ):
            requeued.append(pk)
    return requeued


@transaction.atomic
def _requeue(job_id: int, task_key: str, now: datetime.datetime) -> bool:
    from amina.jobs.tasks import run_job

    queued = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED)
    old = queued.values_list("task_id", flat=True).first()
    if old is None or _task_uuid(old) != task_key:
        return False  # started, or queued again, meanwhile
    new = run_job.enqueue(job_id)
    if not queued.filter(task_id=old).update(task_id=str(new.id)):
        transaction.set_rollback(True)
        return False
    _close_task(task_key, now)
    log.warning("job %s: its queue entry will not run it; queued again", job_id)
    return True


def recover_jobs(*, patience: float = 0.0) -> dict[str, list[int]]:
    """One sweep, as every worker runs it: reclaim lapsed jobs, queue orphaned ones."""
    return {
        "reclaimed": reclaim_expired(patience=patience),
        "requeued": requeue_orphans(patience=patience),
    }


def reclaim_for_page() -> None:
    """For the job pages: reclaim lapsed jobs so a reader sees them failed, without ever
    failing the page over it (a locked database is left to the next look)."""
    try:
        reclaim_expired()
    except DatabaseError as exc:
        log.warning("lapsed jobs not reclaimed for a page: %s", exc)
