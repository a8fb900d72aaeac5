"""Writing tables for people and machines: CSV, XLSX, HXL and GeoJSON from one description.

An exporter describes its columns once (header, HXL hashtag, how to get the value) and
``write_table`` renders any format. HXL puts the hashtag row under the header, as the
Humanitarian Exchange Language expects, so libhxl and HDX read the file directly.

Every cell passes through ``cell_value`` first: that is the one place where text a
spreadsheet would evaluate as a formula (``=HYPERLINK(…)`` planted in a place or
organisation name through the 4W API, say) is neutralised, whatever the format.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

FORMATS = ("csv", "xlsx", "hxl", "geojson")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
EXTENSIONS = {"csv": "csv", "hxl": "csv", "xlsx": "xlsx", "geojson": "geojson"}


@dataclass
class ExportColumn:
    key: str
    header: str
    hxl: str = ""
    get: Callable[[Any], Any] | None = None

    def value(self, row: Any) -> Any:
        if self.get is not None:
            return self.get(row)
        return row.get(self.key) if isinstance(row, dict) else getattr(row, self.key, None)


#: What makes Excel, LibreOffice or Google Sheets read a text cell as a formula (OWASP
#: "CSV injection"): a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it but never evaluates it: a leading single quote
    before a formula character (the OWASP rule). Numbers never come here, so a negative
    number stays a number."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def cell_value(value: Any) -> Any:
    """A value as every format writes it: empty for None, ISO text for dates, numbers and
    booleans as they are, text neutralised against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return neutralise(value)
    return value


def xlsx_row(sheet, values: list[Any]) -> list[Any]:
    """Cells typed by us, not guessed by openpyxl: text is always a string cell (``s``),
    so no text can become a formula, and characters XML forbids are dropped (openpyxl
    would refuse the whole workbook for one of them)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    row = []
    for value in values:
        if isinstance(value, str):
            cell = Cell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row


def write_table(
    rows: Iterable[Any],
    columns: list[ExportColumn],
    fmt: str,
    *,
    title: str = "data",
    geometry: Callable[[Any], dict | None] | None = None,
) -> bytes:
    """Render ``rows`` in ``fmt``; GeoJSON needs ``geometry`` (a row → GeoJSON geometry)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in ("csv", "hxl"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([cell_value(c.header) for c in columns])
        if fmt == "hxl":
            writer.writerow([c.hxl for c in columns])
        for row in rows:
            writer.writerow([cell_value(c.value(row)) for c in columns])
        # A BOM lets Excel open Arabic text correctly; HXL tools expect plain UTF-8.
        return (("\ufeff" if fmt == "csv" else "") + buffer.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook(write_only=False)
        sheet = workbook.active
        sheet.title = title[:31]
        sheet.append(xlsx_row(sheet, [cell_value(c.header) for c in columns]))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        if any(c.hxl for c in columns):
            sheet.append(xlsx_row(sheet, [c.hxl for c in columns]))
        for row in rows:
            sheet.append(xlsx_row(sheet, [cell_value(c.value(row)) for c in columns]))
        sheet.freeze_panes = "A3" if any(c.hxl for c in columns) else "A2"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    if geometry is None:
        raise ValueError("this export has no geometry: choose csv, xlsx or hxl")
    features = []
    for row in rows:
        features.append(
            {
                "type": "Feature",
                "geometry": geometry(row),
                "properties": {c.key: cell_value(c.value(row)) for c in columns},
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode("utf-8")


def point(lat, lon) -> dict | None:
    if lat is None or lon is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}
