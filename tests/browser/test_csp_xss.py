"""Hostile place names on every map: a place editor, a field user or an imported file names a
location ``<img src=x onerror=alert(1)>``. Every page that draws a map shows it as text in
its tooltips, runs no script from it, and works under the Content Security Policy (no
violation reported), for a national user and for a governorate officer. The API docs
(Swagger UI), DRF's browsable API and the Django admin work under the policy too."""

import datetime

import pytest

from conftest import PASSWORD

from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.django_db(transaction=True)]

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
GOVERNORATE = "Najaf <img src=x onerror=alert(3)>"
DISTRICT = "<img src=x onerror=alert(4)> district"
ACTIVITY = "<svg onload=alert(5)> kits"

# Every page that draws a map (grep the templates for leaflet.js), with the map element,
# and the hostile name its tooltips must show as text.
MAP_PAGES = [
    ("/", "#map", GOVERNORATE),
    ("/geo/map/", "#map", GOVERNORATE),
    ("/geo/governorates/IQG04/", "#map", DISTRICT),
    ("/tracking/", "#map", GOVERNORATE),
    ("/tracking/governorates/IQG04/", "#location-map", IMG),
    ("/needs/governorates/IQG04/", "#needs-map", SCRIPT),
    ("/coordination/4w/map/", "#map", ACTIVITY),
    ("/reports/dashboard/", "#map", GOVERNORATE),
]

