"""No export hands a spreadsheet a formula: text a partner typed (a place, an
organisation, an activity) that starts with ``=``, ``+``, ``-`` or ``@`` comes out
behind a single quote, in every export kind and every format (issue 12, defect 3)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from amina.core.discovery import registry
from amina.lib.exports import FORMULA_PREFIXES, ExportColumn, cell_value, write_table

PLANTED = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]
KINDS = sorted(registry("EXPORTS"))
FORMATS = ("csv", "xlsx", "hxl", "geojson")


def _plant() -> None:
    """Demo data, then the planted text in every text field an export reads."""
    from amina.accounts.models import Organisation
    from amina.coordination.models import ActionPoint, Activity, Meeting, Training
    from amina.core.demo import generate
    from amina.geo.models import District, Governorate, Location
    from amina.registry.models import DuplicateCandidate, Household, Member
    from amina.supply.models import Item, Warehouse

    generate("small", 3)

    def plant(model, *fields, key="pk"):
        for number, row in enumerate(model.objects.order_by(key)):
            for field in fields:
                setattr(row, field, PLANTED[number % len(PLANTED)] + f" {number}")
            row.save(update_fields=list(fields))

    plant(Governorate, "name_en", "name_ar")
    plant(District, "name_en", "name_ar")
    plant(Location, "name_en", "name_ar")
    plant(Warehouse, "name_en", "name_ar")
    plant(Organisation, "name_en", "name_ar")
    plant(Item, "name_en", "name_ar")
    plant(Training, "title")
    plant(Meeting, "title", "decisions")
    plant(ActionPoint, "text")
    plant(Activity, "activity_type", "description")
    plant(Member, "first_name_ar", "name_latin")
    for number, household in enumerate(Household.objects.order_by("pk")):
        household.household_ref = f"{PLANTED[number % len(PLANTED)]}-{household.pk}"
        household.save(update_fields=["household_ref"])
    if not DuplicateCandidate.objects.exists():  # the small demo may find no pair
        a, b = Household.objects.order_by("pk")[:2]
        DuplicateCandidate.objects.create(
            household_a=a, household_b=b, governorate=a.governorate, cluster=1, probability=0.97
        )


@pytest.fixture(scope="module")
def planted(django_db_setup, django_db_blocker):
    """One demo database for the whole module, rolled back at its end."""
    from conftest import reference_geography

    with django_db_blocker.unblock(), transaction.atomic():
        reference_geography.__wrapped__(None)
        _plant()
        yield
        transaction.set_rollback(True)


def _cells(fmt: str, content: bytes) -> list:
    if fmt in ("csv", "hxl"):
        return [v for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for v in row]
    if fmt == "geojson":
        data = json.loads(content)
        return [v for f in data["features"] for v in f["properties"].values()]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                cells.append(cell.value)
    return cells


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_export_neutralises_formula_text(planted, tmp_path, kind, fmt):
    out = tmp_path / f"export.{fmt}"
    try:
        call_command("export", kind, "--format", fmt, "-o", str(out), "--purpose", "audit test")
    except CommandError as exc:
        if fmt == "geojson":  # an export without geometry refuses GeoJSON: nothing written
            assert str(exc) and not out.exists()
            return
        raise
    cells = [c for c in _cells(fmt, out.read_bytes()) if isinstance(c, str)]
    live = [c for c in cells if c.startswith(FORMULA_PREFIXES)]
    assert live == [], f"{kind} {fmt}: cells a spreadsheet would evaluate: {live[:5]}"
    quoted = [c for c in cells if c.startswith("'") and c[1:].startswith(FORMULA_PREFIXES)]
    assert quoted, f"{kind} {fmt}: no planted text reached this export (the test proves nothing)"


def test_a_negative_number_stays_a_number_and_negative_text_is_quoted():
    assert cell_value(-2) == -2
    assert cell_value(-2.5) == -2.5
    assert cell_value("-2") == "'-2"
    assert cell_value("\t=1") == "'\t=1"
    assert cell_value("\r=1") == "'\r=1"
    assert cell_value("a=1") == "a=1"
    assert cell_value(None) == ""


def test_xlsx_text_is_a_string_cell_and_numbers_are_numbers():
    from openpyxl import load_workbook

    columns = [ExportColumn("name", "Name", "#loc+name"), ExportColumn("n", "N", "#x_n")]
    content = write_table([{"name": "=1+1", "n": -3}], columns, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    name, number = sheet["A3"], sheet["B3"]
    assert (name.value, name.data_type) == ("'=1+1", "s")
    assert (number.value, number.data_type) == (-3, "n")
