"""Supply use cases: every write to stock, waybills, plans and distributions goes here.

Each public function runs in one transaction, checks who may act, and writes the audit
row in that same transaction. Modules by use case: ``ledger`` (receipts, losses, counts,
reversals, the balance arithmetic), ``waybills`` (dispatch and receipt), ``catalogue``
(items and warehouses), ``planning`` (optimised distribution plans), ``distributions``
(proof of delivery) and ``pipeline`` (read-only figures).
"""

from amina.supply.services.catalogue import save_item, save_warehouse
from amina.supply.services.ledger import (
    InsufficientStock,
    adjust_after_count,
    record_loss,
    record_receipt,
    reverse_movement,
)
from amina.supply.services.waybills import (
    cancel_waybill,
    close_waybill,
    dispatch_waybill,
    plan_waybill,
    receive_waybill,
)

__all__ = [
    "InsufficientStock",
    "adjust_after_count",
    "cancel_waybill",
    "close_waybill",
    "dispatch_waybill",
    "plan_waybill",
    "receive_waybill",
    "record_loss",
    "record_receipt",
    "reverse_movement",
    "save_item",
    "save_warehouse",
]
