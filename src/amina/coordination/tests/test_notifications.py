"""Action points notify their owners (through amina.notices), overdue ones are reminded.

(Delivery itself, preferences and scope are the notices app's: notices/tests/test_notify.py.)
"""

import datetime

import pytest

from amina.coordination.models import ActionPoint, Meeting
from amina.coordination.services.meetings import add_action_point, remind_overdue
from amina.notices.models import Notification

pytestmark = pytest.mark.django_db


def test_an_action_point_notifies_its_owner_and_overdue_ones_are_reminded_once(
    officer_a, field_a, gov_a
):
    meeting = Meeting.objects.create(
        title="Najaf shelter", date=datetime.date(2015, 6, 1), governorate=gov_a
    )
    point = add_action_point(
        officer_a, meeting, "Send the tent list", field_a, datetime.date(2015, 6, 5)
    )
    assert Notification.objects.filter(recipient=field_a, kind="action_point").count() == 1

    assert remind_overdue(today=datetime.date(2015, 6, 6)) == 1
    assert remind_overdue(today=datetime.date(2015, 6, 6)) == 0  # not twice the same day
    point.status = ActionPoint.Status.DONE
    point.save()
    point.reminded_at = None
    point.save()
    assert remind_overdue(today=datetime.date(2015, 6, 9)) == 0
    assert Notification.objects.filter(recipient=field_a).count() == 2


def test_an_action_point_owner_outside_the_meetings_governorate_is_not_told(
    officer_a, officer_b, gov_a
):
    meeting = Meeting.objects.create(
        title="Najaf", date=datetime.date(2015, 6, 1), governorate=gov_a
    )
    add_action_point(officer_a, meeting, "Something", officer_b, datetime.date(2015, 6, 5))
    assert not Notification.objects.filter(recipient=officer_b).exists()


def test_the_remind_command_reports_how_many(officer_a, field_a, gov_a):
    import io

    from django.core.management import call_command

    meeting = Meeting.objects.create(title="M", date=datetime.date(2015, 6, 1), governorate=gov_a)
    add_action_point(officer_a, meeting, "Late", field_a, datetime.date(2015, 6, 5))
    out = io.StringIO()
    call_command("remind", stdout=out)
    assert "1 overdue" in out.getvalue()
