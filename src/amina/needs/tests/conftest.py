"""Helpers for the needs tests: assessments recorded through the service, Kobo-like exports."""

import csv
import datetime
import io

import pytest


@pytest.fixture
def sectors(reference_geography):
    from amina.needs.models import Sector

    return {s.code: s for s in Sector.objects.all()}


@pytest.fixture
def assess(sectors):
    """Record an assessment through the service: assess(location, {code: severity}, [codes])."""
    from amina.needs.services import AssessmentData, Priority, record_assessment

    def make(
        location, severities, priorities=(2,), *, on=None, population=None, user=None, team="RART 1"
    ):
        data = AssessmentData(
            location=location,
            assessed_on=on or datetime.date(2015, 6, 1),
            team=team,
            key_informants_count=3,
            population_individuals=population,
            severities={sectors[c]: v for c, v in severities.items()},
            priorities=[Priority(sectors[c]) for c in priorities],
        )
        return record_assessment(user, data)

    return make


def kobo_csv(rows: list[dict], headers: list[str]) -> bytes:
    """A CSV as KoboToolbox writes it: group/field headers, UTF-8, comma separated."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({h: row.get(h, "") for h in headers})
    return out.getvalue().encode("utf-8")
