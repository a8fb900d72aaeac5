"""Reading the tables users really have: CSV and XLSX as exported by Excel, KoboToolbox,
ODK and DTM, for every importer.

- CSV in UTF-8 (with or without a BOM) or Windows-1256 (Arabic Excel), any delimiter
  among ``,;\\t``; XLSX by sheet name or the first sheet, with the header found among the
  first rows even under titles and merged group headers.
- Headers are matched by normalised name against each column's aliases (English or
  Arabic), in any order; extra columns are ignored; a missing required column is one
  error naming it.
- Every problem is a ``Problem`` with the row number as the user sees it in the file and
  the column's header, so a person can find and fix it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amina.core.arabic import normalise_name, parse_number, to_western_digits

ENCODINGS = ("utf-8-sig", "cp1256")


class TableError(ValueError):
    """The file as a whole cannot be read (not a table, no header, wrong kind of file)."""


def header_key(text: Any) -> str:
    """Compare headers ignoring case, spacing, punctuation and Arabic letter variants."""
    return re.sub(r"[\s_\-/().:#]+", "", normalise_name(str(text or "")))


@dataclass
class Column:
    """A column an importer expects: its name, the headers it may appear under, a parser."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[Any], Any] | None = None

    def keys(self) -> set[str]:
        return {header_key(self.name), *(header_key(a) for a in self.aliases)}


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str
    level: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class Report:
    """Errors and warnings of one import; any error means nothing is written."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, row, column, message) -> None:
        self.problems.append(Problem(row, column, message, "error"))

    def warning(self, row, column, message) -> None:
        self.problems.append(Problem(row, column, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, limit: int = 5) -> str:
        errors = self.errors
        head = "; ".join(str(p) for p in errors[:limit])
        more = f" (and {len(errors) - limit} more errors)" if len(errors) > limit else ""
        return head + more


class ImportFailed(ValueError):
    """An import refused with its report: nothing was written."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(report.summary())


@dataclass
class Row:
    number: int  # as the user sees it: the spreadsheet row, or the CSV line of the record
    values: dict[str, Any]  # column name → raw value ("" when empty)
    extra: dict[str, Any] = field(default_factory=dict)  # unmatched headers → raw values


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    mapping: dict[str, str]  # column name → the header it was found under
    unmatched: list[str]
    sheet: str | None = None

    def __len__(self) -> int:
        return len(self.rows)


# ---------------------------------------------------------------- raw reading


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("the file is neither UTF-8 nor Windows-1256 text")


