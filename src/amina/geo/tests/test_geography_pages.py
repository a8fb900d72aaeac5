"""Browsing and editing the geography in both languages, scoped, in a fixed number of queries."""

import pytest

from amina.audit.models import ChangeLog
from amina.geo.models import Location


def test_the_home_page_in_arabic_is_right_to_left_with_arabic_governorate_names(
    client, national_user
):
    client.force_login(national_user)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "كربلاء" in page and "النجف" in page and "دهوك" in page
    assert "Kerbala" not in page


def test_the_home_page_in_english_is_left_to_right_with_english_names(client, national_user):
    client.force_login(national_user)
    page = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in page and "Kerbala" in page
    assert "bootstrap.min.css" in page


def test_the_login_page_can_be_switched_to_arabic_before_logging_in(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert 'dir="rtl"' in page and "تسجيل الدخول" in page


def test_an_officer_sees_only_their_governorate_on_the_home_page(client, officer_a):
    client.force_login(officer_a)
    page = client.get("/").content.decode()
    assert "Al-Najaf" in page and "Duhok" not in page and "Kerbala" not in page


def test_the_map_data_has_one_symbol_per_governorate_in_scope(client, national_user, officer_a):
    client.force_login(national_user)
    data = client.get("/geo/map/governorates.geojson").json()
    assert len(data["features"]) == 18
    assert all(f["properties"]["centroid"] for f in data["features"])
    client.force_login(officer_a)
    data = client.get("/geo/map/governorates.geojson").json()
    assert [f["properties"]["pcode"] for f in data["features"]] == ["IQG04"]


def test_the_map_page_loads_tiles_only_when_a_tile_server_is_set(client, national_user, settings):
    client.force_login(national_user)
    page = client.get("/geo/map/").content.decode()
    assert 'data-tiles=""' in page and "iraq-outline.geojson" in page
    settings.AMINA_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert (
        'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"'
        in client.get("/geo/map/").content.decode()
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/geo/governorates/",
        "/geo/locations/",
        "/geo/map/",
        "/geo/governorates/IQG04/",
        "/api/v1/geo/locations/",
        "/api/v1/geo/governorates/",
        "/api/v1/geo/districts/",
    ],
)
def test_list_pages_take_a_fixed_number_of_queries_however_many_rows(
    client, national_user, gov_a, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    districts = list(gov_a.districts.all())
    client.force_login(national_user)
    counts = []
    for batch in (10, 110):
        Location.objects.bulk_create(
            [
                Location(
                    name_en=f"Hay {batch}-{i}",
                    governorate=gov_a,
                    district=districts[i % len(districts)],
                )
                for i in range(batch)
            ]
        )
        client.get(url)  # warm per-process caches (menu, metrics) before counting
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries with 10 rows, {counts[1]} with 120"
    # The home page gathers a panel from every capability; every other page stays small.
    assert counts[1] <= (30 if url == "/" else 12)


def test_a_governorate_officer_adds_a_location_in_their_governorate(client, officer_a, gov_a):
    district = gov_a.districts.first()
    client.force_login(officer_a)
    response = client.post(
        "/geo/locations/add/",
        {
            "name_en": "Camp Al-Salam",
            "name_ar": "مخيم السلام",
            "kind": "camp",
            "governorate": gov_a.pk,
            "district": district.pk,
            "pcode": "",
            "dtm_place_id": "",
            "centroid_lat": "٣١٫٩٥",
            "centroid_lon": "44.3",
        },
    )
    assert response.status_code == 302
    location = Location.objects.get(name_en="Camp Al-Salam")
    assert location.centroid_lat == 31.95 and location.pcode is None
    assert (
        ChangeLog.objects.get(model="geo.location", object_id=str(location.pk)).actor_name
        == "officer_a"
    )


def test_an_officer_cannot_add_a_location_in_another_governorate(client, officer_a, gov_b):
    client.force_login(officer_a)
    response = client.post(
        "/geo/locations/add/",
        {
            "name_en": "Elsewhere",
            "kind": "village",
            "governorate": gov_b.pk,
            "district": "",
        },
    )
    assert response.status_code == 200
    assert "governorate" in response.context["form"].errors
    assert not Location.objects.filter(name_en="Elsewhere").exists()


def test_a_district_of_another_governorate_or_a_point_outside_iraq_is_refused(
    client, national_user, gov_a, gov_b
):
    client.force_login(national_user)
    response = client.post(
        "/geo/locations/add/",
        {
            "name_en": "Mixed",
            "kind": "village",
            "governorate": gov_a.pk,
            "district": gov_b.districts.first().pk,
            "centroid_lat": "51.5",
            "centroid_lon": "0.1",
        },
    )
    errors = response.context["form"].errors
    assert errors["district"] == ["This district is not in the governorate chosen."]
    assert errors["centroid_lat"] == ["This point is outside Iraq."]
    assert not Location.objects.filter(name_en="Mixed").exists()


def test_correcting_a_location_clears_its_review_flag_and_lists_what_still_needs_review(
    client, officer_a, gov_a, location_a
):
    Location.objects.filter(pk=location_a.pk).update(needs_review=True, district=None)
    client.force_login(officer_a)
    page = client.get("/geo/locations/").content.decode()
    assert "1 needs review" in page
    assert client.get("/geo/locations/?review=1").context["page"].paginator.count == 1
    form = client.get(f"/geo/locations/{location_a.pk}/edit/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"district": gov_a.districts.first().pk, "needs_review": ""})
    assert client.post(f"/geo/locations/{location_a.pk}/edit/", data).status_code == 302
    location_a.refresh_from_db()
    assert not location_a.needs_review and location_a.district is not None
    assert client.get("/geo/locations/?review=1").context["page"].paginator.count == 0


def test_field_teams_and_partners_cannot_edit_locations(client, field_a, partner, location_a):
    for user in (field_a, partner):
        client.force_login(user)
        assert client.get(f"/geo/locations/{location_a.pk}/edit/").status_code in (403, 404)
        assert client.get("/geo/locations/add/").status_code == 403


def test_the_pager_keeps_the_search_and_review_filters(client, national_user, gov_a):
    Location.objects.bulk_create(
        [Location(name_en=f"Hay {i}", governorate=gov_a, needs_review=True) for i in range(60)]
    )
    client.force_login(national_user)
    page = client.get("/geo/locations/?review=1&q=Hay").content.decode()
    assert "?review=1&amp;q=Hay&amp;page=2" in page
