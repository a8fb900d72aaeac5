# ruff: noqa: S608 SQL here is built from this module's own table and column names;
# values travel as parameters or through COPY.
"""Importing a national registration list on PostgreSQL: the file goes to the database
with ``COPY`` as it is, and each distinct value is checked once, in Python.

A list of a million households repeats a few thousand names, dates, places and answers
millions of times. Checking every cell in Python (``importing.check``) costs a minute
per hundred thousand households; here PostgreSQL parses the CSV (``COPY … FORMAT csv``
into text tables), Python judges each *distinct* value of a column with the very
functions ``importing.check`` uses (so a value gets the same verdict and the same
message on both paths), the verdicts go back as small tables, and one ``INSERT …
SELECT`` per table writes the rows. Phone and document keys are computed in SQL by
``names.phone_key_sql`` / ``document_key_sql``, twins of the Python keys.

Only what the row-by-row path would accept is written, and nothing at all when any row
has a problem: every problem keeps the row number and column the user sees. Files this
path does not take (XLSX, a CSV that ``COPY`` cannot parse, a header under titles with
quoted line breaks, other databases) return ``None`` and the caller uses ``importing``'s
row-by-row path, which explains whatever is wrong.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import psycopg
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from amina.lib import tabular
from amina.lib.bulk import copy_chunks, copy_rows, indexes_rebuilt
from amina.lib.i18n import Message, json_default
from amina.lib.tabular import ImportFailed, Problem, Report, Row
from amina.registry import names, vulnerability
from amina.registry.bulk import _columns
from amina.registry.importing import (
    ALREADY_REGISTERED,
    DOCUMENTS,
    FLAGS,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    NAME_FIELDS,
    NO_CONSENT,
    NO_HOUSEHOLD_ROW,
    NOT_IN_FILE,
    PCODE,
    RELATIONSHIPS,
    SEX,
    _birth,
    _choice,
    _date,
    _Places,
    appears_twice,
    in_the_future,
    outside_scope,
    unknown_choice,
    without_groups,
)
from amina.registry.models import Criterion, Household, Member
from amina.tracking.queries import shelter_types

CHUNK = 1 << 20
#: COPY's end-of-data marker: a line that is only a backslash and a period.
END_OF_DATA = re.compile(rb"(?:^|\n)\\\.(?:\r?\n|\r?$)")
TEMPORARY = ("h_raw", "m_raw", "verdict", "h_checked", "m_checked", "score", "new_location")
PREFIX = 1 << 16


class Unsuitable(Exception):
    """This file is for the row-by-row path."""


@lru_cache(maxsize=1)
def _whitespace() -> str:
    """Every character ``str.strip`` removes, so SQL ``btrim`` strips exactly the same."""
    return "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())


# ------------------------------------------------------------------ the file


class _Csv:
    """A CSV source: its header, where the data starts, and how COPY should read it."""

    def __init__(self, source, columns, filename: str):
        self.source = source
        if isinstance(source, bytes):
            head = source[:PREFIX]
        else:
            try:
                with open(source, "rb") as handle:
                    head = handle.read(PREFIX)
            except OSError as exc:
                raise Unsuitable from exc
        name = filename or ("" if isinstance(source, bytes) else Path(source).name)
        if not head.strip() or tabular.is_xlsx(head) or b"\x00" in head[:4096]:
            raise Unsuitable
        if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            raise Unsuitable
        # Only whole lines of the prefix: a multi-byte character may be cut at its end.
        whole = head if len(head) < PREFIX else head[: head.rfind(b"\n") + 1]
        try:
            text = whole.decode("utf-8-sig")
            self.encoding = "UTF8"
        except UnicodeDecodeError:
            try:
                text = whole.decode("cp1256")
            except UnicodeDecodeError:
                raise Unsuitable from None
            self.encoding = "WIN1256"
        try:
            dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        if dialect.quotechar != '"' or dialect.delimiter not in ",;\t":
            raise Unsuitable
        self.delimiter = dialect.delimiter
        lines = whole.split(b"\n")
        raw = [next(csv.reader([line.decode(self._python_encoding()).lstrip("\ufeff")],
                               dialect), []) for line in lines[:12]]  # fmt: skip
        try:
            header_index, _headers, mapping = tabular.match_header(
                [without_groups(row) for row in raw], columns
            )
        except tabular.TableError:
            raise Unsuitable from None
        # The header and the lines above it must be single physical lines.
        self.offset = sum(len(line) + 1 for line in lines[: header_index + 1])
        above = whole[: self.offset].decode(self._python_encoding())
        if len(list(csv.reader(io.StringIO(above), dialect))) != header_index + 1:
            raise Unsuitable
        self.header_index = header_index
        self.width = len(raw[header_index])
        self.mapping = mapping

    def _python_encoding(self) -> str:
        return "utf-8-sig" if self.encoding == "UTF8" else "cp1256"

    def chunks(self) -> Iterator[bytes]:
        """The bytes after the header. A line ``\\.`` would end COPY's input early and
        silently: a file holding one goes the row-by-row way instead."""
        tail = b"\n"
        for chunk in self._raw_chunks():
            window = tail + bytes(chunk[:4])
            if b"\\." in window + bytes(chunk) and (
                END_OF_DATA.search(window) or END_OF_DATA.search(chunk)
            ):
                raise Unsuitable
            tail = bytes(chunk[-3:])
            yield chunk

    def _raw_chunks(self) -> Iterator[bytes]:
        if isinstance(self.source, bytes):
            view = memoryview(self.source)
            for start in range(self.offset, len(view), CHUNK):
                yield view[start : start + CHUNK]
            return
        with open(self.source, "rb") as handle:
            handle.seek(self.offset)
            while chunk := handle.read(CHUNK):
                yield chunk

    def column(self, name: str) -> str:
        """The SQL of a column's raw text ('' when absent or empty)."""
        if name not in self.mapping:
            return "''"
        return f"coalesce(r.c{self.mapping[name]}, '')"

    def load(self, cursor, table: str) -> int:
        """COPY the rows into a text table; row numbers as the user sees them."""
        cols = ", ".join(f"c{i} text" for i in range(self.width))
        cursor.execute(
            f"CREATE TEMP TABLE {table} (n bigint GENERATED ALWAYS AS IDENTITY, {cols}) "
            "ON COMMIT DROP"
        )
        names_ = [f"c{i}" for i in range(self.width)]
        delimiter = {"\t": "E'\\t'"}.get(self.delimiter, f"'{self.delimiter}'")
        copy_chunks(
            cursor,
            table,
            names_,
            self.chunks(),
            f"FORMAT csv, DELIMITER {delimiter}, ENCODING '{self.encoding}'",
        )
        # Rows with nothing in any cell are skipped, as the reader does.
        empty = " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(self.width))
        cursor.execute(f"DELETE FROM {table} WHERE {empty}")  # noqa: S608 (own names)
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]

    def row_number(self) -> str:
        return f"(r.n + {self.header_index + 1})"


