# ruff: noqa: S608 SQL here is built from this module's own table and column names;
# values travel as parameters.
"""The staged import's checked rows and its report: every verdict joined to its rows.

``h_checked`` holds one typed row per household (the heads are written from it);
``m_checked`` one per member row, built only for a dry run, a file with a problem, or
one whose members must be renumbered: then ``report`` words every problem as the
row-by-row check does, with its row and column.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from amina.lib.i18n import Message
from amina.lib.tabular import Problem, Report
from amina.registry.importing_rules import (
    ALREADY_REGISTERED,
    FLAGS,
    NO_HOUSEHOLD_ROW,
    NOT_IN_FILE,
    REQUIRED,
    appears_twice,
)
from amina.registry.staging_verdicts import (
    ANSWERS,
    criteria_join,
    errors_sql,
    join_verdict,
    key_sql,
    strip_sql,
    whitespace,
)

NAME_PARTS = ("first", "father", "grandfather", "family")


def name_joins(prefix: str, col: Callable, column_prefix: str) -> str:
    """The verdicts of a person's four name parts and Latin name (aliases as in
    ``person``); ``column_prefix`` is ``head_`` on the households sheet."""
    joins = [
        join_verdict(f"{prefix}_{part}", col(f"{column_prefix}{part}_name_ar"), part)
        for part in NAME_PARTS
    ]
    joins.append(join_verdict(f"{prefix}_latin", col(f"{column_prefix}name_latin"), "latin"))
    return "\n        ".join(joins)


def person(col: Callable) -> str:
    """A person's names as written and stripped, document, phone and comparison keys."""
    # Verdicts keep names stripped and cut to their fields' lengths.
    names_ = [f"{part}.t AS {part}_name_ar" for part in NAME_PARTS]
    keys = [f"{part}.s AS key_{part}" for part in NAME_PARTS]
    return ",\n               ".join(
        [
            *names_,
            "latin.t AS name_latin",
            f"{strip_sql(col('id_doc_number'))} AS document_number",
            f"{strip_sql(col('phone'))} AS phone",
            *keys,
            "latin.s AS key_latin",
        ]
    )


def check_households(cursor, f) -> None:
    """``h_checked``: one row per household with its values and its problems."""
    col = f.column
    errors = errors_sql(
        [
            "gov.errors",
            "CASE WHEN gov.errors IS NULL THEN place.errors END",
            *(f"{alias}.errors" for alias in ("shelter", "origin", "crit", "registered")),
            *(f"{alias}.errors" for alias in ("displaced", "birth", "consent", "first")),
            "sex.errors",
            "doc.errors",
        ]
    )
    place_key = key_sql(col, ("governorate", "district", "location"))
    sql = f"""
        CREATE TEMP TABLE h_checked ON COMMIT DROP AS
        SELECT {f.row_number()} AS row_no,
               {strip_sql(col("household_ref"))} AS ref,
               {strip_sql(col("_index"))} AS kobo_index,
               {strip_sql(col("_uuid"))} AS kobo_uuid,
               gov.i AS governorate_id, place.i AS location_id, place.s AS new_location,
               origin.i AS origin_governorate_id, shelter.i AS shelter_id,
               crit.size, registered.d AS registration_date,
               displaced.d AS displacement_date, birth.d AS birth_date, birth.i AS birth_year,
               {", ".join(f"coalesce(crit.{flag}, false) AS {flag}" for flag in FLAGS)},
               crit.large_household, crit.vulnerability_score, crit.vulnerability_reasons,
               sex.s AS sex, coalesce(nullif(doc.s, ''), 'none') AS document_type,
               team.t AS team,
               {person(col)},
               {errors} AS errors
        FROM h_raw r
        {join_verdict("h_gov", col("governorate"), "gov")}
        {join_verdict("h_place", place_key, "place")}
        {join_verdict("h_origin", col("origin_governorate"), "origin")}
        {join_verdict("h_shelter", col("shelter_type"), "shelter")}
        {criteria_join(col, "crit")}
        {join_verdict("h_registered", col("registration_date"), "registered")}
        {join_verdict("h_displaced", col("displacement_date"), "displaced")}
        {join_verdict("h_birth", col("head_birth_date"), "birth")}
        {join_verdict("h_consent", col("consent"), "consent")}
        {join_verdict("h_sex", col("head_sex"), "sex")}
        {join_verdict("h_doc", col("id_doc_type"), "doc")}
        {name_joins("h", col, "head_")}
        {join_verdict("h_team", col("registered_by"), "team")}
    """
    cursor.execute(sql, {"ws": whitespace()})
    # The references' statistics only: the rest of a wide table costs more to sample
    # than the plans that read it gain.
    cursor.execute("ANALYZE h_checked (ref, kobo_index, kobo_uuid)")


