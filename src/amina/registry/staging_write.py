# ruff: noqa: S608 SQL here is built from this module's own table and column names;
# values travel as parameters.
"""The staged import's writes: ``INSERT … SELECT`` of typed rows into the registry.

Households and their heads come from ``h_checked``. Members come straight from the
staged file and their verdicts (``raw_members``) when the file is clean — one pass that
checks and writes — or from ``m_checked`` (``checked_members``) after a problem made
the import build it. Phone and document keys are computed in SQL by
``names.phone_key_sql`` / ``document_key_sql``, twins of the Python keys.
"""

from __future__ import annotations

import dataclasses
import json

from django.utils import timezone

from amina.lib.bulk import copy_rows
from amina.registry import names
from amina.registry.bulk import _columns
from amina.registry.importing_rules import FLAGS, NAME_FIELDS, NewKey, NewPlace, Places
from amina.registry.models import Household, Member
from amina.registry.staging_checks import member_joins, member_values
from amina.registry.staging_verdicts import whitespace


class Renumber(Exception):
    """The file's member numbers cannot be kept as they are (see ``importing_rows.renumber``)."""


# ------------------------------------------------------------------ new locations


def new_locations(cursor, places: Places, f) -> list[tuple[NewKey, NewPlace]]:
    """Locations to create, in file order, named as on their first row (spellings that
    normalise alike are one new location, as on the row path). No household's
    coordinates are read for them: see ``importing._create_locations``."""
    if not places.new:
        return []
    col = f.column
    cursor.execute(
        "SELECT new_location, name FROM ("
        " SELECT DISTINCT ON (h.new_location) h.new_location, h.row_no, "
        f" {col('location')} AS name"
        f" FROM h_checked h JOIN h_raw r ON {f.row_number()} = h.row_no"
        " WHERE h.new_location IS NOT NULL ORDER BY h.new_location, h.row_no) t "
        "ORDER BY row_no"
    )
    found = []
    for key, name in cursor.fetchall():
        gov, district, normalised = json.loads(key)
        place = places.new[(gov, district, normalised)]
        found.append(((gov, district, normalised), dataclasses.replace(place, name=name.strip())))
    return found


def create_locations(cursor, user, found: list[tuple[NewKey, NewPlace]]) -> int:
    """The new locations made (``importing._create_locations``) and given to their rows."""
    from amina.registry.importing import _create_locations

    created = _create_locations(user, found)
    if created:
        cursor.execute(
            "CREATE TEMP TABLE new_location (key text PRIMARY KEY, id integer) ON COMMIT DROP"
        )
        copy_rows(
            cursor,
            "new_location",
            ["key", "id"],
            ((json.dumps(list(key)), pk) for key, pk in created.items()),
        )
        cursor.execute(
            "UPDATE h_checked h SET location_id = n.id FROM new_location n "
            "WHERE h.new_location = n.key"
        )
    return len(created)


# ------------------------------------------------------------------ households and heads


def _same_columns(expressions: dict, model) -> None:
    """A new field on the model must get its value here too: fail loudly, not silently."""
    if set(expressions) != set(_columns(model)):
        raise RuntimeError(f"staging is out of step with {model.__name__}")


HOUSEHOLD = {
    "household_ref": "h.ref",
    "location_id": "h.location_id",
    "governorate_id": "h.governorate_id",
    "origin_governorate_id": "h.origin_governorate_id",
    "displacement_date": "h.displacement_date",
    "shelter_id": "h.shelter_id",
    "size": "coalesce(h.size, 1)",
    "status": "'open'",
    "close_reason": "''",
    "closed_at": "NULL",
    "consent": "true",
    "consent_date": "h.registration_date",
    "consent_by": "h.team",
    **{f: f"h.{f}" for f in FLAGS},
    "large_household": "h.large_household",
    "vulnerability_score": "h.vulnerability_score",
    "vulnerability_reasons": "h.vulnerability_reasons",
    "registration_date": "h.registration_date",
    "registered_team": "h.team",
    "registered_by_id": "%(user)s",
    "registered_at": "%(now)s",
    "merged_into_id": "NULL",
    "anonymised_at": "NULL",
}

#: A member's columns over ``t``: a row of ``member_values`` with ``household_id``,
#: ``member_no`` and ``is_head``.
MEMBER = {
    "household_id": "t.household_id",
    "member_no": "t.member_no",
    "is_head": "t.is_head",
    "relationship": "t.relationship",
    **{
        c: f"t.{c}"
        for c in (
            *NAME_FIELDS,
            "birth_date",
            "birth_year",
            "disability",
            "chronic_illness",
            "key_first",
            "key_father",
            "key_grandfather",
            "key_family",
            "key_latin",
        )
    },
    "sex": "coalesce(t.sex, '')",
    "document_type": "coalesce(t.document_type, 'none')",
    "document_number": "left(t.document_number, 40)",
    "phone": "left(t.phone, 30)",
    # Most members have neither: no regular expressions for an empty cell.
    "key_phone": f"CASE WHEN t.phone = '' THEN '' ELSE {names.phone_key_sql('t.phone')} END",
    "key_document": (
        "CASE WHEN t.document_number = '' THEN '' "
        f"ELSE {names.document_key_sql('t.document_number')} END"
    ),
}
SHARED = (
    "first_name_ar, father_name_ar, grandfather_name_ar, family_name_ar, name_latin, "
    "sex, birth_date, birth_year, document_type, document_number, phone, "
    "key_first, key_father, key_grandfather, key_family, key_latin, "
    "disability, chronic_illness"
)


