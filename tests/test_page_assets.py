"""Pages light on a slow link: a page loads Leaflet only if it draws a map and Chart.js
only if it draws a chart (each library is 150–210 KB before compression)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script[^>]*\bsrc="([^"]+)"')
STYLESHEET = re.compile(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"')
NAV = re.compile(r"<nav\b.*?</nav>", re.S)
LINK = re.compile(r'href="(/[^"#]*)"')
#: Every map container carries the class "map" (amina.css gives it its height).
MAP = re.compile(r'<div[^>]*class="map[ "]')
CHART = re.compile(r"<canvas\b")


def assets(html: str) -> list[str]:
    return SCRIPT.findall(html) + STYLESHEET.findall(html)


def loads(html: str, library: str) -> bool:
    return any(library in url for url in assets(html))


def navigation_pages(client) -> list[str]:
    """Every page the top bar links to (the home page included), as the user sees it."""
    home = client.get(reverse("home")).content.decode()
    links = LINK.findall(NAV.search(home).group(0))
    return sorted({url for url in links if not url.startswith(("/admin/", "/i18n/"))})


def test_pages_without_a_map_or_a_chart_load_neither_library(
    client, national_user, reference_geography
):
    client.force_login(national_user)
    pages = navigation_pages(client)
    assert len(pages) >= 10, pages
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        scripts = SCRIPT.findall(html)
        assert any("vendor/leaflet/" in s for s in scripts) == bool(MAP.search(html)), url
        assert any("vendor/chartjs/" in s for s in scripts) == bool(CHART.search(html)), url
        if url not in STYLESHEET_TO_FIX:
            assert loads(html, "vendor/leaflet/leaflet.css") == bool(MAP.search(html)), url


#: Pages whose template (owned elsewhere, being changed) still links Leaflet's stylesheet
#: (15 KB) when it draws no map; their scripts are checked all the same.
STYLESHEET_TO_FIX = {"/reports/dashboard/"}


def test_pages_that_draw_a_map_or_a_chart_load_its_library(
    client, national_user, reference_geography
):
    client.force_login(national_user)
    for name, kwargs in [
        ("home", {}),
        ("geo:map", {}),
        ("geo:governorate-detail", {"pcode": "IQG04"}),
    ]:
        html = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert MAP.search(html) and loads(html, "vendor/leaflet/leaflet.js"), name
        assert loads(html, "vendor/leaflet/leaflet.css"), name
    html = client.get(reverse("tracking:figures")).content.decode()
    assert CHART.search(html) and loads(html, "vendor/chartjs/chart.umd.min.js")


def test_every_page_loads_the_shared_helper_and_no_inline_script(client, national_user):
    client.force_login(national_user)
    html = client.get(reverse("supply:plan-list")).content.decode()
    assert loads(html, "amina/amina.js")
    assert not loads(html, "vendor/leaflet/") and not loads(html, "vendor/chartjs/")
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)


def test_a_governorate_page_without_its_location_map_loads_no_leaflet(
    client, national_user, partner, reference_geography
):
    url = reverse("tracking:governorate", kwargs={"pcode": "IQG04"})
    client.force_login(national_user)
    html = client.get(url).content.decode()
    assert MAP.search(html) and loads(html, "vendor/leaflet/leaflet.js")
    client.force_login(partner)  # partners see governorate totals: no location map
    html = client.get(url).content.decode()
    assert not MAP.search(html) and not loads(html, "vendor/leaflet/")
