# ruff: noqa: S608 SQL here is built from this module's own table and column names;
# values travel as parameters or through COPY.
"""Importing a national registration list on PostgreSQL: the file goes to the database
with ``COPY`` as it is, and each distinct value is checked once, in Python.

A list of a million households repeats a few thousand names, dates, places and answers
millions of times. Checking every cell in Python (``importing_rows.check``) costs a
minute per hundred thousand households; here PostgreSQL parses the CSV (``COPY … FORMAT
csv`` into text tables), Python judges each *distinct* value of a column, or combination
of low-cardinality columns, with the very functions of ``importing_rules`` the row path
calls (so a value gets the same verdict and the same message on both paths:
``staging_verdicts``), the verdicts go back as small tables, and ``INSERT … SELECT``
writes the rows (``staging_write``).

Only what the row-by-row path would accept is written, and nothing at all when any row
has a problem: every problem keeps the row number and column the user sees. A clean
file — every distinct value judged well, every reference once — is checked and written
in one pass over its members; a file with a problem builds every checked row
(``staging_checks``) and its report, as does a file whose member numbers must be
renumbered. Files this path does not take (XLSX, a CSV that ``COPY`` cannot parse, a
header under titles with quoted line breaks, a file over the reader's limits, other
databases) return ``None`` and the caller uses the row-by-row path, which explains
whatever is wrong with the same messages.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.translation import gettext_noop

from amina.lib import tabular
from amina.lib.bulk import copy_chunks, indexes_rebuilt, use_copy
from amina.lib.tabular import ImportFailed
from amina.registry import staging_checks, staging_write
from amina.registry.importing_rules import (
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    Places,
    outside_scope,
    without_groups,
)
from amina.registry.staging_verdicts import (
    Ambiguous,
    Verdicts,
    household_plan,
    judge_places,
    member_plan,
)

CHUNK = 1 << 20
#: COPY's end-of-data marker: a line that is only a backslash and a period.
END_OF_DATA = re.compile(rb"(?:^|\n)\\\.(?:\r?\n|\r?$)")
TEMPORARY = (
    "h_raw",
    "m_raw",
    "verdict",
    "h_criteria",
    "m_answers",
    "h_checked",
    "m_checked",
    "h_ids",
    "new_location",
)
PREFIX = 1 << 16
TABLES = ["registry_household", "registry_member"]


class Unsuitable(Exception):
    """This file is for the row-by-row path."""


# ------------------------------------------------------------------ the file


class _Csv:
    """A CSV source: its header, where the data starts, and how COPY should read it.

    The bounded reader's limits (``tabular.limits()``: bytes, rows, columns, cell
    length, record length) hold here too: a file over any of them, or near enough that
    only the reader can tell, is left to the row-by-row path, whose reader refuses it
    with its own message, naming the row and column.
    """

    def __init__(self, source, columns, filename: str, limit: tabular.Limits):
        self.source, self.limit, self.newlines = source, limit, 0
        if isinstance(source, bytes):
            head, size = source[:PREFIX], len(source)
        else:
            try:
                with open(source, "rb") as handle:
                    head = handle.read(PREFIX)
                    size = handle.seek(0, io.SEEK_END)
            except OSError as exc:
                raise Unsuitable from exc
        if size > limit.max_bytes:
            raise Unsuitable
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
        if self.width > limit.max_columns:
            raise Unsuitable

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
            self.newlines += bytes(chunk).count(b"\n")
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
        # One scan: rows, the last row's number, a cell or record that may be over a
        # limit, and rows with nothing in any cell (skipped, as the reader skips them).
        empty = " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(self.width))
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE NOT ({empty})), coalesce(max(n), 0), "
            f"coalesce(bool_or({self._over_limits()}), false), count(*) FILTER (WHERE {empty}) "
            f"FROM {table}"
        )
        rows, last, over, blank = cursor.fetchone()
        lines = self.header_index + 1 + self.newlines
        if over or max(lines, self.header_index + 1 + last) > self.limit.max_rows:
            raise Unsuitable
        if blank:
            cursor.execute(f"DELETE FROM {table} WHERE {empty}")
        return rows

    def _over_limits(self) -> str:
        """Whether a row may be over the reader's limits (the reader then decides).

        Lines and records are counted as the reader counts them, before it parses
        anything. A cell of more bytes than the limit has characters (UTF-8 or
        Windows-1256: never fewer bytes than characters) may be over it, and a record
        whose cells could take more characters than the limit once quoted may be.
        """
        limit = self.limit
        cells = [f"coalesce(octet_length(c{i}), 0)" for i in range(self.width)]
        tests = [f"{cell} > {limit.max_cell_chars:d}" for cell in cells]
        # Quoted, a cell takes at most 2 × its characters + 2 quotes; with the
        # delimiters and a CRLF, a record at most 2 × its characters + 3 per cell + 1.
        syntax = 3 * self.width + 1
        if 2 * self.width * limit.max_cell_chars + syntax > limit.max_row_chars:
            tests.append(f"2 * ({' + '.join(cells)}) + {syntax:d} > {limit.max_row_chars:d}")
        return " OR ".join(tests)

    def row_number(self) -> str:
        return f"(r.n + {self.header_index + 1})"


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
    if not use_copy():  # other databases, or COPY turned off (AMINA_NO_COPY)
        return None
    limit = tabular.limits()
    try:
        households = _Csv(source, HOUSEHOLD_COLUMNS, filename, limit)
        members = (
            _Csv(members_source, MEMBER_COLUMNS, members_filename, limit)
            if members_source is not None
            else None
        )
    except Unsuitable:
        return None
    try:
        with transaction.atomic():
            return _run(user, households, members, progress, dry_run, audit)
    except (Unsuitable, Ambiguous):
        return None


def _run(user, households: _Csv, members: _Csv | None, progress, dry_run, audit) -> dict:
    with connection.cursor() as cursor:
        _prepare(cursor)
        progress(0, None, gettext_noop("copying the file"))
        counts = _load(cursor, households, members)
        total = sum(counts)
        progress(0, total, gettext_noop("checking each distinct value"))
        verdicts = Verdicts(cursor)
        places = _judge(cursor, verdicts, households, members, outside_scope(user))
        progress(total // 3, total, gettext_noop("checking rows"))
        staging_checks.check_households(cursor, households)
        outcome = None
        if not dry_run and not verdicts.any_problem() and staging_checks.households_clean(cursor):
            outcome = _write_clean(cursor, user, households, members, places, counts, progress)
        if outcome is None:
            outcome = _check_then_write(
                cursor, user, households, members, places, counts, dry_run, progress
            )
        if not dry_run:
            audit(outcome["households"], outcome["members"], outcome.pop("created"))
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TEMPORARY)}")
        return outcome


def _prepare(cursor) -> None:
    # Sorts and hashes over a million rows stay in memory (this transaction only).
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL jit = off")
    # Temporary tables live until the end of the transaction, which may hold more
    # than one import.
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TEMPORARY)}")


def _load(cursor, households: _Csv, members: _Csv | None) -> tuple[int, int]:
    """The two files COPY-ed into ``h_raw`` and ``m_raw``: (households, member rows)."""
    try:
        with transaction.atomic():
            n_households = households.load(cursor, "h_raw")
            n_members = members.load(cursor, "m_raw") if members else 0
    except (DatabaseError, psycopg.Error):
        raise Unsuitable from None  # the row path names the broken line
    if not n_households:
        raise Unsuitable
    return n_households, n_members


def _judge(cursor, verdicts: Verdicts, households: _Csv, members: _Csv | None, outside) -> Places:
    """Each distinct value judged once; ``outside`` names a governorate outside the
    importer's scope (``importing_rules.outside_scope``), reported on every row."""
    places = Places()
    verdicts.judge("h_raw", households.column, household_plan(places, outside))
    judge_places(cursor, verdicts, places, households.column)
    if members:
        verdicts.judge("m_raw", members.column, member_plan())
    cursor.execute("ANALYZE verdict")
    return places