def _insert_members(cursor, rows: str) -> int:
    cursor.execute(
        f"INSERT INTO registry_member ({', '.join(MEMBER)}) "
        f"SELECT {', '.join(MEMBER.values())} FROM ({rows}) t"
    )
    return cursor.rowcount


def households(cursor, user) -> int:
    """The households, in file order, and their heads; ``h_ids`` keeps each one's id."""
    _same_columns(HOUSEHOLD, Household)
    _same_columns(MEMBER, Member)
    cursor.execute(
        f"INSERT INTO registry_household ({', '.join(HOUSEHOLD)}) "
        f"SELECT {', '.join(HOUSEHOLD.values())} FROM h_checked h ORDER BY h.row_no",
        {"user": getattr(user, "pk", None), "now": timezone.now()},
    )
    written = cursor.rowcount
    cursor.execute(
        "CREATE TEMP TABLE h_ids ON COMMIT DROP AS SELECT h.ref, x.id, h.kobo_index, "
        "h.kobo_uuid, h.row_no FROM h_checked h "
        "JOIN registry_household x ON x.household_ref = h.ref"
    )
    cursor.execute("ANALYZE h_ids")
    _insert_members(
        cursor,
        f"SELECT x.id AS household_id, 1 AS member_no, true AS is_head, "
        f"'head' AS relationship, {SHARED} FROM h_checked h JOIN h_ids x USING (ref)",
    )
    return written


# ------------------------------------------------------------------ members


def checked_members(cursor) -> int:
    """Members from ``m_checked``, numbered by the rule of ``importing_rows.renumber``: a
    member keeps the file's number when it is 2 or more and unique in the household;
    the others follow the highest kept number, in file order."""
    number = """CASE WHEN kept THEN given_no
                 ELSE coalesce(max(CASE WHEN kept THEN given_no END)
                               OVER (PARTITION BY ref), 1)
                      + row_number() OVER (PARTITION BY ref, kept ORDER BY k.row_no)
            END"""
    source = """(SELECT *, coalesce(given_no >= 2
                         AND count(*) OVER (PARTITION BY ref, given_no) = 1, false) AS kept
          FROM m_checked WHERE NOT skip) k"""
    return _insert_members(
        cursor,
        f"SELECT x.id AS household_id, {number} AS member_no, false AS is_head, "
        f"relationship, {SHARED} FROM {source} JOIN h_ids x USING (ref)",
    )


def raw_members(cursor, f) -> int:
    """Members straight from the staged file, for a file whose every value was judged
    well: one pass that finds each row's household and writes it.

    A row whose household is not in the file gets no household id, which the table
    refuses (``NOT NULL``); numbers that must be renumbered raise ``Renumber``. Either
    way the caller rolls this back and builds the report the long way.
    """
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM m_answers WHERE relationship <> 'head' "
        "AND coalesce(given_no, 0) < 2)"
    )
    if cursor.fetchone()[0]:
        raise Renumber
    col = f.column
    joins, household = _households_of_members(f)
    # The numbers are checked on the rows as they are written (RETURNING), not by
    # reading the table again; one integer per (household, number): numbers are below
    # 65,536 (a small integer).
    cursor.execute(
        f"""WITH written AS (
            INSERT INTO registry_member ({", ".join(MEMBER)})
            SELECT {", ".join(MEMBER.values())} FROM (
                SELECT {household} AS household_id, ans.given_no AS member_no,
                       false AS is_head, {member_values(col)}
                FROM m_raw r {joins} {member_joins(col)}) t
            WHERE t.relationship <> 'head' OR t.household_id IS NULL
            RETURNING household_id * 65536 + member_no AS place)
        SELECT (SELECT count(*) FROM written), EXISTS (
            SELECT 1 FROM written GROUP BY place HAVING count(*) > 1)""",
        {"ws": whitespace()},
    )
    written, twice = cursor.fetchone()
    if twice:
        raise Renumber
    return written


def _households_of_members(f) -> tuple[str, str]:
    """(joins, SQL of the household id) of a member row: by reference, else by
    KoboToolbox's parent index, else by submission uuid (the last household row with
    that index or uuid, as on the row path); NULL when none is in the file (or when a
    cell needs stripping to find it)."""
    # The cells as written: a reference with spaces around it finds no household here,
    # and the long way (which strips it, as the row path does) takes the file.
    col = f.column
    own = col("household_ref")
    joins = [f"LEFT JOIN h_ids by_ref ON by_ref.ref = {own}"]
    cases = [f"WHEN {own} <> '' THEN by_ref.id"]
    for column, key, alias in (
        ("_parent_index", "kobo_index", "by_index"),
        ("_submission__uuid", "kobo_uuid", "by_uuid"),
    ):
        if column not in f.mapping:
            continue
        parent = col(column)
        joins.append(
            f"LEFT JOIN (SELECT DISTINCT ON ({key}) {key}, id FROM h_ids WHERE {key} <> '' "
            f"ORDER BY {key}, row_no DESC) {alias} ON {alias}.{key} = {parent}"
        )
        cases.append(f"WHEN {parent} <> '' THEN {alias}.id")
    return "\n            ".join(joins), f"CASE {' '.join(cases)} END"
