"""The access policy: the one place that decides what a user may read and write.

Every scoped read in a view, API view, export or report goes through ``scoped`` (or
``governorates_in_scope`` for aggregates), so a new page is safe by calling it and
unsafe only by bypassing it — which the access-matrix test looks for.

Every write is an action of the table in ``amina.accounts.actions`` (roles and scope
rule): views declare it (``@requires``), API viewsets name it (``required_actions``,
enforced by ``ActionPermission``), services ``check`` it for each record they write, and
menus ask ``allowed``. The write-access matrix holds every write route to that table.

Two levels of detail:
- *detail* (locations, households, records tied to a place): the user's governorates,
  or everything with national scope;
- *aggregates* (governorate totals): the same governorates; national and partner users
  with national scope see all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_noop
from rest_framework.permissions import SAFE_METHODS, BasePermission

from amina.accounts import actions
from amina.accounts.actions import Scope
from amina.accounts.models import Role, User
from amina.geo.models import Governorate
from amina.lib.i18n import Message, Name

#: Roles that may change reference data and users.
ADMIN_ROLES = frozenset({Role.ADMIN})
#: Roles that see location-level detail in their scope (partners see aggregates only).
DETAIL_ROLES = frozenset({Role.ADMIN, Role.NATIONAL, Role.GOVERNORATE, Role.FIELD, Role.LOGISTICS})


#: Why a user without the personal-data permission is refused.
PERSONAL_DATA_REFUSED = gettext_noop("Your account may not see personal data.")


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


def in_scope(user, governorate: Governorate | int | None) -> bool:
    """Whether ``governorate`` is in the user's scope; ``None`` (a record of no governorate,
    such as a national plan) is in the scope of national users only."""
    if not is_active(user):
        return False
    if has_national_scope(user):
        return True
    if governorate is None:
        return False
    gov_id = governorate if isinstance(governorate, int) else governorate.pk
    return gov_id in governorate_ids(user)


def can_read_history(user) -> bool:
    """The change history of every record: administrators and national coordination."""
    return is_admin(user) or (has_national_scope(user) and user.role == Role.NATIONAL)


def require_detail(user) -> None:
    """Raise PermissionDenied unless the user reads location-level records (a page of detail)."""
    if not sees_detail(user):
        raise PermissionDenied(refusal(user))


def require_personal_data(user) -> None:
    """Raise PermissionDenied, saying why, unless the user may see personal data."""
    if not can_view_personal_data(user):
        raise PermissionDenied(Message(PERSONAL_DATA_REFUSED))


def scope_path(model: type[Model]) -> str:
    """The lookup from ``model`` to its governorate, declared on the model as ``scope_field``."""
    if model is Governorate:
        return "pk"
    path = getattr(model, "scope_field", None)
    if path is None:
        if getattr(model, "scope_fields", None):
            raise TypeError(
                f"{model.__name__} belongs to several governorates (scope_fields); use scope_paths"
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
    """Raise PermissionDenied unless ``user`` may act on that governorate (with the reason)."""
    gov_id = governorate if isinstance(governorate, int) else governorate.pk
    if not is_active(user) or (detail and not sees_detail(user)):
        raise PermissionDenied(refusal(user))
    if not has_national_scope(user) and gov_id not in governorate_ids(user):
        raise PermissionDenied(refusal(user, governorate=governorate))


def get_scoped_or_404(user, queryset, **lookup):
    """Like ``get_object_or_404``, but a record outside the scope is as absent as a missing one."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(scoped(user, queryset), **lookup)


# ---------------------------------------------------------------- writes (the action table)


class _Any:
    """The argument left out: ``allowed(user, "stock.move")`` asks about the role only."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


def _id(value) -> int | None:
    return value if value is None or isinstance(value, int) else value.pk


def allowed(
    user,
    action: str,
    governorate: Governorate | int | None = ANY,
    *,
    organisation=ANY,
    owner=ANY,
) -> bool:
    """Whether ``user`` may take the write ``action`` (a name in ``amina.accounts.actions``).

    Without ``governorate`` (and ``organisation``/``owner``) only the role part is asked —
    what a menu, a button or a view's decorator needs. With them, the scope rule of the
    action decides too: ``governorate=None`` is a record of no governorate (national).
    """
    rule = actions.get(action)
    if not is_active(user) or not (user.is_superuser or user.role in rule.roles):
        return False
    if rule.personal_data and not can_view_personal_data(user):
        return False
    if rule.scope == Scope.NONE:
        return True
    if rule.scope == Scope.NATIONAL:
        return has_national_scope(user)
    if rule.scope == Scope.OWNER:
        if owner is ANY or _id(owner) == user.pk:
            return True
        return rule.otherwise is not None and allowed(
            user, rule.otherwise, governorate, organisation=organisation
        )
    if governorate is not ANY and not in_scope(user, governorate):
        return False
    if rule.scope == Scope.OWN_ORGANISATION and organisation is not ANY:
        org_id = _id(organisation)
        own = org_id is not None and org_id == user.organisation_id
        return own or for_any_organisation(user, action)
    return True


def check(
    user,
    action: str,
    governorate: Governorate | int | None = ANY,
    *,
    organisation=ANY,
    owner=ANY,
) -> None:
    """Raise PermissionDenied unless ``allowed(user, action, governorate, ...)``.

    Services call it with the governorate (organisation, owner) of every record they write
    — for an import, of every row — so a caller that skips the view is refused as well.
    """
    if not allowed(user, action, governorate, organisation=organisation, owner=owner):
        raise PermissionDenied(refusal(user, action, governorate, organisation=organisation))


def refusal(user, action: str | None = None, governorate=ANY, *, organisation=ANY) -> Message:
    """Why ``user`` is refused, in words the 403 page shows (translated for the reader):
    the role, personal data, national scope, a governorate outside the user's scope, or
    another organisation's record."""
    if not is_active(user):
        return Message(gettext_noop("Your account is not active."))
    role = Message.of(Role(user.role).label) if user.role in Role.values else user.role
    rule = actions.get(action) if action else None
    if rule is not None and not (user.is_superuser or user.role in rule.roles):
        return Message(gettext_noop("Your role (%(role)s) cannot do this."), role=role)
    if rule is None and not sees_detail(user):
        return Message(
            gettext_noop("Your role (%(role)s) sees figures by governorate, not this page."),
            role=role,
        )
    if rule is not None and rule.personal_data and not can_view_personal_data(user):
        return Message(PERSONAL_DATA_REFUSED)
    if rule is not None and rule.scope == Scope.NATIONAL and not has_national_scope(user):
        return Message(gettext_noop("Only users with national scope can do this."))
    if governorate is not ANY and not in_scope(user, governorate):
        if governorate is None:
            return Message(gettext_noop("Only users with national scope can do this."))
        place = governorate if isinstance(governorate, Governorate) else None
        place = place or Governorate.objects.filter(pk=governorate).first()
        return Message(
            gettext_noop("%(governorate)s is outside your governorates."),
            governorate=Name.of(place) if place else "—",
        )
    if organisation is not ANY:
        return Message(gettext_noop("You may do this only for your own organisation."))
    return Message(gettext_noop("You are not allowed to do this."))


