"""The stock ledger: posting entries and keeping balances, never negative.

``post`` is the only function that inserts a ``StockMovement``. It moves the
``StockBalance`` row with one ``UPDATE … SET quantity = quantity + delta`` in the same
transaction: the database's CHECK (quantity >= 0) refuses an overdraw, and because the
UPDATE locks the row (PostgreSQL) or the whole database is locked by the writer (SQLite
in IMMEDIATE mode), two officers dispatching the last 100 blankets at the same moment
cannot both succeed: the second one waits, re-reads, and is refused.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import record_change
from amina.supply.models import Item, StockBalance, StockMovement, Warehouse

Kind = StockMovement.Kind


class InsufficientStock(ValidationError):
    """An outgoing entry larger than the balance; names the item, warehouse and what is there."""

    def __init__(self, warehouse: Warehouse, item: Item, requested: int, available: int):
        self.warehouse, self.item = warehouse, item
        self.requested, self.available = requested, available
        super().__init__(
            _(
                "Not enough %(item)s at %(warehouse)s: %(requested)s requested, %(available)s "
                "on hand."
            )
            % {
                "item": item.code,
                "warehouse": warehouse.code,
                "requested": requested,
                "available": available,
            },
            code="insufficient_stock",
        )


def balance_of(warehouse: Warehouse | int, item: Item | int) -> int:
    warehouse_id = getattr(warehouse, "pk", warehouse)
    item_id = getattr(item, "pk", item)
    row = StockBalance.objects.filter(warehouse_id=warehouse_id, item_id=item_id).first()
    return row.quantity if row else 0


def _move_balance(warehouse: Warehouse, item: Item, delta: int) -> int:
    """Add ``delta`` to the balance row and return the new quantity, or raise InsufficientStock."""
    if delta > 0:
        # ON CONFLICT DO NOTHING: two first receipts at once both find the row afterwards.
        StockBalance.objects.bulk_create(
            [StockBalance(warehouse=warehouse, item=item, quantity=0)], ignore_conflicts=True
        )
    rows = StockBalance.objects.filter(warehouse=warehouse, item=item)
    try:
        with transaction.atomic():
            updated = rows.update(quantity=F("quantity") + delta, updated_at=timezone.now())
    except IntegrityError:
        updated = 0
    if updated == 0:
        raise InsufficientStock(warehouse, item, -delta, balance_of(warehouse, item))
    return rows.values_list("quantity", flat=True).get()


@transaction.atomic
def post(
    user,
    *,
    warehouse: Warehouse,
    item: Item,
    kind: str,
    quantity: int,
    donor: str = "",
    reference: str = "",
    reason: str = "",
    waybill=None,
    reverses: StockMovement | None = None,
    audit: bool = True,
) -> StockMovement:
    """Append one entry and move the balance with it (the caller has checked permission)."""
    if quantity == 0:
        raise ValidationError(_("A stock movement cannot be zero."), code="zero")
    after = _move_balance(warehouse, item, quantity)
    movement = StockMovement(
        warehouse=warehouse,
        item=item,
        kind=kind,
        quantity=quantity,
        donor=donor,
        reference=reference,
        reason=reason,
        waybill=waybill,
        reverses=reverses,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    movement.save()
    if audit:
        record_change(
            user,
            movement,
            "create",
            {
                "kind": [None, kind],
                "quantity": [None, quantity],
                "warehouse": [None, warehouse.code],
                "item": [None, item.code],
                "balance": [after - quantity, after],
            },
        )
    if quantity < 0:
        from amina.supply.services.alerts import check_low_stock

        check_low_stock(warehouse, item, before=after - quantity, after=after)
    return movement


def _positive(quantity: int, field: str = "quantity") -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ValidationError({field: _("Enter a whole number greater than zero.")})
    return quantity


@transaction.atomic
def record_receipt(
    user,
    warehouse: Warehouse,
    item: Item,
    quantity: int,
    *,
    donor: str = "",
    reference: str = "",
    reason: str = "",
) -> StockMovement:
    """Goods arriving from outside the system (a donor's consignment, a purchase)."""
    access.check(user, "stock.move", warehouse.governorate_id)
    _positive(quantity)
    if not donor.strip():
        raise ValidationError({"donor": _("Name the donor or supplier of this receipt.")})
    return post(
        user,
        warehouse=warehouse,
        item=item,
        kind=Kind.RECEIPT,
        quantity=quantity,
        donor=donor.strip(),
        reference=reference.strip(),
        reason=reason,
    )


@transaction.atomic
def record_loss(
    user, warehouse: Warehouse, item: Item, quantity: int, *, reason: str
) -> StockMovement:
    """Stock lost, stolen, spoiled or damaged in the warehouse."""
    access.check(user, "stock.move", warehouse.governorate_id)
    _positive(quantity)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what happened to the stock.")})
    return post(
        user,
        warehouse=warehouse,
        item=item,
        kind=Kind.LOSS,
        quantity=-quantity,
        reason=reason.strip(),
    )


@transaction.atomic
def adjust_after_count(
    user, warehouse: Warehouse, item: Item, counted: int, *, reason: str = ""
) -> StockMovement | None:
    """Bring the balance to what a physical count found; None when it already matches.

    The balance row is locked first so that the difference is taken against the balance
    the adjustment will be applied to, not one another writer is changing.
    """
    access.check(user, "stock.move", warehouse.governorate_id)
    if not isinstance(counted, int) or isinstance(counted, bool) or counted < 0:
        raise ValidationError({"counted": _("Enter the counted quantity (zero or more).")})
    row = StockBalance.objects.select_for_update().filter(warehouse=warehouse, item=item).first()
    current = row.quantity if row else 0
    delta = counted - current
    if delta == 0:
        return None
    return post(
        user,
        warehouse=warehouse,
        item=item,
        kind=Kind.ADJUSTMENT,
        quantity=delta,
        reason=reason.strip() or _("physical count: %(n)s") % {"n": counted},
    )


#: Entries corrected through their own document, not by a bare reversal.
NOT_REVERSIBLE = frozenset({Kind.REVERSAL, Kind.DISPATCH, Kind.DISPATCH_RECEIPT, Kind.DISTRIBUTION})


@transaction.atomic
def reverse_movement(user, movement: StockMovement, *, reason: str) -> StockMovement:
    """Undo one entry with an equal and opposite one that points back to it (at most once)."""
    movement = StockMovement.objects.select_related("warehouse", "item").get(pk=movement.pk)
    access.check(user, "stock.move", movement.warehouse.governorate_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this entry is reversed.")})
    if movement.kind in NOT_REVERSIBLE:
        raise ValidationError(
            _("A %(kind)s entry is corrected through its waybill or distribution, not reversed.")
            % {"kind": movement.get_kind_display()},
            code="not_reversible",
        )
    if StockMovement.objects.filter(reverses=movement).exists():
        raise ValidationError(_("This entry has already been reversed."), code="reversed")
    try:
        with transaction.atomic():
            return post(
                user,
                warehouse=movement.warehouse,
                item=movement.item,
                kind=Kind.REVERSAL,
                quantity=-movement.quantity,
                reverses=movement,
                reason=reason.strip(),
                reference=movement.reference,
            )
    except IntegrityError:
        # Two reversals of the same entry at once: the unique key let only one through.
        raise ValidationError(_("This entry has already been reversed."), code="reversed") from None
