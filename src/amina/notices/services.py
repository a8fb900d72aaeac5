"""The one way any app tells users something: ``notify``; and the notification centre's
writes (``mark_read``, ``set_preferences``).

A platform service: tracking (influx alerts), supply (low stock) and coordination (action
points) call it; it imports none of them.

It refuses recipients outside the governorate's scope (nobody is told of what they may
not see), honours each user's choice of kinds and channels (``NotificationPreference``),
writes one ``Notification`` per user and e-mails those who want it and have an address,
after the surrounding transaction commits.

A user who turned a kind off in the app but kept it by e-mail still gets a
``Notification`` row (the record that the e-mail went out), already marked as read.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amina.accounts import access
from amina.notices.models import Notification, NotificationPreference

#: The kinds users can choose from (other capabilities call ``notify`` with these names).
#: A kind not listed here is still delivered, and its preference defaults to both channels.
KINDS = {
    "influx": _("Influx alerts"),
    "low_stock": _("Low stock"),
    "action_point": _("Action points"),
    "duplicates": _("Duplicates to review"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind.replace("_", " ")))


def users_for_governorate(governorate, roles: Iterable[str] = ("governorate", "national")):
    """Active users of these roles whose scope includes ``governorate`` (national ones too)."""
    from django.db.models import Q

    from amina.accounts.models import User

    return (
        User.objects.filter(is_active=True, role__in=list(roles))
        .filter(Q(national_scope=True) | Q(governorates=governorate))
        .distinct()
    )


def channels(user, kind: str) -> tuple[bool, bool]:
    """(in the app, by e-mail) for this user and kind; both unless the user chose otherwise."""
    cache = getattr(user, "_amina_notification_prefs", None)
    if cache is None:
        cache = {
            p.kind: (p.in_app, p.email)
            for p in NotificationPreference.objects.filter(user_id=user.pk)
        }
        user._amina_notification_prefs = cache
    return cache.get(kind, (True, True))


def wants(user, kind: str) -> bool:
    """Whether a user receives this kind at all (in the app, by e-mail, or both)."""
    in_app, email = channels(user, kind)
    return in_app or email


def wants_email(user, kind: str) -> bool:
    return channels(user, kind)[1]


def in_scope(user, governorate) -> bool:
    """Nobody is told of a governorate they may not read."""
    return governorate is None or access.in_scope(user, governorate)


def notify(
    recipients: Iterable, kind: str, subject: str, body: str = "", url: str = "", governorate=None
) -> list[Notification]:
    """Notify ``recipients`` of something in ``governorate`` (None: not tied to a place).

    Returns the notifications written; users out of scope, inactive, or who opted out of
    ``kind`` are skipped silently.
    """
    made, mail = [], []
    now = timezone.now()
    for user in recipients:
        if not access.is_active(user) or not wants(user, kind) or not in_scope(user, governorate):
            continue
        in_app, email = channels(user, kind)
        note = Notification(
            recipient=user,
            kind=kind,
            subject=subject[:200],
            body=body,
            url=url,
            governorate=governorate,
            read_at=None if in_app else now,
        )
        made.append(note)
        if email and user.email:
            mail.append(note)
    Notification.objects.bulk_create(made)
    if mail:
        transaction.on_commit(lambda: _send(mail))
    return made


def _send(notifications: list[Notification]) -> None:
    base = getattr(settings, "AMINA_BASE_URL", "")
    for n in notifications:
        link = f"\n\n{base}{n.url}" if n.url else ""
        send_mail(n.subject, f"{n.body}{link}", None, [n.recipient.email], fail_silently=True)
    Notification.objects.filter(pk__in=[n.pk for n in notifications if n.pk]).update(
        emailed_at=timezone.now()
    )


def unread_count(user) -> int:
    if not access.is_active(user):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


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
