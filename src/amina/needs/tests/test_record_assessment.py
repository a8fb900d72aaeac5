import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from amina.audit.models import ChangeLog
from amina.needs.models import NeedsAssessment
from amina.needs.services import AssessmentData, Priority, record_assessment

pytestmark = pytest.mark.django_db


def _post(location, **over):
    data = {
        "location": location.pk,
        "assessed_on": "٢٠١٥-٠٦-٠٤",
        "team": "RART 1",
        "key_informants_count": "٣",
        "key_informants_description": "mukhtar",
        "population_individuals": "١٬٢٠٠",
        "sev_2": "5",
        "sev_4": "3",
        "priority_1": "",
        "priority_2": "",
        "priority_3": "",
    }
    data.update(over)
    return data


def test_a_field_user_records_an_assessment_with_arabic_digits(
    client, field_a, location_a, sectors
):
    client.force_login(field_a)
    response = client.post(
        reverse("needs:assessment-create"),
        _post(
            location_a,
            priority_1=sectors[2].pk,
            priority_1_text="blankets",
            priority_2=sectors[4].pk,
        ),
    )
    assessment = NeedsAssessment.objects.get()
    assert response.status_code == 302 and response.url == assessment.get_absolute_url()
    assert assessment.assessed_on == datetime.date(2015, 6, 4)
    assert assessment.key_informants_count == 3 and assessment.population_individuals == 1200
    assert assessment.population_source == "team" and assessment.assessed_by == field_a
    assert dict(assessment.severities.values_list("sector__code", "severity")) == {2: 5, 4: 3}
    assert list(assessment.priorities.values_list("sector__code", "detail")) == [
        (2, "blankets"),
        (4, ""),
    ]
    assert ChangeLog.objects.filter(
        model="needs.needsassessment", action="create", actor_id=field_a.pk
    ).exists()


def test_it_refuses_the_same_sector_twice_among_priorities(client, field_a, location_a, sectors):
    client.force_login(field_a)
    response = client.post(
        reverse("needs:assessment-create"),
        _post(location_a, priority_1=sectors[2].pk, priority_2=sectors[2].pk),
    )
    assert response.status_code == 200
    assert "different sector" in response.content.decode()
    assert not NeedsAssessment.objects.exists()


def test_it_refuses_an_assessment_without_any_severity(client, field_a, location_a, sectors):
    client.force_login(field_a)
    response = client.post(
        reverse("needs:assessment-create"),
        _post(location_a, sev_2="", sev_4="", priority_1=sectors[2].pk),
    )
    assert response.status_code == 200
    assert not NeedsAssessment.objects.exists()


def test_it_refuses_a_date_in_the_future(field_a, location_a, sectors):
    data = AssessmentData(
        location=location_a,
        team="T",
        key_informants_count=1,
        assessed_on=timezone.localdate() + datetime.timedelta(days=2),
        severities={sectors[2]: 3},
        priorities=[Priority(sectors[2])],
    )
    with pytest.raises(ValidationError) as caught:
        record_assessment(field_a, data)
    assert "assessed_on" in caught.value.message_dict


def test_an_officer_cannot_record_in_another_governorate(client, officer_b, location_a, sectors):
    client.force_login(officer_b)
    response = client.post(
        reverse("needs:assessment-create"), _post(location_a, priority_1=sectors[2].pk)
    )
    assert response.status_code == 200  # the location is not among the choices
    assert not NeedsAssessment.objects.exists()
    data = AssessmentData(
        location=location_a,
        assessed_on=datetime.date(2015, 6, 1),
        team="T",
        key_informants_count=1,
        severities={sectors[2]: 3},
        priorities=[Priority(sectors[2])],
    )
    with pytest.raises(PermissionDenied):
        record_assessment(officer_b, data)


@pytest.mark.parametrize("persona", ["partner", "logistics_a"])
def test_roles_that_do_not_assess_are_refused_the_form(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("needs:assessment-create")).status_code == 403


def test_the_population_comes_from_the_latest_displacement_figure(
    client, field_a, location_a, sectors
):
    from amina.tracking.models import LocationAssessment, Round

    day = datetime.date(2015, 5, 31)
    rnd = Round.objects.create(code="R21", date=day, kind="idps")
    LocationAssessment.objects.create(
        round=rnd, location=location_a, date=day, families=400, individuals=2345
    )
    client.force_login(field_a)
    page = client.get(reverse("needs:assessment-create") + f"?location={location_a.pk}")
    assert "2,345" in page.content.decode() or "2345" in page.content.decode()
    client.post(
        reverse("needs:assessment-create"),
        _post(location_a, population_individuals="", priority_1=sectors[2].pk),
    )
    assessment = NeedsAssessment.objects.get()
    assert assessment.population_individuals == 2345
    assert assessment.population_source == "tracking"
    assert assessment.population_as_of == datetime.date(2015, 5, 31)


def test_the_form_page_explains_the_scale_in_arabic(client, field_a, location_a):
    client.force_login(field_a)
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("needs:assessment-create"), HTTP_ACCEPT_LANGUAGE="ar")
    text = page.content.decode()
    assert 'dir="rtl"' in text and "كارثية" in text and "انهيار تام للخدمات" in text
