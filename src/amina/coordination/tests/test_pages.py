"""Every coordination page answers each persona as the access policy says, in both languages."""

import datetime

import pytest
from django.utils import timezone

from amina.coordination.models import (
    ActionPoint,
    Contact,
    Meeting,
    Participant,
    ResponsePlan,
    Target,
    Training,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs, gov_a, gov_b, location_a, make_activity, sector, field_a):
    make_activity(location=location_a, women=4)
    make_activity(org="DRC", location=location_a, men=3)
    plan = ResponsePlan.objects.create(
        title="Najaf plan",
        governorate=gov_a,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2015, 12, 31),
    )
    Target.objects.create(
        plan=plan,
        sector=sector(2),
        governorate=gov_a,
        quantity=100,
        deadline=datetime.date(2015, 12, 31),
    )
    meeting = Meeting.objects.create(
        title="Najaf meeting", date=datetime.date(2015, 6, 1), governorate=gov_a, agenda="Tents"
    )
    point = ActionPoint.objects.create(
        meeting=meeting, text="Count tents", owner=field_a, due_date=datetime.date(2015, 6, 3)
    )
    training = Training.objects.create(
        title="MCOF",
        start_date=datetime.date(2015, 6, 8),
        end_date=datetime.date(2015, 6, 9),
        place="Najaf",
        governorate=gov_a,
        organiser=orgs["IOM"],
    )
    person = Participant.objects.create(
        training=training,
        name="Official",
        name_ar="موظف",
        organisation=orgs["MoMD"],
        governorate=gov_a,
        sex="m",
    )
    for day in training.days():
        person.attendance.create(day=day)
    contact = Contact.objects.create(
        name="Focal", organisation=orgs["NRC"], governorate=gov_a, phone="0780"
    )
    return {
        "plan": plan,
        "meeting": meeting,
        "point": point,
        "training": training,
        "person": person,
        "contact": contact,
    }


def urls(w):
    return {
        "/coordination/": 200,
        "/coordination/4w/new/": 200,
        "/coordination/4w/import/": 200,
        "/coordination/4w/export/?format=hxl": 200,
        "/coordination/4w/matrix/": 200,
        "/coordination/4w/matrix/?view=organisations": 200,
        "/coordination/4w/map/": 200,
        "/coordination/4w/map.geojson": 200,
        "/coordination/4w/overlaps/": 200,
        "/coordination/plans/": 200,
        f"/coordination/plans/{w['plan'].pk}/": 200,
        "/coordination/meetings/": 200,
        f"/coordination/meetings/{w['meeting'].pk}/": 200,
        f"/coordination/meetings/{w['meeting'].pk}/minutes.pdf": 200,
        "/coordination/contacts/": 200,
        "/coordination/trainings/": 200,
        f"/coordination/trainings/{w['training'].pk}/": 200,
        f"/coordination/trainings/{w['training'].pk}/participants/new/": 200,
        f"/coordination/participants/{w['person'].pk}/certificate.pdf": 200,
        "/coordination/trainings/statistics/": 200,
        "/coordination/export/trainings/": 200,
        "/coordination/export/meetings/?format=xlsx": 200,
        "/coordination/plans/new/": 200,
        "/coordination/meetings/new/": 200,
        "/coordination/trainings/new/": 200,
        "/coordination/contacts/new/": 200,
    }


NOT_COORDINATOR = {
    "plans/new/": 403,
    "meetings/new/": 403,
    "trainings/new/": 403,
    "contacts/new/": 403,
}
# What differs from 200 per persona: outsiders get 404 for records of governorate A,
# partners and field users may not keep plans, meetings, trainings, contacts.
REFUSED = {
    "officer_b": {
        "plans/{plan}/": 404,
        "meetings/{meeting}/": 404,
        "meetings/{meeting}/minutes.pdf": 404,
        "trainings/{training}/": 404,
        "trainings/{training}/participants/new/": 404,
        "participants/{person}/certificate.pdf": 404,
    },
    "partner": {
        "meetings/{meeting}/": 404,
        "meetings/{meeting}/minutes.pdf": 404,
        "trainings/{training}/participants/new/": 403,
        "participants/{person}/certificate.pdf": 404,
        **NOT_COORDINATOR,
    },
    # Field staff without the personal-data permission get no participant's certificate.
    "field_a": {
        "trainings/{training}/participants/new/": 403,
        "participants/{person}/certificate.pdf": 403,
        **NOT_COORDINATOR,
    },
}


FIXTURES = {
    "national": "national_user",
    "officer_a": "officer_a",
    "officer_b": "officer_b",
    "field_a": "field_a",
    "partner": "partner",
}


@pytest.mark.parametrize("persona", list(FIXTURES))
def test_every_page_answers_each_persona_as_the_policy_says(client, request, world, persona):
    client.force_login(request.getfixturevalue(FIXTURES[persona]))
    expected = urls(world)
    for pattern, status in REFUSED.get(persona, {}).items():
        expected["/coordination/" + pattern.format(**{k: v.pk for k, v in world.items()})] = status
    got = {url: client.get(url).status_code for url in expected}
    assert got == expected


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in urls(world):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pages_render_in_arabic(client, officer_a, world):
    client.cookies["django_language"] = "ar"
    client.force_login(officer_a)
    page = client.get("/coordination/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page
    # the glossary's terms, and no English label left behind
    assert "من يفعل ماذا وأين ومتى" in page and "المحافظة" in page
    assert ">Governorate<" not in page and "4W list" not in page
    # places are offered by their Arabic names
    form = client.get("/coordination/4w/new/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f">{officer_a.governorates.get().name_ar}</option>" in form


def test_the_activity_list_makes_the_same_queries_for_more_rows(
    client, officer_a, world, make_activity, location_a, django_assert_num_queries
):
    client.force_login(officer_a)
    client.get("/coordination/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/coordination/")
    for _ in range(15):
        make_activity(location=location_a, org="IOM", men=1)
    with django_assert_num_queries(len(few)):
        client.get("/coordination/")


def test_an_overdue_action_point_stands_out(client, field_a, world):
    client.force_login(field_a)
    page = client.get(f"/coordination/meetings/{world['meeting'].pk}/").content.decode()
    assert world["point"].due_date < timezone.localdate()
    assert "table-danger" in page and "overdue" in page


def test_the_owner_closes_an_action_point_they_cannot_otherwise_reach(client, partner, world):
    point = world["point"]
    point.owner = partner
    point.save()
    client.force_login(partner)
    response = client.post(
        f"/coordination/action-points/{point.pk}/status/",
        {"status": "done", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    point.refresh_from_db()
    assert point.status == "done"
