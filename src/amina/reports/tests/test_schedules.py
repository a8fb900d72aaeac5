"""Scheduled reports: produced when due and e-mailed with the PDF attached, once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from amina.reports import services
from amina.reports.models import Schedule

pytestmark = pytest.mark.django_db


def test_a_due_schedule_sends_the_pdf_once_and_moves_on(displacement, officer_a, gov_a):
    due = timezone.now() - datetime.timedelta(minutes=1)
    schedule = services.create_schedule(
        officer_a,
        title="Najaf weekly",
        governorates=[gov_a],
        recipients="a@example.org, b@example.org",
        frequency="weekly",
        first_run=due,
    )
    results = services.run_due_schedules()
    assert len(results) == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@example.org", "b@example.org"]
    assert "R2" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name.endswith(".pdf")
    schedule.refresh_from_db()
    assert schedule.next_run == due + datetime.timedelta(days=7)
    assert "2" in schedule.last_result
    assert services.run_due_schedules() == []  # not due any more
    assert len(mail.outbox) == 1


def test_the_command_runs_the_due_schedules(displacement, officer_a, gov_a, capsys):
    services.create_schedule(
        officer_a,
        title="Najaf",
        governorates=[gov_a],
        recipients="a@example.org",
        first_run=timezone.now(),
    )
    call_command("reports", "run-schedules")
    assert "1 schedule(s) run" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_a_schedule_whose_owner_lost_the_governorate_sends_nothing(displacement, officer_a, gov_a):
    services.create_schedule(
        officer_a,
        title="Najaf",
        governorates=[gov_a],
        recipients="a@example.org",
        first_run=timezone.now(),
        language="en",
    )
    officer_a.governorates.clear()
    officer_a._amina_gov_ids = None
    [(schedule, result)] = services.run_due_schedules()
    assert result.startswith("failed") and mail.outbox == []


@pytest.mark.parametrize("recipients", ["", "not-an-address", "a@example.org, nope"])
def test_it_refuses_bad_recipients(displacement, officer_a, gov_a, recipients):
    with pytest.raises(ValidationError):
        services.create_schedule(officer_a, title="x", governorates=[gov_a], recipients=recipients)
    assert not Schedule.objects.exists()


def test_monthly_schedules_move_by_a_month():
    when = datetime.datetime(2015, 1, 31, 8, tzinfo=datetime.UTC)
    assert services.advance(when, "monthly") == datetime.datetime(
        2015, 2, 28, 8, tzinfo=datetime.UTC
    )
    assert services.advance(when.replace(month=12), "monthly").year == 2016