# ------------------------------------------------------------------ verdicts


def _verdict(column: str, raw: str, judge: Callable) -> tuple[object, list]:
    """A value's parse and its problems, from the same function the row path calls."""
    report = Report()
    value = judge(report, Row(0, {column: raw.strip()}))
    return value, [[p.column, p.message] for p in report.errors]


def _problems_json(errors: list) -> str | None:
    return json.dumps(errors, ensure_ascii=False, default=json_default) if errors else None


class _Verdicts:
    """One table of verdicts per staging run: (kind, raw) → value(s) and problems."""

    def __init__(self, cursor):
        self.cursor = cursor
        cursor.execute(
            "CREATE TEMP TABLE verdict (kind text, raw text, i integer, d date, b boolean, "
            "s text, t text, errors jsonb, PRIMARY KEY (kind, raw)) ON COMMIT DROP"
        )

    def distinct(self, sql: str) -> list[str]:
        self.cursor.execute(sql)
        return [row[0] for row in self.cursor.fetchall()]

    def add(self, kind: str, rows: list[tuple]) -> None:
        """rows: (raw, i, d, b, s, errors)."""
        # t: the value as written, stripped (what is stored for names).
        copy_rows(
            self.cursor,
            "verdict",
            ["kind", "raw", "i", "d", "b", "s", "t", "errors"],
            (
                (kind, raw, i, d, b, s, raw.strip(), _problems_json(errors))
                for raw, i, d, b, s, errors in rows
            ),
        )

    def judge(self, table: str, plan: list[tuple[str, str, str, Callable, str]]) -> None:
        """Judge every distinct value of each planned column of ``table``: one scan of
        the table (hashed grouping sets), then each value once in Python.

        plan: (kind, SQL of the value over ``table r``, column, judge, slot)."""
        sources = [source for _kind, source, _column, _judge, _slot in plan]
        sets = ", ".join(f"({source})" for source in sources)
        self.cursor.execute(
            f"SELECT {', '.join(sources)}, GROUPING({', '.join(sources)}) "  # noqa: S608
            f"FROM {table} r GROUP BY GROUPING SETS ({sets})"
        )
        width = len(plan)
        found: list[list] = [[] for _ in plan]
        for *values, grouping in self.cursor.fetchall():
            # The one column not grouped away has its bit clear.
            index = next(i for i in range(width) if not grouping & (1 << (width - 1 - i)))
            found[index].append(values[index])
        for (kind, _source, column, judge, slot), raws in zip(plan, found, strict=True):
            rows = []
            for raw in raws:
                value, errors = _verdict(column, raw, judge)
                rows.append(_slots(raw, slot, value, errors))
            self.add(kind, rows)