def for_any_organisation(user, action: str) -> bool:
    """An ``own_organisation`` action: whether the user acts for every organisation."""
    rule = actions.get(action)
    return is_active(user) and (user.is_superuser or user.role in rule.any_organisation)


def allowed_to(action: str) -> Callable[[object], bool]:
    """``allowed(user, action)`` as a one-argument test, for ``nav.add(visible=...)``."""
    return lambda user: allowed(user, action)


def requires(
    action: str | Mapping[str, str],
    *,
    kwarg: str = "action",
    methods: Iterable[str] | None = None,
):
    """Declare the write action of a web view; callers without its role get 403.

    ``action`` is a name, or a mapping from the value of the URL argument ``kwarg`` to a
    name (``/waybills/<pk>/<action>/``; a value outside the mapping is refused).
    ``methods`` limits the check to those methods when the same page also reads (a meeting
    page that adds an action point on POST); by default the form page needs the action too.
    The object's scope is the service's to check. The declaration stays readable on the
    view (``amina_action``) for the write-access matrix.
    """
    names = [action] if isinstance(action, str) else list(action.values())
    for name in names:
        actions.get(name)  # a misspelt action fails at import, not at the first request
    only = None if methods is None else frozenset(m.upper() for m in methods)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if only is None or request.method in only:
                name = action if isinstance(action, str) else action.get(kwargs.get(kwarg))
                if name is None or not allowed(request.user, name):
                    raise PermissionDenied(refusal(request.user, name))
            return view(request, *args, **kwargs)

        wrapper.amina_action = action
        wrapper.amina_action_kwarg = kwarg
        wrapper.amina_action_methods = only
        return wrapper

    return decorate


def writes_nothing(reason: str):
    """Mark a view that takes POST but writes nothing (a purpose asked before an export,
    a search that keeps names out of URLs): the write-access matrix leaves it to the read
    matrix. ``reason`` says why, for the reader."""

    def decorate(view):
        view.amina_writes_nothing = reason
        return view

    return decorate


class ActionPermission(BasePermission):
    """The API's one permission class (the default of every viewset).

    Reads need an authenticated, active user (scoping is ``scoped``'s). A write needs the
    role of the action the viewset names for it in ``required_actions`` ({DRF action name:
    write action}); a write the viewset does not name is refused, so a new write endpoint
    stays closed until its action is declared. The object's scope is the service's to check;
    a viewset that validates a body before its service runs (an update) also declares
    ``write_scope(obj) -> {"governorate": ..., "organisation": ...}``, so a record out of
    scope is refused before its body is read.
    """

    @staticmethod
    def _action(view) -> str | None:
        return getattr(view, "required_actions", {}).get(getattr(view, "action", None))

    def has_permission(self, request, view) -> bool:
        if not is_active(request.user):
            return False
        name = self._action(view)
        if name is None:
            return request.method in SAFE_METHODS
        return allowed(request.user, name)

    def has_object_permission(self, request, view, obj) -> bool:
        name = self._action(view)
        scope = getattr(view, "write_scope", None)
        if name is None or scope is None:
            return True
        return allowed(request.user, name, **scope(obj))


__all__ = [
    "ANY",
    "ActionPermission",
    "User",
    "allowed",
    "allowed_to",
    "can_read_history",
    "can_view_personal_data",
    "check",
    "check_governorate",
    "for_any_organisation",
    "get_scoped_or_404",
    "governorate_ids",
    "governorates_in_scope",
    "has_national_scope",
    "in_scope",
    "is_admin",
    "refusal",
    "require_detail",
    "require_personal_data",
    "requires",
    "scope_paths",
    "scoped",
    "sees_detail",
    "writes_nothing",
]
