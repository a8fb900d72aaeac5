"""Scope: an officer of one governorate cannot read another's location-level data through
any page, API route or export; partners see aggregates only. Query counts are pinned."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from amina.tracking.exports import export
from amina.tracking.models import LocationAssessment, MovementEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(round_b, location_a, location_b):
    a = LocationAssessment.objects.create(
        round=round_b, location=location_a, date=round_b.date, families=11, individuals=66
    )
    b = LocationAssessment.objects.create(
        round=round_b, location=location_b, date=round_b.date, families=22, individuals=132
    )
    MovementEvent.objects.create(
        location=location_b, date=round_b.date, direction="arrival", families=3, individuals=18
    )
    return a, b


def body(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_an_officer_cannot_open_another_governorates_pages(client, figures, officer_a, gov_b):
    _, b = figures
    for url in (
        reverse("tracking:governorate", args=[gov_b.pcode]),
        reverse("tracking:assessment", args=[b.pk]),
    ):
        assert body(client, officer_a, url)[0] == 404


def test_pages_listing_locations_show_only_the_officers_governorates(
    client, figures, officer_a, location_b
):
    for url in (
        reverse("tracking:figures"),
        reverse("tracking:movements"),
        reverse("tracking:figures") + "?round=R2",
        reverse("tracking:alerts"),
        reverse("tracking:assessment-new"),
        reverse("tracking:movement-new"),
    ):
        status, page = body(client, officer_a, url)
        assert status == 200
        assert location_b.name_en not in page, url


def test_the_api_never_returns_another_governorates_assessments(
    api_client, figures, officer_a, gov_b
):
    _, b = figures
    api_client.force_authenticate(officer_a)
    listing = api_client.get("/api/v1/tracking/assessments/").json()
    assert [r["governorate"] for r in listing["results"]] == ["IQG04"]
    assert api_client.get(f"/api/v1/tracking/assessments/{b.pk}/").status_code == 404
    assert (
        api_client.get(f"/api/v1/tracking/assessments/?governorate={gov_b.pcode}").json()["results"]
        == []
    )
    assert api_client.get("/api/v1/tracking/movements/").json()["results"] == []
    summaries = api_client.get("/api/v1/tracking/summaries/").json()["results"]
    assert [s["governorate_pcode"] for s in summaries] == ["IQG04"]
    assert (
        api_client.get(f"/api/v1/tracking/summaries/?governorate={gov_b.pcode}").status_code == 403
    )


@pytest.mark.parametrize("kind", ["displacement", "displacement-summary"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl", "geojson"])
def test_exports_hold_only_the_officers_governorates(
    client, figures, officer_a, location_b, kind, fmt
):
    client.force_login(officer_a)
    response = client.get(reverse("tracking:export", args=[kind, fmt]))
    assert response.status_code == 200
    content = response.content
    if fmt == "xlsx":
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(content)).active
        content = repr(list(sheet.values)).encode()
    assert b"IQG09" not in content and location_b.name_en.encode() not in content
    asked = client.get(reverse("tracking:export", args=[kind, fmt]) + "?governorate=IQG09")
    assert asked.status_code == 403


def test_partners_see_aggregates_but_no_location_level_data(
    client, api_client, figures, partner, gov_a, location_a
):
    status, page = body(client, partner, reverse("tracking:governorate", args=[gov_a.pcode]))
    assert status == 200 and location_a.name_en not in page and "99" not in page
    assert body(client, partner, reverse("tracking:export", args=["displacement", "csv"]))[0] == 403
    assert (
        body(client, partner, reverse("tracking:export", args=["displacement-summary", "csv"]))[0]
        == 200
    )
    api_client.force_authenticate(partner)
    assert api_client.get("/api/v1/tracking/assessments/").json()["results"] == []
    assert len(api_client.get("/api/v1/tracking/summaries/").json()["results"]) == 2
    with pytest.raises(PermissionDenied):
        export(partner, "displacement", "csv")


def test_anonymous_callers_are_refused(client, api_client, figures):
    assert client.get(reverse("tracking:figures")).status_code == 302
    for route in ("rounds", "assessments", "summaries", "movements", "alerts"):
        assert api_client.get(f"/api/v1/tracking/{route}/").status_code in (401, 403)


def test_the_assessment_list_api_makes_a_fixed_number_of_queries(
    api_client, national_user, round_b, gov_a, django_assert_max_num_queries
):
    from amina.geo.models import Location

    for i in range(30):
        loc = Location.objects.create(name_en=f"X{i}", governorate=gov_a)
        LocationAssessment.objects.create(
            round=round_b, location=loc, date=round_b.date, families=i, individuals=6 * i
        )
    api_client.force_authenticate(national_user)
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/tracking/assessments/")
    assert response.json()["count"] == 30


@pytest.mark.parametrize(
    "url", ["tracking:figures", "tracking:rounds", "tracking:movements", "tracking:alerts"]
)
def test_list_pages_make_a_fixed_number_of_queries(
    client, national_user, round_b, gov_a, url, django_assert_max_num_queries
):
    from amina.geo.models import Location

    def add(n, offset):
        for i in range(n):
            loc = Location.objects.create(name_en=f"Y{offset + i}", governorate=gov_a)
            LocationAssessment.objects.create(
                round=round_b, location=loc, date=round_b.date, families=5, individuals=30
            )
            MovementEvent.objects.create(
                location=loc, date=round_b.date, direction="arrival", families=1, individuals=6
            )

    client.force_login(national_user)
    add(3, 0)
    client.get(reverse(url))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url))
    add(20, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(url)).status_code == 200
