"""Importing DTM master lists: the published layouts are read, bad files change nothing."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from amina.geo.models import Governorate, Location
from amina.lib import tabular
from amina.tracking import queries
from amina.tracking.models import AssessmentShelter, LocationAssessment, Round
from amina.tracking.services.dtm import import_dtm_file, parse_dtm
from amina.tracking.tests.conftest import DATA, ROUND64_CSV, ROUND64_XLSX, counts

pytestmark = pytest.mark.django_db

R21_CSV = DATA / "dtm-master-list-round21.csv"


def independent_sums(path, encoding="utf-8-sig"):
    """Families and individuals per governorate p-code, read with the csv module alone."""
    names = {}
    for gov in Governorate.objects.all():
        for name in (gov.name_dtm, gov.name_en):
            names[name] = gov.pcode
    out = {}
    with open(path, encoding=encoding) as fh:
        for row in csv.DictReader(fh):
            fam = int(row["Families"] or 0)
            ind = int(row["Individuals"] or 0)
            f, i = out.get(names[row["Governorate"]], (0, 0))
            out[names[row["Governorate"]]] = (f + fam, i + ind)
    return out


def rows_of(path=R21_CSV) -> list[list[str]]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.reader(fh))


def to_csv(rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def refused(data, filename="list.csv", **kwargs) -> tabular.Report:
    before = counts()
    with pytest.raises(tabular.ImportFailed) as info:
        import_dtm_file(None, data, round_code="R9", round_date=None, filename=filename, **kwargs)
    assert counts() == before, "a refused import must write nothing"
    return info.value.report


@pytest.mark.parametrize("name", ["dtm-master-list-round21.csv", "dtm-master-list-round21.xlsx"])
def test_it_imports_the_sample_master_list_with_the_files_own_totals(tracking_reference, name):
    summary = import_dtm_file(None, DATA / name, round_date="2015-05-21")
    expected = independent_sums(R21_CSV)
    assert summary["round"] == "R21"
    totals = queries.governorate_totals("R21")
    by_pcode = {g.pcode: g.pk for g in Governorate.objects.all()}
    assert {
        p: (totals[by_pcode[p]].idp_families, totals[by_pcode[p]].idp_individuals) for p in expected
    } == expected
    national = queries.national_total("R21")
    assert national.idp_families == sum(f for f, _ in expected.values())
    assert national.locations == len(rows_of()) - 1


def test_the_xlsx_round_date_comes_from_its_title(tracking_reference):
    import_dtm_file(None, DATA / "dtm-master-list-round22.xlsx")
    assert str(Round.objects.get(code="R22").date) == "2015-06-04"


def test_reimporting_a_round_updates_it_instead_of_doubling_it(tracking_reference):
    import_dtm_file(None, DATA / "dtm-master-list-round21.csv", round_date="2015-05-21")
    first = counts()
    total = queries.national_total("R21")
    summary = import_dtm_file(None, DATA / "dtm-master-list-round21.xlsx")
    assert counts() == first
    assert queries.national_total("R21") == total
    assert summary["replaced"] == first["LocationAssessment"]
    assert summary["new_locations"] == 0


def test_round_22_adds_the_locations_round_21_did_not_have(tracking_reference):
    import_dtm_file(None, DATA / "dtm-master-list-round21.csv", round_date="2015-05-21")
    n21 = Location.objects.count()
    summary = import_dtm_file(None, DATA / "dtm-master-list-round22.csv", round_date="2015-06-04")
    assert summary["new_locations"] == Location.objects.count() - n21 > 0
    r22 = Round.objects.get(code="R22")
    assert queries.previous_round(r22).code == "R21"
    assert [r.code for r in queries.rounds()] == ["R21", "R22"]


def test_breakdowns_are_stored_and_add_up_to_families(tracking_reference):
    import_dtm_file(None, R21_CSV, round_date="2015-05-21")
    families = queries.national_total("R21").idp_families
    assert sum(queries.shelter_breakdown("R21").values()) == families
    assert sum(queries.origin_breakdown("R21").values()) == families
    assert sum(queries.period_breakdown("R21").values()) == families
    camps = sum(int(r[27] or 0) for r in rows_of()[1:])
    assert queries.shelter_breakdown("R21")["camp"] == camps


def test_it_reads_arabic_headers_in_another_order_with_eastern_digits_and_thousands(
    tracking_reference,
):
    header = ["العوائل", "المحافظة", "القضاء", "اسم الموقع", "رقم الموقع", "الأفراد", "Extra"]
    data = to_csv(
        [
            header,
            ["١٬٢٣٤", "النجف", "Al-Kufa", "حي الأمل", "٧٧٧", "7,404", "x"],
            ["1,000", "Najaf", "Al-Kufa", "حي النور", "778", "", ""],
        ]
    )
    import_dtm_file(None, data, round_code="R5", round_date="2015-07-01", filename="x.csv")
    a = LocationAssessment.objects.get(location__dtm_place_id="777")
    assert (a.families, a.individuals) == (1234, 7404)
    b = LocationAssessment.objects.get(location__dtm_place_id="778")
    assert (b.families, b.individuals) == (1000, 6000), "individuals = families × 6"


@pytest.mark.parametrize("encoding", ["cp1256", "utf-8-sig"])
def test_it_reads_windows_1256_and_bom_encoded_files(tracking_reference, encoding):
    data = to_csv(
        [
            ["Place id", "المحافظة", "District", "Location name in Arabic", "Families"],
            ["501", "النجف", "Al-Kufa", "حي الأمل", "10"],
        ],
        encoding,
    )
    import_dtm_file(None, data, round_code="R5", round_date="2015-07-01", filename="x.csv")
    loc = Location.objects.get(dtm_place_id="501")
    assert loc.name_ar == "حي الأمل" and loc.governorate.pcode == "IQG04"


def test_the_camp_multiplier_applies_to_camp_families(tracking_reference):
    data = to_csv(
        [
            ["Place id", "Governorate", "Families", "Camp", "Rented houses"],
            ["601", "Dahuk", "10", "4", "6"],
        ]
    )
    import_dtm_file(
        None,
        data,
        round_code="R6",
        round_date="2016-01-01",
        filename="x.csv",
        multiplier=Decimal(6),
        camp_multiplier=Decimal(5),
    )
    assert LocationAssessment.objects.get().individuals == 4 * 5 + 6 * 6


def test_it_refuses_a_file_without_the_families_column(tracking_reference):
    rows = [[c for i, c in enumerate(r) if i != 7] for r in rows_of()]
    report = refused(to_csv(rows))
    assert "missing required column 'families'" in report.summary()


def test_it_rejects_text_in_number_cells_naming_row_and_column(tracking_reference):
    rows = rows_of()
    rows[3][7] = "many"
    report = refused(to_csv(rows))
    assert [str(p) for p in report.errors] == [
        "row 4, column 'Families': 'many' is not a whole number"
    ]


def test_it_rejects_negative_numbers(tracking_reference):
    rows = rows_of()
    rows[2][9] = "-3"
    report = refused(to_csv(rows))
    assert any(p.row == 3 and p.column == "Anbar" and "below 0" in p.message for p in report.errors)


def test_it_rejects_breakdowns_that_do_not_add_up(tracking_reference):
    rows = rows_of()
    rows[1][27] = str(int(rows[1][27] or 0) + 5)
    report = refused(to_csv(rows))
    assert any(p.row == 2 and "shelter type adds up to" in p.message for p in report.errors)


def test_it_rejects_individuals_fewer_than_families(tracking_reference):
    rows = rows_of()
    rows[1][8] = "1"
    report = refused(to_csv(rows))
    assert any(p.row == 2 and p.column == "Individuals" for p in report.errors)


def test_an_unknown_governorate_is_an_error_with_suggestions(tracking_reference):
    rows = rows_of()
    rows[1][1] = "Ninewah"
    report = refused(to_csv(rows))
    (problem,) = report.errors
    assert problem.row == 2 and problem.column == "Governorate"
    assert "Ninewa" in problem.message and "did you mean" in problem.message


def test_a_location_twice_in_the_file_is_refused(tracking_reference):
    rows = rows_of()
    rows.append(rows[1])
    report = refused(to_csv(rows))
    assert any("already on row 2" in p.message for p in report.errors)


def test_an_unknown_district_is_kept_under_its_governorate_for_review(tracking_reference):
    data = to_csv(
        [
            ["Place id", "Governorate", "District", "Location name in English", "Families"],
            ["701", "Baghdad", "Abu Ghraib", "Hay X", "10"],
            ["702", "Baghdad", "Karkh", "Hay Y", "10"],
            ["703", "Sulaymaniyah", "Halabja", "Hay Z", "10"],
        ]
    )
    parsed = parse_dtm(data, filename="x.csv")
    assert [(g, d) for (g, d) in parsed.unmatched_districts] == [("Baghdad", "Abu Ghraib")]
    import_dtm_file(None, data, round_code="R7", round_date="2016-01-01", filename="x.csv")
    review = Location.objects.get(dtm_place_id="701")
    assert review.needs_review and review.district is None and review.governorate.pcode == "IQG08"
    assert Location.objects.get(dtm_place_id="702").district.pcode == "IQG08Q03"
    assert Location.objects.get(dtm_place_id="703").district.name_en == "Halabcha"


def test_merged_group_headers_above_the_header_row_are_skipped(tracking_reference):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DTM DATASET"
    sheet.append(["DTM : IDP Master List 1-8-2015"])
    sheet.append([])
    sheet.append(["Location of Displacement", None, None, "Shelter type"])
    sheet.merge_cells("A3:C3")
    sheet.append(["Place ID", "Governorate", "IDPs Families", "Camp", "Host families"])
    sheet.append([801, "Kerbala", 12, 2, 10])
    out = io.BytesIO()
    workbook.save(out)
    summary = import_dtm_file(None, out.getvalue(), round_code="R8", filename="x.xlsx")
    assert summary["families"] == 12
    assert str(Round.objects.get(code="R8").date) == "2015-08-01"
    assert AssessmentShelter.objects.count() == 2


@pytest.mark.parametrize(
    "data,filename,reason",
    [
        (b"", "empty.csv", "the file is empty"),
        (b"\xef\xbb\xbf\n\n", "blank.csv", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "map.png", "not a CSV text file"),
        (b"PK\x03\x04broken", "list.xlsx", "not an XLSX workbook"),
    ],
)
def test_it_refuses_empty_and_binary_files(tracking_reference, data, filename, reason):
    report = refused(data, filename)
    assert reason in report.summary()


def test_it_refuses_a_file_of_another_kind(tracking_reference):
    report = refused((DATA / "households.csv").read_bytes(), "households.csv")
    assert "missing required column 'families'" in report.summary()


def test_a_header_without_rows_is_refused(tracking_reference):
    report = refused(to_csv(rows_of()[:1]))
    assert "no data rows" in report.summary()


def test_a_returnee_list_fills_returnee_figures(tracking_reference):
    data = to_csv(
        [
            ["Place id", "Governorate", "Families", "Individuals", "Anbar"],
            ["901", "Anbar", "20", "120", "20"],
        ]
    )
    import_dtm_file(
        None, data, round_code="RR1", round_date="2016-05-01", filename="x.csv", kind="returnees"
    )
    a = LocationAssessment.objects.get()
    assert (a.families, a.returnee_families, a.returnee_individuals) == (0, 20, 120)
    assert queries.national_total().returnee_individuals == 120


@pytest.mark.skipif(not ROUND64_XLSX.exists(), reason="real DTM data absent (../shared/data)")
def test_the_real_round_64_workbook_is_read_as_published(tracking_reference):
    """Sheet 'DTM DATASET', a title, group headers, the header in row 4, 47 columns."""
    parsed = parse_dtm(ROUND64_XLSX)
    assert parsed.report.ok, parsed.report.summary()
    assert (len(parsed.rows), parsed.families, parsed.individuals) == (3661, 505_001, 3_030_006)
    assert parsed.sheet == "DTM DATASET" and str(parsed.title_date) == "2017-02-02"
    assert parsed.rows[0].number == 5


@pytest.mark.skipif(not ROUND64_CSV.exists(), reason="real DTM data absent (../shared/data)")
def test_the_real_round_64_master_list_imports_with_its_own_totals(tracking_reference):
    summary = import_dtm_file(None, ROUND64_CSV, round_date="2017-02-02")
    assert summary["rows"] == 3661
    national = queries.national_total("R64")
    assert (national.idp_families, national.idp_individuals) == (505_001, 3_030_006)
    expected = independent_sums(ROUND64_CSV)
    totals = queries.governorate_totals("R64")
    by_pcode = {g.pcode: g.pk for g in Governorate.objects.all()}
    assert {
        p: (totals[by_pcode[p]].idp_families, totals[by_pcode[p]].idp_individuals) for p in expected
    } == expected
    unmatched = {u["district"] for u in summary["unmatched_districts"]}
    assert unmatched == {
        "Ra'ua",
        "Abu Ghraib",
        "Tarmia",
        "Choman",
        "Mergasur",
        "Al-Fares",
        "Al-Azezia",
    }
    assert Location.objects.filter(needs_review=True).count() == summary["needs_review"] == 122
    assert str(Round.objects.get(code="R64").date) == "2017-02-02"
