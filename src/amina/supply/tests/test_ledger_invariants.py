"""Ledger invariants under any sequence of movements (hypothesis).

For every sequence of receipts, losses, counts, reversals and waybills: each balance
equals the sum of its ledger entries and the model's expectation, none is negative, an
overdraw is refused and changes nothing, and a reversal takes the balance back by exactly
the reversed entry (to the balance before it, when nothing happened in between).
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amina.supply.models import StockBalance, StockMovement
from amina.supply.services import (
    InsufficientStock,
    adjust_after_count,
    dispatch_waybill,
    plan_waybill,
    receive_waybill,
    record_loss,
    record_receipt,
    reverse_movement,
)

pytestmark = pytest.mark.django_db

W = st.integers(0, 1)
I = st.integers(0, 1)  # noqa: E741
Q = st.integers(1, 30)
OPS = st.one_of(
    st.tuples(st.just("receipt"), W, I, Q),
    st.tuples(st.just("loss"), W, I, Q),
    st.tuples(st.just("count"), W, I, st.integers(0, 40)),
    st.tuples(st.just("reverse"), st.integers(0, 50)),
    st.tuples(st.just("waybill"), W, I, Q, st.integers(0, 30), st.integers(0, 5)),
)


def check_invariants(expected, warehouses, items):
    sums = {
        (r["warehouse"], r["item"]): r["s"]
        for r in StockMovement.objects.values("warehouse", "item")
        .annotate(s=Sum("quantity"))
        .order_by()
    }
    balances = {(b.warehouse_id, b.item_id): b.quantity for b in StockBalance.objects.all()}
    for w in warehouses:
        for i in items:
            key = (w.pk, i.pk)
            assert balances.get(key, 0) == sums.get(key, 0) == expected.get(key, 0)
            assert balances.get(key, 0) >= 0


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(OPS, min_size=1, max_size=14))
def test_balances_are_the_sum_of_the_ledger_and_never_negative(
    ops, logistics_ab, hub_a, hub_b, blanket, hygiene_kit
):
    warehouses, items = [hub_a, hub_b], [blanket, hygiene_kit]
    with transaction.atomic():
        expected: dict = {}
        reversible: list[StockMovement] = []
        before_entry: dict[int, int] = {}  # movement → balance just before it
        for op in ops:
            kind = op[0]
            if kind == "reverse":
                if not reversible:
                    continue
                target = reversible[op[1] % len(reversible)]
                key = (target.warehouse_id, target.item_id)
                before = expected.get(key, 0)
                last = StockMovement.objects.latest("pk").pk == target.pk
                if target.pk in {
                    m.reverses_id for m in StockMovement.objects.filter(kind="reversal")
                }:
                    with pytest.raises(ValidationError):
                        reverse_movement(logistics_ab, target, reason="again")
                elif before - target.quantity < 0:
                    with pytest.raises(InsufficientStock):
                        reverse_movement(logistics_ab, target, reason="mistake")
                else:
                    reverse_movement(logistics_ab, target, reason="mistake")
                    expected[key] = before - target.quantity
                    if last:  # nothing in between: back to the balance before the entry
                        assert (
                            StockBalance.objects.get(warehouse_id=key[0], item_id=key[1]).quantity
                            == before_entry[target.pk]
                        )
                check_invariants(expected, warehouses, items)
                continue
            w, i = warehouses[op[1]], items[op[2]]
            key = (w.pk, i.pk)
            have = expected.get(key, 0)
            if kind == "receipt":
                reversible.append(record_receipt(logistics_ab, w, i, op[3], donor="ECHO"))
                before_entry[reversible[-1].pk] = have
                expected[key] = have + op[3]
            elif kind == "loss":
                if op[3] > have:
                    with pytest.raises(InsufficientStock):
                        record_loss(logistics_ab, w, i, op[3], reason="damage")
                else:
                    reversible.append(record_loss(logistics_ab, w, i, op[3], reason="damage"))
                    before_entry[reversible[-1].pk] = have
                    expected[key] = have - op[3]
            elif kind == "count":
                movement = adjust_after_count(logistics_ab, w, i, op[3])
                assert (movement is None) == (op[3] == have)
                if movement:
                    reversible.append(movement)
                    before_entry[movement.pk] = have
                expected[key] = op[3]
            else:  # a waybill to the other warehouse, received with shortfall/damage
                other = warehouses[1 - op[1]]
                qty = op[3]
                waybill = plan_waybill(logistics_ab, w, other, [(i, qty)])
                if qty > have:
                    with pytest.raises(InsufficientStock):
                        dispatch_waybill(logistics_ab, waybill)
                else:
                    dispatch_waybill(logistics_ab, waybill)
                    expected[key] = have - qty
                    check_invariants(expected, warehouses, items)
                    good = min(op[4], qty)
                    damaged = min(op[5], qty - good)
                    line = waybill.lines.get()
                    receive_waybill(logistics_ab, waybill, {line.pk: (good, damaged)})
                    okey = (other.pk, i.pk)
                    expected[okey] = expected.get(okey, 0) + good
            check_invariants(expected, warehouses, items)
        transaction.set_rollback(True)