def _join(kind: str, source: str, alias: str) -> str:
    return f"LEFT JOIN verdict {alias} ON {alias}.kind = '{kind}' AND {alias}.raw = {source}"


def _errors(expressions: list[str]) -> str:
    """The problems of a row: NULL when it has none (most rows, and cheap to test)."""
    joined = " || ".join(f"coalesce({e}, '[]')" for e in expressions)
    return f"CASE WHEN num_nonnulls({', '.join(expressions)}) = 0 THEN NULL ELSE {joined} END"


def _slots(raw, slot, value, errors) -> tuple:
    i = d = b = s = None
    if slot == "i":
        i = value
    elif slot == "d":
        d = value
    elif slot == "b":
        b = value
    elif slot == "s":
        s = value
    elif slot == "birth":
        d, i = value
    return raw, i, d, b, s, errors


def _future(judge: Callable, column: str) -> Callable:
    """A date judge that also refuses dates after today, as ``importing.check`` does."""
    today = timezone.localdate()

    def judged(report, row):
        value = judge(report, row)
        when = value[0] if isinstance(value, tuple) else value
        if when and when > today:
            report.error(row.number, column, in_the_future(when))
        return value

    return judged


# ------------------------------------------------------------------ the use case


def import_staged(
    user,
    source,
    members_source,
    *,
    filename: str,
    members_filename: str,
    progress: Callable,
    dry_run: bool,
    audit: Callable[[int, int, int], None],
) -> dict | None:
    """Stage, check and (unless ``dry_run``) write; returns counts and new locations,
    ``None`` when the file is for the row-by-row path, raises ``ImportFailed``."""
    if connection.vendor != "postgresql":
        return None
    try:
        households = _Csv(source, HOUSEHOLD_COLUMNS, filename)
        members = (
            _Csv(members_source, MEMBER_COLUMNS, members_filename)
            if members_source is not None
            else None
        )
    except Unsuitable:
        return None
    try:
        with transaction.atomic():
            return _run(user, households, members, progress, dry_run, audit)
    except Unsuitable:
        return None


def _run(user, households: _Csv, members: _Csv | None, progress, dry_run, audit) -> dict:
    with connection.cursor() as cursor:
        # Sorts and hashes over a million rows stay in memory (this transaction only).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        # Temporary tables live until the end of the transaction, which may hold more
        # than one import.
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TEMPORARY)}")
        progress(0, None, gettext_noop("copying the file"))
        try:
            with transaction.atomic():
                n_households = households.load(cursor, "h_raw")
                n_members = members.load(cursor, "m_raw") if members else 0
        except (DatabaseError, psycopg.Error):
            raise Unsuitable from None  # the row path names the broken line
        if not n_households:
            raise Unsuitable
        total = n_households + n_members
        progress(0, total, gettext_noop("checking each distinct value"))
        verdicts = _Verdicts(cursor)
        places = _judge_households(cursor, verdicts, households, outside_scope(user))
        if members:
            _judge_members(verdicts, members)
        progress(total // 3, total, gettext_noop("checking rows"))
        _check_households(cursor, households)
        if members:
            _check_members(cursor, members)
        else:
            cursor.execute(
                "CREATE TEMP TABLE m_checked (row_no bigint, ref text, ref_problem text, "
                "own_ref text, parent_index text, parent_uuid text, skip boolean, "
                "errors jsonb) ON COMMIT DROP"
            )
        report = _report(cursor)
        if not report.ok:
            raise ImportFailed(report)
        new_locations = _new_locations(cursor, places, households)
        cursor.execute("SELECT count(*) FROM m_checked WHERE NOT skip")
        counted_members = cursor.fetchone()[0] if members else 0
        outcome = {
            "households": n_households,
            "members": counted_members + n_households,
            "new_locations": [str(info["name"]) for _key, info in new_locations],
        }
        if dry_run:
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TEMPORARY)}")
            return outcome
        progress(total // 2, total, gettext_noop("writing"))
        created = _create(cursor, user, new_locations)
        with indexes_rebuilt(
            ["registry_household", "registry_member"], outcome["households"] + outcome["members"]
        ):
            outcome["households"], outcome["members"] = _write(cursor, user, bool(members))
        audit(outcome["households"], outcome["members"], created)
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TEMPORARY)}")
        return outcome


