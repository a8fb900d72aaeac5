"""Every foundation page in Arabic fits a phone and a desktop screen (screenshots kept)."""

import pytest

from tests.browser.conftest import ARTIFACTS, login

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def world(reference_geography):
    from amina.geo.models import Governorate, Location
    from amina.jobs.models import Job
    from conftest import make_user

    admin = make_user("admin", "admin", personal_data=True)
    najaf = Governorate.objects.get(pcode="IQG04")
    district = najaf.districts.first()
    location = Location.objects.create(
        name_en="Hay Al-Nour 1",
        name_ar="حي النور 1",
        governorate=najaf,
        district=district,
        centroid_lat=32.0,
        centroid_lon=44.3,
        dtm_place_id="900001",
        needs_review=True,
    )
    job = Job.objects.create(
        kind="boundaries",
        label="Boundaries of Iraq",
        created_by=admin,
        status="failed",
        done=3,
        total=19,
        error="feature 4: ADM1_PCODE 'IQG99' is not a known governorate",
    )
    return {"admin": admin, "gov": najaf, "district": district, "location": location, "job": job}


def pages(world):
    return [
        ("home", "/"),
        ("governorates", "/geo/governorates/"),
        ("governorate", f"/geo/governorates/{world['gov'].pcode}/"),
        ("district", f"/geo/districts/{world['district'].pcode}/"),
        ("locations", "/geo/locations/"),
        ("location", f"/geo/locations/{world['location'].pk}/"),
        ("location-edit", f"/geo/locations/{world['location'].pk}/edit/"),
        ("map", "/geo/map/"),
        ("jobs", "/jobs/"),
        ("job", f"/jobs/{world['job'].pk}/"),
        ("changes", "/audit/changes/"),
        ("access", "/audit/access/"),
        ("profile", "/accounts/profile/"),
        ("admin", "/admin/"),
        ("admin-governorate", f"/admin/geo/governorate/{world['gov'].pk}/change/"),
    ]


def _visit_all(page, live_server, world, suffix):
    login(page, live_server, "admin", PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[dir=rtl]")
    too_wide = []
    for name, url in pages(world):
        page.goto(live_server.url + url)
        assert page.get_attribute("html", "dir") == "rtl", name
        if page.locator("#map").count():
            page.wait_for_selector("#map[data-loaded]")
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.viewport_size["width"]
        if width > viewport:
            too_wide.append(f"{name}: {width}px")
        page.screenshot(path=str(ARTIFACTS / f"foundation-{name}-ar-{suffix}.png"), full_page=True)
    return too_wide


@pytest.mark.phone
@pytest.mark.django_db(transaction=True)
def test_every_foundation_page_in_arabic_fits_a_phone(browser_page, live_server, world):
    ARTIFACTS.mkdir(exist_ok=True)
    assert _visit_all(browser_page, live_server, world, "phone") == []


@pytest.mark.django_db(transaction=True)
def test_every_foundation_page_in_arabic_fits_a_desktop(browser_page, live_server, world):
    ARTIFACTS.mkdir(exist_ok=True)
    assert _visit_all(browser_page, live_server, world, "desktop") == []
