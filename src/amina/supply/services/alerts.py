"""Low-stock alerts: told once, when a balance crosses below the item's low-stock level."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from amina.supply.models import Item, Warehouse


def low_stock_recipients(warehouse: Warehouse):
    """The warehouse's managers and the logistics officers of its governorate."""
    from amina.notices.services import users_for_governorate

    users = {u.pk: u for u in users_for_governorate(warehouse.governorate, roles=("logistics",))}
    for manager in warehouse.managers.all():
        users.setdefault(manager.pk, manager)
    return list(users.values())


def check_low_stock(warehouse: Warehouse, item: Item, *, before: int, after: int) -> bool:
    """Notify when this movement took the balance from at or above the level to below it.

    Only the crossing alerts: a balance already low does not repeat the message with every
    distribution, and a receipt that lifts it above the level re-arms the alert.
    """
    level = item.low_stock_level
    if not level or not (before >= level > after):
        return False
    from amina.notices.services import notify

    # Stored text: the language of the deployment (the notification centre shows it as is).
    with translation.override("en"):
        subject = _("Low stock: %(item)s at %(warehouse)s") % {
            "item": item.name_en,
            "warehouse": warehouse.name_en,
        }
        body = _("%(after)s left, below the low-stock level of %(level)s.") % {
            "after": after,
            "level": level,
        }
    notify(
        low_stock_recipients(warehouse),
        "low_stock",
        subject,
        body,
        url=reverse("supply:warehouse-detail", args=[warehouse.pk]),
        governorate=warehouse.governorate,
    )
    return True
