"""Duplication, presence, gaps and plan progress equal a computation made independently here."""

import datetime
import random
from collections import defaultdict

import pytest

from amina.coordination import queries
from amina.coordination.models import Activity, Participant, ResponsePlan, Target, Training
from amina.geo.models import Location

pytestmark = pytest.mark.django_db
DAY = datetime.date(2015, 6, 15)


@pytest.fixture
def places(gov_a, gov_b):
    made = []
    for gov in (gov_a, gov_b):
        district = gov.districts.first()
        for i in range(4):
            made.append(
                Location.objects.create(
                    name_en=f"Place {gov.pcode}-{i}", governorate=gov, district=district
                )
            )
    return made


@pytest.fixture
def random_activities(places, make_activity):
    rng = random.Random(7)
    statuses = ["planned", "ongoing", "completed"]
    made = []
    for _ in range(80):
        loc = rng.choice(places + [None])
        gov = loc.governorate if loc else rng.choice(places).governorate
        start = DAY + datetime.timedelta(days=rng.randint(-60, 20))
        end = rng.choice([None, start + datetime.timedelta(days=rng.randint(0, 60))])
        made.append(
            make_activity(
                org=rng.choice(["NRC", "DRC", "IOM", "MoMD"]),
                code=rng.choice([2, 4, 5]),
                governorate=gov,
                location=loc,
                start=start,
                end=end,
                status=rng.choice(statuses),
                girls=rng.randint(0, 30),
                women=rng.randint(0, 30),
                men=rng.randint(0, 30),
            )
        )
    return made


def _present(a, day):
    return (
        a.status in ("planned", "ongoing")
        and a.start_date <= day
        and (a.end_date is None or a.end_date >= day)
    )


def test_presence_is_every_present_activity_at_a_location(random_activities):
    expected = {
        (a.location_id, a.sector.code)
        for a in random_activities
        if a.location_id and _present(a, DAY)
    }

    assert queries.activity_presence(on=DAY) == expected
    assert expected  # the random data exercise both sides


def test_presence_is_limited_to_the_governorates_asked(random_activities, gov_a):
    expected = {
        (a.location_id, a.sector.code)
        for a in random_activities
        if a.location_id and _present(a, DAY) and a.governorate_id == gov_a.pk
    }

    assert queries.activity_presence([gov_a.pk], on=DAY) == expected


def test_duplication_is_two_organisations_in_one_place_and_sector(random_activities):
    groups = defaultdict(set)
    for a in random_activities:
        if _present(a, DAY):
            place = (
                ("l", a.location_id)
                if a.location_id
                else ("d", a.district_id)
                if a.district_id
                else ("g", a.governorate_id)
            )
            groups[(place, a.sector_id)].add(a.organisation_id)
    expected = {key: orgs for key, orgs in groups.items() if len(orgs) >= 2}

    found = {
        (d.place_key, d.sector.pk): {o.pk for o in d.organisations}
        for d in queries.duplication(on=DAY)
    }

    assert found == expected and expected


def test_people_reached_per_sector_is_the_sum_of_the_breakdown(random_activities):
    expected = defaultdict(int)
    for a in random_activities:
        expected[a.sector.code] += a.girls + a.women + a.men
    assert queries.people_reached() == {k: v for k, v in expected.items() if v}


def test_the_sector_matrix_counts_organisations_and_people(random_activities):
    matrix = queries.sector_governorate_matrix(Activity.objects.all())
    for (sector_id, gov_id), cell in matrix.cells.items():
        rows = [
            a for a in random_activities if a.sector_id == sector_id and a.governorate_id == gov_id
        ]
        assert cell == {
            "activities": len(rows),
            "organisations": len({a.organisation_id for a in rows}),
            "reached": sum(a.people_reached for a in rows),
        }
    assert sum(c["activities"] for c in matrix.cells.values()) == len(random_activities)