def _judge_households(cursor, verdicts: _Verdicts, f: _Csv, outside: Callable) -> _Places:
    """Judge each distinct value; ``outside`` names a governorate outside the importer's
    scope (``importing.outside_scope``), reported on every row that names it."""
    col = f.column
    shelters = {s.code: s.pk for s in shelter_types()}
    shelters.update({names.normalise_name(s.name_en): s.pk for s in shelter_types()})
    codes = list(shelter_types().values_list("code", flat=True))

    def shelter(report, row):
        text = row.values["shelter_type"]
        if not text:
            return None
        found = shelters.get(text) or shelters.get(names.normalise_name(text))
        if found is None:
            report.error(row.number, "shelter_type", unknown_choice("shelter type", text, codes))
        return found

    places = _Places()

    def governorate(column, scoped: bool = False):
        def judged(report, row):
            result = places.governorate(row.values[column])
            if not result.ok:
                report.error(row.number, column, result.reason("governorate"))
                return None
            if scoped and (problem := outside(result.place)):
                report.error(row.number, column, problem)
            return result.place.pk

        return judged

    def required_size(report, row):
        return tabular.cell_int(report, row, "household_size", required=True, minimum=1)

    def consent(report, row):
        value = tabular.cell_bool(report, row, "consent")
        if value is False:
            report.error(row.number, "consent", NO_CONSENT)
        return value

    def first_name(report, row):
        if not row.values["head_first_name_ar"]:
            report.error(row.number, "head_first_name_ar", REQUIRED)
        return names.arabic_part(row.values["head_first_name_ar"])

    plan = [
        ("h_gov", "governorate", governorate("governorate", scoped=True), "i"),
        ("h_origin", "origin_governorate", governorate("origin_governorate"), "i"),
        ("h_shelter", "shelter_type", shelter, "i"),
        ("h_size", "household_size", required_size, "i"),
        (
            "h_registered",
            "registration_date",
            _future(lambda r, w: _date(r, w, "registration_date"), "registration_date"),
            "d",
        ),
        (
            "h_displaced",
            "displacement_date",
            _future(lambda r, w: _date(r, w, "displacement_date"), "displacement_date"),
            "d",
        ),
        (
            "h_birth",
            "head_birth_date",
            _future(lambda r, w: _birth(r, w, "head_birth_date"), "head_birth_date"),
            "birth",
        ),
        *[(f"h_{flag}", flag, _bool(flag), "b") for flag in FLAGS],
        ("h_consent", "consent", consent, "b"),
        ("h_sex", "head_sex", lambda r, w: _choice(r, w, "head_sex", SEX, "sex", ""), "s"),
        (
            "h_doc",
            "id_doc_type",
            lambda r, w: _choice(r, w, "id_doc_type", DOCUMENTS, "document type", ""),
            "s",
        ),
        ("h_first", "head_first_name_ar", first_name, "s"),
        ("h_father", "head_father_name_ar", _name("head_father_name_ar"), "s"),
        ("h_grandfather", "head_grandfather_name_ar", _name("head_grandfather_name_ar"), "s"),
        ("h_family", "head_family_name_ar", _name("head_family_name_ar", family=True), "s"),
        ("h_latin", "head_name_latin", _latin("head_name_latin"), "s"),
        ("h_team", "registered_by", lambda report, row: None, "s"),
    ]
    verdicts.judge(
        "h_raw", [(kind, col(column), column, judge, slot) for kind, column, judge, slot in plan]
    )
    # Places depend on each other: judged per distinct (governorate, district, location).
    cursor.execute(
        f"SELECT DISTINCT {col('governorate')}, {col('district')}, {col('location')} "  # noqa: S608
        "FROM h_raw r"
    )
    rows = []
    places.new = {}
    for gov_raw, district_raw, location_raw in cursor.fetchall():
        errors: list = []
        gov = district = None
        location: object = None
        result = places.governorate(gov_raw.strip())
        if result.ok:
            gov = result.place
            if district_raw.strip():
                d_res = places.district(district_raw.strip(), gov)
                if d_res.ok:
                    district = d_res.place
                else:
                    errors.append(["district", d_res.reason("district")])
            text = location_raw.strip()
            l_res = places.location(text, gov, district)
            if l_res.ok:
                location = l_res.place.pk
            elif l_res.ambiguous or not text or PCODE.match(text.upper()):
                errors.append(["location", l_res.reason("location")])
            else:
                key = (gov.pk, district.pk if district else None, names.normalise_name(text))
                places.new.setdefault(key, {"name": text, "governorate": gov, "district": district})
                location = key
        rows.append(
            (
                "\x1f".join((gov_raw, district_raw, location_raw)),
                location if isinstance(location, int) else None,
                None,
                None,
                json.dumps(list(location)) if isinstance(location, tuple) else None,
                errors,
            )
        )
    verdicts.add("h_place", rows)
    cursor.execute("ANALYZE verdict")
    return places


