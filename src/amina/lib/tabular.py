"""Reading the tables users really have: CSV and XLSX as exported by Excel, KoboToolbox,
ODK and DTM, for every importer.

- CSV in UTF-8 (with or without a BOM) or Windows-1256 (Arabic Excel), any delimiter
  among ``,;\\t``; XLSX by sheet name or the first sheet, with the header found among the
  first rows even under titles and merged group headers.
- Headers are matched by normalised name against each column's aliases (English or
  Arabic), in any order; extra columns are ignored; a missing required column is one
  error naming it.
- Every problem is a ``Problem`` with the row number as the user sees it in the file and
  the column's header, so a person can find and fix it. Its message is a
  ``amina.lib.i18n.Message`` (``_`` here is ``gettext_deferred``): problems are stored in a
  job's row and read later, each reader in their own language, so they are translated
  when shown, never when found.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from defusedxml import DefusedXmlException

from amina.lib.arabic import normalise_name, parse_number, to_western_digits
from amina.lib.i18n import Message, as_data, render
from amina.lib.i18n import gettext_deferred as _

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
    message: Message | str
    level: str = "error"  # or "warning"

    def located(self) -> Message | str:
        """The message behind where it is: "row 7, column 'governorate': ..."."""
        row = None if self.row is None else str(self.row)  # a row number is not a figure
        if row is not None and self.column:
            where = _("row %(row)s, column '%(column)s': %(message)s")
        elif row is not None:
            where = _("row %(row)s: %(message)s")
        elif self.column:
            where = _("column '%(column)s': %(message)s")
        else:
            return self.message
        return where % {"row": row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        return render(self.located())

    def as_dict(self) -> dict:
        """As a job stores it: ``message`` in English (logs, the API), ``text`` to be
        translated for whoever reads it (``amina.lib.i18n.render``)."""
        message = self.message
        return {
            "row": self.row,
            "column": self.column,
            "message": message.english() if isinstance(message, Message) else message,
            "text": as_data(message),
            "level": self.level,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        text = data.get("text", data.get("message", ""))
        return cls(data.get("row"), data.get("column"), Message.from_data(text), data["level"])


@dataclass
class Report:
    """Errors and warnings of one import; any error means nothing is written."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, row, column, message) -> None:
        self.problems.append(Problem(row, column, Message.of(message), "error"))

    def warning(self, row, column, message) -> None:
        self.problems.append(Problem(row, column, Message.of(message), "warning"))

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
        """The first errors on one line, in the active language."""
        errors = self.errors
        head = "; ".join(str(p) for p in errors[:limit])
        if len(errors) > limit:
            head += " " + str(_("(and %(count)s more errors)") % {"count": len(errors) - limit})
        return head

    def failure(self, limit: int = 200) -> Failure:
        """The refusal as a job stores it: why, then the errors by row and column."""
        errors = self.errors
        first = errors[0].located() if errors else ""
        message = _("Nothing was imported. Errors: %(count)s. The first: %(first)s") % {
            "count": len(errors),
            "first": first,
        }
        return Failure(message, [p.as_dict() for p in errors[:limit]], len(errors))


@dataclass
class Failure:
    """Why an import was refused and its problems (``Problem.as_dict``), the first
    ``limit`` of ``count``; ``amina.jobs.services.JobError`` carries it to the job page."""

    message: Message | str
    problems: list[dict] = field(default_factory=list)
    count: int = 0


def failure_text(report: Report, limit: int = 200) -> str:
    """A refused import in English, for the command line and logs: the first line says
    why; the following lines list the errors by row and column."""
    from django.utils.translation import override

    with override("en"):
        errors = report.errors
        lines = [str(report.failure(limit).message)]
        lines += [str(p) for p in errors[:limit]]
        if len(errors) > limit:
            lines.append(str(_("… and %(count)s more") % {"count": len(errors) - limit}))
        return "\n".join(lines)


def problem_of(exc: TableError) -> Problem:
    """A file refused whole as one problem (with its row and column when it has them)."""
    if isinstance(exc, RowError):
        return Problem(exc.row, exc.column, exc.message)
    return Problem(None, None, exc.args[0] if exc.args else "")


