"""Notifications and each user's choice of what to receive.

These models were born in coordination and moved here unchanged when notifications became
a platform service: their tables keep their first names (``db_table``), so the move lost
no row and needed no copy (migrations ``notices.0001`` and ``coordination.0003`` change
Django's state only).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one user: shown in the app's notification centre, and e-mailed.

    ``kind`` names the source (influx alert, low stock, action point, duplicates to
    review) so that users can choose which kinds they receive.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    governorate = models.ForeignKey(
        "geo.Governorate",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("governorate"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        db_table = "coordination_notification"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    """A user's choice for one kind of notification: in the app, by e-mail, both or neither.

    No row means both (the default); ``notify`` reads these through ``wants``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_preference_rows",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        db_table = "coordination_notificationpreference"
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
