import csv
import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from amina.needs.exports import export_needs

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(assess, location_a, location_b):
    assess(location_a, {2: 5, 4: 2}, [2], on=datetime.date(2015, 3, 1), population=50)
    assess(location_a, {2: 4, 4: 3}, [4, 2], on=datetime.date(2015, 6, 1), population=1000)
    assess(location_b, {5: 3}, [5], on=datetime.date(2015, 6, 2), population=400)


def test_the_csv_export_has_one_row_per_latest_assessment_and_sector(recorded):
    rows = list(csv.DictReader(io.StringIO(export_needs(None, "csv").decode("utf-8-sig"))))
    got = sorted(
        (
            r["Location"],
            r["Sector number"],
            r["Severity (1-5)"],
            r["People in need (individuals)"],
            r["Priority rank"],
        )
        for r in rows
    )
    assert got == [
        ("Hay Al-Nour 1", "2", "4", "1000", "2"),
        ("Hay Al-Nour 1", "4", "3", "1000", "1"),
        ("Hay Al-Salam 2", "5", "3", "400", "1"),
    ]


def test_every_assessment_can_be_exported(recorded):
    rows = list(
        csv.DictReader(
            io.StringIO(export_needs(None, "csv", latest_only=False).decode("utf-8-sig"))
        )
    )
    assert len(rows) == 5


def test_the_hxl_export_reads_with_libhxl(recorded, tmp_path):
    import hxl

    path = tmp_path / "needs.csv"
    path.write_bytes(export_needs(None, "hxl"))
    source = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    tags = {str(c.get_display_tag()) for c in source.columns}
    assert {
        "#adm1+name",
        "#adm1+code",
        "#loc+name",
        "#loc+code",
        "#date+reported",
        "#sector+code",
        "#severity+num",
        "#affected+ind",
        "#inneed+ind",
    } <= tags
    values = sorted(int(row.get("#severity+num")) for row in source)
    assert values == [3, 3, 4]


@pytest.mark.parametrize("place", ["IQG09", "Duhok", "دهوك", "IQ-DA"])
def test_the_command_writes_xlsx_for_one_governorate(recorded, tmp_path, place):
    out = tmp_path / "needs.xlsx"
    call_command("export", "needs", "--format", "xlsx", "--governorate", place, "-o", str(out))
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[4] for r in rows] == ["Hay Al-Salam 2"]


def test_the_summary_adds_up_the_detail(recorded):
    rows = list(
        csv.DictReader(io.StringIO(export_needs(None, "csv", summary=True).decode("utf-8-sig")))
    )
    by = {(r["Governorate p-code"], r["Sector number"]): r for r in rows}
    assert by[("IQG04", "2")]["Locations with severe needs (4-5)"] == "1"
    assert by[("IQG04", "4")]["People in need (individuals)"] == "1000"
    assert by[("IQG09", "5")]["Highest severity"] == "3"
