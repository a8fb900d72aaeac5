"""Finding a master list's places with only what the file needs: locations by place id
from an index of codes, by name (the gazetteer's name index) only for rows without one."""

import csv
import io

import pytest

from amina.geo.gazetteer import Gazetteer
from amina.geo.models import Location
from amina.tracking.services.dtm import import_dtm_file, parse_dtm

pytestmark = pytest.mark.django_db


def to_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_a_gazetteer_without_locations_still_resolves_governorates(tracking_reference):
    gazetteer = Gazetteer(locations=False)
    assert gazetteer.governorate("Najaf").ok
    assert gazetteer.district("Al-Kufa", gazetteer.governorate("Najaf").place).ok
    assert not gazetteer.locations.places


def test_a_gazetteer_without_locations_reads_them_when_one_is_first_asked_for(
    tracking_reference,
):
    gazetteer = Gazetteer(locations=False)
    najaf = gazetteer.governorate("Najaf").place
    Location.objects.create(name_en="Hay Al-Amal", name_ar="حي الأمل", governorate=najaf)
    assert gazetteer.location("hay al amal", najaf).ok
    assert gazetteer.location("Hay Al-Amal").place.governorate_id == najaf.pk


def test_rows_without_a_place_id_find_known_locations_by_name(tracking_reference):
    import_dtm_file(
        None,
        to_csv(
            [
                ["Place id", "Governorate", "District", "Location name in English", "Families"],
                ["1001", "Najaf", "Al-Kufa", "Hay Al-Amal", "10"],
                ["1002", "Anbar", "", "Hay Al-Nour", "10"],
            ]
        ),
        round_code="R1",
        round_date="2016-01-01",
        filename="x.csv",
    )
    parsed = parse_dtm(
        to_csv(
            [
                ["Governorate", "District", "Location name in English", "Families"],
                ["Najaf", "Al-Kufa", "hay al amal", "12"],
                ["Najaf", "", "Hay Al-Nour", "5"],
            ]
        ),
        filename="y.csv",
    )
    known = Location.objects.get(dtm_place_id="1001")
    assert parsed.report.ok, parsed.report.summary()
    assert [r.location_id for r in parsed.rows] == [known.pk, None]
    assert "new location 'Hay Al-Nour' will be created" in str(parsed.report.warnings[0])


def test_a_place_id_recorded_in_another_governorate_is_refused(tracking_reference):
    header = ["Place id", "Governorate", "Location name in English", "Families"]
    import_dtm_file(
        None,
        to_csv([header, ["2001", "Najaf", "Hay A", "10"]]),
        round_code="R1",
        round_date="2016-01-01",
        filename="x.csv",
    )
    parsed = parse_dtm(to_csv([header, [" 2001 ", "Anbar", "Hay A", "10"]]), filename="y.csv")
    (problem,) = parsed.report.errors
    assert problem.row == 2 and problem.column == "Governorate"
    assert "place '2001' is recorded in another governorate than 'Anbar'" in problem.message
