"""Coordination meetings and their action points; owners are notified and reminded."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import diff, record_change, snapshot
from amina.coordination.models import ActionPoint, Meeting
from amina.notices.services import notify


@transaction.atomic
def save_meeting(user, meeting: Meeting, attendees=None, organisations=None) -> Meeting:
    creating = meeting.pk is None
    before = {} if creating else snapshot(Meeting.objects.get(pk=meeting.pk))
    if not creating:
        access.check(user, "meeting.manage", Meeting.objects.get(pk=meeting.pk).governorate)
    access.check(user, "meeting.manage", meeting.governorate)
    if creating and getattr(user, "pk", None):
        meeting.created_by = user
    meeting.full_clean()
    meeting.save()
    if attendees is not None:
        meeting.attendees.set(attendees)
    if organisations is not None:
        meeting.organisations.set(organisations)
    record_change(
        user, meeting, "create" if creating else "update", diff(before, snapshot(meeting))
    )
    return meeting


def _tell_owner(point: ActionPoint, subject: str) -> None:
    notify(
        [point.owner],
        "action_point",
        subject,
        body=_("%(text)s\n\nDue: %(date)s · %(meeting)s")
        % {"text": point.text, "date": point.due_date.isoformat(), "meeting": point.meeting},
        url=reverse("coordination:meeting-detail", args=[point.meeting_id]),
        governorate=point.meeting.governorate,
    )


@transaction.atomic
def add_action_point(
    user, meeting: Meeting, text: str, owner, due_date: datetime.date
) -> ActionPoint:
    """Record an action point and tell its owner (if the meeting is within their scope)."""
    access.check(user, "meeting.manage", meeting.governorate)
    point = ActionPoint(meeting=meeting, text=text, owner=owner, due_date=due_date)
    point.full_clean()
    point.save()
    record_change(user, point, "create", snapshot(point))
    _tell_owner(point, _("Action point for you: %(text)s") % {"text": text[:120]})
    return point


@transaction.atomic
def set_action_point_status(user, point: ActionPoint, status: str) -> ActionPoint:
    """The owner or a coordinator of the meeting's governorate closes or reopens a point."""
    access.check(user, "action_point.update", point.meeting.governorate, owner=point.owner_id)
    before = snapshot(point)
    point.status = status
    point.closed_at = None if status == ActionPoint.Status.OPEN else timezone.now()
    point.full_clean()
    point.save()
    record_change(user, point, "update", diff(before, snapshot(point)))
    return point


def overdue(today: datetime.date | None = None):
    day = today or timezone.localdate()
    return ActionPoint.objects.filter(status=ActionPoint.Status.OPEN, due_date__lt=day)


@transaction.atomic
def remind_overdue(
    today: datetime.date | None = None, every: datetime.timedelta | None = None
) -> int:
    """Notify the owner of every overdue open point, at most once per ``every`` (a day).

    Run daily by ``amina remind`` (cron or a scheduler); returns how many were reminded.
    """
    now = timezone.now()
    gap = every or datetime.timedelta(hours=20)
    points = overdue(today).select_related("owner", "meeting", "meeting__governorate")
    count = 0
    for point in points:
        if point.reminded_at and now - point.reminded_at < gap:
            continue
        _tell_owner(point, _("Overdue action point: %(text)s") % {"text": point.text[:120]})
        point.reminded_at = now
        point.save(update_fields=["reminded_at"])
        count += 1
    return count
