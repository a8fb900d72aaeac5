"""The REST API: token authentication, paginated lists, the same scope as the pages."""

from amina.accounts.models import ApiToken
from amina.accounts.tokens import digest, issue_token
from amina.geo.models import Location
from conftest import PASSWORD


def test_a_token_is_obtained_with_a_password_and_then_authenticates(api_client, officer_a):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "officer_a", "password": PASSWORD}
    )
    token = response.json()["token"]
    assert ApiToken.objects.get(user=officer_a).digest == digest(token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/geo/governorates/").status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api_client.get("/api/v1/geo/governorates/").status_code == 401


def test_a_wrong_password_gets_no_token(api_client, officer_a):
    response = api_client.post("/api/v1/auth/token/", {"username": "officer_a", "password": "nope"})
    assert response.status_code == 400 and "token" not in response.json()


def test_a_new_token_from_the_profile_page_replaces_the_old_one(client, api_client, officer_a):
    _old, old_key = issue_token(officer_a)
    client.force_login(officer_a)
    response = client.post("/accounts/profile/token/")
    assert response.status_code == 200
    new_key = response.context["new_key"]
    assert new_key != old_key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {old_key}")
    assert api_client.get("/api/v1/geo/governorates/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {new_key}")
    assert api_client.get("/api/v1/geo/governorates/").status_code == 200


def test_lists_are_paginated_with_results_and_next(api_client, national_user, gov_a):
    Location.objects.bulk_create(
        [Location(name_en=f"Hay {i}", governorate=gov_a) for i in range(130)]
    )
    api_client.force_authenticate(national_user)
    first = api_client.get("/api/v1/geo/locations/").json()
    assert first["count"] == 130 and len(first["results"]) == 100
    assert first["next"].endswith("/api/v1/geo/locations/?page=2") and first["previous"] is None
    second = api_client.get(first["next"]).json()
    assert len(second["results"]) == 30 and second["next"] is None


def test_locations_are_scoped_per_persona(api_client, personas, location_a, location_b):
    expected = {
        "admin": {location_a.pk, location_b.pk},
        "national": {location_a.pk, location_b.pk},
        "officer_a": {location_a.pk},
        "officer_b": {location_b.pk},
        "field_a": {location_a.pk},
        "logistics_a": {location_a.pk},
        "partner": set(),
    }
    for name, ids in expected.items():
        api_client.force_authenticate(personas[name])
        got = {row["id"] for row in api_client.get("/api/v1/geo/locations/").json()["results"]}
        assert got == ids, name
    api_client.force_authenticate(personas["officer_b"])
    assert api_client.get(f"/api/v1/geo/locations/{location_a.pk}/").status_code == 404


def test_governorates_are_scoped_and_carry_both_code_schemes(api_client, officer_b, partner):
    api_client.force_authenticate(officer_b)
    rows = api_client.get("/api/v1/geo/governorates/").json()["results"]
    assert [(r["pcode"], r["pcode_2014"], r["iso_code"]) for r in rows] == [
        ("IQG09", "IQ-G08", "IQ-DA")
    ]
    assert "Dahuk" in rows[0]["aliases"] or rows[0]["name_dtm"] == "Dahuk"
    api_client.force_authenticate(partner)
    assert api_client.get("/api/v1/geo/governorates/").json()["count"] == 18
    assert api_client.get("/api/v1/geo/districts/?governorate=IQG09").json()["count"] > 0


def test_the_users_route_is_for_admins_only(api_client, admin_user, national_user, officer_a):
    api_client.force_authenticate(national_user)
    assert api_client.get("/api/v1/users/").status_code == 403
    api_client.force_authenticate(officer_a)
    assert api_client.get(f"/api/v1/users/{officer_a.pk}/").status_code == 403
    api_client.force_authenticate(admin_user)
    rows = api_client.get("/api/v1/users/").json()["results"]
    officer = next(r for r in rows if r["username"] == "officer_a")
    assert officer["governorates"] == ["IQG04"] and "password" not in officer


def test_the_api_refuses_anonymous_callers_but_publishes_its_schema(api_client):
    assert api_client.get("/api/v1/geo/governorates/").status_code == 401
    schema = api_client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/geo/locations/" in schema.content
    docs = api_client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_api_lists_take_a_fixed_number_of_queries(
    api_client, admin_user, django_assert_max_num_queries
):
    api_client.force_authenticate(admin_user)
    for url in (
        "/api/v1/users/",
        "/api/v1/organisations/",
        "/api/v1/audit/changes/",
        "/api/v1/geo/governorates/",
        "/api/v1/geo/sub-districts/",
    ):
        with django_assert_max_num_queries(6):
            assert api_client.get(url).status_code == 200, url
