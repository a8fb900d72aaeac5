"""The map draws official outlines fetched apart from its figures (issue 12, defect 7)."""

import json

import pytest

from tests.browser.conftest import login

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def coordinator(reference_geography):
    from conftest import make_user

    return make_user("coordinator", "national")


@pytest.mark.django_db(transaction=True)
def test_the_map_draws_the_outline_served_apart_from_the_figures(
    browser_page, live_server, coordinator, tmp_path
):
    from amina.geo.services import import_boundaries

    ring = [[43.5, 31.0], [44.5, 31.0], [44.5, 32.0], [43.5, 32.0], [43.5, 31.0]]
    path = tmp_path / "adm1.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ADM1_PCODE": "IQG04"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        )
    )
    import_boundaries(None, path)
    page = browser_page
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    login(page, live_server, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/geo/map/")
    page.wait_for_selector("#map[data-loaded='18']")
    assert page.locator("#map path[data-boundary='IQG04']").count() == 1
    assert page.locator("#map path[data-boundary]").count() == 1
    assert any("/geo/boundaries.geojson?level=governorate" in url for url in fetched)
