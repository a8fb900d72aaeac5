"""A field day in Arabic, and in Central Kurdish, on a phone: every page of the menu, for
every role, at 390 × 844.

On the small demo (``amina.core.demo.generate("small")``: 125 locations, two rounds, 300
households, figures as large as 562,188 IDP individuals in Anbar), each page must fit the
screen, keep every control in reach, show every figure whole (no cell cut by the screen or
by its scrolling frame), speak the page's language only (``tests/browser/phone.py`` says
what Latin text is data), show no ``None`` and log no error. The demo is built once (about
10 s) and the five roles walk their menus in one test, so the sweep of a language stays near
two minutes.

The same walk rewrites the README's screenshots (docs/screenshots/): the Arabic phone
pages of the governorate officer of Najaf and the English desktop pages of a national user.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.phone import problems

pytestmark = pytest.mark.browser

SEED = 2015
ROLES = ["national", "najaf", "field", "logistics", "partner"]
# Pages one step below the menu that a person reaches on a field day.
BELOW_MENU = [
    "/registry/register/",
    "/registry/duplicates/",
    "/geo/governorates/IQG04/",
    "/tracking/governorates/IQG04/",
    "/needs/governorates/IQG04/",
    "/needs/assessments/new/",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE_SHOTS = {
    "/": "phone-ar-home.png",
    "/tracking/": "phone-ar-displacement.png",
    "/needs/": "phone-ar-needs.png",
    "/registry/register/": "phone-ar-register.png",
}
DESKTOP_SHOTS = {
    "/": "desktop-en-home.png",
    "/tracking/": "desktop-en-displacement.png",
    "/needs/": "desktop-en-needs.png",
    "/coordination/": "desktop-en-coordination.png",
}


def _session(browser, live_server, username: str, *, phone: bool, language: str):
    from amina.accounts.demo import demo_password

    context = browser.new_context(
        viewport={"width": 390, "height": 844} if phone else {"width": 1200, "height": 720},
        locale=language,
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo_password(SEED, username))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page, errors


def _open(page, live_server, path: str) -> int:
    response = page.goto(f"{live_server.url}{path}")
    for selector in ("#map", "#needs-map", "#location-map"):
        if page.locator(selector).count():
            page.wait_for_selector(
                f"{selector}[data-loaded]"
            )  # drawn (or failed: then a console error)
    return response.status if response else 0


def _menu(page) -> list[str]:
    links = page.eval_on_selector_all(
        "#nav a.nav-link[href^='/'], #nav a.dropdown-item[href^='/']",
        "els => els.map(e => e.getAttribute('href'))",
    )
    return [link for link in dict.fromkeys(links) if not link.startswith("/admin/")]


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / name))


@pytest.fixture
def demo_world(reference_geography):
    from amina.core.demo import generate
    from amina.registry.models import DuplicateCandidate, Household

    generate("small", SEED)
    najaf = list(Household.objects.filter(governorate__pcode="IQG04").order_by("pk")[:4])
    for number, (a, b) in enumerate([(najaf[0], najaf[1]), (najaf[2], najaf[3])], 1):
        DuplicateCandidate.objects.create(
            household_a=a,
            household_b=b,
            governorate_id=a.governorate_id,
            probability=0.987,
            cluster=number,
            agreeing=["first", "father", "family", "phone"],
            disagreeing=["birth"],
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_every_page_of_every_role_reads_whole_right_to_left_on_a_phone(
    _browser, live_server, demo_world, language
):
    faults: dict[str, list[str]] = {}
    for username in ROLES:
        context, page, errors = _session(
            _browser, live_server, username, phone=True, language=language
        )
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("html").get_attribute("dir") == "rtl"
        pages = _menu(page) + ["/accounts/profile/"]
        pages += [p for p in BELOW_MENU if p not in pages]
        for path in pages:
            errors.clear()
            status = _open(page, live_server, path)
            if status == 403 and path in BELOW_MENU:
                continue  # not this role's page
            found = [] if status == 200 else [f"status {status}"]
            found += problems(page)
            found += [f"console: {e}" for e in errors]
            if found:
                faults[f"{username} {path}"] = found
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(
                    path=str(
                        ARTIFACTS / f"phone-{language}-{username}-"
                        f"{path.strip('/').replace('/', '_') or 'home'}.png"
                    ),
                    full_page=True,
                )
            if username == "najaf" and path in PHONE_SHOTS and language == "ar":
                _shoot(page, PHONE_SHOTS[path])
        context.close()
    context, page, errors = _session(_browser, live_server, "national", phone=False, language="en")
    for path, name in DESKTOP_SHOTS.items():
        _open(page, live_server, path)
        _shoot(page, name)
    context.close()
    report = "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in faults.items())
    assert not faults, f"pages that fail on a phone in {language}:\n{report}"


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_a_fall_reads_with_its_minus_before_its_digits_right_to_left(_browser, language):
    """A figures cell of an Arabic or Kurdish page shows "-606", never "606-" (issue 19)."""
    from django.template import Context, Template

    html = Template(
        '{% load amina_text reports_tags %}<html lang="{{ language }}" dir="rtl"><body><table>'
        '<tr><td class="num">{{ change|signed }}</td><td class="num">{{ change|num }}</td>'
        "<td>+{{ rise }}</td><td>{{ rise|signed }}</td></tr></table></body></html>"
    ).render(Context({"language": language, "change": -606, "rise": 1234}))
    page = _browser.new_page()
    page.set_content(html)
    # For each cell: is the sign drawn left of the first digit, as "-606" and "+1,234" read?
    sign_first = page.eval_on_selector_all(
        "td",
        """cells => cells.map(cell => {
          const text = cell.firstChild, at = text.data.search(/[-+]/);
          const box = (i) => { const r = document.createRange(); r.setStart(text, i);
                               r.setEnd(text, i + 1); return r.getBoundingClientRect(); };
          return box(at).left < box(at + 1).left;
        })""",
    )
    page.close()
    # The third cell is a bare "+1234", as the displacement pages once printed it: the line's
    # direction takes the sign to the right of the digits ("1234+").
    assert sign_first == [True, True, False, True]


@pytest.mark.django_db(transaction=True)
def test_the_map_of_a_governorate_officer_has_a_marker_for_each_of_their_located_locations(
    _browser, live_server, demo_world
):
    from amina.geo.models import Location

    located = set(
        Location.objects.filter(governorate__pcode="IQG04", centroid_lat__isnull=False).values_list(
            "code", flat=True
        )
    )
    assert located
    context, page, _errors = _session(_browser, live_server, "najaf", phone=True, language="ar")
    for path in ("/", "/geo/map/", "/tracking/", "/reports/dashboard/"):
        _open(page, live_server, path)
        markers = page.locator("#map path.amina-place")
        drawn = {markers.nth(i).get_attribute("data-pcode") for i in range(markers.count())}
        assert markers.count() == len(located), path
        assert drawn == located, path
        assert page.locator("#map [data-testid=map-legend]").count() == 1, path
        # Names and figures in the tooltip, in Arabic digits' place as the page shows them.
        markers.first.dispatch_event("mouseover")
        assert page.locator("#map .leaflet-tooltip").last.inner_text().strip()
    context.close()


@pytest.mark.phone
@pytest.mark.django_db(transaction=True)
def test_a_man_living_alone_is_registered_on_a_phone_in_arabic_after_a_refused_try(
    browser_page, live_server, field_a, location_a
):
    from amina.registry.models import Household
    from conftest import PASSWORD
    from tests.browser.conftest import login

    page = browser_page
    login(page, live_server, "field_a", PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[dir=rtl]")
    page.goto(f"{live_server.url}/registry/register/")
    assert page.locator(".member-form:visible").count() == 0  # the head alone
    page.fill("#id_head-first_name_ar", "Mustafa")  # Latin letters in the Arabic name
    page.fill("#id_head-phone", "0770 123")
    page.select_option("#id_location", str(location_a.pk))
    page.fill("#id_size", "١")
    page.click("form[data-testid=register-form] button[type=submit]")
    summary = page.locator("[data-testid=error-summary]")
    summary.wait_for()
    assert page.evaluate("document.activeElement.dataset.testid") == "error-summary"
    assert (
        page.evaluate("document.querySelector('[data-error-summary]').getBoundingClientRect().top")
        < 844
    )
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#id_head-first_name_ar", "#id_head-phone", "#id_head-sex", "#id_consent"} <= set(
        targets
    )
    assert "الاسم" in summary.inner_text() and "Mustafa" not in summary.inner_text()
    assert problems(page) == []
    summary.locator("a[href='#id_head-first_name_ar']").click()
    assert page.evaluate("document.activeElement.id") == "id_head-first_name_ar"
    # An added member block is removed again: he lives alone.
    page.click("#add-member")
    page.click(".member-form:visible [data-remove-member]")
    page.fill("#id_head-first_name_ar", "مصطفى")
    page.fill("#id_head-family_name_ar", "العزاوي")
    page.fill("#id_head-phone", "+٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧")
    page.select_option("#id_head-sex", "male")
    page.check("#id_consent")
    page.click("form[data-testid=register-form] button[type=submit]")
    page.wait_for_selector("[data-testid=score]")
    household = Household.objects.get()
    assert household.size == 1 and household.members.get().phone == "0770 123 4567"
    assert problems(page) == []
