"""Who sees which needs: officer B never sees A's assessments (page, API, export); partners
see aggregates only; anonymous callers see nothing."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_and_b(assess, location_a, location_b):
    a = assess(
        location_a,
        {2: 5, 4: 3},
        [2, 4],
        on=datetime.date(2015, 6, 1),
        population=800,
        team="Team Najaf",
    )
    b = assess(
        location_b,
        {2: 2, 5: 4},
        [5],
        on=datetime.date(2015, 6, 2),
        population=300,
        team="Team Duhok",
    )
    return a, b


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_officer_b_cannot_open_an_assessment_of_governorate_a(client, officer_b, a_and_b):
    a, b = a_and_b
    assert (
        _get(client, officer_b, reverse("needs:assessment-detail", args=[a.pk])).status_code == 404
    )
    assert (
        _get(client, officer_b, reverse("needs:assessment-detail", args=[b.pk])).status_code == 200
    )


def test_officer_b_does_not_see_a_in_lists_heat_tables_or_exports(
    client, officer_b, a_and_b, gov_a
):
    text = _get(client, officer_b, reverse("needs:assessments")).content.decode()
    assert "Team Duhok" in text and "Team Najaf" not in text
    assert _get(
        client, officer_b, reverse("needs:governorate", args=[gov_a.pcode])
    ).status_code in (403, 404)
    export = _get(client, officer_b, reverse("needs:export") + "?format=csv").content.decode()
    assert "Hay Al-Salam 2" in export and "Hay Al-Nour 1" not in export
    overview = _get(client, officer_b, reverse("needs:overview")).content.decode()
    assert (
        gov_a.name_en not in overview.split('data-testid="overview-heat"')[1].split("</table>")[0]
    )
    gaps = _get(client, officer_b, reverse("needs:gaps")).content.decode()
    assert "Hay Al-Nour 1" not in gaps


def test_officer_b_does_not_see_a_through_the_api(api_client, officer_b, a_and_b):
    a, b = a_and_b
    api_client.force_authenticate(officer_b)
    ids = [r["id"] for r in api_client.get("/api/v1/needs/assessments/").json()["results"]]
    assert ids == [b.pk]
    assert api_client.get(f"/api/v1/needs/assessments/{a.pk}/").status_code == 404
    rows = api_client.get("/api/v1/needs/severity/").json()["results"]
    assert {r["governorate"] for r in rows} == {"IQG09"}


def test_the_national_user_sees_both_governorates(api_client, national_user, a_and_b):
    api_client.force_authenticate(national_user)
    assert api_client.get("/api/v1/needs/assessments/").json()["count"] == 2
    rows = api_client.get("/api/v1/needs/severity/?min=4").json()["results"]
    assert sorted((r["governorate"], r["sector"], r["severity"]) for r in rows) == [
        ("IQG04", 2, 5),
        ("IQG09", 5, 4),
    ]


def test_a_partner_sees_aggregates_only(client, api_client, partner, a_and_b, gov_a):
    a, b = a_and_b
    overview = _get(client, partner, reverse("needs:overview"))
    assert overview.status_code == 200 and gov_a.name_en in overview.content.decode()
    for url in (
        reverse("needs:assessments"),
        reverse("needs:gaps"),
        reverse("needs:governorate", args=[gov_a.pcode]),
    ):
        assert _get(client, partner, url).status_code == 403, url
    assert _get(client, partner, reverse("needs:assessment-detail", args=[a.pk])).status_code == 404
    export = _get(client, partner, reverse("needs:export") + "?format=csv").content.decode()
    assert "Hay Al-Nour 1" not in export and "Locations assessed" in export
    api_client.force_authenticate(partner)
    assert api_client.get("/api/v1/needs/assessments/").json()["count"] == 0
    assert api_client.get("/api/v1/needs/severity/").json()["count"] == 0
    assert api_client.get("/api/v1/needs/sectors/").json()["count"] == 15


def test_anonymous_callers_see_nothing(client, api_client, a_and_b):
    assert client.get(reverse("needs:overview")).status_code == 302
    assert client.get(reverse("needs:export")).status_code == 302
    assert api_client.get("/api/v1/needs/assessments/").status_code in (401, 403)
    assert api_client.get("/api/v1/needs/sectors/").status_code in (401, 403)


@pytest.mark.parametrize(
    "name",
    [
        "needs:overview",
        "needs:assessments",
        "needs:gaps",
        "needs:reference",
        "needs:assessment-create",
        "needs:import",
    ],
)
def test_every_page_opens_for_the_field_user(client, field_a, a_and_b, name):
    assert _get(client, field_a, reverse(name)).status_code == 200


def test_the_assessment_list_api_uses_a_fixed_number_of_queries(
    api_client, national_user, assess, location_a, django_assert_max_num_queries
):
    for day in range(1, 8):
        assess(location_a, {2: 3, 4: 2}, [2, 4], on=datetime.date(2015, 5, day))
    api_client.force_authenticate(national_user)
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/needs/assessments/")
    assert response.json()["count"] == 7


def test_the_summary_api_gives_partners_aggregates_of_their_scope(
    api_client, partner, officer_b, a_and_b
):
    api_client.force_authenticate(partner)
    rows = api_client.get("/api/v1/needs/summary/").json()["results"]
    by = {(r["governorate"], r["sector"]): r for r in rows}
    assert by[("IQG04", 2)] == {
        "governorate": "IQG04",
        "governorate_name_en": "Al-Najaf",
        "sector": 2,
        "locations": 1,
        "severe": 1,
        "max_severity": 5,
        "in_need": 800,
    }
    assert by[("IQG09", 5)]["in_need"] == 300
    only_a = api_client.get("/api/v1/needs/summary/?governorate=IQG04").json()["results"]
    assert {r["governorate"] for r in only_a} == {"IQG04"}
    api_client.force_authenticate(officer_b)
    rows = api_client.get("/api/v1/needs/summary/").json()["results"]
    assert {r["governorate"] for r in rows} == {"IQG09"}
    assert api_client.get("/api/v1/needs/summary/?governorate=IQG04").json()["results"] == []