def table_failure(exc: TableError) -> Failure:
    """A file refused whole, as a job stores it."""
    problem = problem_of(exc)
    if problem.row is None and not problem.column:
        return Failure(problem.message, [], 0)
    return Failure(problem.located(), [problem.as_dict()], 1)


class ImportFailed(ValueError):
    """An import refused with its report: nothing was written."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(report.summary())

    def __str__(self) -> str:
        return self.report.summary()


@dataclass
class Row:
    number: int  # as the user sees it: the spreadsheet row, or the CSV line of the record
    values: dict[str, Any]  # column name → raw value ("" when empty)
    extra: dict[str, Any] = field(default_factory=dict)  # unmatched headers (``keep_extra``)


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    mapping: dict[str, str]  # column name → the header it was found under
    unmatched: list[str]
    sheet: str | None = None
    above: list[list[Any]] = field(default_factory=list)  # the rows above the header (titles)

    def __len__(self) -> int:
        return len(self.rows)


# ---------------------------------------------------------------- limits


MB = 1024 * 1024
#: Excel's own bounds: a row number or a column beyond them is not a spreadsheet.
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


@dataclass(frozen=True)
class Limits:
    """How much of a file a reader accepts before refusing it, so that a hostile or
    mistaken upload costs seconds and megabytes, never the server.

    ``limits()`` builds one from the settings (``AMINA_UPLOAD_*``); an importer may lower
    a bound for its kind of file (a DTM master list has thousands of rows, not millions).
    """

    max_bytes: int = 100 * MB
    max_rows: int = 2_000_000
    max_columns: int = 500
    max_cell_chars: int = 10_000
    #: An XLSX file's parts, unpacked, together.
    max_uncompressed: int = 1024 * MB
    #: An XLSX file's shared strings, unpacked: the reader holds them all in memory.
    max_shared_strings: int = 50 * MB
    #: One CSV record, in characters (a 50 MB line of commas is millions of cells).
    max_row_chars: int = 1_000_000
    #: Unpacked size over packed size of one part of an XLSX file larger than 10 MB.
    max_ratio: int = 200
    #: Among how many non-empty rows at the top the header is looked for.
    header_scan: int = 12


def limits(**lower: int) -> Limits:
    """The limits of the settings, each lowered to ``lower[name]`` where that is smaller."""
    from django.conf import settings

    base = Limits(
        max_bytes=settings.AMINA_UPLOAD_MAX_BYTES,
        max_rows=settings.AMINA_UPLOAD_MAX_ROWS,
        max_columns=settings.AMINA_UPLOAD_MAX_COLUMNS,
        max_cell_chars=settings.AMINA_UPLOAD_MAX_CELL_CHARS,
        max_uncompressed=settings.AMINA_UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_shared_strings=settings.AMINA_UPLOAD_MAX_SHARED_STRINGS_BYTES,
    )
    return replace(base, **{k: min(v, getattr(base, k)) for k, v in lower.items()})


def _size(n: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return str(filesizeformat(n))


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column position (0 → A, 27 → AB)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class RowError(TableError):
    """One row (and cell) makes the whole file unreadable; says where."""

    def __init__(self, row: int | None, column: str | None, message: Message | str):
        self.row, self.column, self.message = row, column, message
        super().__init__(Problem(row, column, message).located())


# ---------------------------------------------------------------- raw reading


def _source(source: str | Path | bytes, limit: Limits) -> tuple[BinaryIO, int]:
    """An open binary file and its size, refused before reading when it is too large."""
    if isinstance(source, bytes):
        size, handle = len(source), io.BytesIO(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            handle = open(path, "rb")  # noqa: SIM115 (closed by the reader)
        except OSError as exc:
            raise TableError(
                _("cannot read %(file)s: %(reason)s")
                % {"file": path.name, "reason": exc.strerror or exc}
            ) from None
    if size > limit.max_bytes:
        handle.close()
        raise TableError(
            _("the file is %(size)s; the limit is %(limit)s")
            % {"size": _size(size), "limit": _size(limit.max_bytes)}
        )
    return handle, size


def _kind(head: bytes, name: str) -> str:
    """What the first bytes say the file is: xlsx, csv, or a reason to refuse it."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise TableError(
            _(
                "this is an Excel 97–2003 workbook or a password-protected one: "
                "save it as XLSX without a password, or as CSV"
            )
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
            raise TableError(
                _(
                    "this file is named like a workbook but is a web page or XML: "
                    "open it in Excel and save it as XLSX"
                )
            )
        raise TableError(_("this file is named like a workbook but is not an XLSX file"))
    if head.startswith((b"PK", b"\x1f\x8b", b"%PDF", b"Rar!", b"7z\xbc\xaf")):
        raise TableError(_("this is an archive or a document, not a CSV or XLSX table"))
    return "csv"