def households_clean(cursor) -> bool:
    """No household has a problem: every value judged well (see ``Verdicts``), every
    reference given and once in the file (not yet registered: the unique key says)."""
    cursor.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM h_checked WHERE ref = '') "
        "AND NOT EXISTS (SELECT 1 FROM h_checked GROUP BY ref HAVING count(*) > 1)"
    )
    return cursor.fetchone()[0]


def resolved_members(f) -> str:
    """A CTE ``resolved``: each member row with its household's reference, found by
    reference or by KoboToolbox's parent index or submission uuid (the last household
    row with that index wins, as on the row path), and what is wrong with it if none."""
    col = f.column
    return f"""
        WITH m AS (
            SELECT r.*, {f.row_number()} AS row_no,
                   {strip_sql(col("household_ref"))} AS own_ref,
                   {strip_sql(col("_parent_index"))} AS parent_index,
                   {strip_sql(col("_submission__uuid"))} AS parent_uuid
            FROM m_raw r
        ), by_index AS (
            SELECT DISTINCT ON (kobo_index) kobo_index, ref FROM h_checked
            WHERE kobo_index <> '' ORDER BY kobo_index, row_no DESC
        ), by_uuid AS (
            SELECT DISTINCT ON (kobo_uuid) kobo_uuid, ref FROM h_checked
            WHERE kobo_uuid <> '' ORDER BY kobo_uuid, row_no DESC
        ), firsts AS (
            SELECT ref, min(row_no) AS row_no FROM h_checked WHERE ref <> '' GROUP BY ref
        ), resolved AS (
            SELECT m.*,
                   CASE WHEN m.own_ref <> '' THEN m.own_ref
                        WHEN m.parent_index <> '' THEN coalesce(bi.ref, '')
                        WHEN m.parent_uuid <> '' THEN coalesce(bu.ref, '') ELSE '' END AS ref,
                   CASE WHEN m.own_ref <> '' THEN
                             CASE WHEN fr.ref IS NULL THEN 'unknown' END
                        WHEN m.parent_index <> '' THEN
                             CASE WHEN coalesce(bi.ref, '') = '' THEN 'parent_index' END
                        WHEN m.parent_uuid <> '' THEN
                             CASE WHEN coalesce(bu.ref, '') = '' THEN 'parent_uuid' END
                        ELSE 'required' END AS ref_problem
            FROM m
            LEFT JOIN by_index bi ON bi.kobo_index = m.parent_index
            LEFT JOIN by_uuid bu ON bu.kobo_uuid = m.parent_uuid
            LEFT JOIN firsts fr ON fr.ref = m.own_ref
        )"""


def member_values(col: Callable) -> str:
    """A member row's typed values, over ``r`` (a ``resolved`` row) and its joins
    (``member_joins``)."""
    return f"""ans.relationship, ans.given_no, birth.d AS birth_date, birth.i AS birth_year,
               ans.sex, coalesce(nullif(ans.document_type, ''), 'none') AS document_type,
               coalesce(ans.disability, false) AS disability,
               coalesce(ans.chronic_illness, false) AS chronic_illness,
               {person(col)}"""


def member_joins(col: Callable) -> str:
    return f"""{ANSWERS.join(col, "ans")}
        {join_verdict("m_birth", col("birth_date"), "birth")}
        {name_joins("m", col, "")}"""


def check_members(cursor, f) -> None:
    """``m_checked``: one row per member row, its household found by reference or by
    KoboToolbox's parent index, its values and its problems."""
    col = f.column
    cursor.execute("CREATE INDEX ON h_checked (ref)")
    sql = f"""
        CREATE TEMP TABLE m_checked ON COMMIT DROP AS
        {resolved_members(f)}
        SELECT r.row_no, r.ref, r.ref_problem, r.own_ref, r.parent_index, r.parent_uuid,
               (r.ref_problem IS NOT NULL OR ans.relationship = 'head') AS skip,
               {member_values(col)},
               CASE WHEN r.ref_problem IS NOT NULL THEN NULL
                    WHEN ans.relationship = 'head' THEN NULL
                    ELSE {errors_sql(["ans.errors", "birth.errors"])} END AS errors
        FROM resolved r
        {member_joins(col)}
    """
    cursor.execute(sql, {"ws": whitespace()})
    cursor.execute("ANALYZE m_checked")


