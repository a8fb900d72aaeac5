"""A field user on a phone, in Arabic, records a needs assessment; the governorate's heat
table then shows it."""

import re

import pytest

from conftest import PASSWORD

from .conftest import ARTIFACTS, login

# Elements sticking out of a 390 px screen, to name the culprit when the page overflows.
WIDE_ELEMENTS = """Array.from(document.querySelectorAll("body *"))
  .filter(e => { const r = e.getBoundingClientRect(); return r.right > 391 || r.left < -1; })
  .slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className)"""


@pytest.mark.phone
@pytest.mark.django_db(transaction=True)
def test_a_field_user_records_an_assessment_in_arabic_and_sees_it_on_the_heat_table(
    browser_page, live_server, reference_geography, field_a, location_a
):
    from amina.needs.models import NeedsAssessment, Sector

    page = browser_page
    login(page, live_server, field_a.username, PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[lang=ar][dir=rtl]")

    page.goto(f"{live_server.url}/needs/assessments/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_text("كارثية").first.is_visible()
    page.select_option("#id_location", str(location_a.pk))
    page.fill("#id_assessed_on", "2015-06-04")
    page.fill("#id_team", "فريق التقييم السريع 2")
    page.fill("#id_key_informants_count", "٤")
    page.fill("#id_population_individuals", "١٢٠٠")
    page.select_option("#id_sev_2", "5")
    page.select_option("#id_sev_4", "3")
    shelter = Sector.objects.get(code=2)
    health = Sector.objects.get(code=4)
    page.select_option("#id_priority_1", str(shelter.pk))
    page.fill("#id_priority_1_text", "خيام قبل الشتاء")
    page.select_option("#id_priority_2", str(health.pk))
    # The page fits a phone: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDE_ELEMENTS)
    assert width <= 392, (width, wide)
    page.screenshot(path=str(ARTIFACTS / "needs-form-ar-phone.png"), full_page=True)
    page.click("[data-testid=save-assessment]")
    page.wait_for_url(re.compile(r".*/needs/assessments/\d+/$"))
    assert page.locator("[data-testid=priorities]").inner_text().startswith("المأوى")

    assessment = NeedsAssessment.objects.get()
    assert assessment.population_individuals == 1200 and assessment.key_informants_count == 4

    page.goto(f"{live_server.url}/needs/governorates/IQG04/")
    row = page.locator(f"[data-testid=heat-table] tr[data-location='{location_a.pk}']")
    assert "حي النور 1" in row.inner_text()
    cells = row.locator("td[data-severity]")
    assert cells.nth(1).inner_text() == "5" and cells.nth(3).inner_text() == "3"
    page.wait_for_selector("#needs-map[data-loaded='1']")
    page.select_option("#map-sector", "2")
    page.screenshot(path=str(ARTIFACTS / "needs-heat-ar-phone.png"), full_page=True)
    assert page.locator("path.needs-marker[data-severity='5']").count() == 1