def read_rows(
    source: str | Path | bytes,
    *,
    sheet: str | Iterable[str] | None = None,
    filename: str | None = None,
    limit: Limits | None = None,
) -> tuple[str | None, Iterator[tuple[int, list[Any]]]]:
    """The rows of a CSV file or of one sheet of an XLSX file, read lazily.

    Returns the sheet's name (None for CSV) and an iterator of (row number as the user
    sees it, values) with strings stripped and trailing empty cells dropped. Every bound
    of ``limit`` is checked as the rows are read (and, for XLSX, the archive is checked
    before anything is unpacked); the first breach raises ``TableError`` naming the row,
    the column and the limit. Nothing else of the file is held in memory.
    """
    limit = limit or limits()
    name = filename or ("upload" if isinstance(source, bytes) else Path(source).name)
    handle, size = _source(source, limit)
    try:
        head = handle.read(65536)
        handle.seek(0)
        if not head.strip():
            if size <= len(head):
                raise TableError(_("the file is empty"))
        kind = _kind(head, name)
    except BaseException:
        handle.close()
        raise
    if kind == "xlsx":
        return _xlsx_rows(handle, sheet, limit)
    return None, _csv_rows(handle, head, limit)


# ................................................................ CSV


def _text_encoding(handle: BinaryIO, head: bytes, limit: Limits) -> str:
    """UTF-8 (with or without BOM), UTF-16, or Windows-1256 (Arabic Excel); refuses binary
    files, files that mix encodings, and files of more lines than rows allowed (counted
    in one pass over the bytes, before any row is parsed)."""
    encoding = ""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    # A stray NUL or control character is named by row and column later; many are binary.
    if not encoding and (controls > len(sample) // 100 + 4 or controls * 10 > len(sample)):
        if len(sample) > 8 and sample[1::2].count(0) > len(sample) // 3:
            encoding = "utf-16-le"
        elif len(sample) > 8 and sample[0::2].count(0) > len(sample) // 3:
            encoding = "utf-16-be"
        else:
            raise TableError(_("this is not a CSV text file (it has binary content)"))
    decoder = codecs.getincrementaldecoder("utf-8")()
    seen_non_ascii = False
    line = 1
    while chunk := handle.read(MB):
        if not encoding:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                if not seen_non_ascii and chunk[: exc.start].isascii():
                    encoding = "cp1256"
                else:
                    line += chunk[: exc.start].count(b"\n")
                    raise TableError(
                        _(
                            "line %(line)s is not UTF-8 text although the lines before it "
                            "are: the file mixes encodings; save it again as CSV UTF-8"
                        )
                        % {"line": line}
                    ) from None
            seen_non_ascii = seen_non_ascii or not chunk.isascii()
        line += chunk.count(b"\n")
        if line > limit.max_rows + 1:
            raise _too_many_rows(limit)
    handle.seek(0)
    return encoding or "utf-8-sig"


def _csv_rows(handle: BinaryIO, head: bytes, limit: Limits) -> Iterator[tuple[int, list[Any]]]:
    try:
        encoding = _text_encoding(handle, head, limit)
        sample = head.decode(encoding, errors="ignore")[:8192]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    except BaseException:
        handle.close()
        raise
    return _csv_records(text, dialect, limit)


def _csv_records(text: io.TextIOWrapper, dialect, limit: Limits) -> Iterator[tuple[int, list]]:
    consumed = [0]  # characters of the record being read

    def lines() -> Iterator[str]:
        while line := text.readline(limit.max_row_chars + 1):
            consumed[0] += len(line)
            if consumed[0] > limit.max_row_chars:
                raise RowError(
                    number + 1,
                    None,
                    _("the row is longer than %(limit)s characters")
                    % {"limit": f"{limit.max_row_chars:,}"},
                )
            yield line

    number = 0
    with text:
        reader = csv.reader(lines(), dialect)
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise _too_long(number + 1, None, limit) from None
                raise RowError(
                    number + 1, None, _("cannot be read as CSV (%(reason)s)") % {"reason": exc}
                ) from None
            except UnicodeDecodeError:
                raise RowError(
                    number + 1, None, _("is not valid text in the file's encoding")
                ) from None
            consumed[0] = 0
            number += 1
            if number > limit.max_rows:
                raise _too_many_rows(limit)
            yield number, _checked(number, record, limit)


def _too_long(row: int, column: str | None, limit: Limits) -> RowError:
    return RowError(
        row,
        column,
        _("the cell is longer than %(limit)s characters") % {"limit": f"{limit.max_cell_chars:,}"},
    )


def _too_wide(row: int, limit: Limits) -> RowError:
    return RowError(
        row,
        None,
        _("the row has more columns than the limit of %(limit)s")
        % {"limit": f"{limit.max_columns:,}"},
    )


def _too_many_rows(limit: Limits) -> TableError:
    return TableError(
        _("the file has more rows than the limit of %(limit)s") % {"limit": f"{limit.max_rows:,}"}
    )


def _checked(number: int, values: list | tuple, limit: Limits) -> list[Any]:
    """Values stripped, trailing empty cells dropped, every bound checked."""
    cells = [_cell(v) for v in values]
    while cells and cells[-1] == "":
        cells.pop()
    if len(cells) > limit.max_columns:
        raise _too_wide(number, limit)
    for position, value in enumerate(cells):
        if isinstance(value, str):
            if len(value) > limit.max_cell_chars:
                raise _too_long(number, column_letter(position), limit)
            if "\x00" in value:
                raise RowError(
                    number,
                    column_letter(position),
                    _("the cell contains a NUL character (binary data)"),
                )
    return cells


def _cell(value) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


# ................................................................ XLSX


def _archive(handle: BinaryIO, limit: Limits) -> zipfile.ZipFile:
    """The XLSX archive, checked before any part is unpacked: a zip bomb, a renamed
    archive or document, an encrypted part are refused by their directory alone."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise TableError(_("this is not an XLSX workbook (the archive is damaged)")) from None
    try:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            if "content.xml" in names and "mimetype" in names:
                reason = _("it is an OpenDocument file: save it as XLSX")
            elif "word/document.xml" in names:
                reason = _("it is a Word document")
            else:
                reason = _("it is a zip archive of other files")
            raise TableError(_("this is not an XLSX workbook (%(reason)s)") % {"reason": reason})
        if len(infos) > 10_000:
            raise TableError(_("this is not an XLSX workbook (too many parts)"))
        total = sum(info.file_size for info in infos)
        if total > limit.max_uncompressed:
            raise TableError(
                _("the workbook unpacks to %(size)s; the limit is %(limit)s")
                % {"size": _size(total), "limit": _size(limit.max_uncompressed)}
            )
        for info in infos:
            if info.flag_bits & 0x1:
                raise TableError(_("the workbook is encrypted: save it without a password"))
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 10 * MB and ratio > limit.max_ratio:
                raise TableError(
                    _(
                        "the workbook's part %(part)s unpacks %(ratio)s times larger than it "
                        "is stored (the limit is %(limit)s): refused as a possible zip bomb"
                    )
                    % {"part": info.filename, "ratio": f"{ratio:,.0f}", "limit": limit.max_ratio}
                )
            if (
                info.filename == "xl/sharedStrings.xml"
                and info.file_size > limit.max_shared_strings
            ):
                raise TableError(
                    _("the workbook's shared strings unpack to %(size)s; the limit is %(limit)s")
                    % {"size": _size(info.file_size), "limit": _size(limit.max_shared_strings)}
                )
            if info.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, info):
                raise TableError(_unsafe_xml())
    except BaseException:
        archive.close()
        raise
    return archive


def _unsafe_xml() -> Message:
    return _("the workbook declares XML entities or a DTD, which are refused for safety")


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A DTD can only come before the root element, so the start of a part tells."""
    with archive.open(info) as part:
        start = part.read(65536).lower()
    return b"<!doctype" in start or b"<!entity" in start


def _open_workbook(handle: BinaryIO):
    from openpyxl import load_workbook

    try:
        handle.seek(0)
        return load_workbook(handle, read_only=True, data_only=True)
    except DefusedXmlException:
        raise TableError(_unsafe_xml()) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as exc:
        raise TableError(
            _("this is not an XLSX workbook (%(reason)s)") % {"reason": type(exc).__name__}
        ) from None


def _choose_sheet(sheetnames: list[str], sheet: str | Iterable[str] | None) -> str:
    names = [sheet] if isinstance(sheet, str) else list(sheet or [])
    by_key = {header_key(n): n for n in sheetnames}
    for wanted in names:
        if header_key(wanted) in by_key:
            return by_key[header_key(wanted)]
    if isinstance(sheet, str):
        raise TableError(
            _("the workbook has no sheet %(sheet)r (it has %(sheets)s)")
            % {"sheet": sheet, "sheets": ", ".join(sheetnames)}
        )
    if not sheetnames:
        raise TableError(_("the workbook has no sheet"))
    return sheetnames[0]


def _xlsx_rows(handle: BinaryIO, sheet, limit: Limits) -> tuple[str, Iterator[tuple[int, list]]]:
    try:
        archive = _archive(handle, limit)
    except BaseException:
        handle.close()
        raise
    try:
        workbook = _open_workbook(handle)
    except BaseException:
        archive.close()
        handle.close()
        raise
    try:
        chosen = _choose_sheet(list(workbook.sheetnames), sheet)
        worksheet = workbook[chosen]
        _prescan(archive, worksheet._worksheet_path, limit)
        # The dimension a file declares (A1:XFD1048576 is common) is not believed.
        worksheet.reset_dimensions()
    except BaseException:
        workbook.close()
        archive.close()
        handle.close()
        raise

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if number > limit.max_rows:
                    raise _too_many_rows(limit)
                yield number, _checked(number, values, limit)
        finally:
            workbook.close()
            archive.close()
            handle.close()

    return chosen, rows()


_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)$")


