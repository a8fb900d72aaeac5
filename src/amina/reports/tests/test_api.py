"""The API: the library and the open datasets, scoped as in the UI."""

import pytest

from amina.reports import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def maps(displacement, officer_a, officer_b, gov_a, gov_b):
    for user, gov in ((officer_a, gov_a), (officer_b, gov_b)):
        services.publish_file(
            user,
            kind="map",
            title=f"map {gov.pcode}",
            content=b"<svg/>",
            filename="m.svg",
            content_type="image/svg+xml",
            governorates=[gov],
            date="2015-06-01",
        )


def test_the_publications_route_is_scoped(api_client, officer_a, partner, maps):
    api_client.force_authenticate(officer_a)
    body = api_client.get("/api/v1/reports/publications/").json()
    assert [p["governorates"] for p in body["results"]] == [["IQG04"]]
    api_client.force_authenticate(partner)
    body = api_client.get("/api/v1/reports/publications/", {"governorate": "IQG09"}).json()
    assert [p["title"] for p in body["results"]] == ["map IQG09"]
    pk = body["results"][0]["id"]
    assert api_client.get(f"/api/v1/reports/publications/{pk}/download/").content == b"<svg/>"


def test_an_officer_cannot_download_another_governorates_product(
    api_client, officer_a, partner, maps
):
    api_client.force_authenticate(partner)
    other = api_client.get("/api/v1/reports/publications/", {"governorate": "IQG09"}).json()
    api_client.force_authenticate(officer_a)
    pk = other["results"][0]["id"]
    assert api_client.get(f"/api/v1/reports/publications/{pk}/").status_code == 404
    assert api_client.get(f"/api/v1/reports/publications/{pk}/download/").status_code == 404


def test_the_datasets_route_lists_and_serves_rows(api_client, partner, displacement):
    api_client.force_authenticate(partner)
    names = [d["name"] for d in api_client.get("/api/v1/reports/datasets/").json()["results"]]
    assert "displacement-governorates" in names and "displacement-locations" not in names
    rows = api_client.get("/api/v1/reports/datasets/displacement-governorates/").json()["results"]
    assert {r["adm1_code"] for r in rows} == {"IQG01", "IQG04", "IQG09"}
    hxl_file = api_client.get(
        "/api/v1/reports/datasets/displacement-governorates/", {"file": "hxl"}
    )
    assert b"#affected+idps+hh" in hxl_file.content
    assert api_client.get("/api/v1/reports/datasets/displacement-locations/").status_code == 403


def test_anonymous_callers_are_refused(api_client, maps):
    assert api_client.get("/api/v1/reports/publications/").status_code in (401, 403)
    assert api_client.get("/api/v1/reports/datasets/").status_code in (401, 403)
