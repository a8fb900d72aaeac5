"""The field form: one location's figures for a round, impossible entries refused."""

import pytest
from django.urls import reverse

from amina.audit.models import ChangeLog
from amina.geo.models import Location
from amina.tracking.models import AssessmentOrigin, AssessmentShelter, LocationAssessment

pytestmark = pytest.mark.django_db
URL = reverse("tracking:assessment-new")


def post(client, user, **data):
    client.force_login(user)
    base = {
        "round": data.pop("round_").pk,
        "date": "2015-06-05",
        "families": "10",
        "individuals": "",
        "returnee_families": "0",
        "key_informant": "mukhtar",
    }
    base.update({k: str(v) for k, v in data.items()})
    return client.post(URL, base)


def test_a_field_user_records_an_assessment_with_breakdowns(
    client, field_a, round_b, location_a, gov_b
):
    response = post(
        client,
        field_a,
        round_=round_b,
        location=location_a.pk,
        families="١٢",
        individuals="72",
        **{
            "origin_IQG09": 12,
            "shelter_camp": 5,
            "shelter_rented_houses": 7,
            "period_august_2014": 12,
        },
    )
    a = LocationAssessment.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "tracking:assessment", args=[a.pk]
    )
    assert (a.families, a.individuals, a.created_by, a.source) == (12, 72, field_a, "form")
    assert AssessmentOrigin.objects.get().governorate == gov_b
    assert sorted(AssessmentShelter.objects.values_list("families", flat=True)) == [5, 7]
    assert ChangeLog.objects.filter(model="tracking.locationassessment", action="create").exists()


def test_individuals_default_to_families_times_the_multiplier(client, field_a, round_b, location_a):
    post(client, field_a, round_=round_b, location=location_a.pk, families=10)
    assert LocationAssessment.objects.get().individuals == 60


@pytest.mark.parametrize(
    "fields,error",
    [
        ({"families": 10, "individuals": 9}, "cannot be fewer than families"),
        ({"families": 10, "individuals": 300}, "is not plausible"),
        ({"families": 10, "shelter_camp": 4}, "adds up to 4, not the 10 families"),
        ({"families": 10, "origin_IQG01": 12, "partial": "on"}, "is more than the 10 families"),
        ({"families": -1}, "greater than or equal to 0"),
        ({"families": "many"}, "Enter a whole number"),
    ],
)
def test_impossible_entries_are_refused_with_a_reason(
    client, field_a, round_b, location_a, fields, error
):
    response = post(client, field_a, round_=round_b, location=location_a.pk, **fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not LocationAssessment.objects.exists()


def test_a_partial_breakdown_below_the_total_is_accepted(client, field_a, round_b, location_a):
    post(
        client,
        field_a,
        round_=round_b,
        location=location_a.pk,
        families=10,
        shelter_camp=4,
        partial="on",
    )
    assert LocationAssessment.objects.get().partial


def test_a_second_assessment_of_a_location_in_a_round_is_refused(
    client, field_a, round_b, location_a
):
    post(client, field_a, round_=round_b, location=location_a.pk)
    response = post(client, field_a, round_=round_b, location=location_a.pk)
    assert "was already assessed in round R2" in response.content.decode()
    assert LocationAssessment.objects.count() == 1


def test_a_new_location_is_placed_in_the_district_of_the_nearest_centre(
    client, field_a, round_b, gov_a
):
    district = gov_a.districts.exclude(centroid_lat=None).first()
    response = post(
        client,
        field_a,
        round_=round_b,
        location="",
        new_name_en="Hay Jadid",
        new_name_ar="حي جديد",
        latitude=district.centroid_lat + 0.01,
        longitude=district.centroid_lon - 0.01,
        follow=None,
    )
    assert response.status_code == 302
    loc = Location.objects.get(name_en="Hay Jadid")
    assert (loc.governorate, loc.district) == (gov_a, district)
    page = client.get(response.url).content.decode()
    assert "nearest district centre" in page


def test_a_new_location_outside_the_users_governorates_is_refused(client, field_a, round_b, gov_b):
    district = gov_b.districts.exclude(centroid_lat=None).first()
    response = post(
        client,
        field_a,
        round_=round_b,
        location="",
        new_name_en="Elsewhere",
        latitude=district.centroid_lat,
        longitude=district.centroid_lon,
    )
    assert "outside your governorates" in response.content.decode()
    assert not Location.objects.filter(name_en="Elsewhere").exists()


def test_a_location_of_another_governorate_cannot_be_picked(client, field_a, round_b, location_b):
    response = post(client, field_a, round_=round_b, location=location_b.pk)
    assert response.status_code == 200 and not LocationAssessment.objects.exists()


def test_partners_and_logistics_officers_cannot_enter_figures(client, partner, logistics_a):
    for user in (partner, logistics_a):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_the_form_is_translated_into_arabic(client, field_a, round_b):
    client.force_login(field_a)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and "العوائل النازحة" in page
