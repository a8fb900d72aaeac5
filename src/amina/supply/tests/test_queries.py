"""What coordination and reports read from supply equals a count made here by hand."""

import datetime

import pytest
from django.utils import timezone

from amina.supply import queries
from amina.supply.services import planning, record_receipt
from amina.supply.services.distributions import record_distribution

from .conftest import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(logistics_ab, site_a, hub_b, hygiene_kit, blanket, location_a, location_b):
    """Kits to two households and a blanket to one of them in Najaf; a blanket in Duhok."""
    from amina.supply.models import Warehouse

    site_b = Warehouse.objects.create(
        code="site-duhok-1",
        name_en="Duhok site 1",
        name_ar="موقع دهوك 1",
        kind="site",
        governorate=location_b.governorate,
        location=location_b,
    )
    record_receipt(logistics_ab, site_a, hygiene_kit, 10, donor="OFDA")
    record_receipt(logistics_ab, site_a, blanket, 10, donor="ECHO")
    record_receipt(logistics_ab, site_b, blanket, 10, donor="ECHO")
    najaf = [
        make_household(location_a, f"NJF-{n}", 50 + n, document=f"N{n}1234567") for n in range(3)
    ]
    duhok = make_household(location_b, "DHK-1", 60, document="D11234567")

    def plan(site, item, name):
        made = planning.create_plan(logistics_ab, name=name, site=site, item=item, period="w")
        planning.optimise_plan(logistics_ab, made)
        return planning.approve_plan(logistics_ab, made)

    kits, blankets, duhok_blankets = (
        plan(site_a, hygiene_kit, "Kits"),
        plan(site_a, blanket, "Blankets"),
        plan(site_b, blanket, "Duhok blankets"),
    )
    record_distribution(logistics_ab, kits, najaf[0])
    record_distribution(logistics_ab, kits, najaf[1])
    record_distribution(logistics_ab, blankets, najaf[0])
    record_distribution(logistics_ab, duhok_blankets, duhok)
    return najaf, duhok


def test_households_served_counts_each_household_once_in_its_governorate(served, gov_a, gov_b):
    today = timezone.localdate()
    assert queries.households_served(gov_a.pk, today, today) == 2
    assert queries.households_served(gov_b.pk, today, today) == 1


def test_households_served_leaves_out_distributions_outside_the_dates(served, gov_a):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    assert queries.households_served(gov_a.pk, today - datetime.timedelta(days=30), yesterday) == 0
    assert queries.households_served(gov_a.pk, today, today + datetime.timedelta(days=30)) == 2


def test_stock_and_deliveries_are_summed_per_item_in_the_governorates(
    served, gov_a, hygiene_kit, blanket
):
    najaf = queries.stock_and_deliveries([gov_a.pk])
    # Largest deliveries first: two kits, then one blanket.
    assert [(r.name, r.on_hand, r.delivered) for r in najaf] == [
        (hygiene_kit.name, 8, 2),
        (blanket.name, 9, 1),
    ]
    everywhere = queries.stock_and_deliveries()
    # Two of each delivered: the larger stock (blankets in both governorates) first.
    assert [(r.name, r.on_hand, r.delivered) for r in everywhere] == [
        (blanket.name, 18, 2),
        (hygiene_kit.name, 8, 2),
    ]
