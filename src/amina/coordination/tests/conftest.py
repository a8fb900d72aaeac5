"""Coordination fixtures: organisations, a partner of one NGO, and an activity factory."""

import datetime

import pytest

from conftest import PASSWORD, make_user  # noqa: F401  (re-exported for the tests)


@pytest.fixture
def orgs(reference_geography):
    from amina.accounts.models import Organisation

    made = {}
    for acronym, name, ar, kind in [
        ("NRC", "Norwegian Refugee Council", "المجلس النرويجي للاجئين", "ngo"),
        ("DRC", "Danish Refugee Council", "المجلس الدنماركي للاجئين", "ngo"),
        ("IOM", "International Organization for Migration", "المنظمة الدولية للهجرة", "iom"),
        ("MoMD", "Ministry of Migration and Displacement", "وزارة الهجرة والمهجرين", "ministry"),
        ("MoH", "Ministry of Health", "وزارة الصحة", "ministry"),
    ]:
        made[acronym] = Organisation.objects.create(
            name_en=name, name_ar=ar, acronym=acronym, kind=kind
        )
    return made


@pytest.fixture
def nrc_partner(orgs):
    from amina.accounts.services import create_user

    return create_user(
        None,
        "nrc_partner",
        role="partner",
        password=PASSWORD,
        organisation=orgs["NRC"],
        national_scope=True,
    )


@pytest.fixture
def sector(reference_geography):
    from amina.needs.models import Sector

    return lambda code: Sector.objects.get(code=code)


@pytest.fixture
def make_activity(orgs, sector):
    from amina.coordination.models import Activity

    def make(
        org="NRC",
        code=2,
        governorate=None,
        location=None,
        district=None,
        start=datetime.date(2015, 6, 1),
        end=None,
        status="ongoing",
        **counts,
    ):
        gov = governorate or location.governorate
        return Activity.objects.create(
            organisation=orgs[org],
            sector=sector(code),
            activity_type="NFI kits",
            governorate=gov,
            district=district or (location.district if location else None),
            location=location,
            start_date=start,
            end_date=end,
            status=status,
            **counts,
        )

    return make
