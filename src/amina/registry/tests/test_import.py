"""Importing registration lists: the template, KoboToolbox exports, and every way a file
can be wrong (a clear message naming row and column, and nothing written)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from amina.lib.tabular import ImportFailed, TableError
from amina.registry.importing import import_households
from amina.registry.models import Household, Member
from amina.registry.tests.conftest import SAMPLES

pytestmark = pytest.mark.django_db

HOUSEHOLDS = (SAMPLES / "households.csv").read_text(encoding="utf-8")
MEMBERS = (SAMPLES / "household-members.csv").read_text(encoding="utf-8")


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def to_csv(table) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode("utf-8")


def edit(text, row, column, value) -> bytes:
    """The CSV with one cell changed (``row`` 1 is the first data row)."""
    table = rows(text)
    table[row][table[0].index(column)] = value
    return to_csv(table)


def refused(source, members=None, **kwargs):
    with pytest.raises((ImportFailed, TableError)) as info:
        import_households(None, source, members, filename="h.csv", **kwargs)
    assert not Household.objects.exists() and not Member.objects.exists()
    return str(info.value)


def test_it_imports_the_xlsx_template_with_members_and_keeps_references(reference_geography):
    result = import_households(None, SAMPLES / "households.xlsx")
    assert result.households == 63
    assert Household.objects.filter(household_ref="HH-00001").exists()
    first = Household.objects.get(household_ref="HH-00001")
    assert first.members.count() == 11 and first.members.get(is_head=True).phone == "07991548234"
    assert first.location.governorate.pcode == "IQG11" == first.governorate.pcode
    assert first.vulnerability_score > 0 and "disability" in first.vulnerability_reasons


def test_it_imports_the_csv_pair_and_normalises_names(reference_geography):
    import_households(None, SAMPLES / "households.csv", SAMPLES / "household-members.csv")
    head = Member.objects.get(household__household_ref="HH-00061", is_head=True)
    twin = Member.objects.get(household__household_ref="HH-00004", is_head=True)
    assert head.family_name_ar != twin.family_name_ar  # الخزرجى / الخزرجي as written
    assert head.key_family == twin.key_family


def test_the_command_imports_and_reports(reference_geography, capsys):
    call_command(
        "import",
        "households",
        str(SAMPLES / "households.csv"),
        "--members",
        str(SAMPLES / "household-members.csv"),
    )
    assert "imported 63 households" in capsys.readouterr().out


def test_the_command_fails_with_the_row_and_column(reference_geography, tmp_path):
    broken = tmp_path / "households.csv"
    broken.write_bytes(edit(HOUSEHOLDS, 2, "head_birth_date", "1970-13-45"))
    with pytest.raises(CommandError, match="row 3, column 'head_birth_date'"):
        call_command("import", "households", str(broken))
    assert not Household.objects.exists()


def test_it_refuses_a_file_without_a_required_column(reference_geography):
    table = rows(HOUSEHOLDS)
    index = table[0].index("household_size")
    message = refused(to_csv([r[:index] + r[index + 1 :] for r in table]))
    assert "household_size" in message


def test_it_refuses_a_bad_date_naming_row_and_column(reference_geography):
    message = refused(edit(HOUSEHOLDS, 2, "head_birth_date", "31/02/1970"))
    assert "row 3" in message and "head_birth_date" in message


def test_it_refuses_an_unknown_location_pcode(reference_geography):
    message = refused(edit(HOUSEHOLDS, 5, "location", "IQG04Q01L9999"))
    assert "row 6" in message and "'location'" in message


def test_it_refuses_an_unknown_governorate(reference_geography):
    message = refused(edit(HOUSEHOLDS, 1, "governorate", "Atlantis"))
    assert "row 2" in message and "governorate" in message


def test_it_refuses_members_of_an_unknown_household(reference_geography):
    message = refused(SAMPLES / "households.csv", edit(MEMBERS, 4, "household_ref", "HH-99999"))
    assert "row 5" in message and "HH-99999" in message


def test_it_refuses_a_household_ref_twice_in_the_file(reference_geography):
    message = refused(edit(HOUSEHOLDS, 7, "household_ref", "HH-00001"))
    assert "row 8" in message and "appears twice" in message


def test_it_refuses_a_household_ref_already_registered(reference_geography):
    import_households(None, SAMPLES / "households.csv")
    before = Household.objects.count()
    with pytest.raises(ImportFailed, match="already registered"):
        import_households(None, SAMPLES / "households.csv")
    assert Household.objects.count() == before


def test_it_refuses_a_household_without_consent(reference_geography):
    message = refused(edit(HOUSEHOLDS, 3, "consent", "no"))
    assert "row 4" in message and "consent" in message


def test_it_refuses_the_wrong_kind_of_file(reference_geography):
    with pytest.raises(TableError, match="not an XLSX"):
        import_households(None, b"%PDF-1.4 not a table", filename="list.xlsx")
    assert "not a CSV" in refused(b"\x00\x01\x02binary")
    assert not Household.objects.exists()


def test_it_refuses_an_empty_file(reference_geography):
    assert "empty" in refused(b"")
    assert "empty" in refused(b"   \n")


def test_it_refuses_a_header_without_rows(reference_geography):
    assert "no households" in refused(to_csv(rows(HOUSEHOLDS)[:1]))


def kobo_workbook(group_paths: bool) -> bytes:
    """A KoboToolbox XLSX export: households sheet, a repeat-group members sheet joined by
    _index/_parent_index, headers with group paths when exported with groups."""
    table = rows(HOUSEHOLDS)[:4]
    members = rows(MEMBERS)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Registration form"
    prefix = "household/" if group_paths else ""
    sheet.append([prefix + h for h in table[0]] + ["_id", "_uuid", "_index"])
    for number, row in enumerate(table[1:], start=1):
        sheet.append(row + [1000 + number, f"uuid-{number}", number])
    repeat = workbook.create_sheet("members")
    columns = [h for h in members[0] if h != "household_ref"]
    repeat.append(
        [("members/" if group_paths else "") + h for h in columns]
        + ["_index", "_parent_index", "_parent_table_name"]
    )
    index = 0
    for row in members[1:]:
        ref = row[0]
        parent = next((n for n, r in enumerate(table[1:], start=1) if r[0] == ref), None)
        if parent is None:
            continue
        index += 1
        repeat.append(row[1:] + [index, parent, "Registration form"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("group_paths", [False, True])
def test_it_imports_a_kobotoolbox_export_joined_by_parent_index(reference_geography, group_paths):
    result = import_households(None, kobo_workbook(group_paths), filename="kobo.xlsx")
    assert result.households == 3
    household = Household.objects.get(household_ref="HH-00001")
    assert household.members.count() == 11


def test_a_kobotoolbox_member_of_no_submission_is_refused(reference_geography):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(kobo_workbook(False)))
    workbook["members"].cell(row=2, column=workbook["members"].max_column - 1, value=99)
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportFailed, match="_parent_index"):
        import_households(None, out.getvalue(), filename="kobo.xlsx")
    assert not Household.objects.exists()


def test_it_imports_kobotoolbox_csv_exports_joined_by_uuid(reference_geography):
    table = rows(HOUSEHOLDS)[:3]
    households = [table[0] + ["_uuid"]] + [r + [f"uuid-{r[0]}"] for r in table[1:]]
    members = rows(MEMBERS)
    columns = [h for h in members[0] if h != "household_ref"]
    repeat = [[*columns, "_submission__uuid"]]
    repeat += [r[1:] + [f"uuid-{r[0]}"] for r in members[1:] if r[0] in ("HH-00001", "HH-00002")]
    result = import_households(None, to_csv(households), to_csv(repeat), filename="kobo.csv")
    assert result.households == 2
    assert Household.objects.get(household_ref="HH-00002").members.count() == len(
        [r for r in members[1:] if r[0] == "HH-00002"]
    )
