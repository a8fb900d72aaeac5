"""The forms and uploads a person uses, the minutes PDF, and the database's own checks."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from amina.coordination.models import Activity, Meeting

pytestmark = pytest.mark.django_db


def test_a_partner_reports_an_activity_through_the_form(client, nrc_partner, orgs, gov_a):
    client.force_login(nrc_partner)
    response = client.post(
        "/coordination/4w/new/",
        {
            "organisation": orgs["NRC"].pk,
            "sector": "",
            "activity_type": "Blankets",
            "governorate": gov_a.pk,
            "start_date": "2015-06-01",
            "status": "ongoing",
            "girls": "٣",
            "boys": "0",
            "women": "5",
            "men": "0",
            "elderly_women": "0",
            "elderly_men": "0",
            "female_other": "0",
            "male_other": "0",
            "reached_other": "0",
        },
    )
    assert response.status_code == 200 and not Activity.objects.exists()  # sector missing

    from amina.needs.models import Sector

    response = client.post(
        "/coordination/4w/new/",
        {
            "organisation": orgs["NRC"].pk,
            "sector": Sector.objects.get(code=2).pk,
            "activity_type": "Blankets",
            "governorate": gov_a.pk,
            "start_date": "2015-06-01",
            "status": "ongoing",
            "girls": "٣",
            "boys": "0",
            "women": "5",
            "men": "0",
            "elderly_women": "0",
            "elderly_men": "0",
            "female_other": "0",
            "male_other": "0",
            "reached_other": "0",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.girls, activity.people_reached, activity.reported_by) == (3, 8, nrc_partner)


def test_the_form_offers_a_partner_only_its_own_organisation(client, nrc_partner, orgs):
    client.force_login(nrc_partner)
    page = client.get("/coordination/4w/new/").content.decode()
    assert "NRC" in page and ">DRC<" not in page


def test_an_uploaded_sheet_with_problems_shows_them_and_imports_nothing(
    client, officer_a, location_a, orgs, settings, tmp_path
):
    from amina.jobs.models import Job
    from amina.jobs.services import execute

    settings.MEDIA_ROOT = tmp_path
    sheet = (
        "Organisation,Sector,Activity,Governorate,Start date,Women\n"
        "NRC,2,Kits,Najaf,2015-06-01,12\n"
        "NRC,2,Kits,Najaf,someday,12\n"
    )
    client.force_login(officer_a)
    response = client.post(
        "/coordination/4w/import/",
        {"file": SimpleUploadedFile("4w.csv", sheet.encode(), "text/csv")},
    )
    job = execute(Job.objects.get())
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert job.status == "failed" and 'data-testid="job-failure"' in page
    assert "row 3, column &#x27;Start date&#x27;" in page and "is not a date" in page
    assert not Activity.objects.exists()

    good = sheet.splitlines()[0] + "\n" + sheet.splitlines()[1] + "\n"
    client.post(
        "/coordination/4w/import/",
        {"file": SimpleUploadedFile("4w.csv", good.encode(), "text/csv")},
    )
    job = execute(Job.objects.latest("pk"))
    assert job.status == "succeeded" and Activity.objects.get().women == 12


def test_the_database_refuses_a_total_that_is_not_the_sum(make_activity, location_a):
    activity = make_activity(location=location_a, women=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(people_reached=99)


def test_the_minutes_are_one_pdf_in_english_then_arabic(officer_a, field_a, gov_a, orgs):
    from pypdf import PdfReader

    from amina.coordination.pdf import minutes
    from amina.coordination.services.meetings import add_action_point

    meeting = Meeting.objects.create(
        title="Najaf coordination",
        date=datetime.date(2015, 6, 14),
        governorate=gov_a,
        agenda="Tents",
        decisions="توزيع الخيام",
    )
    meeting.organisations.set([orgs["IOM"]])
    add_action_point(officer_a, meeting, "Share the list", field_a, datetime.date(2015, 6, 18))

    reader = PdfReader(io.BytesIO(minutes(meeting)))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert len(reader.pages) == 2
    assert "Minutes: Najaf coordination" in reader.pages[0].extract_text()
    assert "محضر الاجتماع" in reader.pages[1].extract_text()
    assert "جدول الأعمال" in text and "توزيع الخيام" in text and "Share the list" in text
