"""The one way any capability tells users something: ``notify``.

It refuses recipients outside the governorate's scope (nobody is told of what they may
not see), writes one ``Notification`` per user and e-mails those with an address, after
the surrounding transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from amina.accounts import access
from amina.coordination.models import Notification


def users_for_governorate(governorate, roles: Iterable[str] = ("governorate", "national")):
    """Active users of these roles whose scope includes ``governorate`` (national ones too)."""
    from django.db.models import Q

    from amina.accounts.models import User

    return User.objects.filter(is_active=True, role__in=list(roles)).filter(
        Q(national_scope=True) | Q(governorates=governorate)
    ).distinct()


def wants(user, kind: str) -> bool:
    """A user's choice of which kinds of notification to receive (all, unless they opted out)."""
    prefs = getattr(user, "notification_preferences", None)
    if callable(prefs):
        return prefs(kind)
    return True


def notify(recipients: Iterable, kind: str, subject: str, body: str = "", url: str = "",
           governorate=None) -> list[Notification]:
    made = []
    for user in recipients:
        if not access.is_active(user) or not wants(user, kind):
            continue
        if governorate is not None and not (
            access.has_national_scope(user) or governorate.pk in access.governorate_ids(user)
        ):
            continue
        made.append(Notification(recipient=user, kind=kind, subject=subject[:200], body=body,
                                 url=url, governorate=governorate))
    Notification.objects.bulk_create(made)
    emailed = [n for n in made if n.recipient.email]
    if emailed:
        transaction.on_commit(lambda: _send(emailed))
    return made


def _send(notifications: list[Notification]) -> None:
    base = getattr(settings, "AMINA_BASE_URL", "")
    for n in notifications:
        link = f"\n\n{base}{n.url}" if n.url else ""
        send_mail(n.subject, f"{n.body}{link}", None, [n.recipient.email], fail_silently=True)
    Notification.objects.filter(pk__in=[n.pk for n in notifications if n.pk]).update(
        emailed_at=timezone.now()
    )
