"""The demo step makes rounds whose figures follow DTM Iraq's real distribution."""

import random

import pytest

from amina.geo.demo import locations
from amina.geo.models import Governorate
from amina.lib.demo import GOVERNORATE_SHARES, DemoContext
from amina.tracking import queries
from amina.tracking.demo import displacement
from amina.tracking.models import ShelterType

pytestmark = pytest.mark.django_db


def test_demo_rounds_follow_the_real_shares(reference_geography):
    ctx = DemoContext(
        scale="small", seed=2015, rng=random.Random(2015), progress=lambda *a, **k: None
    )
    locations(ctx)
    assert displacement(ctx)["rounds"] == ctx.size["rounds"] == len(queries.rounds())
    latest = queries.latest_round()
    shelters = queries.shelter_breakdown(latest)
    total = sum(shelters.values())
    assert total == queries.national_total(latest).idp_families
    groups = {}
    for t in ShelterType.objects.all():
        groups[t.group] = groups.get(t.group, 0) + shelters.get(t.code, 0)
    for group, share in {"private": 0.67, "critical": 0.21, "camp": 0.08, "unknown": 0.04}.items():
        assert abs(groups[group] / total - share) < 0.03, group
    totals = queries.governorate_totals(latest)
    anbar = Governorate.objects.get(pcode="IQG01")
    assert abs(totals[anbar.pk].idp_families / total - GOVERNORATE_SHARES["IQG01"]) < 0.02
