import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from amina.needs.xlsform import build_xlsform, fields, location_code

from .kobo import choices, survey_paths

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
    assert location_code(location_a) in choices(content, "location")
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
    assert set(paths) - {"start", "end"} == set(fields(sectors))


def test_the_command_writes_the_form_for_one_governorate(tmp_path, location_a, location_b, gov_a):
    out = tmp_path / "needs.xlsx"
    call_command("xlsform", "needs", "-o", str(out), "--governorate", "IQG04")
    content = out.read_bytes()
    assert location_code(location_a) in choices(content, "location")
    assert location_code(location_b) not in choices(content, "location")
    convert(content, file_type=".xlsx")


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
    names = choices(content, "location")
    assert location_code(location_a) in names
    assert location_code(location_b) not in names


@pytest.mark.parametrize("persona", ["partner", "logistics_a"])
def test_it_refuses_the_form_to_roles_that_do_not_assess(client, personas, persona, location_a):
    client.force_login(personas[persona])
    assert client.get(reverse("needs:xlsform")).status_code == 403
