"""The directory of focal points."""

from __future__ import annotations

from django.db import transaction

from amina.accounts import access
from amina.audit.services import diff, record_change, snapshot
from amina.coordination.models import Contact


@transaction.atomic
def save_contact(user, contact: Contact, sectors=None) -> Contact:
    creating = contact.pk is None
    # The audit diff leaves phone and e-mail out: the history is not a place for them.
    before = (
        {} if creating else snapshot(Contact.objects.get(pk=contact.pk), exclude=["phone", "email"])
    )
    if not creating:
        access.check(user, "contact.manage", Contact.objects.get(pk=contact.pk).governorate)
    access.check(user, "contact.manage", contact.governorate)
    contact.full_clean()
    contact.save()
    if sectors is not None:
        contact.sectors.set(sectors)
    record_change(
        user,
        contact,
        "create" if creating else "update",
        diff(before, snapshot(contact, exclude=["phone", "email"])),
    )
    return contact


def mask(value: str) -> str:
    """Enough to recognise a number one already has, not enough to call it."""
    if not value:
        return ""
    if "@" in value:
        return "•••@" + value.split("@", 1)[1]
    digits = value.strip()
    return "•" * max(0, len(digits) - 2) + digits[-2:]
