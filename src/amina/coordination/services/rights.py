"""Who may write what in coordination (reads go through ``amina.accounts.access``).

- Coordinators (admin, national, governorate roles) keep plans, meetings, contacts and
  trainings of the governorates in their scope, and may correct any organisation's 4W.
- Everyone else reports only their own organisation's activities, in their scope.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from amina.accounts import access
from amina.accounts.models import Role

COORDINATOR_ROLES = frozenset({Role.ADMIN, Role.NATIONAL, Role.GOVERNORATE})


def is_coordinator(user) -> bool:
    return access.is_active(user) and (user.is_superuser or user.role in COORDINATOR_ROLES)


def in_scope(user, governorate) -> bool:
    """``governorate`` None means national: only national scope may write there."""
    if not access.is_active(user):
        return False
    if access.has_national_scope(user):
        return True
    return governorate is not None and governorate.pk in access.governorate_ids(user)


def check_coordinator(user, governorate) -> None:
    if not (is_coordinator(user) and in_scope(user, governorate)):
        raise PermissionDenied


def may_report_activity(user, organisation, governorate) -> bool:
    if not in_scope(user, governorate):
        return False
    if is_coordinator(user):
        return True
    return (
        user.organisation_id is not None
        and organisation is not None
        and (organisation.pk == user.organisation_id)
    )


def check_activity(user, organisation, governorate) -> None:
    if not may_report_activity(user, organisation, governorate):
        raise PermissionDenied
