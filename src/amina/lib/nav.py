"""Menu entries that capabilities add to the top bar, shown to the roles they serve."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass
class NavItem:
    url_name: str
    label: object
    visible: Callable[[object], bool] = lambda user: True
    order: int = 50
    badge: Callable[[object], int] | None = None  # e.g. unread notifications


NAV_ITEMS: list[NavItem] = []


def add(
    url_name: str,
    label,
    visible: Callable[[object], bool] | None = None,
    order: int = 50,
    badge: Callable[[object], int] | None = None,
):
    NAV_ITEMS.append(NavItem(url_name, label, visible or (lambda user: True), order, badge))


def items_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {
            "url": reverse(item.url_name),
            "label": item.label,
            "badge": item.badge(user) if item.badge else 0,
        }
        for item in sorted(NAV_ITEMS, key=lambda i: i.order)
        if item.visible(user)
    ]
