"""4W import: by header names or by HXL hashtags, all or nothing, row and column named."""

import io

import pytest
from openpyxl import Workbook

from amina.coordination.models import Activity
from amina.coordination.services.imports import import_activities
from amina.lib.tabular import ImportFailed

pytestmark = pytest.mark.django_db

PLAIN = (
    "Organisation,Sector,Activity,Governorate,District,Location,Start date,End date,Status,"
    "Girls,Boys,Women,Men,Elderly women,Elderly men\n"
    """NRC,2,NFI kits,Najaf,,Hay Al-Nour 1,2015-06-01,2015-07-31,ongoing,10,12,20,18,3,2
DRC,Health support,Mobile clinic,IQG04,,,04/06/2015,,planned,0,0,5,5,0,0
IOM,Shelter and non-food items,Tents,Duhok,,Hay Al-Salam 2,2015-05-01,2015-05-30,completed,\
1,1,1,1,1,1
"""
)

HXL = """Partner,Cluster,What,Gov code,Gov,Place,From,To,State,Female total,Male total,Reached
#org,#sector,#activity,#adm1+code,#adm1+name,#loc+name,#date+start,#date+end,#status,\
#reached+f,#reached+m,#reached+ind
NRC,2,NFI kits,IQG04,,Hay Al-Nour 1,2015-06-01,2015-07-31,ongoing,40,35,80
"""


def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_imports_a_sheet_matched_by_header_names(admin_user, location_a, location_b, orgs):
    result = import_activities(admin_user, PLAIN.encode(), "4w.csv")

    assert (result.created, result.updated, result.hxl) == (3, 0, False)
    nrc = Activity.objects.get(organisation=orgs["NRC"])
    assert nrc.location == location_a and nrc.district == location_a.district
    assert (nrc.girls, nrc.boys, nrc.women, nrc.men, nrc.elderly_women, nrc.elderly_men) == (
        10,
        12,
        20,
        18,
        3,
        2,
    )
    assert nrc.people_reached == 65 and nrc.female == 33 and nrc.male == 32
    drc = Activity.objects.get(organisation=orgs["DRC"])
    assert drc.sector.code == 4 and drc.location is None and drc.status == "planned"
    assert str(drc.start_date) == "2015-06-04"


def test_it_maps_hxl_hashtags_whatever_the_header_says(admin_user, location_a, orgs):
    result = import_activities(admin_user, HXL.encode(), "4w-hxl.csv")

    assert result.hxl and result.created == 1
    a = Activity.objects.get()
    assert (a.governorate.pcode, a.location, a.status) == ("IQG04", location_a, "ongoing")
    # Sex totals without age go to "age not given"; the rest of the total to "not disaggregated".
    assert (a.female_other, a.male_other, a.reached_other, a.people_reached) == (40, 35, 5, 80)


def test_it_reads_an_hxl_tagged_workbook_with_attributes_in_any_order(admin_user, location_a, orgs):
    data = _xlsx(
        [
            ["Org", "Sector", "Activity", "Governorate", "Start", "Girls", "Women", "Older men"],
            [
                "#org",
                "#sector",
                "#activity",
                "#adm1 +name",
                "#date +start",
                "#reached +children +f",
                "#reached+adults+f",
                "#reached+elderly+m",
            ],
            ["IOM", "Health support", "Mobile clinic", "Al-Najaf", "2015-06-08", 4, 6, 2],
        ]
    )
    result = import_activities(admin_user, data, "4w.xlsx")

    a = Activity.objects.get()
    assert result.hxl and (a.girls, a.women, a.elderly_men, a.people_reached) == (4, 6, 2, 12)


def test_reimporting_the_same_sheet_updates_rather_than_doubles(
    admin_user, location_a, location_b, orgs
):
    import_activities(admin_user, PLAIN.encode(), "4w.csv")
    again = import_activities(admin_user, PLAIN.replace("10,12,20", "11,12,20").encode(), "4w.csv")

    assert (again.created, again.updated) == (0, 3)
    assert Activity.objects.count() == 3
    assert Activity.objects.get(organisation=orgs["NRC"]).girls == 11


def test_it_refuses_a_malformed_sheet_naming_row_and_column_and_writes_nothing(
    admin_user, location_a, location_b, orgs
):
    bad = (
        PLAIN.replace("NRC,2,NFI kits,Najaf", "XYZ,2,NFI kits,Najaf")
        .replace("2015-05-01,2015-05-30", "2015-05-01,2015-04-30")
        .replace(",5,5,0,0", ",5,five,0,0")
    )

    with pytest.raises(ImportFailed) as caught:
        import_activities(admin_user, bad.encode(), "4w.csv")

    problems = {(p.row, p.column): p.message for p in caught.value.report.errors}
    assert "unknown organisation 'XYZ'" in problems[(2, "Organisation")]
    assert "not a whole number" in problems[(3, "Men")]
    assert "before the start date" in problems[(4, "End date")]
    assert Activity.objects.count() == 0


def test_it_refuses_a_total_that_contradicts_the_breakdown(admin_user, location_a, orgs):
    bad = HXL.replace(",40,35,80", ",40,35,70")

    with pytest.raises(ImportFailed) as caught:
        import_activities(admin_user, bad.encode(), "4w.csv")

    (problem,) = caught.value.report.errors
    assert (problem.row, problem.column) == (3, "Reached") and "less than" in problem.message
    assert not Activity.objects.exists()


def test_it_names_an_unknown_place_with_suggestions(admin_user, location_a, orgs):
    bad = PLAIN.splitlines()[0] + "\nNRC,2,NFI kits,Najav,,Hay Al-Nour 1,2015-06-01,,,1,1,1,1,1,1\n"

    with pytest.raises(ImportFailed) as caught:
        import_activities(admin_user, bad.encode(), "4w.csv")

    (problem,) = caught.value.report.errors
    assert problem.row == 2 and problem.column == "Governorate" and "Najav" in problem.message


def test_a_partner_may_import_only_its_own_organisations_activities(
    nrc_partner, location_a, location_b, orgs
):
    with pytest.raises(ImportFailed) as caught:
        import_activities(nrc_partner, PLAIN.encode(), "4w.csv")

    rows = sorted(p.row for p in caught.value.report.errors)
    assert rows == [3, 4]  # the DRC and IOM rows; the NRC row alone would pass
    assert not Activity.objects.exists()
    own = "\n".join(PLAIN.splitlines()[:2]) + "\n"
    assert import_activities(nrc_partner, own.encode(), "4w.csv").created == 1


def test_the_command_line_import_reports_problems_and_exits_non_zero(
    admin_user, location_a, orgs, tmp_path
):
    from django.core.management import CommandError, call_command

    good = tmp_path / "4w.csv"
    good.write_text("\n".join(PLAIN.splitlines()[:3]) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", "activities", str(good), stdout=out)
    assert "imported 2 activities" in out.getvalue()

    bad = tmp_path / "bad.csv"
    bad.write_text(
        PLAIN.splitlines()[0] + "\nNRC,99,x,Najaf,,,2015-01-01,,,,,,,,\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"row 2, column 'Sector': unknown MCOF sector '99'"):
        call_command("import", "activities", str(bad))
    assert Activity.objects.count() == 2
