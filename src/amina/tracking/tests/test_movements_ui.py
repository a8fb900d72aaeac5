"""Emergency tracking and alert rules through the pages."""

import pytest
from django.urls import reverse

from amina.tracking import queries
from amina.tracking.models import Alert, AlertRule, MovementEvent

pytestmark = pytest.mark.django_db


def test_a_field_user_records_an_arrival_that_raises_the_latest_estimate(
    client, field_a, round_b, location_a
):
    client.force_login(field_a)
    response = client.post(
        reverse("tracking:movement-new"),
        {
            "location": location_a.pk,
            "date": "2015-06-10",
            "direction": "arrival",
            "families": "٢٠",
            "individuals": "",
            "origin": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    event = MovementEvent.objects.get()
    assert (event.families, event.individuals, event.created_by) == (20, 120, field_a)
    assert queries.latest_location_figures([location_a.pk])[location_a.pk].idp_families == 20
    page = client.get(reverse("tracking:movements")).content.decode()
    assert location_a.name_en in page


def test_an_officer_sets_a_rule_that_fires_on_the_next_influx(
    client, officer_a, field_a, gov_a, location_a
):
    client.force_login(officer_a)
    response = client.post(
        reverse("tracking:rule-new"),
        {
            "name": "Najaf",
            "governorate": gov_a.pk,
            "mode": "absolute",
            "threshold": "50",
            "period_days": "7",
            "active": "on",
        },
    )
    assert response.status_code == 302
    client.force_login(field_a)
    client.post(
        reverse("tracking:movement-new"),
        {"location": location_a.pk, "date": "2015-06-10", "direction": "arrival", "families": "60"},
    )
    assert Alert.objects.get().recipients.filter(pk=officer_a.pk).exists()
    client.force_login(officer_a)
    assert "Najaf" in client.get(reverse("tracking:alerts")).content.decode()


def test_a_rule_needs_exactly_one_area_and_field_teams_cannot_set_rules(
    client, officer_a, field_a, gov_a
):
    client.force_login(officer_a)
    response = client.post(
        reverse("tracking:rule-new"),
        {"name": "none", "mode": "absolute", "threshold": "5", "period_days": "7"},
    )
    assert response.status_code == 200 and not AlertRule.objects.exists()
    client.force_login(field_a)
    assert client.get(reverse("tracking:rule-new")).status_code == 403


def test_an_officer_cannot_set_a_rule_on_another_governorate(client, officer_a, gov_b):
    client.force_login(officer_a)
    response = client.post(
        reverse("tracking:rule-new"),
        {
            "name": "Duhok",
            "governorate": gov_b.pk,
            "mode": "absolute",
            "threshold": "5",
            "period_days": "7",
        },
    )
    assert response.status_code == 200 and not AlertRule.objects.exists()
