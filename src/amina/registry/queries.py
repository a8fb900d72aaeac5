"""Reads of the registry: scoped lists, search, the duplicate warning, masking, and the
families a confirmed duplicate joins (used by supply to avoid serving a family twice).

Masking lives here and only here: ``masked(value, kind)``. A view shows a personal
value either as it is (the user may see personal data, and the view logged it) or
through this function.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet

from amina.accounts import access
from amina.registry import names
from amina.registry.models import DuplicateCandidate, Household, Member

PERSONAL_KINDS = ("name", "document", "phone")
MASK = "•••"


def masked(value, kind: str = "name") -> str:
    """A personal value as users without the personal-data permission see it.

    Names keep nothing; phones and document numbers keep their last two characters so
    a caller on the phone can confirm "ending in 34" without learning the number.
    """
    text = str(value or "")
    if not text:
        return ""
    if kind in ("phone", "document"):
        tail = text[-2:] if len(text) > 6 else ""
        return MASK + tail
    return MASK


def shown(user, value, kind: str = "name") -> str:
    """The value itself for a user with the personal-data permission, else masked."""
    return str(value or "") if access.can_view_personal_data(user) else masked(value, kind)


def households(user) -> QuerySet[Household]:
    """Households the user may see (partners none): the access policy, nothing else."""
    return access.scoped(user, Household)


def search(user, text: str) -> QuerySet[Household]:
    """Households matching a name (Arabic or Latin, spelling-tolerant), a document number
    or a phone, within the user's scope. Callers check ``can_view_personal_data`` first:
    matching on a personal value is itself a personal-data read."""
    qs = households(user)
    text = (text or "").strip()
    if not text:
        return qs.none()
    digits = names.phone_key(text)
    member_filter = Q()
    if len(digits) >= 6 and len(digits) >= len(text.replace(" ", "")) - 3:
        member_filter |= Q(key_phone=digits) | Q(key_document=names.document_key(text))
    else:
        doc = names.document_key(text)
        if len(doc) >= 5 and any(ch.isdigit() for ch in doc):
            member_filter |= Q(key_document=doc)
        tokens = names.name_tokens(text)
        if tokens:
            if tokens[0].isascii():
                name_q = Q()
                for token in tokens:
                    name_q &= Q(key_latin__contains=token)
            else:
                name_q = Q()
                fields = ("key_first", "key_father", "key_grandfather", "key_family")
                for token in tokens:
                    family = names.arabic_part(token, family=True)
                    any_part = Q()
                    for field in fields:
                        any_part |= Q(**{field: family if field == "key_family" else token})
                    name_q &= any_part
            member_filter |= name_q
    if not member_filter:
        return qs.none()
    ids = Member.objects.filter(member_filter).values("household_id")
    return qs.filter(pk__in=ids)


def likely_duplicates(
    user,
    *,
    first="",
    father="",
    grandfather="",
    family="",
    latin="",
    birth_year=None,
    phone="",
    document="",
    limit: int = 5,
) -> list[dict]:
    """Existing registrations that look like the family being typed in.

    Each test hits one of the ``Member`` indexes (name + birth year, three names, phone,
    document), so the answer stays fast on millions of rows. Returns households (in the
    user's scope) with the reasons they match, best first.
    """
    keys = names.member_keys(first, father, grandfather, family, latin, phone, document)
    tests: list[tuple[str, Q]] = []
    if keys["key_document"] and len(keys["key_document"]) >= 5:
        tests.append(("document", Q(key_document=keys["key_document"])))
    if keys["key_phone"] and len(keys["key_phone"]) >= 8:
        tests.append(("phone", Q(key_phone=keys["key_phone"])))
    if keys["key_first"] and keys["key_family"]:
        if birth_year:
            tests.append(
                (
                    "name and year of birth",
                    Q(
                        key_first=keys["key_first"],
                        key_family=keys["key_family"],
                        birth_year__gte=int(birth_year) - 1,
                        birth_year__lte=int(birth_year) + 1,
                    ),
                )
            )
        if keys["key_father"]:
            tests.append(
                (
                    "three names",
                    Q(
                        key_first=keys["key_first"],
                        key_father=keys["key_father"],
                        key_family=keys["key_family"],
                    ),
                )
            )
    if not tests:
        return []
    # Each test reads one index only; scope and status are checked once, on the few
    # households found, so the answer does not depend on the size of the registry.
    found: dict[int, list[str]] = defaultdict(list)
    members = Member.objects.all()
    if not access.has_national_scope(user):
        members = members.filter(household__governorate__in=access.governorate_ids(user))
    for reason, condition in tests:
        rows = members.filter(condition).values_list("household_id", flat=True)[:50]
        for household_id in rows:
            if reason not in found[household_id]:
                found[household_id].append(reason)
    if not found:
        return []
    visible = households(user).filter(pk__in=list(found), status=Household.Status.OPEN)
    by_id = {h.pk: h for h in visible.select_related("location")}
    ranked = sorted(
        ((pk, r) for pk, r in found.items() if pk in by_id), key=lambda kv: (-len(kv[1]), kv[0])
    )[:limit]
    return [{"household": by_id[pk], "reasons": reasons} for pk, reasons in ranked]


def duplicate_group(household_ids) -> dict[int, set[int]]:
    """For each household, the ids of every household confirmed as the same family
    (itself included): following ``merged_into`` links and confirmed candidates, both
    ways, to a fixed point."""
    wanted = {int(pk) for pk in household_ids}
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    frontier, seen = set(wanted), set()
    while frontier:
        seen |= frontier
        edges = set()
        edges |= set(
            Household.objects.filter(pk__in=frontier, merged_into__isnull=False).values_list(
                "pk", "merged_into_id"
            )
        )
        edges |= set(
            Household.objects.filter(merged_into__in=frontier).values_list("pk", "merged_into_id")
        )
        confirmed = DuplicateCandidate.objects.filter(
            Q(household_a__in=frontier) | Q(household_b__in=frontier),
            decision=DuplicateCandidate.Decision.CONFIRMED,
        ).values_list("household_a_id", "household_b_id")
        edges |= set(confirmed)
        new = set()
        for a, b in edges:
            union(a, b)
            new |= {a, b}
        frontier = new - seen
    groups: dict[int, set[int]] = defaultdict(set)
    for pk in seen:
        groups[find(pk)].add(pk)
    return {pk: set(groups[find(pk)]) for pk in wanted}


def head_of(household: Household) -> Member | None:
    return next((m for m in household.members.all() if m.is_head), None)
