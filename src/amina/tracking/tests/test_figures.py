"""Summaries equal sums computed independently; the latest estimate adds movements."""

import datetime
import random

import pytest

from amina.geo.models import Location
from amina.tracking import queries
from amina.tracking.models import (
    AssessmentShelter,
    LocationAssessment,
    MovementEvent,
    Round,
    ShelterType,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(round_a, round_b, gov_a, gov_b):
    """Random figures at 6 locations in two governorates for two rounds."""
    rng = random.Random(7)
    locs = []
    for i, gov in enumerate([gov_a, gov_a, gov_a, gov_b, gov_b, gov_b]):
        locs.append(
            Location.objects.create(
                name_en=f"L{i}", governorate=gov, district=gov.districts.first()
            )
        )
    rows = {}
    for round_ in (round_a, round_b):
        for loc in locs[: 5 if round_ == round_a else 6]:
            fam = rng.randint(1, 500)
            rows[(round_.code, loc.pk)] = (loc.governorate_id, fam, fam * 6, rng.randint(0, 50))
            a = LocationAssessment.objects.create(
                round=round_,
                location=loc,
                date=round_.date,
                families=fam,
                individuals=fam * 6,
                returnee_families=rows[(round_.code, loc.pk)][3],
                returnee_individuals=rows[(round_.code, loc.pk)][3] * 6,
            )
            AssessmentShelter.objects.create(
                assessment=a, families=fam, shelter_type=ShelterType.objects.get(code="camp")
            )
    return locs, rows


def test_governorate_totals_equal_independent_sums(spread, gov_a, gov_b):
    _, rows = spread
    for code in ("R1", "R2"):
        totals = queries.governorate_totals(code)
        for gov in (gov_a, gov_b):
            mine = [v for (c, _), v in rows.items() if c == code and v[0] == gov.pk]
            assert totals[gov.pk].idp_families == sum(v[1] for v in mine)
            assert totals[gov.pk].idp_individuals == sum(v[2] for v in mine)
            assert totals[gov.pk].returnee_families == sum(v[3] for v in mine)
            assert totals[gov.pk].locations == len(mine)
        national = queries.national_total(code)
        assert national.idp_families == sum(v[1] for (c, _), v in rows.items() if c == code)


def test_a_chosen_set_of_governorates_sums_their_totals(spread, gov_a, gov_b):
    totals = queries.governorate_totals("R2")
    both = queries.sum_figures(totals, [gov_a.pk, gov_b.pk])
    assert both.idp_individuals == queries.national_total("R2").idp_individuals
    assert queries.sum_figures(totals, [gov_a.pk]).idp_families == totals[gov_a.pk].idp_families


def test_the_latest_estimate_is_the_last_round_plus_later_movements(spread, gov_a):
    locs, rows = spread
    loc = locs[0]
    MovementEvent.objects.create(
        location=loc,
        date=datetime.date(2015, 6, 1),
        direction="arrival",
        families=100,
        individuals=600,
    )  # before R2
    MovementEvent.objects.create(
        location=loc,
        date=datetime.date(2015, 6, 10),
        direction="arrival",
        families=40,
        individuals=240,
    )
    MovementEvent.objects.create(
        location=loc,
        date=datetime.date(2015, 6, 12),
        direction="departure",
        families=15,
        individuals=90,
    )
    fig = queries.latest_location_figures(location_ids=[loc.pk])[loc.pk]
    fam = rows[("R2", loc.pk)][1]
    assert (fig.idp_families, fig.idp_individuals) == (fam + 25, fam * 6 + 150)
    assert fig.as_of == datetime.date(2015, 6, 12)
    latest = queries.governorate_totals(None, [gov_a.pk])[gov_a.pk]
    at_round = queries.governorate_totals("R2", [gov_a.pk])[gov_a.pk]
    assert latest.idp_families - at_round.idp_families == 25


def test_a_departure_never_takes_a_location_below_zero(spread):
    locs, rows = spread
    MovementEvent.objects.create(
        location=locs[0],
        date=datetime.date(2015, 6, 10),
        direction="departure",
        families=10_000,
        individuals=60_000,
    )
    assert queries.latest_location_figures([locs[0].pk])[locs[0].pk].idp_families == 0


def test_rounds_are_ordered_and_the_previous_round_is_found(spread, round_a, round_b):
    assert list(queries.rounds()) == [round_a, round_b]
    assert queries.previous_round(round_b) == round_a
    assert queries.previous_round(round_a) is None
    returnees = Round.objects.create(code="RR", date=datetime.date(2015, 6, 1), kind="returnees")
    assert queries.previous_round(round_b) == round_a, "kinds are not mixed"
    assert list(queries.rounds("returnees")) == [returnees]


def test_shelter_breakdown_is_limited_to_the_asked_governorates(spread, gov_a):
    _, rows = spread
    assert queries.shelter_breakdown("R2", [gov_a.pk]) == {
        "camp": sum(v[1] for (c, _), v in rows.items() if c == "R2" and v[0] == gov_a.pk)
    }


def test_district_totals_add_up_to_the_governorate(spread, gov_a):
    by_district = queries.district_totals("R1", [gov_a.pk])
    assert (
        sum(f.idp_families for f in by_district.values())
        == queries.governorate_totals("R1")[gov_a.pk].idp_families
    )
