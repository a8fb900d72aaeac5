"""Preferences are honoured, nobody is told of what is outside their scope, one reads one's own."""

import pytest
from django.core import mail
from django.urls import reverse

from amina.notices.models import Notification, NotificationPreference
from amina.notices.services import mark_read, notify, set_preferences, users_for_governorate, wants

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_email(officer_a, officer_b, national_user):
    for user in (officer_a, officer_b, national_user):
        user.email = f"{user.username}@example.org"
        user.save()
    return officer_a, officer_b, national_user


def test_nobody_is_notified_of_a_governorate_outside_their_scope(
    with_email, gov_a, django_capture_on_commit_callbacks
):
    officer_a, officer_b, national = with_email

    with django_capture_on_commit_callbacks(execute=True):
        made = notify(
            [officer_a, officer_b, national], "influx", "Influx in Najaf", governorate=gov_a
        )

    assert {n.recipient for n in made} == {officer_a, national}
    assert not Notification.objects.filter(recipient=officer_b).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "national1@example.org",
        "officer_a@example.org",
    ]


def test_users_for_a_governorate_are_its_officers_and_national_users(with_email, gov_a):
    officer_a, officer_b, national = with_email
    assert set(users_for_governorate(gov_a)) == {officer_a, national}


def test_a_kind_turned_off_entirely_is_not_delivered(
    with_email, gov_a, django_capture_on_commit_callbacks
):
    officer_a, _b, _n = with_email
    set_preferences(officer_a, {"low_stock": (False, False)})

    with django_capture_on_commit_callbacks(execute=True):
        notify([officer_a], "low_stock", "Low stock", governorate=gov_a)
        notify([officer_a], "influx", "Influx", governorate=gov_a)

    assert list(Notification.objects.values_list("kind", flat=True)) == ["influx"]
    assert [m.subject for m in mail.outbox] == ["Influx"]
    assert not wants(officer_a, "low_stock") and wants(officer_a, "influx")


def test_in_app_only_sends_no_email_and_email_only_arrives_read(
    with_email, gov_a, django_capture_on_commit_callbacks
):
    officer_a, _b, national = with_email
    set_preferences(officer_a, {"duplicates": (True, False)})
    set_preferences(national, {"duplicates": (False, True)})

    with django_capture_on_commit_callbacks(execute=True):
        notify([officer_a, national], "duplicates", "Duplicates to review", governorate=gov_a)

    assert [m.to for m in mail.outbox] == [["national1@example.org"]]
    assert Notification.objects.get(recipient=officer_a).read_at is None
    assert Notification.objects.get(recipient=national).read_at is not None


def test_choosing_both_again_removes_the_stored_preference(officer_a):
    set_preferences(officer_a, {"low_stock": (False, True)})
    set_preferences(officer_a, {"low_stock": (True, True)})
    assert not NotificationPreference.objects.exists()


def test_marking_read_touches_only_ones_own(officer_a, national_user, gov_a):
    notify([officer_a, national_user], "influx", "X", governorate=gov_a)
    assert mark_read(officer_a) == 1
    assert Notification.objects.filter(recipient=national_user, read_at__isnull=True).exists()


def test_the_notification_centre_lists_only_the_users_own(client, officer_a, national_user, gov_a):
    notify([officer_a], "influx", "For officer A", governorate=gov_a)
    notify([national_user], "influx", "For national", governorate=gov_a)
    client.force_login(officer_a)

    page = client.get(reverse("notices:notification-list")).content.decode()

    assert "For officer A" in page and "For national" not in page
    response = client.post(reverse("notices:notification-preferences"), {"low_stock__app": "on"})
    assert response.status_code == 302
    assert not wants(type(officer_a).objects.get(pk=officer_a.pk), "influx")
