"""Simulating KoboToolbox / ODK Central exports of a generated XLSForm.

The headers are derived from the form itself (its survey sheet, with the group path of
each question), exactly as the servers name export columns, so a test that fills this
form proves the importer reads what the field tools produce.
"""

from __future__ import annotations

import io
import uuid

from openpyxl import Workbook, load_workbook

KOBO_META = ["meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_index"]
DATA_TYPES = (
    "select_one",
    "select_one_from_file",
    "text",
    "integer",
    "date",
    "decimal",
    *("start", "end", "today", "deviceid", "username"),
)
METADATA = ("start", "end", "today", "deviceid", "username")


def survey_paths(xlsform: bytes, sep: str = "/") -> dict[str, str]:
    """Field name → export header (``group/field``) of every data question of the form."""
    sheet = load_workbook(io.BytesIO(xlsform), read_only=True)["survey"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    t, n = header.index("type"), header.index("name")
    stack: list[str] = []
    paths = {}
    for row in rows[1:]:
        kind, name = (row[t] or "").strip(), (row[n] or "").strip()
        if kind == "begin_group":
            stack.append(name)
        elif kind == "end_group":
            stack.pop()
        elif kind.split(" ")[0] in DATA_TYPES:
            paths[name] = sep.join([*stack, name])
    return paths


def choices(xlsform: bytes, list_name: str) -> list[str]:
    sheet = load_workbook(io.BytesIO(xlsform), read_only=True)["choices"]
    rows = list(sheet.iter_rows(values_only=True))
    return [str(r[1]) for r in rows[1:] if r[0] == list_name]


def submission(
    paths: dict[str, str],
    values: dict[str, object],
    *,
    instance: str | None = None,
    meta_sep: str = "/",
) -> dict[str, object]:
    """One export row: the filled answers under their headers plus KoboToolbox's metadata."""
    instance = instance or str(uuid.uuid4())
    row = {paths[name]: value for name, value in values.items()}
    row[f"meta{meta_sep}instanceID"] = f"uuid:{instance}"
    row["_uuid"] = instance
    row["_id"] = abs(hash(instance)) % 100000
    row["_submission_time"] = "2015-06-05T10:00:00"
    return row


def headers(paths: dict[str, str], meta_sep: str = "/") -> list[str]:
    return [
        *METADATA,
        *[p for n, p in paths.items() if n not in METADATA],
        *[h.replace("/", meta_sep) for h in KOBO_META],
    ]


def location_choices(locations_csv: bytes) -> list[str]:
    """The choice names of the locations CSV attached to the form."""
    import csv

    return [row["name"] for row in csv.DictReader(io.StringIO(locations_csv.decode("utf-8")))]


def as_xlsx(rows: list[dict], header: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Amina needs assessment"
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h, None) for h in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