def _column_index(ref: str | None) -> int | None:
    match = _CELL_REF.match(ref or "")
    if not match:
        return None
    index = 0
    for letter in match.group(1).upper():
        index = index * 26 + ord(letter) - 64
    return index


class _Prescan:
    """One pass over a sheet's XML with expat, holding nothing but counters, before the
    sheet is parsed into values: the parser that follows builds each row, and each text,
    whole in memory, so a row of millions of cells, a text of a gigabyte, a DTD or a
    nesting thousands deep is refused here first."""

    def __init__(self, limit: Limits) -> None:
        from xml.parsers import expat

        self.limit = limit
        self.rows = self.cells = self.widest = self.row_number = 0
        self.depth = self.text = 0
        self.column = 0
        self.in_cell = self.has_value = self.in_text = False
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        parser.StartDoctypeDeclHandler = self.refuse
        parser.EntityDeclHandler = self.refuse
        self.parser = parser

    def refuse(self, *args) -> None:
        raise TableError(_unsafe_xml())

    def start(self, name: str, attrs: dict) -> None:
        self.depth += 1
        if self.depth > 64:
            raise TableError(_("the workbook's sheet is nested too deeply to be a table"))
        tag = name.rpartition(":")[2]
        if tag == "row":
            self.rows += 1
            self.cells = self.widest = 0
            try:
                self.row_number = int(attrs.get("r") or self.row_number + 1)
            except ValueError:
                self.row_number += 1
            if self.row_number > EXCEL_ROWS:
                raise RowError(
                    self.row_number, None, _("the row is beyond the last row of a spreadsheet")
                )
            if self.rows > self.limit.max_rows:
                raise _too_many_rows(self.limit)
        elif tag == "c":
            self.cells += 1
            if self.cells > EXCEL_COLUMNS:
                raise RowError(
                    self.row_number,
                    None,
                    _("the row has more cells than a spreadsheet can hold (%(limit)s)")
                    % {"limit": f"{EXCEL_COLUMNS:,}"},
                )
            self.column = _column_index(attrs.get("r")) or self.cells
            self.in_cell, self.has_value = True, False
        elif self.in_cell and tag in ("v", "t"):
            self.has_value, self.in_text, self.text = True, True, 0

    def characters(self, data: str) -> None:
        if self.in_text:
            self.text += len(data)
            if self.text > self.limit.max_cell_chars:
                raise _too_long(self.row_number, column_letter(self.column - 1), self.limit)

    def end(self, name: str) -> None:
        self.depth -= 1
        tag = name.rpartition(":")[2]
        if tag in ("v", "t"):
            self.in_text = False
        elif tag == "c":
            self.in_cell = False
            if self.has_value and self.column > self.widest:
                self.widest = self.column
                if self.widest > self.limit.max_columns:
                    raise _too_wide(self.row_number, self.limit)

    def feed(self, source: BinaryIO) -> None:
        from xml.parsers.expat import ExpatError

        try:
            while chunk := source.read(MB):
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except ExpatError as exc:
            raise TableError(
                _("the workbook's sheet is not valid XML (%(reason)s)") % {"reason": exc}
            ) from None


