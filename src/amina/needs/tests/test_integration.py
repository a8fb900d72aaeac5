"""With the real displacement-tracking and 4W capabilities: population from the latest
round, and gaps against reported activities."""

import datetime

import pytest

from amina.needs import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(location_a):
    from amina.tracking.models import LocationAssessment, Round

    r = Round.objects.create(code="R22", date=datetime.date(2015, 6, 1), kind="idps")
    LocationAssessment.objects.create(
        round=r,
        location=location_a,
        date=datetime.date(2015, 5, 28),
        families=200,
        individuals=1234,
    )
    return r


def test_an_assessment_without_population_takes_the_latest_tracking_figure(
    tracked, assess, location_a
):
    a = assess(location_a, {2: 4, 4: 2}, [2])
    assert a.population_individuals == 1234 and a.population_source == "tracking"
    assert a.population_as_of is not None
    assert queries.people_in_need() == {2: 1234, 4: 0}


def test_gaps_compare_severe_needs_with_present_activities(assess, location_a, location_b, sectors):
    from amina.accounts.models import Organisation
    from amina.coordination.models import Activity

    assess(location_a, {2: 5, 4: 4, 5: 2}, [2, 4])
    assess(location_b, {2: 4}, [2])
    org = Organisation.objects.create(name_en="NRC", name_ar="المجلس النرويجي", kind="ngo")
    Activity.objects.create(
        organisation=org,
        sector=sectors[2],
        activity_type="tents",
        governorate=location_a.governorate,
        location=location_a,
        start_date=datetime.date(2015, 1, 1),
        status="ongoing",
    )
    report = queries.gaps()
    assert report.activities_available
    assert {(r.location_id, r.sector_code): r.covered for r in report.rows} == {
        (location_a.pk, 2): True,
        (location_a.pk, 4): False,
        (location_b.pk, 2): False,
    }
