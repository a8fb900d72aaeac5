"""Many officers dispatching the same stock at the same moment (PostgreSQL only: SQLite
serialises writers, so there is no race to lose there)."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum

from amina.supply.models import StockBalance, StockMovement, Waybill
from amina.supply.services import (
    InsufficientStock,
    dispatch_waybill,
    plan_waybill,
    record_loss,
    record_receipt,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

THREADS = 16


def run_at_once(work):
    """Run ``work(n)`` in THREADS threads released together; each uses its own connection."""
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def target(n):
        try:
            barrier.wait()
            results[n] = ("ok", work(n))
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            results[n] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_concurrent_dispatches_never_overdraw_nor_lose_a_movement(
    logistics_ab, hub_a, hub_b, blanket
):
    record_receipt(logistics_ab, hub_a, blanket, 100, donor="ECHO")
    waybills = [plan_waybill(logistics_ab, hub_a, hub_b, [(blanket, 9)]) for _ in range(THREADS)]

    results = run_at_once(lambda n: dispatch_waybill(logistics_ab, waybills[n]))

    ok = [r for r in results if r[0] == "ok"]
    errors = [r[1] for r in results if r[0] == "error"]
    assert all(isinstance(e, InsufficientStock) for e in errors), errors
    assert len(ok) == 11  # 11 × 9 = 99 of 100; the other five are refused
    balance = StockBalance.objects.get(warehouse=hub_a, item=blanket).quantity
    ledger = StockMovement.objects.filter(warehouse=hub_a, item=blanket).aggregate(
        s=Sum("quantity")
    )["s"]
    assert balance == ledger == 100 - 9 * len(ok) == 1
    assert StockMovement.objects.filter(kind="dispatch").count() == len(ok)
    assert Waybill.objects.filter(status="dispatched").count() == len(ok)
    assert Waybill.objects.filter(status="planned").count() == THREADS - len(ok)


def test_the_same_waybill_dispatched_by_everyone_moves_stock_once(
    logistics_ab, hub_a, hub_b, blanket
):
    record_receipt(logistics_ab, hub_a, blanket, 50, donor="ECHO")
    waybill = plan_waybill(logistics_ab, hub_a, hub_b, [(blanket, 5)])

    results = run_at_once(lambda n: dispatch_waybill(logistics_ab, waybill))

    assert sum(1 for r in results if r[0] == "ok") == 1
    assert StockMovement.objects.filter(kind="dispatch").count() == 1
    assert StockBalance.objects.get(warehouse=hub_a, item=blanket).quantity == 45


def test_concurrent_losses_of_the_last_units(logistics_ab, hub_a, blanket):
    record_receipt(logistics_ab, hub_a, blanket, 10, donor="ECHO")

    results = run_at_once(lambda n: record_loss(logistics_ab, hub_a, blanket, 1, reason="x"))

    assert sum(1 for r in results if r[0] == "ok") == 10
    assert StockBalance.objects.get(warehouse=hub_a, item=blanket).quantity == 0
    assert StockMovement.objects.filter(kind="loss").count() == 10
