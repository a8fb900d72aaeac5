"""Fixtures of the tracking tests: sample DTM files, the crosswalk, rounds with figures."""

import datetime
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
REAL = Path(__file__).resolve().parents[4] / ".." / "shared" / "data" / "dtm-iraq"
ROUND64_XLSX = REAL / "Round64_Master_List_IDP_2017-2-2_IOM_DTM.xlsx"
ROUND64_CSV = REAL / "Round64_Master_List_IDP_2017-2-2_IOM_DTM.csv"


@pytest.fixture
def tracking_reference(reference_geography):
    """Reference data plus the DTM district crosswalk (a transactional test flushes it)."""
    from amina.geo.models import District, PlaceAlias
    from amina.tracking.crosswalk import seed_dtm_districts

    seed_dtm_districts(District, PlaceAlias)


@pytest.fixture
def round_a(tracking_reference):
    from amina.tracking.models import Round

    return Round.objects.create(code="R1", date=datetime.date(2015, 5, 21))


@pytest.fixture
def round_b(round_a):
    from amina.tracking.models import Round

    return Round.objects.create(code="R2", date=datetime.date(2015, 6, 4))


def counts() -> dict:
    """Rows of every table an import may write, to prove a failed import wrote nothing."""
    from amina.geo.models import Location
    from amina.tracking.models import (
        AssessmentOrigin,
        AssessmentPeriod,
        AssessmentShelter,
        LocationAssessment,
        Round,
    )

    return {
        m.__name__: m.objects.count()
        for m in (
            Location,
            Round,
            LocationAssessment,
            AssessmentOrigin,
            AssessmentShelter,
            AssessmentPeriod,
        )
    }
