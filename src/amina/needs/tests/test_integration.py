"""With the real displacement-tracking capability: population from the latest round.

(Gaps against reported 4W activities are coordination's: ``coordination/tests/test_gaps.py``.)"""

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