def _bool(column: str, header: str | None = None) -> Callable:
    return lambda report, row: tabular.cell_bool(report, row, column, header=header)


def _name(column: str, *, family: bool = False) -> Callable:
    return lambda report, row: names.arabic_part(row.values[column], family=family)


def _latin(column: str) -> Callable:
    return lambda report, row: names.latin_key(row.values[column])


def _judge_members(verdicts: _Verdicts, f: _Csv) -> None:
    col = f.column
    plan = [
        (
            "m_rel",
            "relationship",
            lambda r, w: _choice(r, w, "relationship", RELATIONSHIPS, "relationship", "members:"),
            "s",
        ),
        (
            "m_no",
            "member_no",
            lambda r, w: tabular.cell_int(r, w, "member_no", minimum=1, header="members:member_no"),
            "i",
        ),
        ("m_birth", "birth_date", lambda r, w: _birth(r, w, "birth_date", "members:"), "birth"),
        ("m_sex", "sex", lambda r, w: _choice(r, w, "sex", SEX, "sex", "members:"), "s"),
        (
            "m_doc",
            "id_doc_type",
            lambda r, w: _choice(r, w, "id_doc_type", DOCUMENTS, "document type", "members:"),
            "s",
        ),
        ("m_disability", "disability", _bool("disability", "members:disability"), "b"),
        (
            "m_chronic",
            "chronic_illness",
            _bool("chronic_illness", "members:chronic_illness"),
            "b",
        ),
        ("m_first", "first_name_ar", _name("first_name_ar"), "s"),
        ("m_father", "father_name_ar", _name("father_name_ar"), "s"),
        ("m_grandfather", "grandfather_name_ar", _name("grandfather_name_ar"), "s"),
        ("m_family", "family_name_ar", _name("family_name_ar", family=True), "s"),
        ("m_latin", "name_latin", _latin("name_latin"), "s"),
    ]
    verdicts.judge(
        "m_raw", [(kind, col(column), column, judge, slot) for kind, column, judge, slot in plan]
    )
    verdicts.cursor.execute("ANALYZE verdict")


def _strip(sql: str) -> str:
    """``str.strip`` in SQL. A value that starts and ends with a visible ASCII character
    (references, numbers: nearly all) is already stripped; ``btrim`` with the set of
    every Unicode space is only paid for the others."""
    ends = f"ascii({sql}) BETWEEN 33 AND 126 AND ascii(right({sql}, 1)) BETWEEN 33 AND 126"
    return f"CASE WHEN {sql} = '' THEN '' WHEN {ends} THEN {sql} ELSE btrim({sql}, %(ws)s) END"


NAME_PARTS = ("first", "father", "grandfather", "family")


def _name_joins(prefix: str, col: Callable, column_prefix: str) -> str:
    """The verdicts of a person's four name parts and Latin name (aliases as in
    ``_person``); ``column_prefix`` is ``head_`` on the households sheet."""
    joins = [
        _join(f"{prefix}_{part}", col(f"{column_prefix}{part}_name_ar"), part)
        for part in NAME_PARTS
    ]
    joins.append(_join(f"{prefix}_latin", col(f"{column_prefix}name_latin"), "latin"))
    return "\n        ".join(joins)


