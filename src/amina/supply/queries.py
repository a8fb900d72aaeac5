"""Read-side figures of supply, for the capabilities above it (coordination, reports).

Like ``amina.tracking.queries`` and ``amina.needs.queries``, these are pure reads with no
access checks: callers pass governorate ids already reduced to the reader's scope
(``amina.accounts.access``), or ``None`` for the whole country. Other apps read supply's
tables only through this module, so a change of the ledger or of proof of delivery stays
inside supply.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from amina.lib.i18n import localised
from amina.lib.sql import in_list
from amina.supply.models import Distribution, Item, StockBalance, Warehouse


def households_served(governorate_id: int, start: datetime.date, end: datetime.date) -> int:
    """Distinct households that received anything (proof of delivery) at a distribution
    site of the governorate between ``start`` and ``end``, both days included.

    Supply items carry no MCOF sector, so a response-plan target measured in households
    served counts every distribution in its governorate whatever the target's sector:
    a household served twice, or with two items, counts once.
    """
    return (
        Distribution.objects.filter(
            site__governorate_id=governorate_id,
            distributed_at__date__gte=start,
            distributed_at__date__lte=end,
        )
        .values("household_id")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class ItemFigures:
    """One item of the catalogue in a selection of governorates."""

    name: str
    on_hand: int  # in the selection's warehouses, from the stock balances
    delivered: int  # to households there (proof of delivery)


def stock_and_deliveries(governorate_ids: Iterable[int] | None = None) -> list[ItemFigures]:
    """Per item: stock on hand in the governorates' warehouses and quantity delivered to
    households at their sites, largest deliveries first (then largest stock, then name).
    Items with neither stock nor deliveries are left out.

    One plain query (both grouped reads, the items' names joined in, as one ``UNION
    ALL``): the home dashboard reads it on every refresh, where every round trip and
    every query the ORM compiles shows."""
    from django.db import connection

    params: list = []

    def part(tag: str, model, place: str) -> str:
        where = ""
        if governorate_ids is not None:
            where = (
                f" JOIN {Warehouse._meta.db_table} w ON w.id = x.{place}"
                f" WHERE {in_list('w.governorate_id', governorate_ids, params)}"
            )
        return (
            f"SELECT '{tag}', i.id, i.name_en, i.name_ar, i.name_ckb, SUM(x.quantity) "  # noqa: S608 (own names)
            f"FROM {model._meta.db_table} x JOIN {Item._meta.db_table} i ON i.id = x.item_id"
            f"{where} GROUP BY i.id, i.name_en, i.name_ar, i.name_ckb"
        )

    sql = " UNION ALL ".join(
        [part("b", StockBalance, "warehouse_id"), part("d", Distribution, "site_id")]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    names: dict[int, str] = {}
    sums: dict[str, dict[int, int]] = {"b": {}, "d": {}}
    for tag, pk, name_en, name_ar, name_ckb, n in found:
        names[pk] = localised(name_en, name_ar, name_ckb)
        sums[tag][pk] = n
    rows = [
        ItemFigures(name, int(sums["b"].get(pk) or 0), int(sums["d"].get(pk) or 0))
        for pk, name in names.items()
    ]
    return sorted(rows, key=lambda r: (-r.delivered, -r.on_hand, r.name))
