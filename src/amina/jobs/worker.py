"""The worker loop of ``amina worker``: django-tasks-db's, made to outlive its database.

django-tasks-db's ``db_worker`` stops on the first database error outside the statements it
expects to fail: on SQLite, a "database is locked" while it begins its exclusive claim
transaction (another process holds a write transaction for longer than the busy timeout)
ends the worker, and so, in ``amina demo``, the site. This loop claims tasks the same way,
but a locked database (or a lost connection) makes it wait with backoff, log, and try again.
It also sweeps for jobs whose worker stopped (``amina.jobs.recovery.recover_jobs``) when it
starts and every quarter lease.
"""

from __future__ import annotations

import logging
import random
import time

from django.db import InterfaceError, OperationalError, close_old_connections
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from amina.jobs.recovery import recover_jobs
from amina.jobs.services import heartbeat_seconds, is_locked

log = logging.getLogger("amina.jobs.worker")


class Backoff:
    """Waits after failed rounds: doubling from ``first`` to ``most`` seconds, with jitter.

    A locked database is waited out however long it lasts; any other database error
    (the server is gone) is raised after ``patience`` rounds in a row, so that whoever
    supervises the worker sees it stop.
    """

    def __init__(self, first: float = 0.5, most: float = 30.0, patience: int = 10) -> None:
        self.first, self.most, self.patience = first, most, patience
        self.failures = 0

    def reset(self) -> None:
        self.failures = 0

    def wait(self, exc: Exception) -> float:
        self.failures += 1
        locked = is_locked(exc)
        if not locked and self.failures > self.patience:
            raise exc
        delay = min(self.most, self.first * 2 ** (self.failures - 1))
        delay *= 0.5 + random.random() / 2  # noqa: S311 (jitter, not secrecy)
        log.warning(
            "%s (%s); the worker tries again in %.1f s",
            "the database is locked" if locked else "the database failed",
            exc,
            delay,
        )
        return delay


class Worker(DatabaseWorker):
    def run(self) -> None:
        log.info("worker %s started (queues: %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (spread the workers' first claims)
        backoff = Backoff()
        next_sweep = 0.0
        while self.running:
            close_old_connections()
            try:
                if time.monotonic() >= next_sweep:
                    recover_jobs()
                    next_sweep = time.monotonic() + heartbeat_seconds()
                task_result = self.claim_next()
            except (OperationalError, InterfaceError) as exc:
                time.sleep(backoff.wait(exc))
                continue
            backoff.reset()
            if task_result is not None:
                try:
                    self.run_task(task_result)
                except (OperationalError, InterfaceError) as exc:
                    # The job's own row is final (execute records it, retrying); only the
                    # queue entry could not be closed.
                    log.warning("task %s: its end not recorded (%s)", task_result.id, exc)
            elif self.batch:
                log.info("worker %s: no more tasks, exiting", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                log.info("worker %s: ran %d tasks, exiting", self.worker_id, self._run_tasks)
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def claim_next(self) -> DBTaskResult | None:
        """The next ready task, marked as this worker's (as ``db_worker`` claims it)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result
