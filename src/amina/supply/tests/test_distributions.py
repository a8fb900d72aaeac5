"""Recording distributions: once per household and period, across confirmed duplicates."""

import pytest
from django.core.exceptions import PermissionDenied

from amina.audit.models import AccessLog
from amina.supply.models import Distribution, StockMovement
from amina.supply.services import planning
from amina.supply.services.distributions import (
    DistributionRefused,
    distribution_list,
    record_by_reference,
    record_distribution,
)
from amina.supply.services.ledger import balance_of

from .conftest import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(location_a):
    return [
        make_household(location_a, f"NJF-{n:04d}", score, document=f"D{n}99887")
        for n, score in enumerate([90, 70, 55], start=1)
    ]


@pytest.fixture
def plan(stocked, logistics_ab, site_a, hygiene_kit, households):
    plan = planning.create_plan(
        logistics_ab, name="Kits", site=site_a, item=hygiene_kit, period="2015-winter"
    )
    planning.optimise_plan(logistics_ab, plan)
    return planning.approve_plan(logistics_ab, plan)


def confirm_duplicate(a, b, user):
    from amina.registry.models import DuplicateCandidate

    low, high = sorted([a, b], key=lambda h: h.pk)
    return DuplicateCandidate.objects.create(
        household_a=low,
        household_b=high,
        governorate=a.governorate,
        probability=0.98,
        decision="confirmed",
        decided_by=user,
    )


def test_a_distribution_moves_the_ledger_in_the_same_transaction(
    plan, logistics_ab, site_a, hygiene_kit
):
    d = record_by_reference(logistics_ab, plan, "njf-0001")
    assert d.method == "scan" and d.household.household_ref == "NJF-0001"
    assert d.movement.kind == "distribution" and d.movement.quantity == -1
    assert balance_of(site_a, hygiene_kit) == 19


def test_eastern_arabic_digits_are_read_in_the_registration_number(plan, logistics_ab):
    assert record_by_reference(logistics_ab, plan, "NJF-٠٠٠٢").household.household_ref == "NJF-0002"


def test_a_second_distribution_is_refused_with_the_reason(
    plan, logistics_ab, households, site_a, hygiene_kit
):
    record_distribution(logistics_ab, plan, households[0])
    with pytest.raises(DistributionRefused, match="Already received Hygiene kit"):
        record_distribution(logistics_ab, plan, households[0])
    assert Distribution.objects.count() == 1
    assert StockMovement.objects.filter(kind="distribution").count() == 1
    assert balance_of(site_a, hygiene_kit) == 19


def test_a_confirmed_duplicate_of_a_served_household_is_stopped(plan, logistics_ab, households):
    record_distribution(logistics_ab, plan, households[0])
    confirm_duplicate(households[0], households[1], logistics_ab)
    with pytest.raises(DistributionRefused, match="confirmed duplicate NJF-0001"):
        record_distribution(logistics_ab, plan, households[1])
    assert Distribution.objects.count() == 1


def test_a_household_not_on_the_list_is_refused(plan, logistics_ab, location_a):
    make_household(location_a, "NJF-0999", 99)
    with pytest.raises(DistributionRefused, match="not on the list"):
        record_by_reference(logistics_ab, plan, "NJF-0999")
    with pytest.raises(DistributionRefused, match="No household"):
        record_by_reference(logistics_ab, plan, "XYZ")


def test_no_stock_no_distribution(plan, logistics_ab, site_a, hygiene_kit, households):
    from amina.supply.services import record_loss

    record_loss(logistics_ab, site_a, hygiene_kit, 20, reason="fire")
    with pytest.raises(Exception, match="Not enough"):
        record_distribution(logistics_ab, plan, households[0])
    assert not Distribution.objects.exists()


def test_the_list_with_names_needs_the_permission_and_a_purpose_and_is_logged(
    plan, logistics_ab, logistics_a
):
    with pytest.raises(PermissionDenied):
        distribution_list(logistics_a, plan, purpose="distribution day")  # no permission
    rows = distribution_list(logistics_ab, plan, purpose="distribution day")
    assert rows[0]["name_ar"] == "أحمد علي حسن الجبوري" and rows[0]["document"] == "D199887"
    log = AccessLog.objects.get()
    assert log.purpose == "distribution day" and log.count == 3


def test_the_printable_list_pdf_carries_the_signature_column(client, plan, logistics_ab):
    import io

    from pypdf import PdfReader

    client.force_login(logistics_ab)
    response = client.post(
        f"/supply/plans/{plan.pk}/print/", {"purpose": "distribution day", "format": "pdf"}
    )
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "NJF-0001" in text and "Signature or thumbprint" in text
    assert AccessLog.objects.filter(purpose="distribution day").exists()


def test_ticking_on_the_page_records_from_the_list(client, plan, logistics_ab, households):
    client.force_login(logistics_ab)
    response = client.post(f"/supply/plans/{plan.pk}/distribute/", {"household": households[2].pk})
    assert response.status_code == 302
    assert Distribution.objects.get().method == "list"
