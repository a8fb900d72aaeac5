"""A corpus of hostile and broken files, generated (never committed), and a runner that
hands each to one importer in this process and reports how it was refused.

``test_hostile_files`` runs the runner in a subprocess with a memory limit, once per
importer: every file must be refused with its expected message, within the memory, and
leave the database as it was. Run it by hand with
``python -m amina.core.tests.hostile IMPORTER DIRECTORY`` (prints JSON).
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

MB = 1024 * 1024
IMPORTERS = ("registry", "dtm", "needs", "4w", "boundaries")


@dataclass(frozen=True)
class Spec:
    """What a valid file of one importer starts with: its header, a row, and the
    position of a count column (where the number cases put their numbers)."""

    header: tuple[str, ...]
    row: tuple[str, ...]
    count: int


SPECS = {
    "registry": Spec(
        (
            "household_ref",
            "governorate",
            "location",
            "head_first_name_ar",
            "household_size",
            "consent",
        ),
        ("H-1", "IQG04", "Camp A", "أحمد", "5", "yes"),
        4,
    ),
    "dtm": Spec(
        ("Place id", "Governorate", "District", "Location name", "Families", "Individuals"),
        ("1001", "Najaf", "Kufa", "Camp A", "10", "60"),
        4,
    ),
    "needs": Spec(
        ("location", "assessed_on", "team", "ki_count", "priority_1", "meta/instanceID"),
        ("L1", "2015-06-01", "RART 1", "3", "food", "uuid:1"),
        3,
    ),
    "4w": Spec(
        ("Organisation", "Sector", "Activity", "Governorate", "Start date", "Reached"),
        ("IOM", "NFI", "Kits", "Najaf", "2015-06-01", "50"),
        5,
    ),
}
# The boundary importer reads GeoJSON: its tables are these columns' data.
SPECS["boundaries"] = SPECS["dtm"]


# ------------------------------------------------------------------ building files


def csv_bytes(rows, encoding: str = "utf-8") -> bytes:
    return "".join(",".join(str(c) for c in row) + "\n" for row in rows).encode(encoding)


def _cell_xml(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _letter(position: int) -> str:
    letters, position = "", position + 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows, dimension: str = "", prolog: str = "") -> str:
    body = "".join(
        f'<row r="{r}">'
        + "".join(_cell_xml(f"{_letter(c)}{r}", v) for c, v in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{body}</sheetData></worksheet>"
    )


WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{items}</Relationships>"
)
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
REL = '<Relationship Id="{id}" Type="{type}" Target="{target}"/>'
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


class _Repeated:
    """A deflate "compressor" for one chunk written many times: the chunk is compressed
    once with a full flush (so its block stands alone) and that block is repeated, which
    makes a genuine 2 GB part in a second instead of a minute of zlib."""

    def __init__(self, chunk: bytes) -> None:
        self.chunk = chunk
        self.block = self._alone(chunk)

    @staticmethod
    def _alone(data: bytes) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)

    def compress(self, data: bytes) -> bytes:
        return self.block if data is self.chunk else self._alone(data)

    def flush(self) -> bytes:
        return b"\x03\x00"  # an empty final block


def xlsx_bytes(
    sheet: str,
    *,
    name: str = "Sheet1",
    shared: tuple[bytes, bytes, int] | None = None,
    big: tuple[str, bytes, bytes, bytes, int] | None = None,
    extra_parts: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal workbook. ``shared``/``big``: a part written as prefix + chunk × n +
    suffix through ``_Repeated`` (the sheet itself when ``big[0]`` names it)."""
    buf = io.BytesIO()
    rels = [REL.format(id="rId1", type=OFFICE + "worksheet", target="worksheets/sheet1.xml")]
    types_extra = ""
    if shared is not None:
        rels.append(
            REL.format(id="rId2", type=OFFICE + "sharedStrings", target="sharedStrings.xml")
        )
        types_extra = (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", TYPES.format(extra=types_extra))
        z.writestr(
            "_rels/.rels",
            RELS.format(
                items=REL.format(
                    id="rId1", type=OFFICE + "officeDocument", target="xl/workbook.xml"
                )
            ),
        )
        z.writestr("xl/workbook.xml", WORKBOOK.format(name=escape(name)))
        z.writestr("xl/_rels/workbook.xml.rels", RELS.format(items="".join(rels)))
        parts = []
        if shared is not None:
            parts.append(("xl/sharedStrings.xml", *shared))
        if big is not None:
            parts.append(big)
        for part, prefix, chunk, suffix, times in parts:
            with z.open(part, "w", force_zip64=True) as out:
                out._compressor = _Repeated(chunk)  # type: ignore[attr-defined]
                out.write(prefix)
                for _ in range(times):
                    out.write(chunk)
                out.write(suffix)
        if big is None or big[0] != "xl/worksheets/sheet1.xml":
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        for part, data in (extra_parts or {}).items():
            z.writestr(part, data)
    return buf.getvalue()


def _rows(spec: Spec, count_value) -> list[list]:
    row = list(spec.row)
    row[spec.count] = count_value
    return [list(spec.header), row]


# ------------------------------------------------------------------ the corpus

#: name → (file name, builder(spec, directory) → bytes or None when it wrote the file
#: itself, expected message as a regular expression).
Case = tuple[str, "callable", str]


def _utf16(spec: Spec, d: Path) -> bytes:
    return "".join(",".join(r) + "\r\n" for r in _rows(spec, "abc")).encode("utf-16")


def _mixed(spec: Spec, d: Path) -> bytes:
    """UTF-8 Arabic first, then a line saved from Arabic Windows."""
    good = csv_bytes([*_rows(spec, "abc"), ["أحمد"] * len(spec.header)])
    return good + ",".join(["بغداد"] * len(spec.header)).encode("cp1256") + b"\n"


def _garbage(spec: Spec, d: Path) -> bytes:
    return random.Random(2015).randbytes(64 * 1024)


def _too_big(spec: Spec, d: Path) -> None:
    with open(d / "too-big", "wb") as out:  # sparse: no disk, no time
        out.truncate(101 * MB)


def _many_rows(spec: Spec, d: Path) -> bytes:
    return csv_bytes([spec.header]) + b"1\n" * 2_000_001


def _billion_laughs(spec: Spec, d: Path) -> bytes:
    prolog = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    return xlsx_bytes(sheet_xml(_rows(spec, "&lol3;"), prolog=prolog).replace("&amp;", "&"))


def _nested(spec: Spec, d: Path) -> bytes:
    deep = "<x>" * 50_000 + "</x>" * 50_000
    xml = sheet_xml(_rows(spec, 1)).replace("<sheetData>", "<sheetData>" + deep)
    return xlsx_bytes(xml)


def _bomb(spec: Spec, d: Path) -> bytes:
    head = sheet_xml(_rows(spec, 1)).split("</sheetData>")[0].encode()
    row = b'<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    chunk = row * (MB // len(row))
    return xlsx_bytes(
        "", big=("xl/worksheets/sheet1.xml", head, chunk, b"</sheetData></worksheet>", 2048)
    )


def _ratio(spec: Spec, d: Path) -> bytes:
    return xlsx_bytes(
        sheet_xml(_rows(spec, 1)),
        big=("docProps/custom.xml", b"<x>", b" " * MB, b"</x>", 20),
    )


def _shared(spec: Spec, d: Path) -> bytes:
    prefix = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">'
    )
    entries = b"".join(b"<si><t>%06d</t></si>" % i for i in range(40_000))
    return xlsx_bytes(sheet_xml(_rows(spec, 1)), shared=(prefix, entries, b"</sst>", 60))


