"""A logistics officer in Erbil dispatches blankets to the Najaf hub; the hub receives them
with a shortfall; at the Najaf site a kit is handed over, recorded in Arabic."""

from decimal import Decimal

import pytest

from conftest import PASSWORD, make_user
from tests.browser.conftest import login


@pytest.fixture
def scene(reference_geography, gov_a, location_a):
    from amina.geo.models import Governorate
    from amina.registry.models import Household
    from amina.supply.models import Item, Warehouse
    from amina.supply.services import planning, record_receipt

    erbil = Governorate.objects.get(pcode="IQG11")
    sender = make_user("wh_erbil", "logistics", [erbil])
    receiver = make_user("wh_najaf", "logistics", [gov_a], personal_data=True)
    blanket = Item.objects.create(
        code="blanket",
        name_en="Blanket",
        name_ar="بطانية",
        weight_kg=Decimal("2.5"),
        volume_m3=Decimal("0.01"),
    )
    kit = Item.objects.create(
        code="hygiene-kit",
        name_en="Hygiene kit",
        name_ar="عدة النظافة",
        unit="kit",
        is_kit=True,
        weight_kg=Decimal("12"),
        volume_m3=Decimal("0.05"),
    )
    main = Warehouse.objects.create(
        code="main-erbil",
        name_en="IOM Erbil main warehouse",
        name_ar="مستودع أربيل الرئيسي",
        kind="main",
        governorate=erbil,
    )
    hub = Warehouse.objects.create(
        code="hub-najaf", name_en="Najaf hub", name_ar="مستودع النجف", kind="hub", governorate=gov_a
    )
    site = Warehouse.objects.create(
        code="site-najaf",
        name_en="Najaf site",
        name_ar="موقع توزيع النجف",
        kind="site",
        governorate=gov_a,
        location=location_a,
    )
    record_receipt(sender, main, blanket, 500, donor="ECHO", reference="GRN-2015-001")
    record_receipt(receiver, site, kit, 10, donor="OFDA")
    Household.objects.create(
        household_ref="NJF-000123",
        location=location_a,
        governorate=gov_a,
        size=6,
        vulnerability_score=80,
        consent=True,
    )
    plan = planning.create_plan(
        receiver, name="Najaf kits", site=site, item=kit, period="2015-winter"
    )
    planning.optimise_plan(receiver, plan)
    planning.approve_plan(receiver, plan)
    return {"main": main, "hub": hub, "plan": plan, "blanket": blanket}


@pytest.mark.django_db(transaction=True)
def test_dispatch_receive_with_shortfall_and_distribute_in_arabic(browser_page, live_server, scene):
    from amina.supply.models import Distribution, StockBalance

    page = browser_page
    login(page, live_server, "wh_erbil", PASSWORD)
    page.goto(f"{live_server.url}/supply/waybills/new/")
    page.select_option("#id_origin", str(scene["main"].pk))
    page.select_option("#id_destination", str(scene["hub"].pk))
    page.fill("#id_transporter", "Zagros Transport")
    page.select_option("#id_item_1", str(scene["blanket"].pk))
    page.fill("#id_quantity_1", "50")
    page.click("[data-testid=submit]")
    page.click("[data-testid=dispatch]")
    assert page.inner_text("[data-testid=status]") == "dispatched"
    waybill_url = page.url

    page.context.clear_cookies()
    login(page, live_server, "wh_najaf", PASSWORD)
    page.goto(waybill_url)
    page.fill("[data-testid=good-blanket]", "45")
    page.fill("[data-testid=damaged-blanket]", "2")
    page.click("[data-testid=receive]")
    assert page.inner_text("[data-testid=status]") == "received"
    assert page.inner_text("[data-testid=shortfall-blanket]") == "3"
    assert StockBalance.objects.get(warehouse=scene["hub"], item=scene["blanket"]).quantity == 45

    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("html[dir=rtl]")
    page.goto(f"{live_server.url}/supply/plans/{scene['plan'].pk}/distribute/")
    assert page.get_attribute("html", "lang") == "ar"
    page.fill("#id_reference", "njf-٠٠٠١٢٣")  # typed with Eastern Arabic digits
    page.click("[data-testid=record]")
    assert "تم التسجيل" in page.inner_text("main")
    assert page.inner_text("[data-testid=progress]") == "1 / 1"
    assert Distribution.objects.get().household.household_ref == "NJF-000123"

    page.fill("#id_reference", "NJF-000123")  # the same family again: stopped, in Arabic
    page.click("[data-testid=record]")
    assert "سبق" in page.inner_text(".alert-danger")
    assert Distribution.objects.count() == 1
