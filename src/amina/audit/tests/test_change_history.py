"""The audit trail: who changed what and when, kept after the actor is gone; who read data."""

import pytest

from amina.accounts.models import User
from amina.accounts.services import create_user, update_user_scope
from amina.audit.models import AccessLog, ChangeLog
from amina.audit.services import log_access
from amina.geo.gazetteer import Gazetteer
from amina.geo.models import Governorate, Location, PlaceAlias

GOOD = "a-long-passphrase-2015"


def test_creating_and_changing_a_user_writes_the_history_with_the_actors_name(
    admin_user, gov_a, gov_b
):
    user = create_user(admin_user, "noor", role="field", password=GOOD, governorates=[gov_a])
    created = ChangeLog.objects.get(model="accounts.user", object_id=str(user.pk), action="create")
    assert created.actor_name == "admin1" and created.actor_id == admin_user.pk
    assert created.diff["governorates"] == [None, ["IQG04"]]
    update_user_scope(admin_user, user, governorates=[gov_b], personal_data=True)
    changed = ChangeLog.objects.get(model="accounts.user", object_id=str(user.pk), action="update")
    assert changed.diff == {
        "can_view_personal_data": [False, True],
        "governorates": [["IQG04"], ["IQG09"]],
    }
    assert "password" not in str(ChangeLog.objects.values_list("diff", flat=True)[::1])


def test_the_history_survives_deleting_the_user_who_made_it(admin_user, gov_a):
    actor = create_user(admin_user, "temp", role="national", password=GOOD)
    update_user_scope(actor, User.objects.get(username="admin1"), personal_data=True)
    actor.delete()
    row = ChangeLog.objects.get(model="accounts.user", action="update")
    assert row.actor_name == "temp" and row.actor_id is not None


def test_a_place_changed_through_the_admin_is_in_the_history(client, admin_user, location_a):
    client.force_login(admin_user)
    url = f"/admin/geo/location/{location_a.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(
        {
            "name_en": "Hay Al-Nour One",
            "centroid_lat": "٣٢٫٥",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": "Nour One",
            "aliases-0-source": "user",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    location_a.refresh_from_db()
    assert location_a.name_en == "Hay Al-Nour One" and location_a.centroid_lat == 32.5
    row = ChangeLog.objects.get(model="geo.location", object_id=str(location_a.pk))
    assert row.actor_name == "admin1" and row.action == "update"
    assert row.diff["name_en"] == ["Hay Al-Nour 1", "Hay Al-Nour One"]
    assert row.diff["centroid_lat"] == [32.0, 32.5]
    alias = ChangeLog.objects.get(model="geo.placealias", action="create")
    assert alias.object_repr == "Nour One"


def test_an_admin_adds_halabja_with_its_spellings_and_the_gazetteer_knows_it(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/geo/governorate/add/",
        {
            "name_en": "Halabja",
            "name_ar": "حلبجة",
            "pcode": "IQG19",
            "iso_code": "",
            "pcode_2014": "",
            "name_dtm": "Halabja",
            "kurdistan_region": "on",
            "centroid_lat": "35.18",
            "centroid_lon": "45.98",
            "aliases-TOTAL_FORMS": "2",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
            "aliases-0-name": "Helebce",
            "aliases-0-source": "user",
            "aliases-1-name": "Halabjah",
            "aliases-1-source": "user",
        },
    )
    assert response.status_code == 302
    halabja = Governorate.objects.get(pcode="IQG19")
    assert halabja.iso_code is None and halabja.pcode_2014 is None  # empty, not ""
    assert PlaceAlias.objects.filter(governorate=halabja).count() == 2
    assert Gazetteer().governorate("Helebce").place == halabja
    assert ChangeLog.objects.filter(
        model="geo.governorate", action="create", actor_name="admin1"
    ).exists()
    # A second governorate without ISO or 2014 codes does not collide on empty values.
    response = client.post(
        "/admin/geo/governorate/add/",
        {
            "name_en": "Test",
            "pcode": "IQG20",
            "iso_code": "",
            "pcode_2014": "",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302


def test_a_user_changed_through_the_admin_is_in_the_history_without_the_password_hash(
    client, admin_user, officer_a
):
    client.force_login(admin_user)
    url = f"/admin/accounts/user/{officer_a.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("last_login",)}
    data["governorates"] = [g.pk for g in officer_a.governorates.all()] + [
        Governorate.objects.get(pcode="IQG09").pk
    ]
    data["groups"], data["user_permissions"] = [], []
    data["date_joined_0"], data["date_joined_1"] = "2025-01-01", "10:00:00"
    data["can_view_personal_data"] = ""
    data.pop("date_joined", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = ChangeLog.objects.get(model="accounts.user", object_id=str(officer_a.pk), action="update")
    assert row.diff["governorates"][1] == sorted(row.diff["governorates"][1])
    assert len(row.diff["governorates"][1]) == 2
    assert row.diff["can_view_personal_data"] == [True, False]
    assert "password" not in row.diff


def test_reading_personal_data_is_logged_with_its_purpose(officer_a, location_a):
    log_access(
        officer_a,
        Location,
        [location_a.pk, 7],
        "export",
        purpose="distribution list",
        channel="api",
    )
    row = AccessLog.objects.get()
    assert (row.actor_name, row.action, row.model, row.count) == (
        "officer_a",
        "export",
        "geo.location",
        2,
    )
    assert row.object_ids == [str(location_a.pk), "7"] and row.purpose == "distribution list"


@pytest.mark.parametrize(
    "persona,status",
    [("admin_user", 200), ("national_user", 200), ("officer_a", 403), ("partner", 403)],
)
def test_the_history_pages_are_for_admins_and_national_coordination(
    client, request, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/audit/changes/").status_code == status


def test_the_history_page_takes_a_fixed_number_of_queries(
    client, admin_user, gov_a, django_assert_max_num_queries
):
    for i in range(40):
        create_user(admin_user, f"user{i}", role="field", password=GOOD, governorates=[gov_a])
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        page = client.get("/audit/changes/")
    assert page.status_code == 200 and "user39" in page.content.decode()