def test_gaps_are_severe_needs_where_nobody_is_present(places, make_activity, sector):
    from django.utils import timezone

    from amina.needs import models as needs

    today = timezone.localdate()
    severities = {}
    rng = random.Random(3)
    for loc in places:
        assessment = needs.NeedsAssessment.objects.create(
            location=loc, assessed_on=today, team="RART 1", key_informants_count=3
        )
        for code in (2, 4):
            value = rng.randint(1, 5)
            severities[(loc.pk, code)] = value
            needs.SectorSeverity.objects.create(
                assessment=assessment, sector=sector(code), severity=value
            )
    covered = set()
    for loc in places[::2]:
        make_activity(location=loc, code=2, start=today - datetime.timedelta(days=3))
        covered.add((loc.pk, 2))
    make_activity(
        location=places[1],
        code=4,
        start=today - datetime.timedelta(days=30),
        end=today - datetime.timedelta(days=1),
    )  # ended: not present
    expected = {key for key, value in severities.items() if value >= 4 and key not in covered}

    gaps = queries.gaps()

    assert {(r.location_id, r.sector_code) for r in gaps if not r.covered} == expected
    assert {(r.location_id, r.sector_code) for r in gaps} == {
        key for key, value in severities.items() if value >= 4
    }


def test_plan_progress_is_computed_from_4w_and_trainings(
    gov_a, gov_b, orgs, sector, make_activity, location_a
):
    plan = ResponsePlan.objects.create(
        title="Najaf 2015",
        governorate=gov_a,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2015, 12, 31),
    )
    people = Target.objects.create(
        plan=plan,
        sector=sector(2),
        governorate=gov_a,
        quantity=1000,
        deadline=datetime.date(2015, 12, 31),
    )
    trained = Target.objects.create(
        plan=plan,
        sector=sector(1),
        governorate=gov_a,
        measure="officials_trained",
        quantity=10,
        deadline=datetime.date(2015, 12, 31),
    )
    counted = [
        make_activity(location=location_a, code=2, start=datetime.date(2015, 3, 1), women=100),
        make_activity(
            governorate=gov_a,
            code=2,
            start=datetime.date(2014, 12, 1),
            end=datetime.date(2015, 2, 1),
            status="completed",
            men=50,
        ),
    ]
    make_activity(
        governorate=gov_a,
        code=2,
        start=datetime.date(2014, 1, 1),
        end=datetime.date(2014, 6, 1),
        men=999,
    )  # before the plan
    make_activity(governorate=gov_b, code=2, start=datetime.date(2015, 3, 1), men=999)  # Duhok
    make_activity(governorate=gov_a, code=4, start=datetime.date(2015, 3, 1), men=999)  # health
    training = Training.objects.create(
        title="MCOF",
        start_date=datetime.date(2015, 6, 8),
        end_date=datetime.date(2015, 6, 11),
        place="Najaf",
        governorate=gov_a,
        organiser=orgs["IOM"],
    )
    training.sectors.set([sector(1)])
    for i in range(3):
        Participant.objects.create(
            training=training, name=f"P{i}", organisation=orgs["MoMD"], governorate=gov_a, sex="m"
        )
    Participant.objects.create(
        training=training, name="Other", organisation=orgs["MoMD"], governorate=gov_b, sex="f"
    )

    progress = {
        p.target.pk: p for p in queries.plan_progress(plan, today=datetime.date(2015, 7, 2))
    }

    assert progress[people.pk].achieved == sum(a.people_reached for a in counted) == 150
    assert progress[trained.pk].achieved == 3
    # Half the year gone, 15% and 30% done: both lag behind 0.75 × 50%.
    assert progress[people.pk].expected_share == pytest.approx(182 / 364)
    assert progress[people.pk].lagging and progress[trained.pk].lagging
    assert not queries.plan_progress(plan, today=datetime.date(2015, 1, 20))[0].lagging
