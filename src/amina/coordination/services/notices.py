"""The notification centre's writes: reading notifications, choosing preferences."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from amina.coordination.models import Notification, NotificationPreference


def mark_read(user, ids=None) -> int:
    """Mark the user's own notifications read (all unread ones when ``ids`` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def set_preferences(user, choices: dict[str, tuple[bool, bool]]) -> None:
    """``choices`` maps kind → (in the app, by e-mail). Defaults (both) keep no row."""
    for kind, (in_app, email) in choices.items():
        if in_app and email:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"in_app": in_app, "email": email}
            )
    if hasattr(user, "_amina_notification_prefs"):
        del user._amina_notification_prefs
