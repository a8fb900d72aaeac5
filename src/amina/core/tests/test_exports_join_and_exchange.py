"""Data that joins (issue 15): every export of the demo names its places by the same stable
code, so DTM figures join needs, the 4W, households and distributions; and every export
kind in every format reads back with the tool a partner would use — libhxl with its
default schema (0 errors) for HXL, RFC 7946 rules for GeoJSON, openpyxl for XLSX —
with no personal column labelled for exchange."""

from __future__ import annotations

import csv
import io
import json

import hxl
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from amina.core.discovery import registry
from amina.core.management.commands.export import formats_of

KINDS = sorted(registry("EXPORTS"))
FORMATS = ("csv", "xlsx", "hxl", "geojson")
JOINED = ("needs", "activities", "households", "distributions")
EXTENSION = {"csv": "csv", "hxl": "csv", "xlsx": "xlsx", "geojson": "geojson"}

#: Hashtags of the HXL dictionary our exports may use; anything else must be ``#x_…``.
HXL_DICTIONARY = {
    "#activity", "#adm1", "#adm2", "#affected", "#date", "#geo", "#indicator", "#inneed",
    "#item", "#loc", "#meta", "#org", "#reached", "#sector", "#severity", "#status",
}  # fmt: skip
#: Hashtags that label personal data for exchange; none may appear in any export.
PERSONAL_HASHTAGS = ("#contact", "#beneficiary")
#: Columns that hold personal data: never tagged in HXL, never in GeoJSON.
PERSONAL_COLUMNS = {
    "household_ref", "household_refs", "head_name_ar", "head_name_latin", "sex",
    "birth_year", "document_number", "phone", "size", "vulnerability_score",
    "close_reason", "merged_into", "Household reference", "Household size",
    "Vulnerability score", "Owner",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, loaded once for the module and rolled back at its end."""
    from amina.core.demo import generate
    from conftest import reference_geography

    with django_db_blocker.unblock(), transaction.atomic():
        reference_geography.__wrapped__(None)
        generate("small", 3)
        _one_duplicate_pair()
        yield
        transaction.set_rollback(True)


def _one_duplicate_pair() -> None:
    """The small demo may find no duplicate: then one pair, for the duplicates export."""
    from amina.registry.models import DuplicateCandidate, Household

    if not DuplicateCandidate.objects.exists():
        a, b = Household.objects.order_by("pk")[:2]
        DuplicateCandidate.objects.create(
            household_a=a, household_b=b, governorate=a.governorate, cluster=1, probability=0.97
        )


def _export(tmp_path, kind: str, fmt: str):
    out = tmp_path / f"{kind}.{EXTENSION[fmt]}"
    call_command("export", kind, "--format", fmt, "-o", str(out), "--purpose", "join test")
    return out


def _hxl(path) -> tuple[list[str], list[list[str]], list]:
    """Headers, rows and schema problems of an HXL file as libhxl reads it."""
    problems: list = []
    dataset = hxl.data(str(path), hxl.InputOptions(allow_local=True)).cache()
    hxl.schema(callback=problems.append).validate(dataset)
    return dataset.display_tags, [list(row.values) for row in dataset], problems


def _codes(tmp_path, kind: str) -> list[str]:
    tags, rows, _problems = _hxl(_export(tmp_path, kind, "hxl"))
    column = tags.index("#loc+code")
    return [row[column] for row in rows]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", JOINED)
def test_every_row_joins_the_displacement_export_on_the_location_code(demo, tmp_path, kind):
    displacement = set(_codes(tmp_path, "displacement"))
    codes = _codes(tmp_path, kind)
    assert codes, f"{kind}: the demo gave no rows (the test would prove nothing)"
    unmatched = [c for c in codes if c not in displacement]
    assert unmatched == [], f"{kind}: {len(unmatched)} of {len(codes)} rows do not join"


@pytest.mark.django_db
def test_the_location_code_is_the_stable_code_not_a_database_id(demo, tmp_path):
    from amina.geo.models import Location

    codes = set(_codes(tmp_path, "displacement"))
    stored = dict(Location.objects.values_list("code", "dtm_place_id"))
    assert codes <= set(stored)
    assert all(stored[c] in (c, None) for c in codes)


def _check_geojson(kind: str, content: bytes) -> None:
    data = json.loads(content)
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert data["features"], f"{kind}: no features"
    placed = 0
    for feature in data["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        assert not PERSONAL_COLUMNS & set(feature["properties"]), feature["properties"]
        geometry = feature["geometry"]
        if geometry is None:
            continue
        placed += 1
        if geometry["type"] == "Point":
            lon, lat = geometry["coordinates"]
            # Iraq: longitude 38–49 east, latitude 29–38 north; the order is lon, lat.
            assert 38 <= lon <= 49 and 29 <= lat <= 38, geometry
        else:
            assert geometry["type"] in ("Polygon", "MultiPolygon"), geometry
            polygons = (
                [geometry["coordinates"]]
                if geometry["type"] == "Polygon"
                else geometry["coordinates"]
            )
            for rings in polygons:
                for index, ring in enumerate(rings):
                    assert ring[0] == ring[-1] and len(ring) >= 4
                    area = sum(
                        x1 * y2 - x2 * y1
                        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)
                    )
                    assert (area > 0) == (index == 0), "right-hand rule (RFC 7946 3.1.6)"
    assert placed, f"{kind}: no feature has a geometry"


def _check_hxl(kind: str, path) -> None:
    tags, rows, problems = _hxl(path)
    errors = [p for p in problems if p.rule.severity == "error"]
    assert errors == [], [(p.message, p.value) for p in errors[:5]]
    for tag in filter(None, tags):
        hashtag = tag.split("+")[0]
        assert hashtag in HXL_DICTIONARY or hashtag.startswith("#x_"), f"{kind}: {tag}"
        assert not hashtag.startswith(PERSONAL_HASHTAGS), f"{kind}: {tag} is personal"
    header = next(csv.reader(io.StringIO(path.read_text("utf-8"))))
    tag_row = next(iter(csv.reader(io.StringIO(path.read_text("utf-8").split("\n", 2)[1]))))
    for name, tag in zip(header, tag_row, strict=False):
        if name in PERSONAL_COLUMNS:
            assert tag == "", f"{kind}: personal column {name} tagged {tag}"
    assert rows, f"{kind}: no rows"


def _check_xlsx(kind: str, content: bytes) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    header, tags, *data = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert all(header) and len(tags) == len(header)
    assert all(t is None or str(t).startswith("#") for t in tags), tags
    assert data, f"{kind}: no rows"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_export_reads_back_in_every_format_it_offers(demo, tmp_path, kind, fmt):
    offered = formats_of(registry("EXPORTS")[kind])
    if fmt not in offered:
        with pytest.raises(CommandError):
            _export(tmp_path, kind, fmt)
        return
    path = _export(tmp_path, kind, fmt)
    content = path.read_bytes()
    if fmt == "hxl":
        _check_hxl(kind, path)
    elif fmt == "geojson":
        _check_geojson(kind, content)
    elif fmt == "xlsx":
        _check_xlsx(kind, content)
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert len(rows) > 1 and not rows[1][0].startswith("#"), f"{kind}: no data rows"


def test_every_kind_with_a_place_offers_geojson():
    placeless = {k for k in KINDS if "geojson" not in formats_of(registry("EXPORTS")[k])}
    assert placeless == {"duplicates"}


def test_the_help_lists_each_kinds_formats(capsys):
    with pytest.raises(SystemExit):
        call_command("export", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "duplicates" in text and "[csv, xlsx, hxl]" in text
    assert "[csv, xlsx, hxl, geojson]" in text
