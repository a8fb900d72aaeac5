"""The map of a user's own scope: what each page embeds for ``amina/map.js`` to draw."""

import json
import re

import pytest

from amina.geo.models import Location

MAP_PAGES = ["/", "/geo/map/", "/tracking/", "/reports/dashboard/"]


def embedded_map(client, url: str) -> dict:
    """The JSON the page gives its map (``json_script`` id ``scope-map``)."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'data-map="scope-map"' in html, url
    found = re.search(r'<script id="scope-map" type="application/json">(.*?)</script>', html, re.S)
    assert found, url
    return json.loads(found.group(1))


@pytest.fixture
def unlocated_a(gov_a):
    return Location.objects.create(
        name_en="No coordinates", name_ar="بلا إحداثيات", governorate=gov_a
    )


@pytest.mark.django_db
def test_a_governorate_officer_sees_each_of_their_located_locations_and_none_elsewhere(
    client, officer_a, location_a, location_b, unlocated_a
):
    from amina.tracking.models import LocationAssessment, Round

    latest = Round.objects.create(code="R1", date="2015-06-04", kind="idps")
    LocationAssessment.objects.create(
        round=latest, location=location_a, date="2015-06-01", families=13_462, individuals=80_772
    )
    client.force_login(officer_a)
    for url in MAP_PAGES:
        data = embedded_map(client, url)
        assert data["level"] == "location", url
        assert [p["name"] for p in data["places"]] == [location_a.name_en], url
        assert data["unplaced"] == 1, url
        assert {a["pcode"] for a in data["areas"]} == set(
            officer_a.governorates.get().districts.values_list("pcode", flat=True)
        )
        assert data["texts"]["label"]
    figures = embedded_map(client, "/tracking/")
    assert figures["places"][0]["value"] == 80_772
    assert figures["places"][0]["lat"] == 32.0 and figures["places"][0]["lon"] == 44.3


@pytest.mark.django_db
def test_a_national_user_and_a_partner_see_the_governorates(
    client, national_user, partner, location_a, location_b
):
    for user in (national_user, partner):
        client.force_login(user)
        data = embedded_map(client, "/geo/map/")
        assert data["level"] == "governorate"
        assert len(data["places"]) == 18
        assert data["areas"] == []
        assert not any(p["name"] == location_a.name_en for p in data["places"])


@pytest.mark.django_db
def test_the_map_names_the_outlines_to_fetch_once_boundaries_are_imported(
    client, officer_a, gov_a, location_a
):
    from amina.geo.models import Boundary

    ring = [[43.5, 31.0], [44.5, 31.0], [44.5, 32.0], [43.5, 32.0], [43.5, 31.0]]
    district = gov_a.districts.first()
    Boundary.objects.create(district=district, geometry={"type": "Polygon", "coordinates": [ring]})
    client.force_login(officer_a)
    data = embedded_map(client, "/geo/map/")
    assert len(data["outlines"]) == 1
    assert "level=district" in data["outlines"][0]
    outlines = client.get(data["outlines"][0]).json()
    assert [f["properties"]["pcode"] for f in outlines["features"]] == [district.pcode]
