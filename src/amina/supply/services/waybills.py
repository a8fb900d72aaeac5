"""Waybills: planned → dispatched → received (shortfall and damage per line) → closed.

Each step claims the waybill with a conditional UPDATE on its status (``WHERE status =
'planned'``), so the same waybill dispatched twice at once moves stock once: the second
caller finds nothing to claim and is told the waybill has already moved on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.audit.services import record_change
from amina.supply.models import Item, StockMovement, Warehouse, Waybill, WaybillLine
from amina.supply.services.ledger import post

Status = Waybill.Status


def visible_waybills(user, queryset: QuerySet | None = None) -> QuerySet:
    """Waybills the user may read: those leaving from or arriving in their governorates.

    ``access.scoped`` follows one path per model; a waybill belongs to both ends, so the
    rule is written here once, from the same policy pieces.
    """
    qs = queryset if queryset is not None else Waybill.objects.all()
    if not access.sees_detail(user):
        return qs.none()
    if access.has_national_scope(user):
        return qs
    ids = access.governorate_ids(user)
    return qs.filter(Q(origin__governorate__in=ids) | Q(destination__governorate__in=ids))


def _claim(waybill: Waybill, from_status: str, to_status: str, **fields) -> Waybill:
    claimed = Waybill.objects.filter(pk=waybill.pk, status=from_status).update(
        status=to_status, **fields
    )
    if not claimed:
        current = Waybill.objects.get(pk=waybill.pk)
        raise ValidationError(
            _("Waybill %(number)s is %(status)s; it cannot be %(action)s.")
            % {
                "number": current.number,
                "status": current.get_status_display(),
                "action": Status(to_status).label,
            },
            code="wrong_status",
        )
    return Waybill.objects.select_related("origin", "destination").get(pk=waybill.pk)


@transaction.atomic
def plan_waybill(
    user,
    origin: Warehouse,
    destination: Warehouse,
    lines: Iterable[tuple[Item, int]],
    *,
    transporter: str = "",
    vehicle: str = "",
    driver: str = "",
    notes: str = "",
) -> Waybill:
    """A consignment to send; no stock moves until it is dispatched."""
    access.check(user, "waybill.dispatch", origin.governorate_id)
    if origin.pk == destination.pk:
        raise ValidationError({"destination": _("Choose a destination other than the origin.")})
    seen: dict[int, int] = {}
    errors = []
    for n, (item, quantity) in enumerate(lines, start=1):
        if not isinstance(quantity, int) or quantity <= 0:
            errors.append(
                _("Line %(n)s (%(item)s): enter a quantity greater than zero.")
                % {"n": n, "item": item.code}
            )
        elif item.pk in seen:
            errors.append(_("Line %(n)s: %(item)s appears twice.") % {"n": n, "item": item.code})
        else:
            seen[item.pk] = quantity
    if errors:
        raise ValidationError(errors)
    if not seen:
        raise ValidationError(_("A waybill needs at least one line."), code="empty")
    waybill = Waybill.objects.create(
        number=f"tmp-{timezone.now().timestamp()}",
        origin=origin,
        destination=destination,
        transporter=transporter,
        vehicle=vehicle,
        driver=driver,
        notes=notes,
        created_by=user,
    )
    # The number follows the primary key, so it is unique without a separate counter.
    waybill.number = f"WB-{waybill.planned_at:%Y}-{waybill.pk:06d}"
    waybill.save(update_fields=["number"])
    WaybillLine.objects.bulk_create(
        [WaybillLine(waybill=waybill, item_id=item_id, quantity=q) for item_id, q in seen.items()]
    )
    record_change(
        user, waybill, "create", {"status": [None, "planned"], "lines": [None, len(seen)]}
    )
    return waybill


@transaction.atomic
def dispatch_waybill(user, waybill: Waybill) -> Waybill:
    """The goods leave the origin: one dispatch entry per line; refused whole if any line
    exceeds the stock on hand."""
    access.check(user, "waybill.dispatch", waybill.origin.governorate_id)
    now = timezone.now()
    waybill = _claim(
        waybill, Status.PLANNED, Status.DISPATCHED, dispatched_at=now, dispatched_by=user
    )
    for line in waybill.lines.select_related("item"):
        post(
            user,
            warehouse=waybill.origin,
            item=line.item,
            kind=StockMovement.Kind.DISPATCH,
            quantity=-line.quantity,
            waybill=waybill,
            reference=waybill.number,
            audit=False,
        )
    record_change(user, waybill, "dispatch", {"status": ["planned", "dispatched"]})
    return waybill


def _check_received(lines: list[WaybillLine], received: dict[int, tuple[int, int]]) -> None:
    """Refuse counts for lines not on the waybill, and counts over what was dispatched."""
    known = {line.pk for line in lines}
    errors = []
    for line_id in received:
        if line_id not in known:
            errors.append(_("Line %(id)s is not on this waybill.") % {"id": line_id})
    for line in lines:
        good, damaged = received.get(line.pk, (line.quantity, 0))
        if good < 0 or damaged < 0 or good + damaged > line.quantity:
            errors.append(
                _(
                    "%(item)s: received %(good)s and damaged %(damaged)s add up to more than the "
                    "%(sent)s dispatched."
                )
                % {"item": line.item.code, "good": good, "damaged": damaged, "sent": line.quantity}
            )
    if errors:
        raise ValidationError(errors)


def _receive_line(
    user, waybill: Waybill, line: WaybillLine, good: int, damaged: int, remark: str
) -> None:
    """Store the line's count; only the good quantity enters the destination's stock."""
    line.quantity_received, line.quantity_damaged = good, damaged
    line.remark = remark[:200]
    line.save(update_fields=["quantity_received", "quantity_damaged", "remark"])
    if good:
        post(
            user,
            warehouse=waybill.destination,
            item=line.item,
            kind=StockMovement.Kind.DISPATCH_RECEIPT,
            quantity=good,
            waybill=waybill,
            reference=waybill.number,
            audit=False,
        )


@transaction.atomic
def receive_waybill(
    user,
    waybill: Waybill,
    received: Mapping[int, tuple[int, int]] | None = None,
    *,
    remarks: Mapping[int, str] | None = None,
) -> Waybill:
    """The destination counts what arrived: ``received`` maps line id → (good, damaged).

    A line left out arrived in full. What neither arrived good nor damaged is the
    shortfall (lost on the road); only the good quantity enters the destination's stock.
    """
    access.check(user, "waybill.receive", waybill.destination.governorate_id)
    received = dict(received or {})
    remarks = dict(remarks or {})
    lines = list(waybill.lines.select_related("item"))
    _check_received(lines, received)
    waybill = _claim(
        waybill, Status.DISPATCHED, Status.RECEIVED, received_at=timezone.now(), received_by=user
    )
    summary = {}
    for line in lines:
        good, damaged = received.get(line.pk, (line.quantity, 0))
        _receive_line(user, waybill, line, good, damaged, remarks.get(line.pk) or "")
        if line.shortfall or damaged:
            summary[line.item.code] = {"shortfall": line.shortfall, "damaged": damaged}
    record_change(
        user,
        waybill,
        "receive",
        {"status": ["dispatched", "received"], "discrepancies": [None, summary]},
    )
    return waybill


@transaction.atomic
def close_waybill(user, waybill: Waybill) -> Waybill:
    """Paperwork done (shortfall followed up with the transporter): nothing moves."""
    access.check(user, "waybill.receive", waybill.destination.governorate_id)
    waybill = _claim(waybill, Status.RECEIVED, Status.CLOSED, closed_at=timezone.now())
    record_change(user, waybill, "close", {"status": ["received", "closed"]})
    return waybill


@transaction.atomic
def cancel_waybill(user, waybill: Waybill) -> Waybill:
    """Only a planned waybill can be cancelled; once stock moved, it must be received."""
    access.check(user, "waybill.dispatch", waybill.origin.governorate_id)
    waybill = _claim(waybill, Status.PLANNED, Status.CANCELLED)
    record_change(user, waybill, "cancel", {"status": ["planned", "cancelled"]})
    return waybill
