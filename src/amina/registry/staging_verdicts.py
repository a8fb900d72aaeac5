# ruff: noqa: S608 SQL here is built from this module's own table and column names;
# values travel as parameters or through COPY.
"""The staged import's verdicts: each distinct value of a column (or each distinct
combination of a few low-cardinality columns) judged once, in Python, by the very
functions of ``importing_rules`` the row-by-row check calls, and kept in small tables
that the rows join.

``verdict`` holds one value per (kind, raw): names, dates, places. A *combination*
(``h_criteria``: the vulnerability criteria and the household size, with the score they
make; ``m_answers``: a member's relationship, number, sex, document type and two
criteria) is one join per row instead of six to nine: a few thousand distinct
combinations stand for a million rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

from amina.lib import tabular
from amina.lib.bulk import copy_rows
from amina.lib.i18n import json_default
from amina.lib.tabular import Report, Row
from amina.registry import names, vulnerability
from amina.registry.importing_rules import (
    DOCUMENTS,
    FLAGS,
    SEX,
    Places,
    Shelters,
    birth,
    choice,
    consent,
    date,
    governorate,
    head_first_name,
    member_answers,
    member_number,
    not_in_the_future,
    origin,
    relationship,
    scored_criteria,
)


class Ambiguous(Exception):
    """A combination's key cannot be split back into its cells: the file is for the
    row-by-row path."""


#: Joins the cells of a combination into one key (a control character no cell holds
#: without also failing the row-by-row reader's checks).
SEPARATOR = "\x1f"


def key_sql(col: Callable[[str], str], columns) -> str:
    """The SQL of the key ``SEPARATOR`` makes of several columns' raw text."""
    return " || chr(31) || ".join(col(column) for column in columns)


@lru_cache(maxsize=1)
def whitespace() -> str:
    """Every character ``str.strip`` removes, so SQL ``btrim`` strips exactly the same."""
    return "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())


def strip_sql(sql: str) -> str:
    """``str.strip`` in SQL. A value that starts and ends with a visible ASCII character
    (references, numbers: nearly all) is already stripped; ``btrim`` with the set of
    every Unicode space is only paid for the others."""
    ends = f"ascii({sql}) BETWEEN 33 AND 126 AND ascii(right({sql}, 1)) BETWEEN 33 AND 126"
    return f"CASE WHEN {sql} = '' THEN '' WHEN {ends} THEN {sql} ELSE btrim({sql}, %(ws)s) END"


def join_verdict(kind: str, source: str, alias: str) -> str:
    return f"LEFT JOIN verdict {alias} ON {alias}.kind = '{kind}' AND {alias}.raw = {source}"


def errors_sql(expressions: list[str]) -> str:
    """The problems of a row: NULL when it has none (most rows, and cheap to test)."""
    joined = " || ".join(f"coalesce({e}, '[]')" for e in expressions)
    return f"CASE WHEN num_nonnulls({', '.join(expressions)}) = 0 THEN NULL ELSE {joined} END"


def problems_json(errors: list) -> str | None:
    return json.dumps(errors, ensure_ascii=False, default=json_default) if errors else None


def judged(column: str, raw: str, judge: Callable) -> tuple[object, list]:
    """A value's parse and its problems, from the same function the row path calls."""
    report = Report()
    value = judge(report, Row(0, {column: raw.strip()}))
    if not report.problems:  # nearly every value
        return value, []
    return value, [[p.column, p.message] for p in report.errors]


# ------------------------------------------------------------------ combinations


@dataclass(frozen=True)
class Combination:
    """Columns judged together: one table ``name`` of (raw key, fields…, errors)."""

    name: str
    columns: tuple[str, ...]
    #: Output field → SQL type, in the order ``judge`` returns them.
    fields: dict[str, str]
    #: (report, row of the columns' stripped values) → the fields' values.
    judge: Callable[[Report, Row], tuple]

    def key(self, col: Callable[[str], str]) -> str:
        return key_sql(col, self.columns)

    def create(self, cursor) -> None:
        fields = ", ".join(f"{name} {kind}" for name, kind in self.fields.items())
        cursor.execute(
            f"CREATE TEMP TABLE {self.name} (raw text PRIMARY KEY, {fields}, errors jsonb) "
            "ON COMMIT DROP"
        )

    def rows(self, raws: list[str]):
        for raw in raws:
            values = [part.strip() for part in raw.split(SEPARATOR)]
            if len(values) != len(self.columns):
                raise Ambiguous  # a cell holds the separator itself
            report = Report()
            judged_ = self.judge(report, Row(0, dict(zip(self.columns, values, strict=True))))
            errors = [[p.column, p.message] for p in report.errors]
            yield (raw, *judged_, problems_json(errors))

    def join(self, col: Callable[[str], str], alias: str) -> str:
        return f"LEFT JOIN {self.name} {alias} ON {alias}.raw = {self.key(col)}"


