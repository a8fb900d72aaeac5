"""Who may write stock, plan distributions and record them.

Decision (DESIGN.md mentions a "warehouses" scope for logistics): a logistics user's
scope is the governorates listed on their account, and they act on every warehouse of
those governorates. ``Warehouse.managers`` names the people answerable for a warehouse
(they receive its low-stock alerts); it does not widen anyone's scope, so the one access
policy (``amina.accounts.access``) stays the only place that decides what a user sees.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from amina.accounts import access
from amina.accounts.models import Role

#: Roles that write the stock ledger and waybills.
STOCK_ROLES = frozenset({Role.ADMIN, Role.LOGISTICS})
#: Roles that plan distributions.
PLAN_ROLES = frozenset({Role.ADMIN, Role.NATIONAL, Role.GOVERNORATE, Role.LOGISTICS})
#: Roles that record distributions at a site.
DISTRIBUTION_ROLES = frozenset({Role.ADMIN, Role.GOVERNORATE, Role.LOGISTICS, Role.FIELD})


def _role_ok(user, roles) -> bool:
    return access.is_active(user) and (user.is_superuser or user.role in roles)


def _in_scope(user, governorate_id: int) -> bool:
    return access.has_national_scope(user) or governorate_id in access.governorate_ids(user)


def can_manage_stock(user, warehouse) -> bool:
    return _role_ok(user, STOCK_ROLES) and _in_scope(user, warehouse.governorate_id)


def check_stock_writer(user, warehouse) -> None:
    if not can_manage_stock(user, warehouse):
        raise PermissionDenied


def can_plan(user, governorate_id: int) -> bool:
    return _role_ok(user, PLAN_ROLES) and _in_scope(user, governorate_id)


def check_planner(user, governorate_id: int) -> None:
    if not can_plan(user, governorate_id):
        raise PermissionDenied


def can_distribute(user, governorate_id: int) -> bool:
    return _role_ok(user, DISTRIBUTION_ROLES) and _in_scope(user, governorate_id)


def check_distributor(user, governorate_id: int) -> None:
    if not can_distribute(user, governorate_id):
        raise PermissionDenied


def visible_waybills(user, queryset: QuerySet | None = None) -> QuerySet:
    """Waybills the user may read: those leaving from or arriving in their governorates.

    ``access.scoped`` follows one path per model; a waybill belongs to both ends, so the
    rule is written here once, from the same policy pieces.
    """
    from amina.supply.models import Waybill

    qs = queryset if queryset is not None else Waybill.objects.all()
    if not access.sees_detail(user):
        return qs.none()
    if access.has_national_scope(user):
        return qs
    ids = access.governorate_ids(user)
    return qs.filter(Q(origin__governorate__in=ids) | Q(destination__governorate__in=ids))
