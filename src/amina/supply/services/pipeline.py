"""The pipeline: stock on hand and in transit per governorate against assessed needs.

Rules (documented in docs/usage/supply.md):

- **Coverage of IDP families** per item = (on hand + in transit to the governorate) ÷ IDP
  families of the latest displacement figures (``tracking.queries.governorate_totals``):
  one item per family.
- **Days of cover** = on hand ÷ average daily consumption, where consumption is what left
  the governorate's warehouses to families or as losses (distribution and loss entries)
  over the last ``CONSUMPTION_DAYS`` days. No consumption in that window: no figure
  (stock that nobody draws on does not "cover" a number of days).
- **Time from need to delivery**: a plan's ``need_identified_on`` to each of its
  distributions, in days (median and 90th percentile).
- **Most vulnerable first**: of the k households a plan served, the share that are among
  the k highest-scoring eligible households of that plan.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from amina.accounts import access
from amina.geo.models import Governorate
from amina.supply.models import (
    Distribution,
    DistributionPlan,
    Item,
    PlanHousehold,
    StockBalance,
    StockMovement,
    Waybill,
    WaybillLine,
)

CONSUMPTION_DAYS = 30


@dataclass
class ItemLine:
    item: Item
    on_hand: int = 0
    in_transit: int = 0
    consumed: int = 0  # in the consumption window
    families: int = 0

    @property
    def days_of_cover(self) -> float | None:
        if self.consumed <= 0:
            return None
        return round(self.on_hand / (self.consumed / CONSUMPTION_DAYS), 1)

    @property
    def coverage(self) -> float | None:
        """Share of IDP families one item each would reach (1.0 = every family)."""
        if not self.families:
            return None
        return round((self.on_hand + self.in_transit) / self.families, 3)


@dataclass
class GovernorateLine:
    governorate: Governorate
    families: int
    items: list[ItemLine] = field(default_factory=list)


@dataclass
class _Lines:
    """The item lines of the governorates and items asked for, made on first use."""

    governorates: dict[int, Governorate]
    items: dict[int, Item]
    totals: dict
    lines: dict[tuple[int, int], ItemLine] = field(default_factory=dict)

    def get(self, gov_id: int, item_id: int) -> ItemLine | None:
        if gov_id not in self.governorates or item_id not in self.items:
            return None
        key = (gov_id, item_id)
        if key not in self.lines:
            figures = self.totals.get(gov_id)
            self.lines[key] = ItemLine(
                self.items[item_id], families=figures.idp_families if figures else 0
            )
        return self.lines[key]


def _add_on_hand(book: _Lines) -> None:
    for row in (
        StockBalance.objects.filter(warehouse__governorate__in=book.governorates)
        .values("warehouse__governorate", "item")
        .annotate(q=Sum("quantity"))
        .order_by()
    ):
        if (it := book.get(row["warehouse__governorate"], row["item"])) is not None:
            it.on_hand = row["q"] or 0


def _add_in_transit(book: _Lines) -> None:
    """Dispatched waybills count for the governorate they are heading to."""
    for row in (
        WaybillLine.objects.filter(
            waybill__status=Waybill.Status.DISPATCHED,
            waybill__destination__governorate__in=book.governorates,
        )
        .values("waybill__destination__governorate", "item")
        .annotate(q=Sum("quantity"))
        .order_by()
    ):
        if (it := book.get(row["waybill__destination__governorate"], row["item"])) is not None:
            it.in_transit = row["q"] or 0


def _add_consumed(book: _Lines) -> None:
    """Distributions and losses of the last ``CONSUMPTION_DAYS`` days."""
    since = timezone.now() - datetime.timedelta(days=CONSUMPTION_DAYS)
    for row in (
        StockMovement.objects.filter(
            warehouse__governorate__in=book.governorates,
            created_at__gte=since,
            kind__in=[StockMovement.Kind.DISTRIBUTION, StockMovement.Kind.LOSS],
        )
        .values("warehouse__governorate", "item")
        .annotate(q=Sum("quantity"))
        .order_by()
    ):
        if (it := book.get(row["warehouse__governorate"], row["item"])) is not None:
            it.consumed = -(row["q"] or 0)


def _by_governorate(book: _Lines) -> list[GovernorateLine]:
    """Governorates by p-code, with stock or displacement figures; items by code."""
    result = []
    for gov_id, gov in sorted(book.governorates.items(), key=lambda kv: kv[1].pcode):
        gov_lines = [book.lines[(gov_id, i)] for i in book.items if (gov_id, i) in book.lines]
        figures = book.totals.get(gov_id)
        if gov_lines or figures:
            result.append(
                GovernorateLine(
                    gov,
                    figures.idp_families if figures else 0,
                    sorted(gov_lines, key=lambda x: x.item.code),
                )
            )
    return result


def pipeline(user, item_ids=None) -> list[GovernorateLine]:
    """Per governorate in the user's scope: each item's on hand, in transit, cover, coverage."""
    from amina.tracking.queries import governorate_totals

    governorates = {g.pk: g for g in access.governorates_in_scope(user)}
    if not governorates:
        return []
    items = {i.pk: i for i in Item.objects.filter(active=True)}
    if item_ids:
        items = {k: v for k, v in items.items() if k in set(item_ids)}
    totals = governorate_totals(governorate_ids=list(governorates))
    book = _Lines(governorates, items, totals)
    _add_on_hand(book)
    _add_in_transit(book)
    _add_consumed(book)
    return _by_governorate(book)


def lead_times(user) -> dict:
    """Waybill lead times (dispatch → receipt) and need → delivery, in days."""
    from amina.supply.services.waybills import visible_waybills

    road = [
        (w.received_at - w.dispatched_at).total_seconds() / 86400
        for w in visible_waybills(user)
        .filter(received_at__isnull=False, dispatched_at__isnull=False)
        .only("received_at", "dispatched_at")
    ]
    need = [
        (d["distributed_at"].date() - d["plan__need_identified_on"]).days
        for d in access.scoped(user, Distribution).values(
            "distributed_at", "plan__need_identified_on"
        )
    ]
    return {"waybill": _summary(road), "need_to_delivery": _summary(need)}


def _summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "median": None, "p90": None}
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {"n": len(values), "median": round(statistics.median(ordered), 1), "p90": round(p90, 1)}


def vulnerable_first_share(user) -> dict:
    """Of the households served, the share among the k most vulnerable of their plan."""
    plans = access.scoped(user, DistributionPlan).filter(distributions__isnull=False).distinct()
    served_total = hits_total = 0
    per_plan = []
    for plan in plans:
        served = set(plan.distributions.values_list("household_id", flat=True))
        k = len(served)
        ranked = list(
            PlanHousehold.objects.filter(plan=plan, eligible=True)
            .order_by("-score", "household_id")
            .values_list("household_id", "score")
        )
        if not ranked:
            continue
        # Ties at the k-th score count as "top": same vulnerability, same priority.
        threshold = ranked[min(k, len(ranked)) - 1][1]
        top = {pk for pk, score in ranked if score >= threshold}
        hits = len(served & top)
        served_total += k
        hits_total += hits
        per_plan.append({"plan": plan, "served": k, "top": hits})
    share = round(hits_total / served_total, 3) if served_total else None
    return {"share": share, "served": served_total, "plans": per_plan}


def stock_rows(user, governorate_codes=()) -> list[dict]:
    """Stock per warehouse and item (for exports): on hand and in transit.

    ``user`` None is the command line: every governorate."""
    qs = StockBalance.objects.all() if user is None else access.scoped(user, StockBalance)
    qs = qs.select_related("warehouse__governorate", "item")
    if governorate_codes:
        qs = qs.filter(warehouse__governorate__pcode__in=list(governorate_codes))
    transit = defaultdict(int)
    for row in (
        WaybillLine.objects.filter(waybill__status=Waybill.Status.DISPATCHED)
        .values("waybill__destination", "item")
        .annotate(q=Sum("quantity"))
        .order_by()
    ):
        transit[(row["waybill__destination"], row["item"])] = row["q"] or 0
    rows = []
    for b in qs.order_by("warehouse__governorate__pcode", "warehouse__code", "item__code"):
        w = b.warehouse
        rows.append(
            {
                "governorate": w.governorate.name_en,
                "governorate_pcode": w.governorate.pcode,
                "warehouse": w.name_en,
                "warehouse_code": w.code,
                "warehouse_kind": w.kind,
                "item_code": b.item.code,
                "item": b.item.name_en,
                "unit": b.item.unit,
                "on_hand": b.quantity,
                "in_transit": transit.get((w.pk, b.item_id), 0),
                "updated": b.updated_at,
            }
        )
    return rows
