"""Waybills: planned → dispatched → received (shortfall, damage) → closed, and the PDF."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amina.supply.models import StockMovement, Waybill
from amina.supply.services import (
    InsufficientStock,
    cancel_waybill,
    close_waybill,
    dispatch_waybill,
    plan_waybill,
    receive_waybill,
)
from amina.supply.services.ledger import balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def waybill(stocked, logistics_ab, hub_b, blanket):
    return plan_waybill(
        logistics_ab,
        stocked,
        hub_b,
        [(blanket, 40)],
        transporter="Zagros",
        vehicle="12345 Erbil",
        driver="Karwan",
    )


def test_planning_moves_no_stock(waybill, stocked, blanket):
    assert waybill.status == "planned" and waybill.number.startswith("WB-")
    assert balance_of(stocked, blanket) == 100


def test_dispatch_takes_stock_from_the_origin(waybill, logistics_ab, stocked, blanket):
    dispatch_waybill(logistics_ab, waybill)
    waybill.refresh_from_db()
    assert waybill.status == "dispatched" and waybill.dispatched_at is not None
    assert balance_of(stocked, blanket) == 60
    assert StockMovement.objects.get(waybill=waybill).quantity == -40


def test_a_waybill_is_dispatched_once(waybill, logistics_ab, stocked, blanket):
    dispatch_waybill(logistics_ab, waybill)
    with pytest.raises(ValidationError, match="cannot be"):
        dispatch_waybill(logistics_ab, waybill)
    assert balance_of(stocked, blanket) == 60


def test_dispatch_beyond_stock_is_refused_whole(stocked, logistics_ab, hub_b, blanket, hygiene_kit):
    from amina.supply.services import record_receipt

    record_receipt(logistics_ab, stocked, hygiene_kit, 5, donor="UNHCR")
    wb = plan_waybill(logistics_ab, stocked, hub_b, [(hygiene_kit, 5), (blanket, 101)])
    with pytest.raises(InsufficientStock):
        dispatch_waybill(logistics_ab, wb)
    wb.refresh_from_db()
    assert wb.status == "planned"
    assert balance_of(stocked, hygiene_kit) == 5 and balance_of(stocked, blanket) == 100


def test_receipt_with_shortfall_and_damage(waybill, logistics_ab, hub_b, blanket):
    dispatch_waybill(logistics_ab, waybill)
    line = waybill.lines.get()
    receive_waybill(logistics_ab, waybill, {line.pk: (35, 3)}, remarks={line.pk: "torn"})
    line.refresh_from_db()
    assert (line.quantity_received, line.quantity_damaged, line.shortfall) == (35, 3, 2)
    assert balance_of(hub_b, blanket) == 35
    waybill.refresh_from_db()
    assert waybill.status == "received" and waybill.lead_time is not None
    close_waybill(logistics_ab, waybill)
    waybill.refresh_from_db()
    assert waybill.status == "closed"


def test_receiving_more_than_dispatched_is_refused(waybill, logistics_ab, hub_b, blanket):
    dispatch_waybill(logistics_ab, waybill)
    line = waybill.lines.get()
    with pytest.raises(ValidationError, match="more than"):
        receive_waybill(logistics_ab, waybill, {line.pk: (40, 1)})
    assert balance_of(hub_b, blanket) == 0
    assert Waybill.objects.get(pk=waybill.pk).status == "dispatched"


def test_only_the_destination_governorate_receives(waybill, logistics_ab, logistics_a):
    dispatch_waybill(logistics_ab, waybill)
    with pytest.raises(PermissionDenied):
        receive_waybill(logistics_a, waybill)


def test_only_a_planned_waybill_is_cancelled(waybill, logistics_ab):
    cancel_waybill(logistics_ab, waybill)
    with pytest.raises(ValidationError):
        dispatch_waybill(logistics_ab, waybill)


def test_an_empty_or_circular_waybill_is_refused(stocked, logistics_ab, blanket):
    with pytest.raises(ValidationError):
        plan_waybill(logistics_ab, stocked, stocked, [(blanket, 1)])
    with pytest.raises(ValidationError, match="greater than zero"):
        plan_waybill(
            logistics_ab,
            stocked,
            stocked.__class__.objects.exclude(pk=stocked.pk).first(),
            [(blanket, 0)],
        )


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_waybill_pdf_is_valid_and_carries_the_arabic_names(waybill, language):
    from pypdf import PdfReader

    from amina.supply.pdf import waybill_pdf

    content = waybill_pdf(waybill, language)
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert waybill.number in text
    fonts = {
        str(f)
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
        for f in [f.get_object()["/BaseFont"]]
    }
    if language == "ar":
        # Shaped Arabic: the page uses an Arabic font, and the item's Arabic name is there.
        assert any("Naskh" in f or "Amiri" in f for f in fonts)
        assert "بطانية" in text or "ةيناطب" in text or "ﺑﻄﺎﻧﻴﺔ" in text
    else:
        assert "Blanket" in text


def test_the_waybill_pdf_page_answers(client, waybill, logistics_ab):
    client.force_login(logistics_ab)
    response = client.get(f"/supply/waybills/{waybill.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
