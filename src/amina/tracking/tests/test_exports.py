"""Exports: the HXL export read by libhxl gives the same totals; the CLI writes every format."""

import io
import json

import pytest
from django.core.management import call_command

from amina.tracking import queries
from amina.tracking.services.dtm import import_dtm_file
from amina.tracking.tests.conftest import DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tracking_reference):
    import_dtm_file(None, DATA / "dtm-master-list-round21.csv", round_date="2015-05-21")
    import_dtm_file(None, DATA / "dtm-master-list-round22.csv", round_date="2015-06-04")


def run_export(tmp_path, *args) -> bytes:
    out = tmp_path / "out.bin"
    call_command("export", *args, "-o", str(out))
    return out.read_bytes()


@pytest.mark.parametrize("kind", ["displacement", "displacement-summary"])
def test_the_hxl_export_read_by_libhxl_gives_the_same_totals(imported, tmp_path, kind):
    import hxl

    path = tmp_path / "x.csv"
    path.write_bytes(run_export(tmp_path, kind, "--format", "hxl", "--round", "R21"))
    data = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    rows = list(data)
    national = queries.national_total("R21")
    assert sum(int(r.get("#affected+idps+ind")) for r in rows) == national.idp_individuals
    assert sum(int(r.get("#affected+idps+hh")) for r in rows) == national.idp_families
    assert "#adm1+code" in [
        str(c.tag) + "".join(f"+{a}" for a in c.attributes) for c in data.columns
    ]


def test_the_summary_export_of_a_governorate_is_its_total(imported, tmp_path):
    import csv

    content = run_export(
        tmp_path, "displacement-summary", "--format", "csv", "--governorate", "IQG09"
    ).decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(content)))
    from amina.geo.models import Governorate

    gov = Governorate.objects.get(pcode="IQG09")
    assert int(row["IDP individuals"]) == queries.governorate_totals(None)[gov.pk].idp_individuals


def test_geojson_and_xlsx_exports_are_readable(imported, tmp_path):
    from openpyxl import load_workbook

    geo = json.loads(run_export(tmp_path, "displacement", "--format", "geojson"))
    assert geo["features"][0]["geometry"]["type"] == "Point"
    assert (
        sum(f["properties"]["idp_families"] for f in geo["features"])
        == queries.national_total().idp_families
    )
    sheet = load_workbook(
        io.BytesIO(run_export(tmp_path, "displacement", "--format", "xlsx"))
    ).active
    assert [c.value for c in sheet[2]][:2] == ["#adm1+name", "#adm1+code"]


def test_an_unknown_round_is_a_one_line_error(imported, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown round R99"):
        run_export(tmp_path, "displacement", "--round", "R99")


def test_the_cli_import_reports_the_first_error_and_changes_nothing(tracking_reference, tmp_path):
    from django.core.management.base import CommandError

    from amina.tracking.tests.conftest import counts

    bad = tmp_path / "bad.csv"
    bad.write_text("Place id,Governorate,Families\n1,Najaf,ten\n", encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match="row 2, column 'Families'"):
        call_command(
            "import", "dtm", str(bad), "--round", "R1", "--date", "2015-01-01", "--no-progress"
        )
    assert counts() == before


def test_the_cli_import_creates_the_round(tracking_reference):
    out = io.StringIO()
    call_command(
        "import", "dtm", str(DATA / "dtm-master-list-round22.xlsx"), "--no-progress", stdout=out
    )
    assert "imported round R22: 625 locations" in out.getvalue()
