"""Reads of the registry: scoped lists, search, the duplicate warning, masking, and the
families a confirmed duplicate joins (used by supply to avoid serving a family twice).

Masking lives here and only here: ``masked(value, kind)``. A view shows a personal
value either as it is (the user may see personal data, and the view logged it) or
through this function.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from amina.accounts import access
from amina.accounts.models import Role, User
from amina.registry import names
from amina.registry.models import DuplicateCandidate, Household, Member

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


#: Up to this many matching people, ``search`` pins the households' ids in the query.
PINNED_MATCHES = 5000


def search(user, text: str) -> QuerySet[Household]:
    """Households matching a name (Arabic or Latin, spelling-tolerant), a document number
    or a phone, within the user's scope. Callers check ``can_view_personal_data`` first:
    matching on a personal value is itself a personal-data read.

    Every condition reads an index of ``registry_member`` (see ``_member_condition``).
    The matching people are looked up once, here: when they are few (most searches: a
    full name, a phone, a document), the households are returned by id, so paging them
    newest first costs a few index reads. Left as a subquery, PostgreSQL may page by
    walking every household backwards until 25 match, when it overestimates how many
    match (measured: 200 ms for 34 matches among 1,000,000). A broad search (one common
    name) keeps the subquery, where that walk is short.
    """
    qs = households(user)
    condition = _member_condition((text or "").strip())
    if condition is None or qs.query.is_empty():
        return qs.none()
    # No ordering: Member's default (by household) would join and sort every match.
    members = Member.objects.filter(condition).order_by()
    if not access.has_national_scope(user):
        members = members.filter(household__governorate__in=access.governorate_ids(user))
    found = list(members.values_list("household_id", flat=True)[: PINNED_MATCHES + 1])
    if len(found) <= PINNED_MATCHES:
        return qs.filter(pk__in=set(found))
    return qs.filter(pk__in=members.values("household_id"))


def ranked_search(user, text: str, *, cap: int | None = None) -> tuple[list[int], bool]:
    """Household ids matching ``text`` (as ``search``), closest names first, and whether
    more than ``cap`` (the lists' cap) matched.

    A search for one common name ("محمد علي") matches hundreds of households; the person
    looked for should be on the first page, not wherever the reference number puts them.
    The candidates are the ``cap`` newest matches (the index-backed ``search``, as before);
    only those are ranked, so a broad search costs what it did plus one read of their
    matching members. Order: the exact name, then a longer name that starts with it, then
    one that contains it, then the rest, each by similarity of the whole name (PostgreSQL's
    ``pg_trgm`` ``similarity()`` where it is installed, the same trigram measure in Python
    elsewhere), then newest first.
    """
    from amina.lib import paging

    cap = cap or paging.CAP  # the lists' cap: 1,000
    qs = search(user, text)
    if qs.query.is_empty():
        return [], False
    ids = list(qs.order_by("-pk").values_list("pk", flat=True)[: cap + 1])
    capped = len(ids) > cap
    ids = ids[:cap]
    if len(ids) < 2:
        return ids, capped
    tokens = names.name_tokens(_NUMBER_WORD.sub(" ", text.strip()))
    if not tokens:
        return ids, capped  # a phone or document: every match is as close as the others
    latin = tokens[0].isascii()
    wanted = [_comparable(t, latin) for t in tokens]
    query = " ".join(wanted)
    members = Member.objects.filter(household_id__in=ids).filter(_member_condition(text.strip()))
    fields = ("key_latin",) if latin else ARABIC_NAME_KEYS
    trigram = _sql_similarity(members.db)
    if trigram:
        from django.db.models import F, FloatField, Func
        from django.db.models.functions import Concat

        whole = F("key_latin") if latin else Concat(*_spaced(fields))
        members = members.annotate(
            closeness=Func(whole, Value(query), function="similarity", output_field=FloatField())
        )
    best: dict[int, tuple] = {}
    order = {pk: n for n, pk in enumerate(ids)}
    for row in members.order_by().values("household_id", *fields, *(["closeness"] * trigram)):
        words = [_comparable(w, latin) for f in fields for w in (row[f] or "").split()]
        closeness = row["closeness"] if trigram else similarity(" ".join(words), query)
        key = (_tier(words, wanted), -(closeness or 0.0), order[row["household_id"]])
        if key < best.get(row["household_id"], (9,)):
            best[row["household_id"]] = key
    return sorted(ids, key=lambda pk: best.get(pk, (9, 0.0, order[pk]))), capped


def _spaced(fields) -> list:
    from django.db.models import F

    out: list = []
    for field in fields:
        out += [F(field), Value(" ")]
    return out[:-1]


def _comparable(word: str, latin: bool) -> str:
    # A family key has no leading "ال" and the other parts keep it: compare without.
    return word if latin else names.arabic_part(word, family=True)


def _tier(words: list[str], wanted: list[str]) -> int:
    """0: the same name; 1: a longer name starting with it; 2: containing it; 3: the rest."""
    if words == wanted:
        return 0
    n = len(wanted)
    if words[:n] == wanted:
        return 1
    if any(words[i : i + n] == wanted for i in range(1, len(words) - n + 1)):
        return 2
    return 3


def _trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in re.findall(r"\w+", text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams of both, as ``pg_trgm``'s ``similarity()``."""
    x, y = _trigrams(a), _trigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def _sql_similarity(alias: str) -> bool:
    """Whether the database has ``pg_trgm``'s ``similarity()`` (PostgreSQL with it)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    cached = getattr(connection, "_amina_trgm", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            cached = cursor.fetchone() is not None
        connection._amina_trgm = cached
    return cached


#: The name parts an Arabic search token may be: each has an index that starts with it
#: (``key_first`` leads ``member_name_year``), so PostgreSQL answers a token with a
#: BitmapOr of four index scans and the tokens with a BitmapAnd of those.
ARABIC_NAME_KEYS = ("key_first", "key_father", "key_grandfather", "key_family")

# A word with a digit in it is part of a number (a document written with letters,
# "AB12345"), never a name: as a Latin name it would shrink to "ab" and match every
# Abdullah and Abbas.
_NUMBER_WORD = re.compile(r"\S*\d\S*")
# What people put between the digits of a phone or document number.
_SEPARATORS = re.compile(r"[\s\-+()./]")


def _member_condition(text: str) -> Q | None:
    """What a member must match for ``text``, or None when nothing can match.

    A phone-like text (mostly digits, separators aside) matches the phone or document
    keys. Otherwise a document-like text (five letters or digits, a digit among them)
    matches the document key, and the name words match names: every token must be one
    of the four Arabic name parts exactly (keys from ``amina.registry.names``), or the
    start of a word of the Latin key.
    """
    if not text:
        return None
    written = _SEPARATORS.sub("", text)
    digits = sum(ch.isdigit() for ch in written)
    if digits >= 6 and digits >= len(written) - 3:
        return Q(key_phone=names.phone_key(text)) | Q(key_document=names.document_key(text))
    condition = None
    doc = names.document_key(text)
    if len(doc) >= 5 and any(ch.isdigit() for ch in doc):
        condition = Q(key_document=doc)
    tokens = names.name_tokens(_NUMBER_WORD.sub(" ", text))
    if tokens:
        name = _latin_name(tokens) if tokens[0].isascii() else _arabic_name(tokens)
        condition = name if condition is None else condition | name
    return condition


def _arabic_name(tokens: list[str]) -> Q:
    condition = Q()
    for token in tokens:
        # The family key drops a leading "ال"; the other parts keep it.
        family = names.arabic_part(token, family=True)
        any_part = Q()
        for field in ARABIC_NAME_KEYS:
            any_part |= Q(**{field: family if field == "key_family" else token})
        condition &= any_part
    return condition


def _latin_name(tokens: list[str]) -> Q:
    """Each token starts a word of ``key_latin`` ("Ahmad Azawi" finds "ahmd kld adw").

    Word starts rather than any substring: a skeleton such as "hmd" (Hamid) is inside
    "ahmd" and "mhmd", so a substring would find every Ahmed and Mohammed. On PostgreSQL
    the tokens are regular expressions that the trigram index ``member_latin_trgm``
    answers in one scan; elsewhere the same test is a pair of LIKEs per token, which
    SQLite answers by reading the table (no index serves a word start there).
    """
    regex = connections[Member.objects.db].vendor == "postgresql"
    condition = Q()
    for token in tokens:
        # Latin keys are lower-case letters only; anything else cannot be in a key.
        if not token.isalpha() or not token.isascii():
            return Q(pk__in=[])
        if regex:
            condition &= Q(key_latin__regex=f"(^| ){token}")
        else:
            condition &= Q(key_latin__startswith=token) | Q(key_latin__contains=f" {token}")
    return condition


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
    tests = _duplicate_tests(keys, birth_year)
    if not tests:
        return []
    found, by_head = _members_matching(user, tests)
    if not found:
        return []
    visible = households(user).filter(pk__in=list(found), status=Household.Status.OPEN)
    by_id = {h.pk: h for h in visible.select_related("location")}
    # Most reasons first; among equals, households whose head matched.
    ranked = sorted(
        ((pk, r) for pk, r in found.items() if pk in by_id),
        key=lambda kv: (-len(kv[1]), kv[0] not in by_head, kv[0]),
    )[:limit]
    return [{"household": by_id[pk], "reasons": reasons} for pk, reasons in ranked]


#: One test of the duplicate warning: the reasons a match gives (the words
#: ``_duplicates_warning.html`` translates: "document", "phone", "name and year of
#: birth", "three names") and a condition on ``Member`` that one index answers.
DuplicateTest = tuple[tuple[str, ...], Q]


def _duplicate_tests(keys: dict[str, str], birth_year) -> list[DuplicateTest]:
    """The tests worth running: a document or phone long enough to mean something, the
    name with the year of birth give or take one, the three names; with both name tests
    possible, first the two at once (a match gives both reasons)."""
    tests: list[DuplicateTest] = []
    if keys["key_document"] and len(keys["key_document"]) >= 5:
        tests.append((("document",), Q(key_document=keys["key_document"])))
    if keys["key_phone"] and len(keys["key_phone"]) >= 8:
        tests.append((("phone",), Q(key_phone=keys["key_phone"])))
    if not (keys["key_first"] and keys["key_family"]):
        return tests
    name = Q(key_first=keys["key_first"], key_family=keys["key_family"])
    father = Q(key_father=keys["key_father"])
    year = (
        Q(birth_year__gte=int(birth_year) - 1, birth_year__lte=int(birth_year) + 1)
        if birth_year
        else None
    )
    if year is not None and keys["key_father"]:
        # Both name tests at once first: on millions of people a common name with a year
        # of birth, or three common names, match more members than a test reads, and the
        # family being registered again must not be cut off among its namesakes.
        tests.append((("name and year of birth", "three names"), name & father & year))
    if year is not None:
        tests.append((("name and year of birth",), name & year))
    if keys["key_father"]:
        tests.append((("three names",), name & father))
    return tests


def _members_matching(user, tests: list[DuplicateTest]) -> tuple[dict[int, list[str]], set[int]]:
    """Households with a member matching each test (reasons in the tests' order), and
    those whose head matched one."""
    # Each test reads one index only; scope and status are checked once, on the few
    # households found, so the answer does not depend on the size of the registry.
    found: dict[int, list[str]] = defaultdict(list)
    by_head: set[int] = set()
    members = Member.objects.all()
    if not access.has_national_scope(user):
        members = members.filter(household__governorate__in=access.governorate_ids(user))
    for reasons, condition in tests:
        # Heads first: the family being registered is typed in by its head, and a
        # common name shared by hundreds of members must not push the head out.
        rows = (
            members.filter(condition)
            .order_by("-is_head", "household_id")
            .values_list("household_id", "is_head")[:50]
        )
        for household_id, is_head in rows:
            found[household_id].extend(r for r in reasons if r not in found[household_id])
            if is_head:
                by_head.add(household_id)
    return found, by_head


#: How many colleagues the duplicate warning names to a user without the permission.
COLLEAGUES_NAMED = 3


def who_may_check(user, governorate_ids) -> list:
    """Colleagues who may open the households of these governorates with their personal
    data: active users with the permission, a detail role and one of the governorates
    in their own list (the governorate's officers before national staff, who are
    fewer to go round). Whom to ask when the warning may not say which household it is.
    """
    if not governorate_ids:
        return []
    # System administrators are not who registration teams should call.
    roles = [r for r in access.DETAIL_ROLES if r != Role.ADMIN]
    officers_first = Case(
        When(role=Role.GOVERNORATE, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    officers = User.governorates.through.objects.filter(governorate_id__in=governorate_ids).values(
        "user_id"
    )
    candidates = (
        User.objects.filter(is_active=True, can_view_personal_data=True, role__in=roles)
        .filter(Q(pk__in=officers) | Q(national_scope=True))
        .exclude(pk=user.pk)
        .select_related("organisation")
        .order_by("national_scope", officers_first, "last_name", "first_name", "username")
    )
    return list(candidates[:COLLEAGUES_NAMED])


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