# Records violations from the first script on, whatever page the tab navigates to.
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  (window.__cspViolations = window.__cspViolations || []).push(
    e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def hostile_places(reference_geography, gov_a, location_a, officer_a):
    """Two locations of governorate A with hostile names, with displacement figures, needs
    assessments and 4W activities; the governorate and a district renamed hostile too."""
    from amina.accounts.models import Organisation
    from amina.coordination.models import Activity
    from amina.geo.models import Location
    from amina.needs.models import Sector
    from amina.needs.services import AssessmentData, Priority, record_assessment
    from amina.tracking.models import AssessmentShelter, LocationAssessment, Round, ShelterType

    gov_a.name_en = GOVERNORATE
    gov_a.save(update_fields=["name_en"])
    district = location_a.district
    district.name_en = DISTRICT
    district.centroid_lat, district.centroid_lon = 31.9, 44.4
    district.save(update_fields=["name_en", "centroid_lat", "centroid_lon"])
    places = []
    for i, name in enumerate((IMG, SCRIPT)):
        places.append(
            Location.objects.create(
                name_en=name,
                name_ar=name,
                governorate=gov_a,
                district=district,
                centroid_lat=32.0 + i / 5,
                centroid_lon=44.3 + i / 5,
                dtm_place_id=f"66600{i}",
            )
        )
    rounds = [
        Round.objects.create(code="R1", date=datetime.date(2015, 5, 1)),
        Round.objects.create(code="R2", date=datetime.date(2015, 6, 1)),
    ]
    shelter = ShelterType.objects.first()
    sectors = {s.code: s for s in Sector.objects.all()}
    iom = Organisation.objects.create(name_en="IOM <b>bold</b>", acronym="IOM", kind="iom")
    for i, place in enumerate(places):
        for r in rounds:
            a = LocationAssessment.objects.create(
                round=r, location=place, date=r.date, families=40 + i, individuals=240 + i
            )
            AssessmentShelter.objects.create(assessment=a, shelter_type=shelter, families=40 + i)
        record_assessment(
            None,
            AssessmentData(
                location=place,
                assessed_on=datetime.date(2015, 6, 2),
                team="RART <i>1</i>",
                key_informants_count=2,
                severities={sectors[2]: 5 - i, sectors[4]: 3},
                priorities=[Priority(sectors[2])],
            ),
        )
        Activity.objects.create(
            organisation=iom,
            sector=sectors[2],
            activity_type=ACTIVITY,
            governorate=gov_a,
            district=district,
            location=place,
            start_date=datetime.date(2015, 6, 1),
            status="ongoing",
            women=10 + i,
        )
    return places


def watch(page) -> dict:
    """Dialogs (an alert() would be one) and CSP violations reported on the console."""
    seen = {"dialogs": [], "console": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            seen["console"].append(message.text)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.add_init_script(RECORD_VIOLATIONS)
    return seen


def assert_clean(page, seen, where):
    violations = page.evaluate("window.__cspViolations || []")
    assert violations == [], (where, violations)
    assert seen["console"] == [], (where, seen["console"])
    assert seen["dialogs"] == [], (where, seen["dialogs"])


def assert_strict_policy(response, where):
    header = response.headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}
    assert directives.get("script-src") == ["'self'"], (where, header)
    assert "'unsafe-eval'" not in header, (where, header)


def open_every_tooltip(page, selector) -> str:
    """Hover every marker and shape of the map; the text of all the tooltips shown."""
    shapes = page.locator(f"{selector} path.leaflet-interactive")
    texts = []
    for i in range(shapes.count()):
        shapes.nth(i).dispatch_event("mouseover")
        tooltip = page.locator(f"{selector} .leaflet-tooltip").last
        tooltip.wait_for()
        # Escaped: the hostile markup is text, and no element was made from it.
        assert page.locator(f"{selector} .leaflet-tooltip :is(img, script, svg, b, i)").count() == 0
        texts.append(tooltip.inner_text())
        shapes.nth(i).dispatch_event("mouseout")
    return "\n".join(texts)


def visit_every_map(page, live_server, seen, who):
    for path, selector, hostile in MAP_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (who, path)
        assert_strict_policy(response, path)
        page.wait_for_selector(f"{selector}[data-loaded]")
        loaded = page.locator(selector).get_attribute("data-loaded")
        assert loaded not in ("error", "0"), (who, path, loaded)
        tooltips = open_every_tooltip(page, selector)
        assert hostile in tooltips, (who, path, tooltips)
        assert_clean(page, seen, f"{who} {path}")
    page.screenshot(path=str(ARTIFACTS / f"csp-{who}-last-map.png"), full_page=True)


def test_hostile_place_names_run_no_script_on_any_map_for_a_national_user(
    browser_page, live_server, hostile_places, national_user
):
    page = browser_page
    seen = watch(page)
    login(page, live_server, national_user.username, PASSWORD)
    visit_every_map(page, live_server, seen, "national")


def test_hostile_place_names_run_no_script_on_any_map_for_an_officer(
    browser_page, live_server, hostile_places, officer_a
):
    page = browser_page
    seen = watch(page)
    login(page, live_server, officer_a.username, PASSWORD)
    visit_every_map(page, live_server, seen, "officer")
    # The needs map redraws when the sector changes (wired in a static script, no inline).
    page.goto(f"{live_server.url}/needs/governorates/IQG04/")
    page.wait_for_selector("#needs-map[data-loaded='2']")
    page.select_option("#map-sector", "4")
    page.wait_for_selector("path.needs-marker[data-severity='3']")
    assert_clean(page, seen, "officer sector change")


def test_swagger_ui_and_the_admin_work_under_the_policy(
    browser_page, live_server, hostile_places, admin_user
):
    page = browser_page
    seen = watch(page)
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert_strict_policy(response, "docs")
    page.wait_for_selector("#swagger-ui .info .title")
    page.wait_for_selector("#swagger-ui .opblock")
    assert_clean(page, seen, "api docs")

    login(page, live_server, admin_user.username, PASSWORD)
    response = page.goto(f"{live_server.url}/admin/geo/location/{hostile_places[0].pk}/change/")
    assert response.status == 200
    assert_strict_policy(response, "admin")
    assert page.locator("#id_name_en").input_value() == IMG
    page.goto(f"{live_server.url}/admin/geo/location/?q=img")
    assert IMG in page.locator("#result_list").inner_text()
    assert_clean(page, seen, "admin")
    # DRF's browsable API (its own templates) too.
    response = page.goto(f"{live_server.url}/api/v1/geo/governorates/")
    assert_strict_policy(response, "browsable api")
    page.wait_for_selector(".response-info")
    assert_clean(page, seen, "browsable api")


def test_a_select_submits_its_form_without_an_inline_handler(
    browser_page, live_server, hostile_places, national_user
):
    page = browser_page
    seen = watch(page)
    login(page, live_server, national_user.username, PASSWORD)
    page.goto(f"{live_server.url}/tracking/")
    page.select_option("#round-select", "R1")
    page.wait_for_url("**round=R1*")
    page.goto(f"{live_server.url}/geo/map/")
    metric = page.locator("select[name=metric] option").nth(1).get_attribute("value")
    page.select_option("select[name=metric]", metric)
    page.wait_for_url(f"**metric={metric}*")
    page.wait_for_selector("#map[data-loaded]")
    assert_clean(page, seen, "autosubmit")