def _prescan(archive: zipfile.ZipFile, part: str, limit: Limits) -> None:
    try:
        with archive.open(part) as source:
            _Prescan(limit).feed(source)
    except KeyError:
        raise TableError(_("this is not an XLSX workbook (a sheet is missing)")) from None


def sheet_names(source: str | Path | bytes, limit: Limits | None = None) -> list[str]:
    """The sheets of an XLSX file, after the archive's checks."""
    limit = limit or limits()
    handle, _size_ = _source(source, limit)
    with handle:
        if not handle.read(4).startswith(b"PK\x03\x04"):
            raise TableError(_("this is not an XLSX workbook"))
        handle.seek(0)
        with _archive(handle, limit):
            workbook = _open_workbook(handle)
            try:
                return list(workbook.sheetnames)
            finally:
                workbook.close()


def read_csv_rows(data: bytes, limit: Limits | None = None) -> list[list[str]]:
    """Every row of a CSV file (within the limits); ``read_rows`` streams them."""
    _sheet, rows = read_rows(data, filename="upload.csv", limit=limit)
    return [values for _number, values in rows]


def read_xlsx_rows(
    data: bytes, sheet: str | Iterable[str] | None = None, limit: Limits | None = None
) -> tuple[str, list[list[Any]]]:
    """Every row of a sheet (within the limits); ``read_rows`` streams them."""
    if not is_xlsx(data):
        raise TableError(_("this is not an XLSX workbook"))
    chosen, rows = read_rows(data, sheet=sheet, filename="upload.xlsx", limit=limit)
    return chosen or "", [values for _number, values in rows]


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