def _person(col: Callable) -> str:
    """A person's names as written and stripped, document, phone and comparison keys."""
    names_ = [f"left({part}.t, 60) AS {part}_name_ar" for part in NAME_PARTS]
    keys = [f"{part}.s AS key_{part}" for part in NAME_PARTS]
    return ",\n               ".join(
        [
            *names_,
            "left(latin.t, 150) AS name_latin",
            f"{_strip(col('id_doc_number'))} AS document_number",
            f"{_strip(col('phone'))} AS phone",
            *keys,
            "latin.s AS key_latin",
        ]
    )


def _check_households(cursor, f: _Csv) -> None:
    """``h_checked``: one row per household with its values and its problems."""
    col = f.column
    flag_joins = "\n".join(_join(f"h_{flag}", col(flag), f"v_{flag}") for flag in FLAGS)
    flag_values = ", ".join(f"coalesce(v_{flag}.b, false) AS {flag}" for flag in FLAGS)
    errors = _errors(
        [
            "gov.errors",
            "CASE WHEN gov.errors IS NULL THEN place.errors END",
            *(
                f"{alias}.errors"
                for alias in ("shelter", "origin", "size", "registered", "displaced", "birth")
            ),
            *(f"v_{flag}.errors" for flag in FLAGS),
            *(f"{alias}.errors" for alias in ("consent", "first", "sex", "doc")),
        ]
    )
    place_key = (
        f"{col('governorate')} || chr(31) || {col('district')} || chr(31) || {col('location')}"
    )
    sql = f"""
        CREATE TEMP TABLE h_checked ON COMMIT DROP AS
        SELECT {f.row_number()} AS row_no,
               {_strip(col("household_ref"))} AS ref,
               {_strip(col("_index"))} AS kobo_index,
               {_strip(col("_uuid"))} AS kobo_uuid,
               gov.i AS governorate_id, place.i AS location_id, place.s AS new_location,
               origin.i AS origin_governorate_id, shelter.i AS shelter_id,
               size.i AS size, registered.d AS registration_date,
               displaced.d AS displacement_date, birth.d AS birth_date, birth.i AS birth_year,
               {flag_values}, sex.s AS sex,
               coalesce(nullif(doc.s, ''), 'none') AS document_type,
               left(team.t, 150) AS team,
               {_person(col)},
               {errors} AS errors
        FROM h_raw r
        {_join("h_gov", col("governorate"), "gov")}
        {_join("h_place", place_key, "place")}
        {_join("h_origin", col("origin_governorate"), "origin")}
        {_join("h_shelter", col("shelter_type"), "shelter")}
        {_join("h_size", col("household_size"), "size")}
        {_join("h_registered", col("registration_date"), "registered")}
        {_join("h_displaced", col("displacement_date"), "displaced")}
        {_join("h_birth", col("head_birth_date"), "birth")}
        {flag_joins}
        {_join("h_consent", col("consent"), "consent")}
        {_join("h_sex", col("head_sex"), "sex")}
        {_join("h_doc", col("id_doc_type"), "doc")}
        {_name_joins("h", col, "head_")}
        {_join("h_team", col("registered_by"), "team")}
    """
    cursor.execute(sql, {"ws": _whitespace()})
    cursor.execute("CREATE INDEX ON h_checked (ref)")
    cursor.execute("ANALYZE h_checked")


def _check_members(cursor, f: _Csv) -> None:
    """``m_checked``: one row per member row, its household found by reference or by
    KoboToolbox's parent index, its values and its problems."""
    col = f.column
    member_errors = _errors(
        [
            f"{alias}.errors"
            for alias in ("rel", "no", "birth", "sex", "doc", "disability", "chronic")
        ]
    )
    sql = f"""
        CREATE TEMP TABLE m_checked ON COMMIT DROP AS
        WITH m AS (
            SELECT r.*, {f.row_number()} AS row_no,
                   {_strip(col("household_ref"))} AS own_ref,
                   {_strip(col("_parent_index"))} AS parent_index,
                   {_strip(col("_submission__uuid"))} AS parent_uuid
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
        )
        SELECT r.row_no, r.ref, r.ref_problem, r.own_ref, r.parent_index, r.parent_uuid,
               (r.ref_problem IS NOT NULL OR rel.s = 'head') AS skip,
               rel.s AS relationship, no.i AS given_no,
               birth.d AS birth_date, birth.i AS birth_year, sex.s AS sex,
               coalesce(nullif(doc.s, ''), 'none') AS document_type,
               coalesce(disability.b, false) AS disability,
               coalesce(chronic.b, false) AS chronic_illness,
               {_person(col)},
               CASE WHEN r.ref_problem IS NOT NULL THEN NULL
                    WHEN rel.s = 'head' THEN rel.errors
                    ELSE {member_errors} END AS errors
        FROM resolved r
        {_join("m_rel", col("relationship"), "rel")}
        {_join("m_no", col("member_no"), "no")}
        {_join("m_birth", col("birth_date"), "birth")}
        {_join("m_sex", col("sex"), "sex")}
        {_join("m_doc", col("id_doc_type"), "doc")}
        {_join("m_disability", col("disability"), "disability")}
        {_join("m_chronic", col("chronic_illness"), "chronic")}
        {_name_joins("m", col, "")}
    """
    cursor.execute(sql, {"ws": _whitespace()})
    cursor.execute("ANALYZE m_checked")


