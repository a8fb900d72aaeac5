"""The two registrations of a duplicate candidate side by side: every field of the heads
marked as agreeing, differing or missing, and the members of both aligned person by
person. Pure comparisons on ``Member`` objects (their comparison keys, so an alef
variant agrees); the page shows the values through ``views.people`` (masked or logged).
The rules are those of the model (``dedupe_model``): a date of 1 January or 1 July counts
as a year only, and a year-only date agrees with a full one of the same year.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amina.registry import dedupe_model
from amina.registry.models import Member

AGREE, DIFFER, MISSING = "agree", "differ", "missing"
STATUS_LABELS = {AGREE: _("agrees"), DIFFER: _("differs"), MISSING: _("missing")}

#: The head's fields in the order the page lists them: (code, label, value key in the
#: ``views.people`` row).
HEAD_FIELDS = [
    ("first", _("first name"), "first"),
    ("father", _("father's name"), "father"),
    ("grandfather", _("grandfather's name"), "grandfather"),
    ("family", _("family name"), "family"),
    ("latin", _("name in Latin letters"), "name_latin"),
    ("sex", _("sex"), "sex"),
    ("birth", _("date of birth"), "birth"),
    ("document", _("document"), "document"),
    ("phone", _("phone"), "phone"),
]


def full_date(member: Member):
    """The date of birth when it is a real date, None when only the year is known."""
    date = member.birth_date
    if date is None or (date.month, date.day) in dedupe_model.PLACEHOLDER_DATES:
        return None
    return date


def _keys(a: str, b: str) -> str:
    if not a or not b:
        return MISSING
    return AGREE if a == b else DIFFER


def _birth(a: Member, b: Member) -> str:
    if not a.birth_year or not b.birth_year:
        return MISSING
    da, db = full_date(a), full_date(b)
    if da and db:
        return AGREE if da == db else DIFFER
    return AGREE if a.birth_year == b.birth_year else DIFFER


def _document(a: Member, b: Member) -> str:
    if not a.key_document or not b.key_document:
        return MISSING
    return AGREE if a.key_document == b.key_document else DIFFER


def head_status(a: Member | None, b: Member | None) -> dict[str, str]:
    """Field code → agree / differ / missing, for the two heads."""
    if a is None or b is None:
        return {code: MISSING for code, _label, _key in HEAD_FIELDS}
    return {
        "first": _keys(a.key_first, b.key_first),
        "father": _keys(a.key_father, b.key_father),
        "grandfather": _keys(a.key_grandfather, b.key_grandfather),
        "family": _keys(a.key_family, b.key_family),
        "latin": _keys(a.key_latin, b.key_latin),
        "sex": _keys(a.sex, b.sex),
        "birth": _birth(a, b),
        "document": _document(a, b),
        "phone": _keys(a.key_phone, b.key_phone),
    }


def same_person(a: Member, b: Member) -> bool:
    """The same first name (its key) and a year of birth at most one apart or unknown —
    how members of two registrations are paired (and how a merge recognises them)."""
    if not a.key_first or a.key_first != b.key_first:
        return False
    if a.birth_year and b.birth_year:
        return abs(a.birth_year - b.birth_year) <= 1
    return True


def align(members_a: list[Member], members_b: list[Member]) -> list[tuple]:
    """Members of both registrations paired person by person: (a or None, b or None,
    status), heads first, then the people found in both, then those in one only. The
    head of one registration may be a spouse in the other (another head)."""
    left, right = list(members_a), list(members_b)
    rows = []
    for a in left:
        match = next((b for b in right if same_person(a, b)), None)
        if match is not None:
            right.remove(match)
            status = AGREE if _birth(a, match) != DIFFER else DIFFER
            rows.append((a, match, status))
        else:
            rows.append((a, None, MISSING))
    rows += [(None, b, MISSING) for b in right]
    return rows