def match_header(
    raw: list[list[Any]],
    columns: list[Column],
    *,
    transform: Callable[[list], list] | None = None,
    numbers: list[int] | None = None,
) -> tuple[int, list[str], dict]:
    """Find the header among the first rows and map each column to its position.

    Returns (index of the header row, the headers, column name → position); raises
    ``TableError`` when no header is found, a required column is missing, or an expected
    column's header appears twice. ``transform`` rewrites a candidate header row (group
    paths of KoboToolbox exports); ``numbers`` are the rows' numbers for messages. Shared
    by ``read_table`` and importers that hand the rows to the database themselves.
    """
    if transform is not None:
        raw = [transform(list(row)) for row in raw]
    header_index = _find_header(raw, columns, scan=len(raw))
    if header_index < 0:
        expected = ", ".join(c.name for c in columns if c.required) or columns[0].name
        raise TableError(
            _("no header row found in the first %(n)s rows: expected columns such as %(cols)s")
            % {"n": str(len(raw)), "cols": expected}
        )
    headers = [str(h).strip() if h not in (None, "") else "" for h in raw[header_index]]
    row = numbers[header_index] if numbers else header_index + 1
    mapping = _positions(columns, headers, row)
    _require(columns, headers, mapping)
    return header_index, headers, mapping


