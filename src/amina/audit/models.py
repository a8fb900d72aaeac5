"""Change history and the access log of personal data.

Neither table has a foreign key to the user: the actor's id and name are copied, so
the history survives the deletion of the user (as KoboToolbox's audit log does).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeLog(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")
        # The life of a record beyond create and change: each says what happened to it.
        APPROVE = "approve", _("approved")
        CANCEL = "cancel", _("cancelled")
        CLOSE = "close", _("closed")
        DISPATCH = "dispatch", _("dispatched")
        OPTIMISE = "optimise", _("optimised")
        OVERRIDE = "override", _("overridden")
        PUBLISH = "publish", _("published")
        RECEIVE = "receive", _("received")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    diff = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("change history")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.model} {self.object_id}"


class AccessLog(models.Model):
    """Who read or exported which personal data, when and why."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        SEARCH = "search", _("searched")
        EXPORT = "export", _("exported")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100)
    object_ids = models.JSONField(_("records"), default=list, blank=True)
    count = models.PositiveIntegerField(_("number of records"), default=0)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    channel = models.CharField(_("through"), max_length=20, default="web")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.count} {self.model}"
