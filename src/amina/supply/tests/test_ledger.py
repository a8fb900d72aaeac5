"""The stock ledger: append-only, balances derived from it, never negative."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from amina.audit.models import ChangeLog
from amina.supply.models import AppendOnlyError, StockBalance, StockMovement
from amina.supply.services import (
    InsufficientStock,
    adjust_after_count,
    record_loss,
    record_receipt,
    reverse_movement,
)
from amina.supply.services.ledger import balance_of

pytestmark = pytest.mark.django_db


def ledger_sum(warehouse, item):
    return (
        StockMovement.objects.filter(warehouse=warehouse, item=item).aggregate(s=Sum("quantity"))[
            "s"
        ]
        or 0
    )


def test_a_receipt_adds_stock_and_is_audited(logistics_a, hub_a, blanket):
    movement = record_receipt(logistics_a, hub_a, blanket, 40, donor="ECHO", reference="GRN-7")
    assert balance_of(hub_a, blanket) == 40
    assert movement.quantity == 40 and movement.kind == "receipt"
    assert movement.created_by == logistics_a
    assert ChangeLog.objects.filter(
        model="supply.stockmovement", object_id=str(movement.pk)
    ).exists()


def test_a_receipt_needs_a_donor(logistics_a, hub_a, blanket):
    with pytest.raises(ValidationError) as exc:
        record_receipt(logistics_a, hub_a, blanket, 40, donor=" ")
    assert "donor" in exc.value.message_dict
    assert not StockMovement.objects.exists()


def test_it_refuses_overdraw_and_changes_nothing(stocked, logistics_a, blanket):
    with pytest.raises(InsufficientStock) as exc:
        record_loss(logistics_a, stocked, blanket, 101, reason="flood")
    assert "100 on hand" in exc.value.messages[0]
    assert balance_of(stocked, blanket) == 100
    assert StockMovement.objects.filter(kind="loss").count() == 0


def test_the_database_refuses_a_negative_balance_without_the_service(stocked, blanket):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(warehouse=stocked, item=blanket).update(quantity=-1)


def test_the_database_refuses_a_zero_movement(stocked, blanket):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.bulk_create(
            [StockMovement(warehouse=stocked, item=blanket, kind="adjustment", quantity=0)]
        )


def test_the_database_refuses_an_outgoing_receipt(stocked, blanket):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.bulk_create(
            [StockMovement(warehouse=stocked, item=blanket, kind="receipt", quantity=-3)]
        )


def test_a_movement_cannot_be_changed_or_deleted(stocked, blanket):
    movement = StockMovement.objects.get(warehouse=stocked, item=blanket)
    movement.quantity = 5
    with pytest.raises(AppendOnlyError):
        movement.save()
    with pytest.raises(AppendOnlyError):
        movement.delete()


def test_the_database_refuses_an_update_behind_the_models_back(stocked, blanket):
    with pytest.raises(Exception) as exc, transaction.atomic():
        StockMovement.objects.filter(warehouse=stocked).update(quantity=7)
    assert "append-only" in str(exc.value)
    assert StockMovement.objects.get(warehouse=stocked, item=blanket).quantity == 100


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger on PostgreSQL")
def test_the_database_refuses_a_delete_behind_the_models_back(stocked, blanket):
    with pytest.raises(Exception) as exc, transaction.atomic():
        StockMovement.objects.filter(warehouse=stocked).delete()
    assert "append-only" in str(exc.value)


def test_a_reversal_restores_the_balance_once(stocked, logistics_a, blanket):
    loss = record_loss(logistics_a, stocked, blanket, 30, reason="water damage")
    assert balance_of(stocked, blanket) == 70
    reversal = reverse_movement(logistics_a, loss, reason="found on another shelf")
    assert reversal.reverses == loss and reversal.quantity == 30
    assert balance_of(stocked, blanket) == 100
    with pytest.raises(ValidationError, match="already been reversed"):
        reverse_movement(logistics_a, loss, reason="again")


def test_the_database_allows_one_reversal_per_entry(stocked, blanket):
    receipt = StockMovement.objects.get(warehouse=stocked, item=blanket)
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                warehouse=stocked, item=blanket, kind="reversal", quantity=-1, reverses=receipt
            )
        ]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.bulk_create(
            [
                StockMovement(
                    warehouse=stocked, item=blanket, kind="reversal", quantity=-1, reverses=receipt
                )
            ]
        )


def test_a_reversal_that_would_overdraw_is_refused(stocked, logistics_a, blanket):
    receipt = StockMovement.objects.get(warehouse=stocked, item=blanket)
    record_loss(logistics_a, stocked, blanket, 60, reason="theft")
    with pytest.raises(InsufficientStock):
        reverse_movement(logistics_a, receipt, reason="wrong warehouse")
    assert balance_of(stocked, blanket) == 40


def test_a_count_adjusts_to_what_was_found(stocked, logistics_a, blanket):
    adjustment = adjust_after_count(logistics_a, stocked, blanket, 93, reason="monthly count")
    assert adjustment.quantity == -7 and adjustment.kind == "adjustment"
    assert balance_of(stocked, blanket) == 93 == ledger_sum(stocked, blanket)
    assert adjust_after_count(logistics_a, stocked, blanket, 93) is None


def test_an_officer_of_another_governorate_cannot_write(stocked, logistics_b, blanket):
    with pytest.raises(PermissionDenied):
        record_receipt(logistics_b, stocked, blanket, 5, donor="x")


def test_a_governorate_officer_reads_but_does_not_write_stock(stocked, officer_a, blanket):
    with pytest.raises(PermissionDenied):
        record_loss(officer_a, stocked, blanket, 1, reason="x")


def test_falling_below_the_low_stock_level_notifies_once(stocked, logistics_a, blanket):
    from amina.notices.models import Notification

    stocked.managers.add(logistics_a)
    record_loss(logistics_a, stocked, blanket, 85, reason="rain")  # 15 left: above 10
    assert not Notification.objects.filter(kind="low_stock").exists()
    record_loss(logistics_a, stocked, blanket, 6, reason="rain")  # 9 left: crossed
    record_loss(logistics_a, stocked, blanket, 1, reason="rain")  # 8 left: already low
    notes = Notification.objects.filter(kind="low_stock")
    assert notes.count() == 1
    assert notes.get().recipient == logistics_a
    assert "blanket" in notes.get().subject.lower()
