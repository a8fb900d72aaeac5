"""Influx alerts fire exactly when a threshold is crossed, once, to the right people."""

import datetime

import pytest
from django.core import mail

from amina.notices.models import Notification
from amina.tracking.models import Alert, AlertRule, LocationAssessment
from amina.tracking.services.assessments import record_movement

pytestmark = pytest.mark.django_db
DAY = datetime.date(2015, 6, 10)


@pytest.fixture
def rule(gov_a):
    return AlertRule.objects.create(
        name="Najaf influx", governorate=gov_a, threshold=100, period_days=7
    )


def arrive(user, location, families, day=DAY):
    return record_movement(
        user, location=location, date=day, direction="arrival", families=families
    )


def test_it_does_not_fire_below_the_threshold(rule, field_a, location_a, officer_a):
    arrive(field_a, location_a, 99)
    assert not Alert.objects.exists()
    assert not Notification.objects.filter(kind="influx").exists()


def test_it_fires_once_when_crossed_to_the_governorate_officers_and_national_users(
    rule,
    field_a,
    location_a,
    officer_a,
    officer_b,
    national_user,
    partner,
    django_capture_on_commit_callbacks,
):
    officer_a.email, national_user.email, officer_b.email = "a@x.iq", "n@x.iq", "b@x.iq"
    for u in (officer_a, national_user, officer_b):
        u.save()
    arrive(field_a, location_a, 60)
    with django_capture_on_commit_callbacks(execute=True):
        arrive(field_a, location_a, 40, DAY + datetime.timedelta(days=1))
    (alert,) = Alert.objects.all()
    assert alert.arrivals == 100
    assert set(alert.recipients.all()) == {officer_a, national_user}
    told = set(
        Notification.objects.filter(kind="influx").values_list("recipient__username", flat=True)
    )
    assert told == {"officer_a", "national1"}, "not officers of other governorates, not partners"
    notification = Notification.objects.filter(recipient=officer_a).get()
    assert notification.url == f"/tracking/governorates/{officer_a.governorates.get().pcode}/"
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.iq", "n@x.iq"]
    arrive(field_a, location_a, 50, DAY + datetime.timedelta(days=2))
    assert Alert.objects.count() == 1, "still above the threshold: no second alert"


def test_it_fires_again_after_falling_back_below(rule, field_a, location_a):
    arrive(field_a, location_a, 150)
    arrive(field_a, location_a, 1, DAY + datetime.timedelta(days=20))  # window moved: re-armed
    assert Alert.objects.count() == 1
    arrive(field_a, location_a, 120, DAY + datetime.timedelta(days=21))
    assert list(Alert.objects.order_by("episode").values_list("episode", flat=True)) == [1, 2]


def test_arrivals_in_another_governorate_do_not_count(rule, national_user, location_b):
    arrive(national_user, location_b, 500)
    assert not Alert.objects.exists()


def test_a_relative_threshold_compares_with_the_families_present(
    gov_a, round_a, location_a, field_a
):
    LocationAssessment.objects.create(
        round=round_a, location=location_a, date=round_a.date, families=1000, individuals=6000
    )
    AlertRule.objects.create(
        name="10%", location=location_a, mode="relative", threshold=10, period_days=3
    )
    arrive(field_a, location_a, 99)
    assert not Alert.objects.exists()
    arrive(field_a, location_a, 1)
    (alert,) = Alert.objects.all()
    assert (alert.arrivals, alert.baseline) == (100, 1000)


def test_the_database_refuses_a_second_alert_for_one_crossing(rule):
    from django.db import IntegrityError, transaction

    Alert.objects.create(
        rule=rule,
        episode=1,
        governorate=rule.governorate,
        window_start=DAY,
        window_end=DAY,
        arrivals=100,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            rule=rule,
            episode=1,
            governorate=rule.governorate,
            window_start=DAY,
            window_end=DAY,
            arrivals=120,
        )


def test_partners_see_governorate_alerts_but_not_a_locations_alert(
    rule, field_a, location_a, partner, officer_a, client, api_client
):
    place_rule = AlertRule.objects.create(name="Camp watch", location=location_a, threshold=50)
    arrive(field_a, location_a, 120)
    assert set(Alert.objects.values_list("rule_id", flat=True)) == {rule.pk, place_rule.pk}
    api_client.force_authenticate(partner)
    seen = [a["rule"] for a in api_client.get("/api/v1/tracking/alerts/").json()["results"]]
    assert seen == ["Najaf influx"], "a location's alert is location-level data"
    client.force_login(partner)
    page = client.get("/tracking/alerts/").content.decode()
    assert "Najaf influx" in page and "Camp watch" not in page
    api_client.force_authenticate(officer_a)
    seen = {a["rule"] for a in api_client.get("/api/v1/tracking/alerts/").json()["results"]}
    assert seen == {"Najaf influx", "Camp watch"}
