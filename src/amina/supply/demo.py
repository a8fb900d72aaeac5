"""Demo supply chain: IOM's main warehouse in Erbil, hubs in Duhok and Najaf, distribution
sites, donor receipts, waybills at every stage (one with a shortfall), optimised plans
and distributions. Everything goes through the services, as the demo logistics officer."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from amina.accounts.models import User
from amina.geo.models import Governorate, Location
from amina.lib.demo import DemoContext, step
from amina.supply import services
from amina.supply.models import Distribution, Item, Warehouse, Waybill
from amina.supply.services import planning
from amina.supply.services.distributions import record_distribution

# code, English, Arabic, unit, kg, m³, low-stock level, kit components
ITEMS = [
    ("soap", "Soap bar", "صابون", "piece", "0.125", "0.0002", 200, []),
    ("towel", "Towel", "منشفة", "piece", "0.4", "0.002", 100, []),
    ("blanket", "Blanket", "بطانية", "piece", "2.5", "0.012", 200, []),
    ("mattress", "Mattress", "فراش", "piece", "4", "0.09", 50, []),
    ("kitchen-set", "Kitchen set", "طقم مطبخ", "set", "7", "0.035", 30, []),
    ("jerrycan", "Jerrycan (20 l)", "جليكان (20 لتراً)", "piece", "1.1", "0.025", 50, []),
    ("kerosene-heater", "Kerosene heater", "مدفأة نفطية", "piece", "9", "0.08", 20, []),
    ("tent", "Family tent", "خيمة عائلية", "piece", "45", "0.2", 10, []),
    (
        "hygiene-kit",
        "Hygiene kit",
        "حقيبة النظافة الشخصية",
        "kit",
        "12",
        "0.05",
        40,
        [("soap", 8), ("towel", 4)],
    ),
    (
        "winter-kit",
        "Winterisation kit",
        "حقيبة الشتاء",
        "kit",
        "16",
        "0.1",
        30,
        [("blanket", 4), ("jerrycan", 1)],
    ),
]
DONORS = ["ECHO", "OFDA", "DFID", "KSrelief", "CERF", "Government of Japan"]
# Hubs per governorate p-code; the main warehouse is in Erbil (IQG11).
HUBS = {"IQG09": ("Duhok", "دهوك"), "IQG04": ("Najaf", "النجف")}


def _items(officer) -> dict[str, Item]:
    """The catalogue: single items first, then the kits' components."""
    items = {}
    for code, en, ar, unit, kg, m3, low, _parts in ITEMS:
        items[code] = services.save_item(
            officer,
            Item(
                code=code,
                name_en=en,
                name_ar=ar,
                unit=unit,
                weight_kg=Decimal(kg),
                volume_m3=Decimal(m3),
                is_kit=bool(_parts),
                low_stock_level=low,
            ),
        )
    for code, *_rest, parts in ITEMS:
        if parts:
            services.save_item(officer, items[code], [(items[c], q) for c, q in parts])
    return items


def _sites(officer, gov: Governorate, en: str, ar: str) -> list[Warehouse]:
    """Two distribution sites of a hub's governorate, at its camps or sites if any."""
    places = list(Location.objects.filter(governorate=gov, kind__in=["camp", "site"])[:2]) or list(
        Location.objects.filter(governorate=gov)[:2]
    )
    return [
        services.save_warehouse(
            officer,
            Warehouse(
                code=f"site-{en.lower()}-{n}",
                name_en=f"{en} distribution site {n}",
                name_ar=f"موقع توزيع {ar} {n}",
                kind="site",
                governorate=gov,
                location=place,
            ),
            [officer],
        )
        for n, place in enumerate(places, start=1)
    ]


def _warehouses(officer) -> tuple[Warehouse, list[Warehouse], list[Warehouse]]:
    """The main warehouse in Erbil, a hub per ``HUBS`` governorate and its sites."""
    main = services.save_warehouse(
        officer,
        Warehouse(
            code="main-erbil",
            name_en="IOM Erbil main warehouse",
            name_ar="مستودع المنظمة الدولية للهجرة الرئيسي في أربيل",
            kind="main",
            governorate=Governorate.objects.get(pcode="IQG11"),
        ),
        [officer],
    )
    hubs, sites = [], []
    for pcode, (en, ar) in HUBS.items():
        gov = Governorate.objects.get(pcode=pcode)
        hubs.append(
            services.save_warehouse(
                officer,
                Warehouse(
                    code=f"hub-{en.lower()}",
                    name_en=f"{en} hub",
                    name_ar=f"مستودع {ar} الفرعي",
                    kind="hub",
                    governorate=gov,
                ),
                [officer],
            )
        )
        sites += _sites(officer, gov, en, ar)
    return main, hubs, sites


def _donor_receipts(officer, rng, main: Warehouse, items: dict[str, Item]) -> None:
    """Two donor receipts of each item but soap and towels (they come in kits)."""
    for code in items:
        if code in ("soap", "towel"):
            continue
        for _ in range(2):
            services.record_receipt(
                officer,
                main,
                items[code],
                rng.randint(1500, 3000),
                donor=rng.choice(DONORS),
                reference=f"GRN-2015-{rng.randint(100, 999)}",
            )