REQUIRED = Message(gettext_noop("is required"))


def _stored(message) -> Message | str:
    """A problem as the verdicts keep it: jsonb of a message's data, or of text (as JSON
    text, or already decoded, depending on the driver's jsonb loader)."""
    if isinstance(message, str):
        try:
            message = json.loads(message)
        except ValueError:
            pass
    return Message.from_data(message)


def _report(cursor, limit: int = 1000) -> Report:
    """Every problem, households first then members, by row: the value problems come
    from the verdicts, the row problems (references) are worded here as the row path
    words them."""
    problems: list[tuple[int, int, Problem]] = []
    cursor.execute(
        "SELECT row_no, e->>0, e->1 FROM h_checked, jsonb_array_elements(errors) e "
        "ORDER BY row_no LIMIT %s",
        [limit],
    )
    problems += [
        (0, row, Problem(row, column, _stored(message))) for row, column, message in cursor
    ]
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
    for row, ref, first_row, registered in cursor.fetchall():
        if ref == "":
            problems.append((0, row, Problem(row, "household_ref", REQUIRED)))
            continue
        if row != first_row:
            problems.append(
                (
                    0,
                    row,
                    Problem(row, "household_ref", appears_twice(ref, first_row)),
                )
            )
        if registered:
            problems.append(
                (0, row, Problem(row, "household_ref", ALREADY_REGISTERED % {"value": ref}))
            )
    cursor.execute(
        "SELECT row_no, e->>0, e->1 FROM m_checked, jsonb_array_elements(errors) e "
        "ORDER BY row_no LIMIT %s",
        [limit],
    )
    problems += [
        (1, row, Problem(row, column, _stored(message))) for row, column, message in cursor
    ]
    cursor.execute(
        "SELECT row_no, ref_problem, own_ref, parent_index, parent_uuid FROM m_checked "
        "WHERE ref_problem IS NOT NULL ORDER BY row_no LIMIT %s",
        [limit],
    )
    for row, problem, own_ref, parent_index, parent_uuid in cursor.fetchall():
        if problem == "unknown":
            message = ("members:household_ref", NOT_IN_FILE % {"value": own_ref})
        elif problem == "parent_index":
            message = ("members:_parent_index", NO_HOUSEHOLD_ROW % {"value": parent_index})
        elif problem == "parent_uuid":
            message = ("members:_submission__uuid", NO_HOUSEHOLD_ROW % {"value": parent_uuid})
        else:
            message = ("members:household_ref", REQUIRED)
        problems.append((1, row, Problem(row, *message)))
    problems.sort(key=lambda p: (p[0], p[1]))
    return Report([p for _sheet, _row, p in problems])


def _new_locations(cursor, places: _Places, f: _Csv) -> list[tuple[tuple, dict]]:
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
        info = dict(places.new[(gov, district, normalised)], name=name.strip())
        found.append(((gov, district, normalised), info))
    return found


def _create(cursor, user, new_locations) -> int:
    from amina.registry.importing import _create_locations

    created = _create_locations(user, new_locations)
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


def _scored(flags: list[str], values: list, size: int, weights) -> tuple:
    """One distinct set of criteria with its score, as ``vulnerability`` computes it."""
    derived = vulnerability.derive_flags(dict(zip(flags, values, strict=True)), size)
    score, reasons = vulnerability.score(derived, weights)
    return (*values, size, bool(derived.get("large_household")), score, json.dumps(reasons))


