"""Supply fixtures: a small catalogue, warehouses in governorates A and B, households."""

from decimal import Decimal

import pytest

from conftest import make_user


@pytest.fixture
def blanket(db):
    from amina.supply.models import Item

    return Item.objects.create(
        code="blanket",
        name_en="Blanket",
        name_ar="بطانية",
        unit="piece",
        weight_kg=Decimal("2.5"),
        volume_m3=Decimal("0.012"),
        low_stock_level=10,
    )


@pytest.fixture
def hygiene_kit(db):
    from amina.supply.models import Item

    return Item.objects.create(
        code="hygiene-kit",
        name_en="Hygiene kit",
        name_ar="عدة النظافة",
        unit="kit",
        is_kit=True,
        weight_kg=Decimal("12"),
        volume_m3=Decimal("0.05"),
    )


@pytest.fixture
def hub_a(gov_a):
    from amina.supply.models import Warehouse

    return Warehouse.objects.create(
        code="hub-najaf", name_en="Najaf hub", name_ar="مستودع النجف", kind="hub", governorate=gov_a
    )


@pytest.fixture
def site_a(gov_a, location_a):
    from amina.supply.models import Warehouse

    return Warehouse.objects.create(
        code="site-najaf-1",
        name_en="Najaf site 1",
        name_ar="موقع النجف 1",
        kind="site",
        governorate=gov_a,
        location=location_a,
    )


@pytest.fixture
def hub_b(gov_b):
    from amina.supply.models import Warehouse

    return Warehouse.objects.create(
        code="hub-duhok", name_en="Duhok hub", name_ar="مستودع دهوك", kind="hub", governorate=gov_b
    )


@pytest.fixture
def logistics_b(gov_b):
    return make_user("logistics_b", "logistics", [gov_b])


@pytest.fixture
def logistics_ab(gov_a, gov_b):
    return make_user("logistics_ab", "logistics", [gov_a, gov_b], personal_data=True)


@pytest.fixture
def stocked(logistics_a, hub_a, site_a, blanket, hygiene_kit):
    """100 blankets at the Najaf hub, 20 hygiene kits at the Najaf site."""
    from amina.supply.services import record_receipt

    record_receipt(logistics_a, hub_a, blanket, 100, donor="ECHO", reference="GRN-1")
    record_receipt(logistics_a, site_a, hygiene_kit, 20, donor="OFDA", reference="GRN-2")
    return hub_a


def make_household(
    location, ref, score, size=5, head=("أحمد", "علي", "حسن", "الجبوري"), document="A1234567"
):
    from amina.registry.models import Household, Member

    household = Household.objects.create(
        household_ref=ref,
        location=location,
        governorate=location.governorate,
        size=size,
        vulnerability_score=score,
        consent=True,
    )
    Member.objects.create(
        household=household,
        member_no=1,
        is_head=True,
        first_name_ar=head[0],
        father_name_ar=head[1],
        grandfather_name_ar=head[2],
        family_name_ar=head[3],
        name_latin="Ahmed Ali",
        document_type="national_id",
        document_number=document,
    )
    return household
