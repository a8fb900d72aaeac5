"""Every dashboard and list page takes a pinned number of queries, the same for a national
user and for a governorate officer, however many rows it shows (issue 18).

Each page is read once with a few rows of everything (assessments, movements, alerts,
needs assessments, 4W activities, meetings, contacts, trainings, plans, stock,
waybills, households, jobs) in both governorates, then again after more of each were
added: a query per row (or per governorate, or per round) adds queries and fails; and
the count itself may not exceed the number pinned here, so a new query on a page is a
decision someone writes down.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

SEQUENCE = itertools.count(1)
DAY = datetime.date(2015, 3, 1)

# page → pinned maximum for (national user, governorate officer). Session, user and
# scope reads included; the dashboard figures are computed (cache cleared) each time.
PAGES = {
    "home": ("home", {}, 33, 36),
    "reports dashboard": ("reports:dashboard", {}, 17, 20),
    "tracking figures": ("tracking:figures", {}, 22, 26),
    "tracking governorate": ("tracking:governorate", {"pcode": "IQG04"}, 25, 26),
    "needs overview": ("needs:overview", {}, 12, 12),
    "needs governorate": ("needs:governorate", {"pcode": "IQG04"}, 12, 13),
    "4W activities": ("coordination:activity-list", {}, 9, 10),
    "meetings": ("coordination:meeting-list", {}, 6, 7),
    "contacts": ("coordination:contact-list", {}, 9, 10),
    "trainings": ("coordination:training-list", {}, 5, 6),
    "response plans": ("coordination:plan-list", {}, 4, 5),
    "supply home": ("supply:home", {}, 5, 6),
    "items": ("supply:item-list", {}, 5, 5),
    "warehouses": ("supply:warehouse-list", {}, 5, 6),
    "stock movements": ("supply:movement-list", {}, 8, 9),
    "waybills": ("supply:waybill-list", {}, 5, 6),
    "registry": ("registry:home", {}, 9, 10),
    "jobs": ("jobs:list", {}, 5, 6),
}


@pytest.fixture
def world(national_user, officer_a, gov_a, gov_b):
    """A round before and a round now, a warehouse pair and an organisation per governorate;
    ``grow(n)`` adds n more rows of every listed thing in each governorate."""
    from amina.accounts.models import Organisation
    from amina.supply.models import Item, Warehouse
    from amina.tracking.models import AlertRule, Round
    from conftest import make_user

    before = Round.objects.create(code="R-A", date=DAY - datetime.timedelta(days=30))
    now = Round.objects.create(code="R-B", date=DAY)
    org = Organisation.objects.create(name_en="Relief NGO", name_ar="منظمة إغاثة", kind="ngo")
    item = Item.objects.create(
        code="blanket",
        name_en="Blanket",
        name_ar="بطانية",
        unit="piece",
        weight_kg=Decimal("2.5"),
        volume_m3=Decimal("0.012"),
    )
    hubs = {
        gov.pk: Warehouse.objects.create(
            code=f"hub-{gov.pcode}", name_en="Hub", name_ar="مستودع", kind="hub", governorate=gov
        )
        for gov in (gov_a, gov_b)
    }
    rules = {
        gov.pk: AlertRule.objects.create(name=f"influx {gov.pcode}", governorate=gov, threshold=1)
        for gov in (gov_a, gov_b)
    }
    context = {
        "rounds": (before, now),
        "org": org,
        "item": item,
        "hubs": hubs,
        "rules": rules,
        "govs": (gov_a, gov_b),
        "national": national_user,
        "officer": officer_a,
        "logistics": make_user("logistics_ab", "logistics", [gov_a, gov_b]),
    }

    def grow(n: int) -> None:
        for gov in context["govs"]:
            for _ in range(n):
                _add_one_of_everything(context, gov)

    context["grow"] = grow
    grow(3)
    return context


def _add_one_of_everything(ctx, gov) -> None:
    from django.utils import timezone

    from amina.coordination.models import (
        Activity,
        Contact,
        Meeting,
        Participant,
        ResponsePlan,
        Training,
    )
    from amina.geo.models import Location
    from amina.jobs.models import Job
    from amina.needs.models import NeedsAssessment, PriorityNeed, Sector, SectorSeverity
    from amina.registry.models import Household, Member
    from amina.supply.models import Waybill
    from amina.supply.services.ledger import record_receipt
    from amina.tracking.models import (
        Alert,
        AssessmentShelter,
        LocationAssessment,
        MovementEvent,
        ShelterType,
    )

    i = next(SEQUENCE)
    location = Location.objects.create(
        name_en=f"Place {i}", name_ar=f"مكان {i}", governorate=gov, district=gov.districts.first()
    )
    shelter = ShelterType.objects.order_by("pk").first()
    for rnd in ctx["rounds"]:
        assessment = LocationAssessment.objects.create(
            round=rnd, location=location, date=rnd.date, families=10 + i, individuals=60 + 6 * i
        )
        AssessmentShelter.objects.create(
            assessment=assessment, shelter_type=shelter, families=10 + i
        )
    MovementEvent.objects.create(
        location=location,
        date=DAY + datetime.timedelta(days=1),
        direction="arrival",
        families=2,
        individuals=12,
    )
    Alert.objects.create(
        rule=ctx["rules"][gov.pk],
        episode=i,
        governorate=gov,
        window_start=DAY,
        window_end=DAY,
        arrivals=5,
    )
    sectors = list(Sector.objects.order_by("code")[:3])
    needs = NeedsAssessment.objects.create(
        location=location, assessed_on=DAY, team="RART", key_informants_count=2
    )
    for rank, sector in enumerate(sectors, start=1):
        SectorSeverity.objects.create(assessment=needs, sector=sector, severity=rank + 1)
        PriorityNeed.objects.create(assessment=needs, sector=sector, rank=rank)
    Activity.objects.create(
        organisation=ctx["org"],
        sector=sectors[0],
        activity_type="distribution",
        governorate=gov,
        location=location,
        start_date=DAY,
        people_reached=50,
    )
    Meeting.objects.create(title=f"Meeting {i}", date=DAY, governorate=gov)
    Contact.objects.create(name=f"Contact {i}", organisation=ctx["org"], governorate=gov)
    training = Training.objects.create(
        title=f"Training {i}",
        start_date=DAY,
        end_date=DAY,
        place="Hall",
        governorate=gov,
        organiser=ctx["org"],
    )
    Participant.objects.create(
        training=training, organisation=ctx["org"], governorate=gov, sex="f", name=f"P {i}"
    )
    ResponsePlan.objects.create(
        title=f"Plan {i}", governorate=gov, start_date=DAY, end_date=DAY + datetime.timedelta(90)
    )
    record_receipt(ctx["logistics"], ctx["hubs"][gov.pk], ctx["item"], 10, donor="WFP")
    other = next(pk for pk in ctx["hubs"] if pk != gov.pk)
    Waybill.objects.create(
        number=f"WB-{i}", origin=ctx["hubs"][gov.pk], destination=ctx["hubs"][other]
    )
    household = Household.objects.create(
        household_ref=f"H-{i}",
        location=location,
        governorate=gov,
        registered_at=timezone.now(),
    )
    Member.objects.create(
        household=household, member_no=1, is_head=True, first_name_ar="أحمد", family_name_ar="علي"
    )
    Job.objects.create(
        kind="test-count", label=f"job {i}", created_by=ctx["officer"], governorate=gov
    )


def _queries(client, url) -> int:
    from django.core.cache import cache

    cache.clear()  # figures recomputed: the worst case, not the cached one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.parametrize("persona", ["national", "officer"])
@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_takes_a_pinned_number_of_queries_whatever_the_rows(client, world, page, persona):
    name, kwargs, pinned_national, pinned_officer = PAGES[page]
    client.force_login(world[persona])
    url = reverse(name, kwargs=kwargs)
    client.get(url)  # the session's first read
    few = _queries(client, url)
    world["grow"](4)
    many = _queries(client, url)
    assert many == few, f"{page}: {few} queries with 6 rows, {many} with 14: a query per row"
    pinned = pinned_national if persona == "national" else pinned_officer
    assert many <= pinned, f"{page} as {persona}: {many} queries, pinned at {pinned}"