def _wide_filled(spec: Spec, d: Path) -> bytes:
    rows = _rows(spec, 1)
    rows[1] = rows[1] + ["x"] * 10_000
    return xlsx_bytes(sheet_xml(rows))


def _wide_empty(spec: Spec, d: Path) -> bytes:
    # Formatted but empty cells up to XFD, and a dimension that claims the whole sheet.
    xml = sheet_xml(_rows(spec, "abc"), dimension="A1:XFD1048576")
    empties = "".join(f'<c r="{_letter(i)}2" s="0"/>' for i in range(len(spec.header), 16_384))
    return xlsx_bytes(xml.replace("</row></sheetData>", empties + "</row></sheetData>"))


def _too_many_cells(spec: Spec, d: Path) -> bytes:
    xml = sheet_xml(_rows(spec, 1))
    return xlsx_bytes(xml.replace("</row></sheetData>", "<c/>" * 20_000 + "</row></sheetData>"))


def _last_row(spec: Spec, d: Path) -> bytes:
    xml = sheet_xml(_rows(spec, 1))
    return xlsx_bytes(
        xml.replace(
            "</sheetData>", '<row r="2000000"><c r="A2000000"><v>1</v></c></row></sheetData>'
        )
    )


def _long_xlsx_cell(spec: Spec, d: Path) -> bytes:
    rows = _rows(spec, 1)
    rows[1][0] = "x" * 20_000
    return xlsx_bytes(sheet_xml(rows))


def _formula(spec: Spec, d: Path) -> bytes:
    xml = sheet_xml(_rows(spec, 1))
    count = f"{_letter(spec.count)}2"
    return xlsx_bytes(
        xml.replace(
            f'<c r="{count}"><v>1</v></c>',
            f'<c r="{count}" t="str"><f>A1&amp;"x"</f><v>abc</v></c>',
        )
    )


