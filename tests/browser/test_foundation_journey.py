"""A national coordinator logs in, switches to Arabic and sees the 18 governorates on the map."""

import pytest

from tests.browser.conftest import ARTIFACTS, login

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def coordinator(reference_geography):
    from conftest import make_user

    return make_user("coordinator", "national", personal_data=True)


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_logs_in_switches_to_arabic_and_sees_18_governorates_on_the_map(
    browser_page, live_server, coordinator
):
    page = browser_page
    login(page, live_server, "coordinator", PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[dir=rtl]")
    assert page.get_attribute("html", "lang") == "ar"
    page.wait_for_selector("#map[data-loaded='18']")
    symbols = page.locator("#map path[data-pcode]")
    assert symbols.count() == 18
    pcodes = {symbols.nth(i).get_attribute("data-pcode") for i in range(18)}
    assert len(pcodes) == 18 and "IQG12" in pcodes
    assert page.locator("#map path.amina-outline").count() >= 1  # the Natural Earth outline
    assert "كربلاء" in page.inner_text("[data-testid=governorate-table]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "foundation-home-ar.png"), full_page=True)


@pytest.mark.phone
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_arabic_home_page_fits_the_screen(browser_page, live_server, coordinator):
    page = browser_page
    login(page, live_server, "coordinator", PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[dir=rtl]")
    page.wait_for_selector("#map[data-loaded='18']")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    page.screenshot(path=str(ARTIFACTS / "foundation-home-ar-phone.png"), full_page=True)
