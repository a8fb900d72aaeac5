import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from amina.needs.xlsform import METADATA, build_form, build_xlsform, fields, location_code

from .kobo import choices, location_choices, survey_paths

pytestmark = pytest.mark.django_db


def _form(*governorates):
    return build_xlsform(governorates)


def test_the_form_converts_with_pyxform_and_carries_every_field(location_a, gov_a, sectors):
    content = _form(gov_a)
    warnings = []
    result = convert(content, warnings=warnings, file_type=".xlsx")
    xform = result.xform
    assert warnings == []
    for name, group in fields(sectors).items():
        assert f'nodeset="/data/{group}/{name}"' in xform, name
    assert 'nodeset="/data/meta/instanceID"' in xform
    # Both languages, the location and sector choice lists, the severity meanings.
    assert 'lang="English (en)"' in xform and 'lang="Arabic (ar)"' in xform
    assert "jr://file-csv/locations.csv" in xform
    assert location_code(location_a) in location_choices(build_form([gov_a]).locations_csv)
    assert choices(content, "sector") == [str(c) for c in sorted(sectors)]
    assert choices(content, "severity") == ["1", "2", "3", "4", "5"]
    assert "كارثية" in xform and "Catastrophic" in xform


def test_required_questions_are_required_in_the_form(location_a, gov_a):
    sheet = load_workbook(io.BytesIO(_form(gov_a)))["survey"]
    header = [c.value for c in sheet[1]]
    required = {
        row[header.index("name")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[header.index("required")] == "yes"
    }
    assert {"governorate", "location", "assessed_on", "team", "ki_count", "priority_1"} <= required


def test_every_survey_question_is_a_field_the_importer_reads(location_a, gov_a, sectors):
    paths = survey_paths(_form(gov_a))
    assert set(paths) - set(METADATA) == set(fields(sectors))


def test_the_command_writes_the_form_for_one_governorate(tmp_path, location_a, location_b, gov_a):
    out = tmp_path / "needs.xlsx"
    call_command("xlsform", "needs", "-o", str(out), "--governorate", "IQG04")
    names = location_choices((tmp_path / "locations.csv").read_bytes())
    assert location_code(location_a) in names
    assert location_code(location_b) not in names
    convert(out.read_bytes(), file_type=".xlsx")


def test_the_command_refuses_an_unknown_governorate(tmp_path, location_a):
    out = tmp_path / "needs.xlsx"
    with pytest.raises(CommandError, match="IQG99"):
        call_command("xlsform", "needs", "-o", str(out), "--governorate", "IQG99")
    assert not out.exists()


def test_the_download_button_gives_the_users_locations_only(
    client, officer_a, location_a, location_b
):
    client.force_login(officer_a)
    response = client.get(reverse("needs:xlsform"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == ["amina-needs-form.xlsx", "locations.csv"]
    convert(archive.read("amina-needs-form.xlsx"), file_type=".xlsx")
    names = location_choices(archive.read("locations.csv"))
    assert location_code(location_a) in names
    assert location_code(location_b) not in names


@pytest.mark.parametrize("persona", ["partner", "logistics_a"])
def test_it_refuses_the_form_to_roles_that_do_not_assess(client, personas, persona, location_a):
    client.force_login(personas[persona])
    assert client.get(reverse("needs:xlsform")).status_code == 403


def test_the_locations_are_an_attached_csv_named_by_stable_code_in_both_languages(
    location_a, gov_a
):
    import csv

    form = build_form([gov_a])
    assert "location" not in choices(form.xlsx, "location") and not choices(form.xlsx, "location")
    rows = list(csv.DictReader(io.StringIO(form.locations_csv.decode("utf-8"))))
    assert not form.locations_csv.startswith(b"\xef\xbb\xbf")  # no BOM in ODK's "name"
    row = next(r for r in rows if r["name"] == location_a.code)
    assert row["name"] == location_a.dtm_place_id == "900001"
    assert row["label::English (en)"].startswith("Hay Al-Nour 1")
    assert row["label::Arabic (ar)"].startswith("حي النور 1")
    assert row["governorate"] == gov_a.pcode


def test_the_form_records_when_where_and_by_whom(location_a, gov_a):
    xform = convert(_form(gov_a), file_type=".xlsx").xform
    for name in ("start", "end", "today", "deviceid", "username"):
        assert f'jr:preloadParams="{name}"' in xform, name


def test_the_command_checks_the_form_with_odk_validate_where_java_is(tmp_path, location_a, capsys):
    from amina.needs.xlsform import odk_validate_available

    call_command("xlsform", "needs", "-o", str(tmp_path / "needs.xlsx"))
    said = capsys.readouterr().err
    expected = "pyxform and ODK Validate" if odk_validate_available() else "checked with pyxform"
    assert expected in said


def test_a_form_pyxform_refuses_is_never_written(tmp_path, location_a, monkeypatch):
    from amina.needs import xlsform

    monkeypatch.setattr(
        xlsform, "survey_rows", lambda sectors: [{"type": "select_one nowhere", "name": "x"}]
    )
    with pytest.raises(CommandError, match="not valid"):
        call_command("xlsform", "needs", "-o", str(tmp_path / "needs.xlsx"))
    assert not (tmp_path / "needs.xlsx").exists()
