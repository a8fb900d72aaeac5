"""A response-plan target measured in households served counts supply's proof of delivery."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from amina.coordination import queries
from amina.coordination.models import ResponsePlan, Target
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(gov_a, location_a):
    """Two households of Najaf received a hygiene kit today, one of them twice (two items)."""
    from amina.registry.models import Household
    from amina.supply.models import Item, Warehouse
    from amina.supply.services import planning, record_receipt
    from amina.supply.services.distributions import record_distribution

    officer = make_user("logistics_najaf", "logistics", [gov_a], personal_data=True)
    site = Warehouse.objects.create(
        code="site-najaf", name_en="Najaf site", name_ar="موقع النجف", kind="site",
        governorate=gov_a, location=location_a,
    )  # fmt: skip
    items = [
        Item.objects.create(
            code=code, name_en=code, name_ar=code, unit="piece", weight_kg=1, volume_m3=0.01
        )
        for code in ("kit", "blanket")
    ]
    households = [
        Household.objects.create(
            household_ref=f"NJF-{n}",
            location=location_a,
            governorate=gov_a,
            size=5,
            vulnerability_score=50,
            consent=True,
        )  # fmt: skip
        for n in range(3)
    ]
    for item in items:
        record_receipt(officer, site, item, 5, donor="ECHO")
        plan = planning.create_plan(officer, name=item.code, site=site, item=item, period="w")
        planning.optimise_plan(officer, plan)
        planning.approve_plan(officer, plan)
        record_distribution(officer, plan, households[0])
        if item.code == "kit":
            record_distribution(officer, plan, households[1])
    return households


@pytest.fixture
def plan(gov_a, reference_geography):
    from amina.needs.models import Sector

    today = timezone.localdate()
    made = ResponsePlan.objects.create(
        title="Najaf winter",
        governorate=gov_a,
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
    )
    Target.objects.create(
        plan=made,
        sector=Sector.objects.get(code=2),
        governorate=gov_a,
        measure=Target.Measure.HOUSEHOLDS_SERVED,
        quantity=10,
        deadline=today + datetime.timedelta(days=60),
    )
    return made


def test_a_households_served_target_counts_each_served_household_once(plan, delivered):
    [progress] = queries.plan_progress(plan)
    assert progress.achieved == 2
    assert progress.percent == 20


def test_the_plan_page_shows_the_households_served_figure(client, officer_a, plan, delivered):
    client.force_login(officer_a)
    html = client.get(reverse("coordination:plan-detail", args=[plan.pk])).content.decode()
    assert 'data-testid="achieved">2</td>' in html
    assert "not available" not in html
