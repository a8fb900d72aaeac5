import random

import pytest

from amina.geo.models import Location
from amina.lib.demo import DemoContext
from amina.registry.demo import households
from amina.registry.generator import true_pairs
from amina.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def test_the_demo_step_makes_households_with_duplicates_and_records_the_truth(
    gov_a, gov_b, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    for gov in (gov_a, gov_b):
        Location.objects.create(name_en=f"Camp {gov.pcode}", governorate=gov)
    ctx = DemoContext("small", 2015, random.Random(2015), lambda *a: None)
    assert households(ctx) == {"households": 300}
    assert Household.objects.count() == 300
    assert Member.objects.filter(is_head=True).count() == 300
    assert Member.objects.count() > 600
    lines = (tmp_path / "registry-truth.csv").read_text(encoding="utf-8").splitlines()
    truth = {ref: int(family) for ref, family in (line.split(",") for line in lines[1:])}
    assert len(truth) == 300 and len(true_pairs(truth)) >= 10
    # Brothers: different households sharing father's, grandfather's and family name.
    heads = Member.objects.filter(is_head=True).values_list(
        "household__household_ref", "key_father", "key_grandfather", "key_family"
    )
    clans = {}
    for ref, *clan in heads:
        clans.setdefault(tuple(clan), set()).add(truth[ref])
    assert any(len(families) > 1 for families in clans.values())
    assert households(ctx) == {"households": 300}  # idempotent
