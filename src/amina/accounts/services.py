"""Use cases for users and organisations. Every write here records audit."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from amina.accounts.models import Organisation, Role, User
from amina.audit.services import diff, record_change, snapshot
from amina.geo.models import Governorate

#: Roles whose scope is the whole country unless an admin narrows it.
NATIONAL_ROLES = frozenset({Role.ADMIN, Role.NATIONAL})


@transaction.atomic
def create_user(
    actor,
    username: str,
    *,
    role: str,
    password: str,
    governorates: Iterable[Governorate] = (),
    organisation: Organisation | None = None,
    personal_data: bool = False,
    email: str = "",
    national_scope: bool | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a user with a role and a scope.

    National and admin roles get national scope unless told otherwise; every other role
    must name at least one governorate (an empty scope would let them see nothing).
    """
    if role not in Role.values:
        raise ValidationError(f"unknown role {role!r}; choose one of {', '.join(Role.values)}")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"a user named {username!r} already exists")
    governorates = list(governorates)
    national = role in NATIONAL_ROLES if national_scope is None else national_scope
    if not national and not governorates:
        raise ValidationError(f"a {role} user needs at least one governorate (--governorate PCODE)")
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        national_scope=national,
        can_view_personal_data=personal_data,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=(role == Role.ADMIN),
        is_superuser=(role == Role.ADMIN),
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.governorates.set(governorates)
    record_change(
        actor,
        user,
        "create",
        {
            "role": [None, role],
            "governorates": [None, [g.pcode for g in governorates]],
            "personal_data": [None, personal_data],
        },
    )
    return user


@transaction.atomic
def update_user_scope(
    actor,
    user: User,
    *,
    role: str | None = None,
    governorates: Iterable[Governorate] | None = None,
    national_scope: bool | None = None,
    personal_data: bool | None = None,
) -> User:
    before = snapshot(user, exclude=["password", "last_login"])
    before["governorates"] = sorted(user.governorates.values_list("pcode", flat=True))
    if role is not None:
        user.role = role
    if national_scope is not None:
        user.national_scope = national_scope
    if personal_data is not None:
        user.can_view_personal_data = personal_data
    user.full_clean(exclude=["password"])
    user.save()
    if governorates is not None:
        user.governorates.set(list(governorates))
    after = snapshot(user, exclude=["password", "last_login"])
    after["governorates"] = sorted(user.governorates.values_list("pcode", flat=True))
    record_change(actor, user, "update", diff(before, after))
    return user


def find_organisation(name: str) -> Organisation:
    """By English or Arabic name or acronym, case-insensitively; unknown is a ValidationError."""
    from django.db.models import Q

    matches = list(
        Organisation.objects.filter(
            Q(name_en__iexact=name) | Q(name_ar=name) | Q(acronym__iexact=name)
        )[:2]
    )
    if len(matches) != 1:
        known = ", ".join(Organisation.objects.values_list("name_en", flat=True)[:10])
        what = "ambiguous" if matches else "unknown"
        raise ValidationError(f"{what} organisation {name!r}; known: {known}")
    return matches[0]


@transaction.atomic
def save_organisation(actor, organisation: Organisation) -> Organisation:
    creating = organisation.pk is None
    before = {} if creating else snapshot(Organisation.objects.get(pk=organisation.pk))
    organisation.full_clean()
    organisation.save()
    record_change(
        actor,
        organisation,
        "create" if creating else "update",
        diff(before, snapshot(organisation)),
    )
    return organisation