def _zip_renamed(spec: Spec, d: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return buf.getvalue()


def _header_late(spec: Spec, d: Path) -> bytes:
    return csv_bytes([[f"note {i}"] for i in range(49)] + _rows(spec, 1))


def _duplicate(spec: Spec, d: Path) -> bytes:
    rows = _rows(spec, 1)
    return csv_bytes([r + [r[spec.count]] for r in rows])


def _renamed_sheet(spec: Spec, d: Path) -> bytes:
    return xlsx_bytes(sheet_xml(_rows(spec, "abc")), name="Data 2015 (final)")


NOT_NUMBER = r"not a whole number|not a number"
CASES: dict[str, tuple[str, object, str]] = {
    "empty": ("empty.csv", lambda s, d: b"", r"the file is empty"),
    "blank": ("blank.csv", lambda s, d: b"  \r\n\t\n", r"the file is empty"),
    "header-only": (
        "header.csv",
        lambda s, d: csv_bytes([s.header]),
        r"header but no (data )?rows|has no households",
    ),
    "binary": ("garbage.csv", _garbage, r"binary content"),
    "html-as-xls": (
        "report.xls",
        lambda s, d: b"<html><body><table><tr><td>a</td></tr></table></body></html>",
        r"web page",
    ),
    "old-xls": ("old.xls", lambda s, d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "97"),
    "zip-as-xlsx": ("archive.xlsx", _zip_renamed, r"zip archive of other files"),
    "declared-dimension": ("dimension.xlsx", _wide_empty, NOT_NUMBER),
    "sheet-2gb": ("bomb.xlsx", _bomb, r"unpacks to 2\.0\sGB"),
    "compression-ratio": ("ratio.xlsx", _ratio, r"zip bomb"),
    "shared-strings": ("shared.xlsx", _shared, r"shared strings unpack to"),
    "10000-columns": ("wide.xlsx", _wide_filled, r"more columns than the limit of 500"),
    "too-many-cells": ("cells.xlsx", _too_many_cells, r"more cells than a spreadsheet can hold"),
    "row-beyond-excel": ("far.xlsx", _last_row, r"row 2000000: the row is beyond the last row"),
    "long-xlsx-cell": ("long.xlsx", _long_xlsx_cell, r"longer than 10,000 characters"),
    "million-empty-lines": (
        "empty-lines.csv",
        lambda s, d: b"\n" * 1_000_000,
        r"the file is empty|more rows than the limit of 200,000",
    ),
    "csv-wide-row": (
        "wide.csv",
        lambda s, d: csv_bytes([s.header, ["x"] * 600]),
        r"row 2: the row has more columns than the limit of 500",
    ),
    "csv-huge-field": (
        "field.csv",
        lambda s, d: csv_bytes([s.header, ["x" * 200_000]]),
        r"row 2, column 'A': the cell is longer than 10,000 characters|row 2: the cell is longer",
    ),
    "csv-50mb-line": (
        "line.csv",
        lambda s, d: csv_bytes([s.header]) + b"x" * (50 * MB) + b"\n",
        r"row 2: the row is longer than 1,000,000 characters",
    ),
    "utf-16": ("utf16.csv", _utf16, NOT_NUMBER),
    "mixed-encodings": ("mixed.csv", _mixed, r"mixes encodings"),
    "csv-formula": ("formula.csv", lambda s, d: csv_bytes(_rows(s, "=1+1")), NOT_NUMBER),
    "xlsx-formula": ("formula.xlsx", _formula, NOT_NUMBER),
    "other-sheet-name": ("renamed.xlsx", _renamed_sheet, NOT_NUMBER),
    "billion-laughs": ("laughs.xlsx", _billion_laughs, r"declares XML entities"),
    "deep-xml": ("deep.xlsx", _nested, r"nested too deeply"),
    "nul-bytes": (
        "nul.csv",
        lambda s, d: csv_bytes(_rows(s, "1\x002")),
        r"NUL character",
    ),
    "header-in-row-50": ("late.csv", _header_late, r"no header row found in the first 1[25] rows"),
    "duplicated-header": ("twice.csv", _duplicate, r"appears twice"),
    "1e23": ("huge.xlsx", lambda s, d: xlsx_bytes(sheet_xml(_rows(s, 1e23))), r"above the limit"),
    "negative": ("negative.csv", lambda s, d: csv_bytes(_rows(s, "-5")), r"-5 is below [01]"),
    "over-max-bytes": ("too-big.csv", _too_big, r"the file is 101\.0\sMB; the limit is 100\.0\sMB"),
    "too-many-rows": ("rows.csv", _many_rows, r"more rows than the limit of"),
}

#: GeoJSON cases of the boundary importer (the tabular cases are refused as not GeoJSON).
GEO_CASES: dict[str, tuple[str, object, str]] = {
    "geo-deep": (
        "deep.geojson",
        lambda s, d: b"[" * 200_000 + b"]" * 200_000,
        r"nested too deeply",
    ),
    "geo-infinite": (
        "inf.geojson",
        lambda s, d: json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ADM1_PCODE": "IQG04"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[1e400, 1], [2, 2], [1, 1]]],
                        },
                    }
                ],
            }
        ).encode(),
        r"finite",
    ),
    "geo-nul": (
        "nul.geojson",
        lambda s, d: (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", '
            b'"properties": {"ADM1_PCODE": "IQ\\u0000"}, "geometry": null}]}'
        ),
        r"NUL character",
    ),
    "geo-too-big": (
        "too-big.geojson",
        _too_big,
        r"the file is 101\.0\sMB; the limit is 100\.0\sMB",
    ),
}
GEO_EXPECTED = r"not GeoJSON|the file is empty|the file is \d|not UTF-8"


