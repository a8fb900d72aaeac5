"""The parts of a flash report that other capabilities supply: priority needs,
assistance delivered (4W), trainings held."""

import datetime

import pytest

from amina.reports import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(displacement):
    from amina.needs.models import NeedsAssessment, PriorityNeed, Sector

    shelter, health, food = (Sector.objects.get(code=c) for c in (2, 4, 1))
    for loc, ranked in zip(
        displacement["locations"][:2], ([shelter, health], [shelter, food]), strict=True
    ):
        assessment = NeedsAssessment.objects.create(
            location=loc,
            assessed_on=datetime.date(2015, 6, 3),
            team="RART 2",
            key_informants_count=3,
        )
        for rank, sector in enumerate(ranked, start=1):
            PriorityNeed.objects.create(assessment=assessment, rank=rank, sector=sector)
    return {"shelter": shelter, "health": health, "food": food}


def test_priority_needs_are_counted_from_the_latest_assessments(needs, gov_a):
    from amina.needs.models import PriorityNeed

    figs = figures.compute(figures.find_round("R2"), [gov_a])
    counted = {}
    for need in PriorityNeed.objects.select_related("sector"):
        counted[need.sector.name] = counted.get(need.sector.name, 0) + 1
    assert dict(figs.needs) == counted
    assert figs.needs[0] == (needs["shelter"].name, 2)


def test_people_reached_come_by_sector_from_the_4w(displacement, gov_a, gov_b):
    from amina.accounts.models import Organisation
    from amina.coordination.models import Activity
    from amina.needs.models import Sector

    org = Organisation.objects.create(name_en="NRC test", kind="ngo")
    shelter = Sector.objects.get(code=2)
    for gov, women, men in ((gov_a, 40, 35), (gov_a, 10, 5), (gov_b, 500, 400)):
        Activity.objects.create(
            organisation=org,
            sector=shelter,
            activity_type="tents",
            governorate=gov,
            start_date=datetime.date(2015, 6, 1),
            women=women,
            men=men,
        )
    figs = figures.compute(figures.find_round("R2"), [gov_a])
    reached = sum(a.people_reached for a in Activity.objects.filter(governorate=gov_a))
    assert reached > 0 and figs.assistance == [(shelter.name, reached)]


def test_parts_without_data_are_empty_not_missing(displacement, gov_a):
    figs = figures.compute(figures.find_round("R2"), [gov_a])
    assert figs.needs == [] and figs.assistance == []
    assert figs.trainings == {
        "trainings": 0,
        "participants": 0,
        "officials": 0,
        "women": 0,
        "men": 0,
    }
    assert figs.stock == [] and figs.alerts == 0


def test_alerts_are_counted_in_the_selection_over_the_last_30_days(gov_a, gov_b):
    from django.utils import timezone

    from amina.tracking.models import Alert, AlertRule

    def fire(gov, episode, days_ago):
        rule, _ = AlertRule.objects.get_or_create(
            name=f"influx {gov.pcode}", governorate=gov, defaults={"threshold": 10}
        )
        alert = Alert.objects.create(
            rule=rule,
            episode=episode,
            governorate=gov,
            window_start=datetime.date(2015, 6, 1),
            window_end=datetime.date(2015, 6, 7),
            arrivals=20,
        )
        Alert.objects.filter(pk=alert.pk).update(
            fired_at=timezone.now() - datetime.timedelta(days=days_ago)
        )

    fire(gov_a, 1, 2)
    fire(gov_a, 2, 29)
    fire(gov_a, 3, 31)  # too old
    fire(gov_b, 1, 1)  # another governorate
    assert figures.alert_count([gov_a.pk]) == 2
    assert figures.alert_count(None) == 3
    assert figures.alert_count([]) == 0
