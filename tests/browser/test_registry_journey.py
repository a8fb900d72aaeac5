"""A registration team member registers a household in Arabic on a phone; the form warns
that the family may already be registered."""

import pytest

from conftest import PASSWORD, make_user
from tests.browser.conftest import ARTIFACTS, login


@pytest.mark.phone
@pytest.mark.django_db(transaction=True)
def test_registering_a_household_in_arabic_shows_the_duplicate_warning(
    browser_page, live_server, reference_geography
):
    import datetime

    from amina.geo.models import Governorate, Location
    from amina.registry.models import Household
    from amina.registry.services import register_household

    gov = Governorate.objects.get(pcode="IQG04")
    location = Location.objects.create(
        name_en="Hay Al-Nour 1",
        name_ar="حي النور 1",
        governorate=gov,
        district=gov.districts.first(),
    )
    user = make_user("field_team", "field", [gov], personal_data=True)
    existing = register_household(
        user,
        {"location": location, "size": 4, "consent": True},
        {
            "first_name_ar": "أحمد",
            "father_name_ar": "خالد",
            "grandfather_name_ar": "محمود",
            "family_name_ar": "العزاوي",
            "sex": "male",
            "birth_date": datetime.date(1970, 5, 1),
            "phone": "07701234567",
            "document_number": "123456789012",
        },
        [],
    )

    page = browser_page
    login(page, live_server, "field_team", PASSWORD)
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[dir=rtl]")
    page.goto(f"{live_server.url}/registry/register/")
    assert page.locator("html").get_attribute("lang") == "ar"
    # The same family, typed with an alef without hamza and a family name without "ال".
    page.fill("#id_head-first_name_ar", "احمد")
    page.fill("#id_head-father_name_ar", "خالد")
    page.fill("#id_head-family_name_ar", "عزاوي")
    page.fill("#id_head-birth_year", "١٩٧٠")
    warning = page.locator("[data-testid=duplicate-warning]")
    warning.wait_for()
    assert existing.household_ref in warning.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "registry-warning-ar-phone.png"), full_page=True)
    # The registration goes on (another family after all): members, vulnerabilities, consent.
    page.select_option("#id_head-sex", "male")
    page.select_option("#id_location", str(location.pk))
    page.fill("#id_size", "٣")
    page.check("#id_disability")
    page.click("#add-member")  # the form starts with the head alone
    page.fill("#id_members-0-first_name_ar", "زينب")
    page.select_option("#id_members-0-relationship", "child")
    page.click("#add-member")
    page.fill("#id_members-1-first_name_ar", "علي")
    page.select_option("#id_members-1-relationship", "child")
    page.check("#id_consent")
    page.click("form[data-testid=register-form] button[type=submit]")
    page.wait_for_selector("[data-testid=score]")
    assert Household.objects.count() == 2
    new = Household.objects.exclude(pk=existing.pk).get()
    assert new.members.count() == 3 and new.size == 3
    assert page.locator("[data-testid=score]").inner_text() == "15"
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