def _positions(columns: list[Column], headers: list[str], row: int) -> dict[str, int]:
    """Column name → the position of its first header not taken by an earlier column;
    a ``RowError`` of the header ``row`` when that header appears again further right
    (which of the two is meant cannot be told)."""
    header_keys = [header_key(h) for h in headers]
    mapping: dict[str, int] = {}
    for column in columns:
        keys = column.keys()
        for position, key in enumerate(header_keys):
            if key and key in keys and position not in mapping.values():
                twin = next(
                    (p for p in range(position + 1, len(header_keys)) if header_keys[p] == key),
                    None,
                )
                if twin is not None:
                    raise RowError(
                        row,
                        None,
                        _("the header %(header)r appears twice (columns %(a)s and %(b)s)")
                        % {
                            "header": headers[position],
                            "a": column_letter(position),
                            "b": column_letter(twin),
                        },
                    )
                mapping[column.name] = position
                break
    return mapping


def _require(columns: list[Column], headers: list[str], mapping: dict[str, int]) -> None:
    """``TableError`` naming the required columns the header lacks, and what it has."""
    missing = [c.name for c in columns if c.required and c.name not in mapping]
    if missing:
        found = [h for h in headers if h]
        sentence = (
            _("missing required column %(missing)s (found: %(found)s)")
            if len(missing) == 1
            else _("missing required columns %(missing)s (found: %(found)s)")
        )
        raise TableError(
            sentence
            % {
                "missing": [repr(m) for m in missing],
                "found": found or _("none"),
            }
        )


def split_head(
    rows: Iterator[tuple[int, list]], count: int
) -> tuple[list[tuple[int, list]], Iterator[tuple[int, list]]]:
    """The first ``count`` non-empty rows, and the iterator positioned after them."""
    head: list[tuple[int, list]] = []
    for number, values in rows:
        if any(v not in ("", None) for v in values):
            head.append((number, values))
            if len(head) >= count:
                break
    return head, rows


def read_table(
    source: str | Path | bytes,
    columns: list[Column],
    *,
    sheet: str | Iterable[str] | None = None,
    filename: str | None = None,
    limit: Limits | None = None,
    transform: Callable[[list], list] | None = None,
    keep_extra: bool = False,
) -> Table:
    """Read a CSV or XLSX file into rows keyed by column name.

    Raises ``TableError`` for a file that is not a table, breaks a bound of ``limit``
    (the settings' by default) or lacks required columns; cell values are left raw for
    the importer to parse with ``Report``-collecting helpers. The file is read once, row
    by row: only the expected columns of each row are kept (and the others when
    ``keep_extra``).
    """
    limit = limit or limits()
    chosen_sheet, stream = read_rows(source, sheet=sheet, filename=filename, limit=limit)
    try:
        head, rest = split_head(stream, limit.header_scan)
        table = table_from_rows(head, rest, columns, transform=transform, keep_extra=keep_extra)
    finally:
        stream.close()  # type: ignore[attr-defined]
    table.sheet = chosen_sheet
    return table