def no_members(cursor) -> None:
    cursor.execute("CREATE INDEX ON h_checked (ref)")
    cursor.execute(
        "CREATE TEMP TABLE m_checked (row_no bigint, ref text, ref_problem text, "
        "own_ref text, parent_index text, parent_uuid text, skip boolean, "
        "errors jsonb) ON COMMIT DROP"
    )


# ------------------------------------------------------------------ the report


def _stored(message) -> Message | str:
    """A problem as the verdicts keep it: jsonb of a message's data, or of text (as JSON
    text, or already decoded, depending on the driver's jsonb loader)."""
    if isinstance(message, str):
        try:
            message = json.loads(message)
        except ValueError:
            pass
    return Message.from_data(message)


#: Within a row, problems in the order the row-by-row check finds them: by column.
RANK = {
    column: n
    for n, column in enumerate(
        [
            "household_ref",
            "governorate",
            "district",
            "location",
            "shelter_type",
            "origin_governorate",
            "household_size",
            "registration_date",
            "displacement_date",
            "head_birth_date",
            *FLAGS,
            "consent",
            "head_first_name_ar",
            "head_sex",
            "id_doc_type",
            *(
                f"members:{c}"
                for c in (
                    "household_ref",
                    "_parent_index",
                    "_submission__uuid",
                    "relationship",
                    "member_no",
                    "birth_date",
                    "sex",
                    "id_doc_type",
                    "disability",
                    "chronic_illness",
                )
            ),
        ]
    )
}


def report(cursor, limit: int = 1000) -> Report:
    """Every problem, households first then members, by row: the value problems come
    from the verdicts, the row problems (references) are worded here as the row path
    words them."""
    problems = [(0, p) for p in _value_problems(cursor, "h_checked", limit)]
    problems += [(0, p) for p in _reference_problems(cursor, limit)]
    problems += [(1, p) for p in _value_problems(cursor, "m_checked", limit)]
    problems += [(1, p) for p in _member_reference_problems(cursor, limit)]
    problems.sort(key=lambda p: (p[0], p[1].row, RANK.get(p[1].column, 99)))
    return Report([p for _sheet, p in problems])


def _value_problems(cursor, table: str, limit: int) -> list[Problem]:
    cursor.execute(
        f"SELECT row_no, e->>0, e->1 FROM {table}, jsonb_array_elements(errors) e "
        "ORDER BY row_no LIMIT %s",
        [limit],
    )
    return [Problem(row, column, _stored(message)) for row, column, message in cursor]


def _reference_problems(cursor, limit: int) -> list[Problem]:
    """A household's reference: given, once in the file, not yet registered."""
    cursor.execute(
        """
        SELECT h.row_no, h.ref, f.first_row, x.id IS NOT NULL
        FROM h_checked h
        JOIN (SELECT ref, min(row_no) AS first_row FROM h_checked GROUP BY ref) f USING (ref)
        LEFT JOIN registry_household x ON x.household_ref = h.ref
        WHERE h.ref = '' OR h.row_no <> f.first_row OR x.id IS NOT NULL
        ORDER BY row_no LIMIT %s
        """,
        [limit],
    )
    problems = []
    for row, ref, first_row, registered in cursor.fetchall():
        if ref == "":
            problems.append(Problem(row, "household_ref", REQUIRED))
            continue
        if row != first_row:
            problems.append(Problem(row, "household_ref", appears_twice(ref, first_row)))
        if registered:
            problems.append(Problem(row, "household_ref", ALREADY_REGISTERED % {"value": ref}))
    return problems


def _member_reference_problems(cursor, limit: int) -> list[Problem]:
    cursor.execute(
        "SELECT row_no, ref_problem, own_ref, parent_index, parent_uuid FROM m_checked "
        "WHERE ref_problem IS NOT NULL ORDER BY row_no LIMIT %s",
        [limit],
    )
    problems = []
    for row, problem, own_ref, parent_index, parent_uuid in cursor.fetchall():
        if problem == "unknown":
            message = ("members:household_ref", NOT_IN_FILE % {"value": own_ref})
        elif problem == "parent_index":
            message = ("members:_parent_index", NO_HOUSEHOLD_ROW % {"value": parent_index})
        elif problem == "parent_uuid":
            message = ("members:_submission__uuid", NO_HOUSEHOLD_ROW % {"value": parent_uuid})
        else:
            message = ("members:household_ref", REQUIRED)
        problems.append(Problem(row, *message))
    return problems
