"""Background jobs as users see them: what, who started it, how far, and why it failed.

The queue itself is django-tasks' database backend (workers: ``amina worker``); a
``Job`` row is the user-facing record, kept after the queue entry is pruned. A running
job holds a lease (``lease_expires_at``) that its worker renews; a job whose lease lapsed
lost its worker and is failed or queued again (``amina.jobs.recovery.reclaim_expired``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amina.lib.i18n import render

# Failures the jobs app itself records, stored as a code and translated when shown, so
# that each reader sees them in their own language. ``Job.error`` keeps the English text
# for logs and administrators; handler failures (``JobError``) have no code and show as is.
WORKER_STOPPED = "worker-stopped"
WORKER_STOPPED_RETRYING = "worker-stopped-retrying"
WORKER_STOPPED_GAVE_UP = "worker-stopped-gave-up"
DATABASE_BUSY = "database-busy"
ERROR_MESSAGES = {
    WORKER_STOPPED: _(
        "The worker running this job stopped before it finished; the job did not complete. "
        "Start it again."
    ),
    WORKER_STOPPED_RETRYING: _(
        "The worker running this job stopped before it finished; the job was started again "
        "(attempt %(attempt)s of %(attempts)s)."
    ),
    WORKER_STOPPED_GAVE_UP: _(
        "The worker running this job stopped before it finished, each time it was started; "
        "the job was not started again."
    ),
    DATABASE_BUSY: _(
        "The database stayed busy with other work for too long, so the job stopped. Start it again."
    ),
}


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("finished")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=50)
    label = models.CharField(_("description"), max_length=200, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("progress"), max_length=300, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("governorate"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    # The lease: the worker holding the job renews it while the job runs.
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    # Files the job owns (uploads it reads): removed when it ends, kept while it may retry.
    files = models.JSONField(_("files"), default=list, blank=True)
    # The label and a handler's failure as ``amina.lib.i18n.Message`` data, translated when
    # shown: a job started by an English user reads in Arabic to an Arabic user. ``label``
    # and ``error`` keep the English text (logs, administrators, the command line).
    label_message = models.JSONField(_("description (to translate)"), default=dict, blank=True)
    failure = models.JSONField(_("why it failed (to translate)"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.CheckConstraint(
                name="job_done_not_above_total",
                condition=models.Q(total=0) | models.Q(done__lte=models.F("total")),
            ),
        ]

    def __str__(self) -> str:
        if self.label_message:
            return render(self.label_message)
        return self.label or self.kind

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def error_message(self) -> str:
        """Why it failed (or why it was started again), in the active language."""
        message = ERROR_MESSAGES.get(self.error_code)
        if message is not None:
            return message % self.error_params()
        if self.failure.get("message"):
            return render(self.failure["message"])
        return self.error

    @property
    def progress_message(self) -> str:
        """What the job is doing, in the active language (handlers store the msgid)."""
        return gettext(self.message) if self.message else ""

    @property
    def problems(self) -> list[dict]:
        """A failed import's problems (``Problem.as_dict``), each with ``where`` and
        ``text`` in the active language."""
        from amina.lib.tabular import Problem

        shown = []
        for data in self.failure.get("problems") or []:
            problem = Problem.from_dict(data)
            shown.append({**data, "text": render(problem.message), "line": str(problem)})
        return shown

    @property
    def more_problems(self) -> int:
        return max(0, int(self.failure.get("count") or 0) - len(self.failure.get("problems") or []))

    def error_params(self) -> dict:
        return {
            "attempt": self.attempts + (1 if self.status == self.Status.QUEUED else 0),
            "attempts": settings.AMINA_JOB_MAX_ATTEMPTS,
        }
