"""Distribution plans: eligibility, optimisation, explanations, overrides, approval."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amina.audit.models import ChangeLog
from amina.supply.models import Entitlement
from amina.supply.services import planning
from amina.supply.services.distributions import record_distribution
from amina.supply.services.ledger import balance_of

from .conftest import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(location_a):
    return [
        make_household(location_a, f"NJF-{n:04d}", score)
        for n, score in enumerate([90, 70, 55, 40, 20], start=1)
    ]


@pytest.fixture
def plan(stocked, logistics_a, site_a, hygiene_kit, households):
    """20 hygiene kits at the site, 5 households; a truck for 3 kits (36 kg)."""
    plan = planning.create_plan(
        logistics_a,
        name="Winter round",
        site=site_a,
        item=hygiene_kit,
        period="2015-winter",
        capacity_kg=36,
    )
    return planning.optimise_plan(logistics_a, plan)


def rows(plan):
    return {r.household.household_ref: r for r in plan.candidates.select_related("household")}


def test_the_most_vulnerable_fill_the_truck_and_the_rest_know_why(plan):
    assert plan.status == "optimised"
    assert plan.selected_count == 3 and plan.eligible_count == 5
    assert plan.cutoff_score == 55 and plan.binding == "weight"
    r = rows(plan)
    assert [ref for ref, row in sorted(r.items()) if row.selected] == [
        "NJF-0001",
        "NJF-0002",
        "NJF-0003",
    ]
    assert "cut-off score 55" in planning.explain(plan, r["NJF-0001"])
    out = planning.explain(plan, r["NJF-0004"])
    assert "below the cut-off score 55" in out and "36" in out


def test_stock_is_the_binding_constraint_without_a_truck_limit(
    stocked, logistics_a, site_a, hygiene_kit, households
):
    from amina.supply.services import record_loss

    record_loss(logistics_a, site_a, hygiene_kit, 18, reason="flood")  # 2 kits left
    plan = planning.create_plan(
        logistics_a, name="Small", site=site_a, item=hygiene_kit, period="2015-10"
    )
    plan = planning.optimise_plan(logistics_a, plan)
    assert plan.selected_count == 2 and plan.binding == "stock"
    assert "stock (2) ran out" in planning.explain(plan, rows(plan)["NJF-0003"])


def test_an_override_needs_a_reason_and_is_audited(plan, logistics_a, households):
    low = households[4]
    with pytest.raises(ValidationError):
        planning.override_household(logistics_a, plan, low, "in", " ")
    plan = planning.override_household(logistics_a, plan, low, "in", "disabled child, visit")
    r = rows(plan)
    assert r["NJF-0005"].selected and r["NJF-0005"].reason == "override_in"
    assert "disabled child" in planning.explain(plan, r["NJF-0005"])
    assert plan.selected_count == 3  # the truck still carries three: someone else left
    assert ChangeLog.objects.filter(model="supply.distributionplan", action="override").exists()


def test_a_priority_floor_beyond_the_truck_is_infeasible_not_a_crash(
    stocked, logistics_a, site_a, hygiene_kit, households
):
    plan = planning.create_plan(
        logistics_a,
        name="Too much",
        site=site_a,
        item=hygiene_kit,
        period="2015-11",
        capacity_kg=24,
        priority_floor=50,
    )
    plan = planning.optimise_plan(logistics_a, plan)
    assert plan.status == "infeasible" and plan.binding == "weight"
    assert "36 kg" in plan.infeasible_reason and "24 kg" in plan.infeasible_reason
    with pytest.raises(ValidationError):
        planning.approve_plan(logistics_a, plan)


def test_approval_grants_entitlements_once_per_period(
    plan, logistics_a, stocked, site_a, hygiene_kit
):
    planning.approve_plan(logistics_a, plan)
    assert Entitlement.objects.filter(plan=plan).count() == 3
    other = planning.create_plan(
        logistics_a, name="Second", site=site_a, item=hygiene_kit, period="2015-winter"
    )
    other = planning.optimise_plan(logistics_a, other)
    r = rows(other)
    assert r["NJF-0001"].reason == "entitled" and not r["NJF-0001"].eligible
    assert other.selected_count == 2


def test_households_who_received_are_out_with_the_reason(
    plan, logistics_a, households, site_a, hygiene_kit
):
    planning.approve_plan(logistics_a, plan)
    plan.refresh_from_db()
    record_distribution(logistics_a, plan, households[0])
    again = planning.create_plan(
        logistics_a, name="Again", site=site_a, item=hygiene_kit, period="2015-winter"
    )
    again = planning.optimise_plan(logistics_a, again)
    assert rows(again)["NJF-0001"].reason == "received"
    assert "already received" in planning.explain(again, rows(again)["NJF-0001"])
    assert balance_of(site_a, hygiene_kit) == 19


def test_below_the_minimum_score_is_not_eligible(
    stocked, logistics_a, site_a, hygiene_kit, households
):
    plan = planning.create_plan(
        logistics_a, name="Min", site=site_a, item=hygiene_kit, period="2015-12", min_score=50
    )
    plan = planning.optimise_plan(logistics_a, plan)
    assert plan.eligible_count == 3
    assert rows(plan)["NJF-0005"].reason == "below_min"


def test_a_partner_or_another_governorate_cannot_plan(site_a, hygiene_kit, partner, logistics_b):
    for user in (partner, logistics_b):
        with pytest.raises(PermissionDenied):
            planning.create_plan(user, name="x", site=site_a, item=hygiene_kit, period="p")
