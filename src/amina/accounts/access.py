"""The access policy: the one place that decides what a user may read.

Every scoped read in a view, API view, export or report goes through ``scoped`` (or
``governorates_in_scope`` for aggregates), so a new page is safe by calling it and
unsafe only by bypassing it — which the access-matrix test looks for.

Two levels of detail:
- *detail* (locations, households, records tied to a place): the user's governorates,
  or everything with national scope;
- *aggregates* (governorate totals): the same governorates; national and partner users
  with national scope see all.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from amina.accounts.models import Role, User
from amina.geo.models import Governorate

#: Roles that may change reference data and users.
ADMIN_ROLES = frozenset({Role.ADMIN})
#: Roles that see location-level detail in their scope (partners see aggregates only).
DETAIL_ROLES = frozenset({Role.ADMIN, Role.NATIONAL, Role.GOVERNORATE, Role.FIELD, Role.LOGISTICS})


def is_active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_national_scope(user) -> bool:
    return is_active(user) and (user.national_scope or user.is_superuser)


def governorates_in_scope(user) -> QuerySet[Governorate]:
    """The governorates whose figures the user may read."""
    if not is_active(user):
        return Governorate.objects.none()
    if has_national_scope(user):
        return Governorate.objects.all()
    return Governorate.objects.filter(users=user)


def governorate_ids(user) -> set[int]:
    """Cached per request object (the user instance) to avoid a query per call."""
    if not is_active(user):
        return set()
    cache = getattr(user, "_amina_gov_ids", None)
    if cache is None:
        cache = set(governorates_in_scope(user).values_list("pk", flat=True))
        user._amina_gov_ids = cache
    return cache


def governorate_filter(user) -> set[int] | None:
    """The governorate ids a query should be limited to, or ``None`` for every
    governorate (national scope): the form aggregate queries take."""
    return None if has_national_scope(user) else governorate_ids(user)


def sees_detail(user) -> bool:
    return is_active(user) and user.role in DETAIL_ROLES


def can_view_personal_data(user) -> bool:
    """Personal data is a separate permission inside the detail scope."""
    return sees_detail(user) and bool(user.can_view_personal_data)


def is_admin(user) -> bool:
    return is_active(user) and (user.is_superuser or user.role in ADMIN_ROLES)


#: Roles that may add and correct locations in their scope (reference data, not figures).
PLACE_EDITOR_ROLES = frozenset({Role.ADMIN, Role.NATIONAL, Role.GOVERNORATE})


def can_edit_places(user) -> bool:
    return is_active(user) and (user.is_superuser or user.role in PLACE_EDITOR_ROLES)


def scope_path(model: type[Model]) -> str:
    """The lookup from ``model`` to its governorate, declared on the model as ``scope_field``."""
    if model is Governorate:
        return "pk"
    path = getattr(model, "scope_field", None)
    if path is None:
        if getattr(model, "scope_fields", None):
            raise TypeError(
                f"{model.__name__} belongs to several governorates (scope_fields); "
                "use scope_paths"
            )
        raise TypeError(f"{model.__name__} declares no scope_field; it cannot be read scoped")
    return path


def scope_paths(model: type[Model]) -> tuple[str, ...]:
    """Every lookup from ``model`` to a governorate its records belong to.

    Most records belong to one place (``scope_field``). A record that joins records of
    several places declares ``scope_fields`` instead — a duplicate pair joins two
    households, possibly of two governorates — and a user reads it only with *every*
    one of those governorates in scope: it shows something of each side.
    """
    paths = getattr(model, "scope_fields", None)
    if paths:
        return tuple(paths)
    return (scope_path(model),)


def scoped(
    user,
    queryset: QuerySet | type[Model],
    *,
    detail: bool = True,
    national_records: bool = False,
) -> QuerySet:
    """``queryset`` reduced to what ``user`` may read.

    ``detail=True`` (the default) is for location- or person-level records: partners see
    none. ``detail=False`` is for aggregates: every role sees its governorates.
    ``national_records=True`` adds the records of no governorate (a national plan, a
    national meeting): they concern everyone allowed to read that kind of record.
    A model with several ``scope_fields`` needs all of them in scope (``scope_paths``).
    """
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if not is_active(user) or (detail and not sees_detail(user)):
        return qs.none()
    if has_national_scope(user):
        return qs
    ids = governorate_ids(user)
    for path in scope_paths(qs.model):
        lookup = f"{path}__in" if path != "pk" else "pk__in"
        condition = Q(**{lookup: ids})
        if national_records:
            condition |= Q(**{f"{path}__isnull": True})
        qs = qs.filter(condition)
    return qs


def check_governorate(user, governorate: Governorate | int, *, detail: bool = True) -> None:
    """Raise PermissionDenied unless ``user`` may act on that governorate."""
    gov_id = governorate if isinstance(governorate, int) else governorate.pk
    if not is_active(user) or (detail and not sees_detail(user)):
        raise PermissionDenied
    if not has_national_scope(user) and gov_id not in governorate_ids(user):
        raise PermissionDenied


def get_scoped_or_404(user, queryset, **lookup):
    """Like ``get_object_or_404``, but a record outside the scope is as absent as a missing one."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(scoped(user, queryset), **lookup)


__all__ = [
    "User",
    "can_edit_places",
    "can_view_personal_data",
    "check_governorate",
    "get_scoped_or_404",
    "governorate_ids",
    "governorates_in_scope",
    "has_national_scope",
    "is_admin",
    "scope_paths",
    "scoped",
    "sees_detail",
]