def _hub_waybills(officer, rng, main: Warehouse, hub: Warehouse, items) -> list[Waybill]:
    """Main warehouse → hub, one waybill at each stage; received ones arrive short."""
    waybills = []
    lines = [
        (items[c], rng.randint(150, 400))
        for c in ("hygiene-kit", "winter-kit", "blanket", "kerosene-heater")
    ]
    for stage in ("closed", "received", "dispatched", "planned"):
        wb = services.plan_waybill(
            officer,
            main,
            hub,
            lines,
            transporter="Zagros Transport",
            vehicle=f"{rng.randint(10000, 99999)} Erbil",
            driver="Karwan",
        )
        if stage != "planned":
            services.dispatch_waybill(officer, wb)
        if stage in ("received", "closed"):
            first = wb.lines.first()
            # One line arrives short with a few damaged: the shortfall is followed up.
            services.receive_waybill(officer, wb, {first.pk: (first.quantity - 7, 3)})
        if stage == "closed":
            services.close_waybill(officer, wb)
        waybills.append(wb)
    return waybills


def _waybills(officer, rng, main, hubs, sites, items) -> list[Waybill]:
    """Every hub supplied from the main warehouse, then each site from its hub."""
    waybills = []
    for hub in hubs:
        waybills += _hub_waybills(officer, rng, main, hub, items)
    for hub in hubs:
        for site in [s for s in sites if s.governorate_id == hub.governorate_id]:
            wb = services.plan_waybill(
                officer, hub, site, [(items["hygiene-kit"], 120), (items["winter-kit"], 80)]
            )
            services.dispatch_waybill(officer, wb)
            services.receive_waybill(officer, wb)
            waybills.append(wb)
    return waybills


def _redate_waybills(rng, now: datetime.datetime) -> None:
    """Realistic lead times: the road from Erbil takes days, not seconds."""
    for n, wb in enumerate(Waybill.objects.exclude(status="planned").order_by("pk")):
        planned = now - datetime.timedelta(days=30 - n % 10, hours=rng.randint(0, 12))
        dispatched = planned + datetime.timedelta(days=rng.randint(1, 3))
        received = dispatched + datetime.timedelta(hours=rng.randint(10, 90))
        Waybill.objects.filter(pk=wb.pk).update(
            planned_at=planned,
            dispatched_at=dispatched,
            received_at=received if wb.status in ("received", "closed") else None,
            closed_at=received + datetime.timedelta(days=2) if wb.status == "closed" else None,
        )


def _site_plan(officer, site: Warehouse, kit: Item, now: datetime.datetime) -> int | None:
    """The site's optimised and approved plan, 60 % of it distributed (the most vulnerable
    first); how many distributions, or None when the optimiser selected nobody."""
    plan = planning.create_plan(
        officer,
        name=f"Winter hygiene kits, {site.name_en} — حقائب النظافة الشتوية، {site.name_ar}",
        site=site,
        item=kit,
        period="2015-winter",
        need_identified_on=(now - datetime.timedelta(days=35)).date(),
        capacity_kg=1200,
    )
    plan = planning.optimise_plan(officer, plan)
    if plan.status != "optimised" or not plan.selected_count:
        return None
    plan = planning.approve_plan(officer, plan)
    entitled = list(
        plan.entitlements.select_related("household").order_by("-household__vulnerability_score")
    )
    served = entitled[: int(len(entitled) * 0.6)]
    for entitlement in served:
        record_distribution(officer, plan, entitlement.household)
    return len(served)


def _plans(officer, sites: list[Warehouse], kit: Item, now) -> tuple[int, int]:
    """A plan per site. Households of the site's governorate: the first site's plan
    entitles the most vulnerable, the second site serves the next ones (same period: no
    one twice). The distributions are dated over the last ten days."""
    plans = distributions = 0
    for site in sites:
        served = _site_plan(officer, site, kit, now)
        if served is not None:
            plans += 1
            distributions += served
    return plans, distributions


def _redate_distributions(now: datetime.datetime) -> None:
    for n, d in enumerate(Distribution.objects.order_by("pk")):
        Distribution.objects.filter(pk=d.pk).update(
            distributed_at=now - datetime.timedelta(days=10 - n % 10, hours=n % 7)
        )


@step(60, "supply")
def supply(ctx: DemoContext) -> dict | None:
    if Warehouse.objects.exists():
        return {"warehouses": Warehouse.objects.count()}
    officer = User.objects.filter(username="logistics").first()
    if officer is None:
        return None
    items = _items(officer)
    main, hubs, sites = _warehouses(officer)
    ctx.progress(1, 4, "warehouses")
    now = timezone.now()  # the story's day (``amina.lib.demo.STORY_DAY``)
    # The donors' pipeline arrived in May; the ledger is stamped then (it cannot be
    # re-dated afterwards: it is append-only).
    with ctx.at(now - datetime.timedelta(days=45)):
        _donor_receipts(officer, ctx.rng, main, items)
    # Hubs are supplied in early June; the ledger entries of the waybills say so.
    with ctx.at(now - datetime.timedelta(days=25)):
        waybills = _waybills(officer, ctx.rng, main, hubs, sites, items)
    _redate_waybills(ctx.rng, now)
    ctx.progress(2, 4, "waybills")
    plans, distributions = _plans(officer, sites, items["hygiene-kit"], now)
    ctx.progress(3, 4, "distributions")
    _redate_distributions(now)
    ctx.progress(4, 4, "supply")
    return {
        "items": len(items),
        "warehouses": 1 + len(hubs) + len(sites),
        "waybills": len(waybills),
        "plans": plans,
        "distributions": distributions,
    }