def table_from_rows(
    head: list[tuple[int, list]],
    rest: Iterable[tuple[int, list]],
    columns: list[Column],
    *,
    transform: Callable[[list], list] | None = None,
    keep_extra: bool = False,
) -> Table:
    """A table from rows as ``read_rows`` gives them: the header found in ``head`` (the
    first non-empty rows, ``split_head``), the data in the rest of ``head`` and ``rest``."""
    if not head:
        raise TableError(_("the file is empty"))
    header_index, headers, mapping = match_header(
        [values for _n, values in head],
        columns,
        transform=transform,
        numbers=[n for n, _v in head],
    )
    used = set(mapping.values())
    unmatched_positions = [i for i, h in enumerate(headers) if h and i not in used]
    rows = []
    for number, raw_row in itertools.chain(head[header_index + 1 :], rest):
        if not any(v not in ("", None) for v in raw_row):
            continue
        width = len(raw_row)
        values = {name: raw_row[pos] if pos < width else "" for name, pos in mapping.items()}
        extra = (
            {headers[i]: raw_row[i] for i in unmatched_positions if i < width} if keep_extra else {}
        )
        rows.append(Row(number, values, extra))
    return Table(
        headers=headers,
        rows=rows,
        mapping={name: headers[pos] for name, pos in mapping.items()},
        unmatched=[headers[i] for i in unmatched_positions],
        above=[values for _n, values in head[:header_index]],
    )


# ---------------------------------------------------------------- cell parsing


#: The largest count any importer accepts: more people, families or items than that is a
#: typing slip (or 1E+23 from a spreadsheet), never a figure, and overflows the database.
MAX_COUNT = 10**9


def cell_int(
    report: Report,
    row: Row,
    column: str,
    *,
    required: bool = False,
    minimum: int | None = 0,
    maximum: int | None = MAX_COUNT,
    header: str | None = None,
) -> int | None:
    """A whole number from a cell ("1,234", "١٢٣", 12.0); records a problem and returns None."""
    return int_value(
        report,
        row.number,
        row.values.get(column, ""),
        header or column,
        required=required,
        minimum=minimum,
        maximum=maximum,
    )


def int_value(
    report: Report,
    number: int | None,
    raw: Any,
    label: str,
    *,
    required: bool = False,
    minimum: int | None = 0,
    maximum: int | None = MAX_COUNT,
) -> int | None:
    """``cell_int`` of a value already taken from its row (an importer that reads its rows
    into typed fields first): the same parsing, bounds and messages, under ``label``."""
    try:
        value = parse_number(raw)
    except (ValueError, OverflowError):
        report.error(number, label, _("%(value)r is not a whole number") % {"value": raw})
        return None
    if value is None:
        if required:
            report.error(number, label, _("is required"))
        return None
    if minimum is not None and value < minimum:
        report.error(
            number,
            label,
            _("%(value)s is below %(minimum)s") % {"value": str(value), "minimum": str(minimum)},
        )
        return None
    if maximum is not None and value > maximum:
        report.error(
            number,
            label,
            _("%(value)s is above the limit of %(limit)s")
            % {"value": _short(raw), "limit": f"{maximum:,}"},
        )
        return None
    return value


def _short(raw: Any) -> str:
    """A cell's value for a message: huge numbers as 1E+23, long text cut."""
    if isinstance(raw, float):
        return f"{raw:G}"
    text = str(raw)
    return text if len(text) <= 40 else text[:40] + "…"


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
    except (ValueError, OverflowError):
        report.error(row.number, label, _("%(value)r is not a number") % {"value": raw})
        return None
    if not math.isfinite(value):
        report.error(row.number, label, _("%(value)r is not a number") % {"value": _short(raw)})
        return None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        report.error(
            row.number,
            label,
            _("%(value)s is outside %(minimum)s…%(maximum)s")
            % {"value": str(value), "minimum": str(minimum), "maximum": str(maximum)},
        )
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
            report.error(row.number, label, _("is required"))
        return None
    text = text.split("T")[0].split(" ")[0]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}", text):
        return datetime.date(int(text), 7, 1)
    report.error(
        row.number, label, _("%(value)r is not a date (write it as YYYY-MM-DD)") % {"value": raw}
    )
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
    report.error(row.number, header or column, _("%(value)r is not yes or no") % {"value": raw})
    return None


def iter_chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