CRITERIA_TABLE = "h_criteria"
CRITERIA_COLUMNS = (*FLAGS, "household_size")


def criteria_join(col: Callable[[str], str], alias: str) -> str:
    """The join of a household row to its criteria (``criteria``)."""
    return f"LEFT JOIN {CRITERIA_TABLE} {alias} ON {alias}.raw = {key_sql(col, CRITERIA_COLUMNS)}"


def criteria(weights: dict[str, int]) -> Combination:
    """The household's criteria and size, with the score ``vulnerability`` gives them."""

    def judge(report: Report, row: Row) -> tuple:
        size = tabular.cell_int(report, row, "household_size", required=True, minimum=1)
        flags, derived, score, reasons = scored_criteria(report, row, size, weights)
        large = bool(derived.get("large_household"))
        return (*(flags[f] for f in FLAGS), size, large, score, json.dumps(reasons))

    return Combination(
        CRITERIA_TABLE,
        CRITERIA_COLUMNS,
        {
            **dict.fromkeys(FLAGS, "boolean"),
            "size": "integer",
            "large_household": "boolean",
            "vulnerability_score": "integer",
            "vulnerability_reasons": "jsonb",
        },
        judge,
    )


def _answers(report: Report, row: Row) -> tuple:
    """A member's answers, in the row-by-row check's order."""
    return (relationship(report, row), member_number(report, row), *member_answers(report, row))


ANSWERS = Combination(
    "m_answers",
    ("relationship", "member_no", "sex", "id_doc_type", "disability", "chronic_illness"),
    {
        "relationship": "text",
        "given_no": "integer",
        "sex": "text",
        "document_type": "text",
        "disability": "boolean",
        "chronic_illness": "boolean",
    },
    _answers,
)


# ------------------------------------------------------------------ the verdicts


@dataclass(frozen=True)
class Single:
    """One column judged alone: (kind, file column, judge, slot of ``verdict``).

    ``pure`` stands for a judge that finds no problem: the value from the stripped
    text alone (names' comparison keys, most of the distinct values of a file).
    """

    kind: str
    column: str
    judge: Callable | None
    slot: str
    pure: Callable[[str], object] | None = None
    #: The stored text's length (a name's field), so rows need not cut it.
    width: int | None = None


#: A verdict's row (raw, i, d, b, s, errors) for each slot its value goes to.
SLOTS: dict[str, Callable[[str, object, list], tuple]] = {
    "i": lambda raw, value, errors: (raw, value, None, None, None, errors),
    "d": lambda raw, value, errors: (raw, None, value, None, None, errors),
    "b": lambda raw, value, errors: (raw, None, None, value, None, errors),
    "s": lambda raw, value, errors: (raw, None, None, None, value, errors),
    # A birth: (date, year).
    "birth": lambda raw, value, errors: (raw, value[1], value[0], None, None, errors),
}


class Verdicts:
    """One table of verdicts per staging run: (kind, raw) → value(s) and problems."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.combinations: list[str] = []
        cursor.execute(
            "CREATE TEMP TABLE verdict (kind text, raw text, i integer, d date, b boolean, "
            "s text, t text, errors jsonb, PRIMARY KEY (kind, raw)) ON COMMIT DROP"
        )

    def add(self, kind: str, rows, width: int | None = None) -> None:
        """rows: (raw, i, d, b, s, errors)."""
        # t: the value as written, stripped and cut to ``width`` (what is stored for names).
        copy_rows(
            self.cursor,
            "verdict",
            ["kind", "raw", "i", "d", "b", "s", "t", "errors"],
            (
                (kind, raw, i, d, b, s, raw.strip()[:width], problems_json(errors))
                for raw, i, d, b, s, errors in rows
            ),
        )

    def judge(self, table: str, col: Callable, plan: list[Single | Combination]) -> None:
        """Judge every distinct value (or combination) planned: one scan of ``table``
        (hashed grouping sets), then each distinct value once in Python."""
        sources = [p.key(col) if isinstance(p, Combination) else col(p.column) for p in plan]
        sets = ", ".join(f"({source})" for source in sources)
        self.cursor.execute(
            f"SELECT {', '.join(sources)}, GROUPING({', '.join(sources)}) "
            f"FROM {table} r GROUP BY GROUPING SETS ({sets})"
        )
        width = len(plan)
        found: list[list] = [[] for _ in plan]
        for *values, grouping in self.cursor.fetchall():
            # The one column not grouped away has its bit clear.
            index = next(i for i in range(width) if not grouping & (1 << (width - 1 - i)))
            found[index].append(values[index])
        for item, raws in zip(plan, found, strict=True):
            if isinstance(item, Combination):
                item.create(self.cursor)
                copy_rows(self.cursor, item.name, ["raw", *item.fields, "errors"], item.rows(raws))
                self.cursor.execute(f"ANALYZE {item.name}")
                self.combinations.append(item.name)
                continue
            if item.pure is not None:
                slot, pure = SLOTS[item.slot], item.pure
                rows = [slot(raw, pure(raw.strip()), []) for raw in raws]
            else:
                rows = [
                    SLOTS[item.slot](raw, *judged(item.column, raw, item.judge)) for raw in raws
                ]
            self.add(item.kind, rows, item.width)

    def any_problem(self) -> bool:
        """Whether any value judged has a problem (a clean file has none)."""
        tables = ["verdict", *self.combinations]
        self.cursor.execute(
            "SELECT "
            + " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE errors IS NOT NULL)" for t in tables)
        )
        return self.cursor.fetchone()[0]


# ------------------------------------------------------------------ the plans


def _future(judge: Callable, column: str) -> Callable:
    """A date judge that also refuses dates after today, as the row-by-row check does."""

    def checked(report, row):
        value = judge(report, row)
        not_in_the_future(report, row, column, value[0] if isinstance(value, tuple) else value)
        return value

    return checked


def _id(judge: Callable) -> Callable:
    """A place's judge (``importing_rules.governorate``, ``origin``) giving its id."""

    def judged(report, row):
        found = judge(report, row)
        return found.pk if found else None

    return judged