def read_csv_rows(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise TableError("this is not a CSV text file (it has binary content)")
    text = _decode(data)
    if not text.strip():
        raise TableError("the file is empty")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _cell(value) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def read_xlsx_rows(
    data: bytes, sheet: str | Iterable[str] | None = None
) -> tuple[str, list[list[Any]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(f"this is not an XLSX workbook ({exc})") from None
    try:
        names = [sheet] if isinstance(sheet, str) else list(sheet or [])
        chosen = None
        by_key = {header_key(n): n for n in workbook.sheetnames}
        for name in names:
            if header_key(name) in by_key:
                chosen = by_key[header_key(name)]
                break
        if names and chosen is None and len(names) == 1 and isinstance(sheet, str):
            raise TableError(
                f"the workbook has no sheet {sheet!r} (it has {', '.join(workbook.sheetnames)})"
            )
        chosen = chosen or workbook.sheetnames[0]
        rows = [[_cell(c) for c in row] for row in workbook[chosen].iter_rows(values_only=True)]
        return chosen, rows
    finally:
        workbook.close()


def sheet_names(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


# ---------------------------------------------------------------- matching


def _find_header(raw: list[list[Any]], columns: list[Column], scan: int = 12) -> int:
    """The index of the row that matches the most expected headers among the first rows."""
    wanted = [c.keys() for c in columns]
    best, best_score = -1, 0
    for index, row in enumerate(raw[:scan]):
        keys = {header_key(v) for v in row if v not in ("", None)}
        score = sum(1 for w in wanted if w & keys)
        if score > best_score:
            best, best_score = index, score
    return best


def match_header(raw: list[list[Any]], columns: list[Column]) -> tuple[int, list[str], dict]:
    """Find the header among the first rows and map each column to its position.

    Returns (index of the header row, the headers, column name → position); raises
    ``TableError`` when no header is found or a required column is missing. Shared by
    ``read_table`` and importers that hand the rows to the database themselves.
    """
    header_index = _find_header(raw, columns)
    if header_index < 0:
        expected = ", ".join(c.name for c in columns if c.required) or columns[0].name
        raise TableError(f"no header row found: expected columns such as {expected}")
    headers = [str(h).strip() if h not in (None, "") else "" for h in raw[header_index]]
    header_keys = [header_key(h) for h in headers]
    mapping: dict[str, int] = {}
    for column in columns:
        keys = column.keys()
        for position, key in enumerate(header_keys):
            if key and key in keys and position not in mapping.values():
                mapping[column.name] = position
                break
    missing = [c.name for c in columns if c.required and c.name not in mapping]
    if missing:
        found = ", ".join(h for h in headers if h) or "none"
        raise TableError(
            f"missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)} (found: {found})"
        )
    return header_index, headers, mapping


def read_table(
    source: str | Path | bytes,
    columns: list[Column],
    *,
    sheet: str | Iterable[str] | None = None,
    filename: str | None = None,
) -> Table:
    """Read a CSV or XLSX file into rows keyed by column name.

    Raises ``TableError`` for a file that is not a table or lacks required columns;
    cell values are left raw for the importer to parse with ``Report``-collecting helpers.
    """
    if isinstance(source, bytes):
        data, name = source, filename or "upload"
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(f"cannot read {path}: {exc.strerror or exc}") from None
        name = filename or path.name
    if not data.strip():
        raise TableError("the file is empty")
    chosen_sheet = None
    if is_xlsx(data):
        chosen_sheet, raw = read_xlsx_rows(data, sheet)
        first_row_number = 1
    elif name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise TableError("this file is named like a workbook but is not an XLSX file")
    else:
        raw = read_csv_rows(data)
        first_row_number = 1
    raw = [r for r in raw]
    if not any(any(v not in ("", None) for v in row) for row in raw):
        raise TableError("the file is empty")
    header_index, headers, mapping = match_header(raw, columns)
    used = set(mapping.values())
    unmatched_positions = [i for i, h in enumerate(headers) if h and i not in used]
    rows = []
    for offset, raw_row in enumerate(
        raw[header_index + 1 :], start=header_index + 1 + first_row_number
    ):
        if not any(v not in ("", None) for v in raw_row):
            continue
        padded = list(raw_row) + [""] * (len(headers) - len(raw_row))
        values = {name: _cell(padded[pos]) for name, pos in mapping.items()}
        extra = {headers[i]: _cell(padded[i]) for i in unmatched_positions if i < len(padded)}
        rows.append(Row(offset, values, extra))
    return Table(
        headers=headers,
        rows=rows,
        sheet=chosen_sheet,
        mapping={name: headers[pos] for name, pos in mapping.items()},
        unmatched=[headers[i] for i in unmatched_positions],
    )


# ---------------------------------------------------------------- cell parsing


def cell_int(
    report: Report,
    row: Row,
    column: str,
    *,
    required: bool = False,
    minimum: int | None = 0,
    header: str | None = None,
) -> int | None:
    """A whole number from a cell ("1,234", "١٢٣", 12.0); records a problem and returns None."""
    raw = row.values.get(column, "")
    label = header or column
    try:
        value = parse_number(raw)
    except ValueError:
        report.error(row.number, label, f"{raw!r} is not a whole number")
        return None
    if value is None:
        if required:
            report.error(row.number, label, "is required")
        return None
    if minimum is not None and value < minimum:
        report.error(row.number, label, f"{value} is below {minimum}")
        return None
    return value


def cell_float(
    report: Report,
    row: Row,
    column: str,
    *,
    header: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | None:
    raw = row.values.get(column, "")
    if raw in ("", None):
        return None
    label = header or column
    try:
        value = (
            float(raw)
            if isinstance(raw, int | float)
            else float(to_western_digits(str(raw)).replace(",", "").strip())
        )
    except ValueError:
        report.error(row.number, label, f"{raw!r} is not a number")
        return None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        report.error(row.number, label, f"{value} is outside {minimum}…{maximum}")
        return None
    return value


def cell_date(
    report: Report, row: Row, column: str, *, required: bool = False, header: str | None = None
):
    """A date from an Excel date cell or text as ``2015-06-04``, ``04/06/2015`` or ``4-6-2015``."""
    import datetime

    raw = row.values.get(column, "")
    label = header or column
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = to_western_digits(str(raw or "")).strip()
    if not text:
        if required:
            report.error(row.number, label, "is required")
        return None
    text = text.split("T")[0].split(" ")[0]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}", text):
        return datetime.date(int(text), 7, 1)
    report.error(row.number, label, f"{raw!r} is not a date (write it as YYYY-MM-DD)")
    return None


YES = {"yes", "y", "true", "1", "نعم", "x", "✓"}
NO = {"no", "n", "false", "0", "لا", ""}


def cell_bool(report: Report, row: Row, column: str, *, header: str | None = None) -> bool | None:
    raw = row.values.get(column, "")
    text = to_western_digits(str(raw if raw is not None else "")).strip().casefold()
    if isinstance(raw, bool):
        return raw
    if text in YES:
        return True
    if text in NO:
        return False
    report.error(row.number, header or column, f"{raw!r} is not yes or no")
    return None


def iter_chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
