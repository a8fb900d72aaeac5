"""Gaps: severe needs (needs assessments) against the organisations present (4W).

Coordination computes them because it knows both sides; the needs app lists severe needs
alone and links here.
"""

import datetime

import pytest
from django.urls import reverse

from amina.coordination import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(location_a, location_b, sector):
    """Najaf: shelter 5, health 4, food 2; Duhok: shelter 4 (recorded through the service)."""
    from amina.needs.services import AssessmentData, Priority, record_assessment

    for location, severities in ((location_a, {2: 5, 4: 4, 5: 2}), (location_b, {2: 4})):
        record_assessment(
            None,
            AssessmentData(
                location=location,
                assessed_on=datetime.date(2015, 6, 1),
                team="RART 1",
                key_informants_count=3,
                severities={sector(c): v for c, v in severities.items()},
                priorities=[Priority(sector(2))],
            ),
        )


def test_gaps_compare_severe_needs_with_present_activities(
    assessed, make_activity, location_a, location_b
):
    make_activity(location=location_a, code=2, start=datetime.date(2015, 1, 1))
    gaps = queries.gaps()
    assert {(r.location_id, r.sector_code): r.covered for r in gaps} == {
        (location_a.pk, 2): True,
        (location_a.pk, 4): False,
        (location_b.pk, 2): False,
    }
    assert {(r.location_id, r.sector_code) for r in queries.gaps([location_b.governorate_id])} == {
        (location_b.pk, 2)
    }


def test_the_duplication_and_gaps_page_shows_every_severe_need_and_who_is_present(
    client, officer_a, assessed, make_activity, location_a
):
    make_activity(location=location_a, code=2, start=datetime.date(2015, 1, 1))
    client.force_login(officer_a)
    html = client.get(reverse("coordination:overlaps")).content.decode()
    table = html[html.index('data-testid="gaps"') :]
    assert table.count("<tr") == 3  # head, shelter (present), health (gap); no Duhok
    assert table.count('data-gap="1"') == 1
    assert reverse("needs:gaps") in html


def test_the_severe_needs_page_links_to_the_gaps(client, officer_a, assessed):
    client.force_login(officer_a)
    html = client.get(reverse("needs:gaps")).content.decode()
    assert reverse("coordination:overlaps") in html
