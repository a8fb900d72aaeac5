"""The API is scoped as the pages are; exports write HXL that the importer reads back."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from amina.audit.models import AccessLog
from amina.coordination.models import Activity, Meeting, Participant, Training
from amina.coordination.services.imports import import_activities

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_governorates(make_activity, location_a, location_b, orgs, gov_a, gov_b, field_a):
    make_activity(location=location_a, women=5)
    make_activity(org="DRC", location=location_b, men=7, girls=2)
    for gov in (gov_a, gov_b):
        t = Training.objects.create(
            title=f"T {gov.pcode}",
            start_date=datetime.date(2015, 6, 8),
            end_date=datetime.date(2015, 6, 9),
            place="x",
            governorate=gov,
            organiser=orgs["IOM"],
        )
        Participant.objects.create(
            training=t,
            name=f"P {gov.pcode}",
            organisation=orgs["MoMD"],
            governorate=gov,
            sex="f",
            pre_score=40,
            post_score=70,
        )
        Meeting.objects.create(
            title=f"M {gov.pcode}", date=datetime.date(2015, 6, 1), governorate=gov
        )


def _results(api_client, user, route):
    api_client.force_authenticate(user)
    response = api_client.get(f"/api/v1/coordination/{route}/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_officers_read_only_their_governorates_records(
    api_client, officer_a, two_governorates, gov_a
):
    for route in ("activities", "trainings", "meetings", "participants"):
        rows = _results(api_client, officer_a, route)
        assert len(rows) == 1, route
    assert AccessLog.objects.filter(model="coordination.participant", channel="api").exists()


def test_partners_read_the_4w_and_trainings_but_no_people_or_meetings(
    api_client, partner, two_governorates
):
    assert len(_results(api_client, partner, "activities")) == 2
    assert len(_results(api_client, partner, "trainings")) == 2
    assert _results(api_client, partner, "participants") == []
    assert _results(api_client, partner, "meetings") == []


def test_the_activity_list_api_makes_a_fixed_number_of_queries(
    api_client, officer_a, make_activity, location_a, django_assert_num_queries
):
    api_client.force_authenticate(officer_a)
    make_activity(location=location_a)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api_client.get("/api/v1/coordination/activities/")
    with CaptureQueriesContext(connection) as few:
        api_client.get("/api/v1/coordination/activities/")
    for _ in range(10):
        make_activity(location=location_a, org="IOM")
    with django_assert_num_queries(len(few)):
        api_client.get("/api/v1/coordination/activities/")


def test_an_hxl_export_imports_back_to_the_same_figures(two_governorates, admin_user, tmp_path):
    path = tmp_path / "4w.csv"
    call_command("export", "activities", "--format", "hxl", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("#org,#org+acronym,#sector+code")
    before = sorted(
        Activity.objects.values_list(
            "organisation", "governorate", "people_reached", "girls", "men", "women"
        )
    )

    result = import_activities(admin_user, path)

    assert result.hxl and (result.created, result.updated) == (0, 2)
    after = sorted(
        Activity.objects.values_list(
            "organisation", "governorate", "people_reached", "girls", "men", "women"
        )
    )
    assert after == before


def test_training_and_meeting_exports_carry_no_participant_names(two_governorates, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "trainings.xlsx"
    call_command("export", "trainings", "--format", "xlsx", "-o", str(path))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert "#activity+training" in rows[1] and len(rows) == 4
    assert "P IQG04" not in str(rows)
    assert rows[2][rows[0].index("Mean gain (points of 100)")] == 30

    out = tmp_path / "meetings.csv"
    call_command("export", "meetings", "--format", "csv", "--governorate", "IQG04", "-o", str(out))
    assert out.read_text(encoding="utf-8-sig").count("\n") == 2


def test_an_unknown_governorate_in_an_export_is_one_clear_error(two_governorates):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="unknown governorate 'Atlantis'"):
        call_command("export", "activities", "--governorate", "Atlantis", stdout=io.StringIO())


def test_participants_need_the_personal_data_permission_even_in_scope(
    api_client, client, field_a, officer_a, two_governorates
):
    assert not field_a.can_view_personal_data and officer_a.can_view_personal_data
    assert _results(api_client, field_a, "participants") == []
    training = Training.objects.get(governorate__in=field_a.governorates.all())
    person = training.participants.get()
    client.force_login(field_a)
    page = client.get(reverse("coordination:training-detail", args=[training.pk])).content.decode()
    assert 'data-testid="participants"' not in page and person.name not in page
    assert client.get(reverse("coordination:certificate", args=[person.pk])).status_code == 403
    client.force_login(officer_a)
    page = client.get(reverse("coordination:training-detail", args=[training.pk])).content.decode()
    assert 'data-testid="participants"' in page and person.name in page
