"""Access-matrix samples of supply: stock, waybills, plans and distributions in governorate A.

Warehouses, movements, balances, waybills, plans and distributions are location-level
(no partner, no officer B). Writing stock is for logistics officers of the warehouse's
governorate and administrators; planning adds coordinators; recording a hand-over adds
field teams; the printable list with names also needs the personal-data permission.
Everything is written through the app's services, as the UI does.
"""

import datetime
from decimal import Decimal

from amina.lib.testing.access import DETAIL, EVERYONE, Sample

#: ``stock.move`` in governorate A (logistics officers and administrators).
STOCK_A = frozenset({"admin", "logistics_a"})
#: Every role that sees detail, in any governorate (the catalogue is not scoped).
DETAIL_ANYWHERE = DETAIL | {"officer_b"}
#: ``distribution.plan``: creating a plan, in one's own governorates.
PLANNERS = frozenset({"admin", "national", "officer_a", "officer_b", "logistics_a"})
#: ``distribution.record`` in governorate A (national coordination does not hand over).
DISTRIBUTORS_A = frozenset({"admin", "officer_a", "field_a", "logistics_a"})
#: The printable list with names: distributors of A with the personal-data permission.
PRINTERS_A = frozenset({"officer_a"})


def _supply(w) -> dict:
    """Item, hub and site of A, stock, a waybill, an approved plan and one distribution."""
    if "supply" in w.extra:
        return w.extra["supply"]
    from amina.supply import services
    from amina.supply.models import Item, StockBalance, Warehouse
    from amina.supply.services import planning
    from amina.supply.services.distributions import record_distribution
    from amina.supply.tests.conftest import make_household

    admin, logistics = w.users["admin"], w.users["logistics_a"]
    kit = services.save_item(
        admin,
        Item(
            code="matrix-kit",
            name_en="Matrix kit",
            name_ar="عدة",
            unit="kit",
            weight_kg=Decimal("12"),
            volume_m3=Decimal("0.05"),
        ),
    )
    hub = services.save_warehouse(
        logistics,
        Warehouse(
            code="matrix-hub", name_en="Hub A", name_ar="مستودع", kind="hub", governorate=w.gov_a
        ),
    )
    site = services.save_warehouse(
        logistics,
        Warehouse(
            code="matrix-site",
            name_en="Site A",
            name_ar="موقع",
            kind="site",
            governorate=w.gov_a,
            location=w.location_a,
        ),
    )
    receipt = services.record_receipt(logistics, hub, kit, 50, donor="ECHO", reference="GRN-M1")
    services.record_receipt(logistics, site, kit, 10, donor="ECHO", reference="GRN-M2")
    waybill = services.plan_waybill(logistics, hub, site, [(kit, 5)], transporter="Truck")
    household = make_household(w.location_a, "MTX-0001", 80)
    plan = planning.create_plan(
        logistics,
        name="Matrix kits",
        site=site,
        item=kit,
        period="2015-winter",
        need_identified_on=datetime.date(2015, 6, 1),
    )
    planning.optimise_plan(logistics, plan)
    plan = planning.approve_plan(logistics, plan)
    distribution = record_distribution(logistics, plan, household)
    w.extra["supply"] = made = {
        "item": kit,
        "hub": hub,
        "movement": receipt,
        "balance": StockBalance.objects.get(warehouse=hub, item=kit),
        "waybill": waybill,
        "plan": plan,
        "distribution": distribution,
    }
    return made


def pk(key, **more):
    return lambda w: {"pk": _supply(w)[key].pk, **more}


ACCESS_SAMPLES = {
    "supply:home": Sample(allowed=DETAIL_ANYWHERE),
    "supply:item-list": Sample(allowed=DETAIL_ANYWHERE),
    "supply:item-create": Sample(allowed=STOCK_A),
    "supply:item-edit": Sample(pk("item"), STOCK_A),
    "supply:warehouse-list": Sample(allowed=DETAIL_ANYWHERE),
    "supply:warehouse-create": Sample(allowed=STOCK_A),
    "supply:warehouse-detail": Sample(pk("hub"), DETAIL),
    "supply:warehouse-edit": Sample(pk("hub"), STOCK_A),
    "supply:stock-action": Sample(pk("hub", action="receipt"), STOCK_A),
    "supply:movement-reverse": Sample(pk("movement"), STOCK_A),
    "supply:waybill-list": Sample(allowed=DETAIL_ANYWHERE),
    "supply:waybill-create": Sample(allowed=STOCK_A),
    "supply:waybill-detail": Sample(pk("waybill"), DETAIL),
    "supply:waybill-pdf": Sample(pk("waybill"), DETAIL),
    # Form actions (POST only): every caller gets "use POST".
    "supply:waybill-action": Sample(pk("waybill", action="dispatch"), EVERYONE),
    "supply:plan-action": Sample(pk("plan", action="approve"), EVERYONE),
    "supply:plan-create": Sample(allowed=PLANNERS),
    "supply:plan-detail": Sample(pk("plan"), DETAIL),
    "supply:plan-distribute": Sample(pk("plan"), DISTRIBUTORS_A),
    "supply:plan-print": Sample(pk("plan"), PRINTERS_A),
    # Stock figures (no personal data) of the warehouses in scope: detail roles only.
    "supply:export": Sample({"kind": "stock"}, DETAIL_ANYWHERE),
    "api:supply-item-detail": Sample(lambda w: {"code": _supply(w)["item"].code}, DETAIL_ANYWHERE),
    "api:supply-warehouse-detail": Sample(pk("hub"), DETAIL),
    "api:supply-movement-detail": Sample(pk("movement"), DETAIL),
    "api:supply-balance-detail": Sample(pk("balance"), DETAIL),
    "api:supply-waybill-detail": Sample(pk("waybill"), DETAIL),
    "api:supply-plan-detail": Sample(pk("plan"), DETAIL),
    "api:supply-plan-households": Sample(pk("plan"), DETAIL),
    "api:supply-distribution-detail": Sample(pk("distribution"), DETAIL),
}
#: The API's actions (POST only): an authenticated GET gets "method not allowed".
for _name in (
    "api:supply-movement-reverse",
    "api:supply-waybill-dispatch",
    "api:supply-waybill-receive",
    "api:supply-waybill-close",
    "api:supply-waybill-cancel",
    "api:supply-plan-optimise",
    "api:supply-plan-approve",
    "api:supply-plan-override",
):
    ACCESS_SAMPLES[_name] = Sample(pk(_name.split("-")[1]), EVERYONE)  # movement, waybill, plan
