"""Writing tables for people and machines: CSV, XLSX, HXL and GeoJSON from one description.

An exporter describes its columns once (header, HXL hashtag, how to get the value) and
``write_table`` renders any format. HXL puts the hashtag row under the header, as the
Humanitarian Exchange Language expects, so libhxl and HDX read the file directly.

HXL is for exchange (HDX, partners' tools), so it follows the HXL rules: hashtags from
the HXL dictionary (``#x_`` for ours), one value per cell, and no hashtag on a personal
column (``ExportColumn(personal=True)``): HXL tools drop untagged columns, so names,
documents, phones and household references never travel in an HXL pipeline. GeoJSON
(RFC 7946: longitude before latitude, no ``crs`` member, outer rings counter-clockwise)
never carries a personal column either.

Every cell passes through ``cell_value`` first: that is the one place where text a
spreadsheet would evaluate as a formula (``=HYPERLINK(…)`` planted in a place or
organisation name through the 4W API, say) is neutralised, whatever the format.
"""

from __future__ import annotations

import csv
import datetime
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
    "zip": "application/zip",  # several files in one download (a form and its CSV)
}
EXTENSIONS = {"csv": "csv", "hxl": "csv", "xlsx": "xlsx", "geojson": "geojson", "zip": "zip"}


@dataclass
class ExportColumn:
    """One column: its key (GeoJSON property), header, HXL hashtag and getter.

    ``personal`` marks personal data (a name, a document, a household reference): the
    column keeps its header for the people allowed to read the file, but gets no HXL
    hashtag and never goes into GeoJSON."""

    key: str
    header: str
    hxl: str = ""
    get: Callable[[Any], Any] | None = None
    personal: bool = False

    @property
    def hashtag(self) -> str:
        return "" if self.personal else self.hxl

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
    if isinstance(value, datetime.datetime):
        # Seconds are the precision anyone reports; microseconds only upset date parsers.
        return value.replace(microsecond=0).isoformat()
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
            if not any(c.hashtag for c in columns):
                raise ValueError("this export has no HXL hashtags: choose csv or xlsx")
            writer.writerow([c.hashtag for c in columns])
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
        if any(c.hashtag for c in columns):
            sheet.append(xlsx_row(sheet, [c.hashtag for c in columns]))
        for row in rows:
            sheet.append(xlsx_row(sheet, [cell_value(c.value(row)) for c in columns]))
        sheet.freeze_panes = "A3" if any(c.hashtag for c in columns) else "A2"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    if geometry is None:
        raise ValueError("this export has no geometry: choose csv, xlsx or hxl")
    shared = [c for c in columns if not c.personal]
    features = []
    for row in rows:
        features.append(
            {
                "type": "Feature",
                "geometry": rfc7946(geometry(row)),
                "properties": {c.key: cell_value(c.value(row)) for c in shared},
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        default=_json_number,
    ).encode("utf-8")


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def point(lat, lon) -> dict | None:
    """A GeoJSON point: longitude first (RFC 7946), None when either is unknown."""
    if lat is None or lon is None:
        return None
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}


def _signed_area(ring: list) -> float:
    return sum(
        x1 * y2 - x2 * y1 for (x1, y1, *_a), (x2, y2, *_b) in zip(ring, ring[1:], strict=False)
    )


def _oriented(rings: list) -> list:
    """Outer ring counter-clockwise, holes clockwise (RFC 7946, section 3.1.6)."""
    out = []
    for index, ring in enumerate(rings):
        clockwise = _signed_area(ring) < 0
        out.append(list(reversed(ring)) if clockwise == (index == 0) else ring)
    return out


def rfc7946(geometry: dict | None) -> dict | None:
    """A geometry as RFC 7946 asks: polygons follow the right-hand rule."""
    if not geometry:
        return None
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": _oriented(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [_oriented(p) for p in geometry["coordinates"]]}
    return geometry