def _first_name(report, row):
    """The head's first name, required; its comparison key."""
    return names.arabic_part(head_first_name(report, row))


def household_plan(places: Places, outside: Callable) -> list[Single | Combination]:
    """Every column of the households sheet but the places and the free text."""
    shelters = Shelters()

    def dated(column: str) -> Callable:
        return _future(lambda r, w: date(r, w, column), column)

    return [
        Single(
            "h_gov", "governorate", _id(partial(governorate, places=places, outside=outside)), "i"
        ),
        Single("h_origin", "origin_governorate", _id(partial(origin, places=places)), "i"),
        Single("h_shelter", "shelter_type", shelters.judge, "i"),
        criteria(vulnerability.weights()),
        Single("h_registered", "registration_date", dated("registration_date"), "d"),
        Single("h_displaced", "displacement_date", dated("displacement_date"), "d"),
        Single(
            "h_birth",
            "head_birth_date",
            _future(lambda r, w: birth(r, w, "head_birth_date"), "head_birth_date"),
            "birth",
        ),
        Single("h_consent", "consent", consent, "b"),
        Single("h_sex", "head_sex", lambda r, w: choice(r, w, "head_sex", SEX, "sex", ""), "s"),
        Single(
            "h_doc",
            "id_doc_type",
            lambda r, w: choice(r, w, "id_doc_type", DOCUMENTS, "document type", ""),
            "s",
        ),
        *name_plan("h", "head_", _first_name),
        Single("h_team", "registered_by", None, "s", pure=lambda text: None, width=150),
    ]


def name_plan(prefix: str, column_prefix: str, first: Callable | None = None) -> list[Single]:
    """A person's four name parts and Latin name: their comparison keys. ``first``
    judges the first name where it is required (the head's)."""
    plan = []
    for part in ("first", "father", "grandfather", "family"):
        column = f"{column_prefix}{part}_name_ar"
        if part == "first" and first is not None:
            plan.append(Single(f"{prefix}_first", column, first, "s", width=60))
            continue
        key = partial(names.arabic_part, family=part == "family")
        plan.append(Single(f"{prefix}_{part}", column, None, "s", pure=key, width=60))
    latin = f"{column_prefix}name_latin"
    plan.append(Single(f"{prefix}_latin", latin, None, "s", pure=names.latin_key, width=150))
    return plan


def member_plan() -> list[Single | Combination]:
    def birth_date(report, row):
        return birth(report, row, "birth_date", "members:")

    return [ANSWERS, Single("m_birth", "birth_date", birth_date, "birth"), *name_plan("m", "")]


def judge_places(cursor, verdicts: Verdicts, places: Places, col: Callable) -> None:
    """Places depend on each other: judged per distinct (governorate, district,
    location); the governorate's own problems are ``h_gov``'s."""
    cursor.execute(
        f"SELECT DISTINCT {col('governorate')}, {col('district')}, {col('location')} FROM h_raw r"
    )
    rows = []
    for gov_raw, district_raw, location_raw in cursor.fetchall():
        found = places.governorate(gov_raw.strip())
        location = errors = None
        if found.ok:
            verdict = places.place(found.place, district_raw.strip(), location_raw.strip())
            location, errors = verdict.location, [list(p) for p in verdict.problems]
        rows.append(
            (
                SEPARATOR.join((gov_raw, district_raw, location_raw)),
                location if isinstance(location, int) else None,
                None,
                None,
                json.dumps(list(location)) if isinstance(location, tuple) else None,
                errors or [],
            )
        )
    verdicts.add("h_place", rows)
