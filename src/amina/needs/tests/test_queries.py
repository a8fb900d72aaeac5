"""Severity, priority and people-in-need figures against computations made here by hand."""

import datetime

import pytest

from amina.geo.models import Location
from amina.needs import queries

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def places(gov_a, gov_b, location_a, location_b):
    c = Location.objects.create(
        name_en="Camp C",
        name_ar="مخيم ج",
        governorate=gov_a,
        district=gov_a.districts.first(),
        centroid_lat=32.1,
        centroid_lon=44.2,
    )
    return location_a, location_b, c


@pytest.fixture
def recorded(assess, places):
    a, b, c = places
    # a: an old assessment superseded by a newer one (only the newer counts)
    assess(a, {1: 5, 2: 5, 4: 5}, [1, 2, 4], on=D(2015, 3, 1), population=9999)
    assess(a, {1: 2, 2: 4, 4: 3}, [2, 4], on=D(2015, 6, 1), population=1000)
    assess(b, {2: 5, 5: 3}, [2, 5, 1], on=D(2015, 5, 20), population=400)
    assess(c, {2: 1, 4: 4, 9: 2}, [4, 2], on=D(2015, 6, 2), population=250)
    return places


def test_latest_severity_takes_the_latest_assessment_of_each_location(recorded):
    a, b, c = recorded
    got = {(r.location_id, r.sector_code): r.severity for r in queries.latest_severity()}
    assert got == {
        (a.pk, 1): 2,
        (a.pk, 2): 4,
        (a.pk, 4): 3,
        (b.pk, 2): 5,
        (b.pk, 5): 3,
        (c.pk, 2): 1,
        (c.pk, 4): 4,
        (c.pk, 9): 2,
    }
    dates = {r.location_id: r.assessed_on for r in queries.latest_severity()}
    assert dates == {a.pk: D(2015, 6, 1), b.pk: D(2015, 5, 20), c.pk: D(2015, 6, 2)}


def test_latest_severity_is_limited_to_the_governorates_asked(recorded, gov_a):
    a, b, c = recorded
    rows = queries.latest_severity([gov_a.pk])
    assert {r.location_id for r in rows} == {a.pk, c.pk}
    assert {r.governorate_id for r in rows} == {gov_a.pk}


def test_severe_needs_are_the_latest_rows_at_or_above_the_threshold(recorded):
    a, b, c = recorded
    got = {(r.location_id, r.sector_code) for r in queries.severe_needs()}
    assert got == {(a.pk, 2), (b.pk, 2), (c.pk, 4)}
    assert {(r.location_id, r.sector_code) for r in queries.severe_needs(5)} == {(b.pk, 2)}


def test_people_in_need_counts_the_population_where_severity_is_three_or_more(recorded, gov_a):
    # by hand, latest assessments only: a (1000): sectors 2 (4) and 4 (3) → 1000 each;
    # b (400): 2 (5), 5 (3); c (250): 4 (4). Sector 1 at a is 2 → nobody.
    assert queries.people_in_need() == {1: 0, 2: 1000 + 400, 4: 1000 + 250, 5: 400, 9: 0}
    assert queries.people_in_need([gov_a.pk]) == {1: 0, 2: 1000, 4: 1250, 9: 0}


def test_people_in_need_falls_back_to_the_latest_displacement_figure(assess, places):
    from amina.tracking.models import LocationAssessment, Round

    a, b, c = places
    assess(a, {2: 3}, [2])  # no population recorded, no tracking: nobody counted
    assert queries.people_in_need() == {2: 0}
    rnd = Round.objects.create(code="R20", date=D(2015, 5, 1), kind="idps")
    LocationAssessment.objects.create(
        round=rnd, location=a, date=D(2015, 5, 1), families=120, individuals=777
    )
    assert queries.people_in_need() == {2: 777}


def test_top_priority_needs_count_mentions_in_the_latest_assessments(recorded):
    top = [(s.code, n) for s, n in queries.top_priority_needs()]
    # a: 2, 4 · b: 2, 5, 1 · c: 4, 2 → sector 2: 3, sector 4: 2, then 5 and 1 once
    # (ties broken by first-rank mentions, then code: neither was first → 1 before 5)
    assert top == [(2, 3), (4, 2), (1, 1), (5, 1)]
    assert [(s.code, n) for s, n in queries.top_priority_needs(limit=1)] == [(2, 3)]