def expected(importer: str, case: str) -> str:
    if importer == "boundaries":
        return GEO_CASES[case][2] if case in GEO_CASES else GEO_EXPECTED
    return CASES[case][2]


def build(importer: str, directory: Path) -> dict[str, Path]:
    """Write the corpus for ``importer`` under ``directory``: case name → file."""
    spec = SPECS[importer]
    cases = {**CASES, **(GEO_CASES if importer == "boundaries" else {})}
    files = {}
    for case, (filename, builder, _expected) in cases.items():
        folder = directory / case
        folder.mkdir(parents=True, exist_ok=True)
        data = builder(spec, folder)
        if data is not None:
            (folder / filename).write_bytes(data)
        else:  # the builder wrote the file itself
            next(folder.iterdir()).rename(folder / filename)
        files[case] = folder / filename
    return files


# ------------------------------------------------------------------ the runner


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


#: The job each importer runs in, and its parameters for a file.
JOBS = {
    "registry": ("registry-import", {}),
    "dtm": ("tracking-dtm-import", {"round": "R1", "date": "2015-06-01", "kind": "idps"}),
    "needs": ("needs-import", {}),
    "4w": ("coordination-4w-import", {}),
    "boundaries": ("boundaries", {}),
}


def _importer(name: str, user):
    """A function path → None that runs the importer's job handler on the file, as a
    worker would (without the job's row: the database must stay as it was)."""
    from types import SimpleNamespace

    from amina.jobs.services import get_handler

    kind, params = JOBS[name]
    handler = get_handler(kind)

    def run_one(path: Path) -> None:
        job = SimpleNamespace(
            pk=None,
            created_by=user,
            parameters={**params, "path": str(path), "filename": path.name},
        )
        handler(job, lambda *args, **kwargs: None)

    return run_one


def run(importer: str, directory: Path) -> dict:
    """Each file of the corpus through the importer: case → how it was refused."""
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from amina.accounts.models import Organisation, User
    from amina.jobs.services import JobError
    from amina.lib.tabular import ImportFailed, TableError

    organisation, _new = Organisation.objects.get_or_create(name_en="Corpus", kind="iom")
    user, _new = User.objects.get_or_create(
        username="corpus",
        defaults={"role": "admin", "organisation": organisation, "national_scope": True},
    )
    run_one = _importer(importer, user)
    files = build(importer, directory)
    before = _counts()
    outcome = {}
    for case, path in files.items():
        try:
            run_one(path)
        except JobError as exc:
            # The summary names the first problem; the refusal the case is about may be a
            # later one of the same row (an unknown place is checked before a number).
            outcome[case] = "; ".join([str(exc), *(p["message"] for p in exc.problems)])
        except ImportFailed as exc:
            outcome[case] = "; ".join(str(p) for p in exc.report.errors)
        except TableError as exc:
            outcome[case] = str(exc)
        except ValidationError as exc:
            outcome[case] = "; ".join(exc.messages)
        except Exception as exc:  # noqa: BLE001 (the point: name any crash)
            outcome[case] = f"CRASH {type(exc).__name__}: {str(exc)[:300]}"
        else:
            outcome[case] = "ACCEPTED"
        for part in path.parent.iterdir():
            part.unlink()  # keep the disk small: the next case writes its own
    return {"outcome": outcome, "before": before, "after": _counts()}


def main(argv: list[str]) -> int:
    importer, directory = argv[0], Path(argv[1])
    json.dump(run(importer, directory), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

__all__ = ["CASES", "GEO_CASES", "IMPORTERS", "build", "expected", "re", "run"]
