"""A field team enters an assessment on a phone in Arabic; the governorate officer's
dashboard then shows the new total."""

import re

import pytest

from conftest import PASSWORD
from tests.browser.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(reference_geography, gov_a, field_a, officer_a, location_a):
    import datetime

    from amina.tracking.models import LocationAssessment, Round

    earlier = Round.objects.create(code="R21", date=datetime.date(2015, 5, 21))
    Round.objects.create(code="R22", date=datetime.date(2015, 6, 4))
    other = location_a.__class__.objects.create(
        name_en="Hay Al-Amal 3",
        name_ar="حي الأمل 3",
        governorate=gov_a,
        district=location_a.district,
    )
    LocationAssessment.objects.create(
        round=earlier, location=other, date=earlier.date, families=50, individuals=300
    )
    return location_a


def choose(page, select, text):
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.select_option(select, value=value)


@pytest.mark.phone
def test_a_field_user_enters_an_assessment_in_arabic_and_the_officer_sees_it(
    browser_page, live_server, setting
):
    page = browser_page
    login(page, live_server, "field_a", PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[dir=rtl]")
    page.goto(f"{live_server.url}/tracking/assessments/new/")
    assert page.viewport_size == {"width": 390, "height": 844}
    assert page.locator("h1").inner_text() == "تقييم موقع"
    choose(page, "#id_round", "R22")
    choose(page, "#id_location", "حي النور 1")
    page.fill("#id_date", "2015-06-05")
    page.fill("#id_key_informant", "مختار")
    page.fill("#id_families", "١٢٠")
    page.click("text=العوائل حسب نوع المأوى")
    page.fill("#id_shelter_camp", "٢٠")
    page.fill("#id_shelter_rented_houses", "100")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tracking-field-form-ar.png"), full_page=True)
    page.click("[data-testid=save-assessment]")
    page.wait_for_url(re.compile(r".*/tracking/assessments/\d+/$"))
    assert "حُفظ التقييم" in page.content()
    figures = page.locator("[data-testid=assessment-figures]").inner_text()
    assert "120" in figures and "720" in figures

    page.context.clear_cookies()
    login(page, live_server, "officer_a", PASSWORD)
    page.goto(f"{live_server.url}/")
    panel = page.locator("[data-testid=panel-individuals]").inner_text()
    assert panel.replace(",", "").replace("٬", "") == "720", "the latest round only: R22"
    page.goto(f"{live_server.url}/tracking/governorates/IQG04/")
    total = page.locator("[data-testid=governorate-individuals]").inner_text()
    assert total.replace(",", "") == "720"
    assert "Hay Al-Nour 1" in page.locator("[data-testid=location-table]").inner_text()
