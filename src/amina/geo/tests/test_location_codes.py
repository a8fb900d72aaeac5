"""One stable code per location (issue 15): the DTM place id where it has one, else a
code given once per governorate that is never changed nor given again, and that the
gazetteer resolves — so exports, forms and importers agree on a place across rebuilds."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from amina.geo.gazetteer import Gazetteer
from amina.geo.models import Location, LocationCodeSequence
from amina.geo.services import NewLocation, create_location, create_locations

pytestmark = pytest.mark.django_db


def test_a_dtm_place_keeps_its_place_id_as_its_code(gov_a):
    place = create_location(
        None, NewLocation("Hay Al-Askari", gov_a.pk, dtm_place_id="100057"), source="test"
    )
    assert place.code == "100057"


def test_a_place_without_a_dtm_id_gets_the_next_code_of_its_governorate(gov_a, gov_b):
    first, second = create_locations(
        None,
        [NewLocation("Hay One", gov_a.pk), NewLocation("Hay Two", gov_a.pk)],
        source="test",
    )
    other = create_location(None, NewLocation("Hay Three", gov_b.pk), source="test")
    assert (first.code, second.code) == (f"{gov_a.pcode}-L000001", f"{gov_a.pcode}-L000002")
    assert other.code == f"{gov_b.pcode}-L000001"


def test_a_code_is_never_given_again_after_its_location_is_deleted(gov_a):
    create_location(None, NewLocation("Hay One", gov_a.pk), source="test")
    last = create_location(None, NewLocation("Hay Two", gov_a.pk), source="test")
    last.delete()
    again = create_location(None, NewLocation("Hay Again", gov_a.pk), source="test")
    assert again.code == f"{gov_a.pcode}-L000003"


def test_a_restore_without_the_sequence_still_continues_after_the_highest_code(gov_a):
    create_locations(None, [NewLocation(f"Hay {i}", gov_a.pk) for i in range(3)], source="test")
    LocationCodeSequence.objects.all().delete()
    after = create_location(None, NewLocation("Hay After", gov_a.pk), source="test")
    assert after.code == f"{gov_a.pcode}-L000004"


def test_codes_survive_a_dump_and_restore(gov_a, tmp_path):
    made = create_locations(
        None,
        [NewLocation("Hay One", gov_a.pk), NewLocation("Camp Two", gov_a.pk, dtm_place_id="7")],
        source="test",
    )
    codes = {loc.name_en: loc.code for loc in made}
    dump = io.StringIO()
    call_command("dumpdata", "geo.location", "geo.locationcodesequence", stdout=dump)
    Location.objects.all().delete()
    LocationCodeSequence.objects.all().delete()
    path = tmp_path / "geo.json"
    path.write_text(dump.getvalue())
    call_command("loaddata", path, verbosity=0)
    assert dict(Location.objects.values_list("name_en", "code")) == codes
    new = create_location(None, NewLocation("Hay New", gov_a.pk), source="test")
    assert new.code == f"{gov_a.pcode}-L000002"


def test_a_location_saved_outside_the_service_still_gets_a_code(gov_a):
    loc = Location.objects.create(name_en="Hay Shell", governorate=gov_a)
    assert loc.code == f"{gov_a.pcode}-L000001"


def test_the_code_does_not_change_when_the_dtm_id_is_added_later(gov_a):
    loc = create_location(None, NewLocation("Hay One", gov_a.pk), source="test")
    loc.dtm_place_id = "123456"
    loc.save()
    loc.refresh_from_db()
    assert loc.code == f"{gov_a.pcode}-L000001"


def test_the_gazetteer_resolves_a_location_code(gov_a):
    loc = create_location(None, NewLocation("Hay One", gov_a.pk), source="test")
    found = Gazetteer().location(loc.code)
    assert found.ok and found.place.pk == loc.pk
    assert Gazetteer().location(loc.code, governorate=gov_a).place.pk == loc.pk


def test_the_api_keys_a_location_by_its_code_and_still_answers_an_old_id(
    api_client, officer_a, location_a
):
    api_client.force_authenticate(officer_a)
    by_code = api_client.get(f"/api/v1/geo/locations/{location_a.code}/")
    assert by_code.status_code == 200 and by_code.json()["code"] == "900001"
    other = create_location(None, NewLocation("Hay Two", location_a.governorate_id), source="t")
    assigned = api_client.get(f"/api/v1/geo/locations/{other.code}/")
    assert assigned.json()["id"] == other.pk
    old = api_client.get(f"/api/v1/geo/locations/{other.pk}/")
    assert old.status_code == 200 and old.json()["code"] == other.code


def test_the_api_does_not_reach_a_location_outside_the_callers_scope_by_code(
    api_client, officer_a, location_b
):
    api_client.force_authenticate(officer_a)
    assert api_client.get(f"/api/v1/geo/locations/{location_b.code}/").status_code == 404