def _write(cursor, user, with_members: bool) -> tuple[int, int]:
    """One INSERT … SELECT per table; the vulnerability score per distinct set of
    criteria, by ``vulnerability`` itself."""
    current = vulnerability.weights()
    flags = [c.value for c in Criterion if c != Criterion.LARGE_HOUSEHOLD]
    cursor.execute(
        f"SELECT DISTINCT {', '.join(flags)}, size FROM h_checked"  # noqa: S608
    )
    combos = cursor.fetchall()
    cursor.execute(
        "CREATE TEMP TABLE score (" + ", ".join(f"{f} boolean" for f in flags) + ", size integer, "
        "large_household boolean, vulnerability_score integer, vulnerability_reasons jsonb) "
        "ON COMMIT DROP"
    )
    copy_rows(
        cursor,
        "score",
        [*flags, "size", "large_household", "vulnerability_score", "vulnerability_reasons"],
        (_scored(flags, values, size, current) for *values, size in combos),
    )
    now = timezone.now()
    columns = {
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
        **{f: f"h.{f}" for f in flags},
        "large_household": "s.large_household",
        "vulnerability_score": "s.vulnerability_score",
        "vulnerability_reasons": "s.vulnerability_reasons",
        "registration_date": "h.registration_date",
        "registered_team": "h.team",
        "registered_by_id": "%(user)s",
        "registered_at": "%(now)s",
        "merged_into_id": "NULL",
        "anonymised_at": "NULL",
    }
    _same_columns(columns, Household)
    same = " AND ".join(f"s.{f} = h.{f}" for f in flags)
    cursor.execute(
        f"INSERT INTO registry_household ({', '.join(columns)}) "  # noqa: S608 (own names)
        f"SELECT {', '.join(columns.values())} FROM h_checked h "
        f"JOIN score s ON {same} AND s.size IS NOT DISTINCT FROM h.size ORDER BY h.row_no",
        {"user": getattr(user, "pk", None), "now": now},
    )
    n_households = cursor.rowcount
    member = {
        "household_id": "x.id",
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
    _same_columns(member, Member)
    shared = (
        "first_name_ar, father_name_ar, grandfather_name_ar, family_name_ar, name_latin, "
        "sex, birth_date, birth_year, document_type, document_number, phone, "
        "key_first, key_father, key_grandfather, key_family, key_latin"
    )
    rows = (
        f"SELECT ref, 1 AS member_no, true AS is_head, 'head' AS relationship, {shared}, "
        "disability, chronic_illness, row_no AS ord FROM h_checked"
    )
    if with_members:
        # The rule of ``importing._renumber``: a member keeps the file's number when it
        # is 2 or more and unique in the household; the others follow the highest kept
        # number, in file order. Most files number their members well: then the
        # numbers are taken as they are, without sorting a million rows three times.
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM m_checked WHERE NOT skip AND "
            "coalesce(given_no, 0) < 2) OR EXISTS (SELECT 1 FROM m_checked WHERE NOT skip "
            "GROUP BY ref, given_no HAVING count(*) > 1)"
        )
        if cursor.fetchone()[0]:
            number = """CASE WHEN kept THEN given_no
                         ELSE coalesce(max(CASE WHEN kept THEN given_no END)
                                       OVER (PARTITION BY ref), 1)
                              + row_number() OVER (PARTITION BY ref, kept ORDER BY row_no)
                    END"""
            source = """(SELECT *, coalesce(given_no >= 2
                                 AND count(*) OVER (PARTITION BY ref, given_no) = 1, false)
                        AS kept
                  FROM m_checked WHERE NOT skip) k"""
        else:
            number, source = "given_no", "m_checked WHERE NOT skip"
        rows += f"""
        UNION ALL
        SELECT ref, {number}, false, relationship, {shared}, disability, chronic_illness,
               row_no
        FROM {source}"""
    cursor.execute(
        f"INSERT INTO registry_member ({', '.join(member)}) "  # noqa: S608
        f"SELECT {', '.join(member.values())} FROM ({rows}) t "
        "JOIN registry_household x ON x.household_ref = t.ref"
    )
    n_members = cursor.rowcount
    return n_households, n_members


def _same_columns(expressions: dict, model) -> None:
    """A new field on the model must get its value here too: fail loudly, not silently."""
    if set(expressions) != set(_columns(model)):
        raise RuntimeError(f"staging is out of step with {model.__name__}")
