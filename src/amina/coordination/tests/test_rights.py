"""Partners report only their own organisation's 4W; contacts' phones are personal data."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from amina.audit.models import AccessLog
from amina.coordination.models import Activity, Contact
from amina.coordination.services.activities import save_activity

pytestmark = pytest.mark.django_db


def test_a_partner_cannot_edit_another_organisations_activity(
    nrc_partner, make_activity, location_a, orgs
):
    theirs = make_activity(org="DRC", location=location_a)
    theirs.women = 500
    with pytest.raises(PermissionDenied):
        save_activity(nrc_partner, theirs)
    theirs.refresh_from_db()
    assert theirs.women == 0


def test_a_partner_cannot_hand_its_activity_to_another_organisation(
    nrc_partner, make_activity, location_a, orgs
):
    own = make_activity(org="NRC", governorate=location_a.governorate)
    own.organisation = orgs["DRC"]
    with pytest.raises(PermissionDenied):
        save_activity(nrc_partner, own)
    assert Activity.objects.get(pk=own.pk).organisation == orgs["NRC"]


def test_a_partner_edits_its_own_and_the_edit_is_audited(nrc_partner, make_activity, location_a):
    from amina.audit.models import ChangeLog

    own = make_activity(org="NRC", governorate=location_a.governorate)
    own.men = 7
    save_activity(nrc_partner, own)
    assert Activity.objects.get(pk=own.pk).people_reached == 7
    assert ChangeLog.objects.filter(model="coordination.activity", action="update").exists()


def test_the_edit_page_and_the_api_refuse_another_organisations_activity(
    client, api_client, nrc_partner, make_activity, location_a
):
    theirs = make_activity(org="DRC", governorate=location_a.governorate)
    client.force_login(nrc_partner)
    assert client.get(f"/coordination/4w/{theirs.pk}/").status_code == 403
    assert client.post(f"/coordination/4w/{theirs.pk}/", {}).status_code == 403
    api_client.force_authenticate(nrc_partner)
    response = api_client.patch(
        f"/api/v1/coordination/activities/{theirs.pk}/", {"men": 5}, format="json"
    )
    assert response.status_code == 403
    assert Activity.objects.get(pk=theirs.pk).men == 0


def test_a_partner_reports_through_the_api_for_its_organisation_only(
    api_client, nrc_partner, orgs, gov_a
):
    api_client.force_authenticate(nrc_partner)
    body = {
        "organisation": orgs["NRC"].pk,
        "sector": 2,
        "activity_type": "Blankets",
        "governorate": gov_a.pcode,
        "start_date": "2015-06-01",
        "status": "ongoing",
        "women": 3,
        "girls": 2,
    }
    created = api_client.post("/api/v1/coordination/activities/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["people_reached"] == 5
    refused = api_client.post(
        "/api/v1/coordination/activities/", {**body, "organisation": orgs["DRC"].pk}, format="json"
    )
    assert refused.status_code == 403
    assert Activity.objects.count() == 1


def test_an_officer_cannot_report_in_another_governorate(officer_a, orgs, sector, gov_b):
    activity = Activity(
        organisation=orgs["NRC"],
        sector=sector(2),
        activity_type="x",
        governorate=gov_b,
        start_date=datetime.date(2015, 6, 1),
    )
    with pytest.raises(PermissionDenied):
        save_activity(officer_a, activity)


@pytest.fixture
def contacts(orgs, gov_a, gov_b):
    return [
        Contact.objects.create(
            name="Focal A",
            organisation=orgs["NRC"],
            governorate=gov_a,
            phone="+964 780 123 4567",
            email="a@nrc.example",
        ),
        Contact.objects.create(
            name="Focal B",
            organisation=orgs["DRC"],
            governorate=gov_b,
            phone="+964 750 999 8888",
            email="b@drc.example",
        ),
        Contact.objects.create(
            name="Focal national", organisation=orgs["IOM"], phone="+964 770 000 1111"
        ),
    ]


def test_contacts_phones_are_masked_without_the_personal_data_permission(client, field_a, contacts):
    client.force_login(field_a)
    page = client.get("/coordination/contacts/").content.decode()
    assert "Focal A" in page and "Focal national" in page and "Focal B" not in page
    assert "••67" in page and "780 123" not in page and "a@nrc.example" not in page
    assert not AccessLog.objects.exists()


def test_contacts_phones_are_shown_and_logged_with_the_permission(client, officer_a, contacts):
    client.force_login(officer_a)
    page = client.get("/coordination/contacts/").content.decode()
    assert "+964 780 123 4567" in page
    log = AccessLog.objects.get()
    assert log.model == "coordination.contact" and log.count == 2


def test_the_contacts_api_masks_for_partners(api_client, partner, contacts):
    api_client.force_authenticate(partner)
    rows = api_client.get("/api/v1/coordination/contacts/").json()["results"]
    assert {r["name"] for r in rows} == {"Focal A", "Focal B", "Focal national"}
    assert all("•" in r["phone"] and "@" in r["email"] or not r["email"] for r in rows)
    assert "+964" not in str(rows)