def _write_clean(cursor, user, households, members, places, counts, progress) -> dict | None:
    """A clean file checked and written in one pass over its members, inside a
    savepoint; None (and nothing written) when a reference or a member number turns
    out to need the long way."""
    progress(sum(counts) // 2, sum(counts), gettext_noop("writing"))
    try:
        with transaction.atomic():
            found = staging_write.new_locations(cursor, places, households)
            created = staging_write.create_locations(cursor, user, found)
            with indexes_rebuilt(TABLES, sum(counts) + counts[0]):
                written = staging_write.households(cursor, user)
                others = staging_write.raw_members(cursor, members) if members else 0
    except (IntegrityError, staging_write.Renumber):
        cursor.execute("DROP TABLE IF EXISTS h_ids, new_location")
        return None
    return _outcome(written, written + others, found, created)


def _outcome(households: int, members: int, found, created: int = 0) -> dict:
    return {
        "households": households,
        "members": members,
        "new_locations": [str(place.name) for _key, place in found],
        "created": created,
    }


def _check_then_write(cursor, user, households, members, places, counts, dry_run, progress) -> dict:
    """Every row checked and every problem reported (``ImportFailed``); a file with none
    is then written from its checked rows (or only counted, for a dry run)."""
    if members:
        staging_checks.check_members(cursor, members)
    else:
        staging_checks.no_members(cursor)
    report = staging_checks.report(cursor)
    if not report.ok:
        raise ImportFailed(report)
    found = staging_write.new_locations(cursor, places, households)
    cursor.execute("SELECT count(*) FROM m_checked WHERE NOT skip")
    counted = cursor.fetchone()[0]
    if dry_run:
        return _outcome(counts[0], counts[0] + counted, found)
    progress(sum(counts) // 2, sum(counts), gettext_noop("writing"))
    created = staging_write.create_locations(cursor, user, found)
    with indexes_rebuilt(TABLES, counts[0] + counts[0] + counted):
        written = staging_write.households(cursor, user)
        others = staging_write.checked_members(cursor) if members else 0
    return _outcome(written, written + others, found, created)
