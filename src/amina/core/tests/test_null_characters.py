"""A NUL character in a query parameter, a form field, the path or a JSON body is refused
with 400 and a message naming where it was, on pages and in the API alike, before any
query reaches the database (PostgreSQL fails on it inside a query)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "/?q=%00",
    "/registry/?q=abc%00def",
    "/geo/locations/?governorate=IQG04%00",
    "/tracking/?round=%00",
    "/needs/?status=%00",
    "/supply/?warehouse=%00",
    "/coordination/?kind=%00",
]
API = [
    "/api/v1/geo/locations/?governorate=%00",
    "/api/v1/registry/households/?q=%00",
    "/api/v1/tracking/assessments/?round=1%00",
    "/api/v1/supply/balances/?warehouse=%00",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_refuses_a_null_character_in_a_filter(client, national_user, url):
    client.force_login(national_user)
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    name = url.split("?")[1].split("=")[0]
    assert f"“{name}” contains a null character" in body
    assert 'data-testid="bad-request"' in body


@pytest.mark.parametrize("url", API)
def test_the_api_refuses_a_null_character_in_a_filter_with_json(api_client, national_user, url):
    api_client.force_authenticate(national_user)
    response = api_client.get(url)
    assert response.status_code == 400
    data = response.json()
    name = url.split("?")[1].split("=")[0]
    assert data["code"] == "null_character" and name in data["errors"]
    assert "null character" in data["detail"]


def test_a_form_field_with_a_null_character_is_refused(client, officer_a):
    client.force_login(officer_a)
    response = client.post(reverse("registry:check"), {"head-first_name_ar": "أحمد\x00"})
    assert response.status_code == 400
    assert "“head-first_name_ar” contains a null character" in response.content.decode()


def test_a_json_body_with_a_null_character_is_refused(api_client, officer_a):
    response = api_client.post(
        "/api/v1/auth/token/",
        '{"username": "officer_a\\u0000", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "null_character"


def test_a_null_character_in_the_path_is_refused(client, officer_a):
    client.force_login(officer_a)
    assert client.get("/registry/%00/").status_code == 400


def test_the_refusal_speaks_arabic(client, officer_a):
    client.force_login(officer_a)
    client.cookies["django_language"] = "ar"
    body = client.get("/registry/?q=%00").content.decode()
    assert 'lang="ar" dir="rtl"' in body


def test_text_without_a_null_character_passes(client, officer_a):
    client.force_login(officer_a)
    assert client.get("/registry/", {"q": "احمد 00"}).status_code == 200
