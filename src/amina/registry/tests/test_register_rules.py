"""Registering any household on the form: a household of one, and field rules that fit
Iraq (Arabic names in Arabic letters, Iraqi mobile numbers, plausible ages and sizes), each
refusal named in a summary at the top of the page that links to its field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from amina.registry.forms import iraqi_mobile
from amina.registry.models import Household, Member
from amina.registry.tests.test_register import form_data

pytestmark = pytest.mark.django_db


def alone(location, **extra):
    """A man living alone: the head and no member block at all."""
    data = form_data(location, size="1")
    data["members-TOTAL_FORMS"] = "0"
    for key in [k for k in data if k.startswith("members-0-")]:
        del data[key]
    data.update(extra)
    return data


def refused(response) -> str:
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="error-summary"' in body
    return body


def test_a_man_living_alone_is_registered_as_a_household_of_one(client, field_a, location_a):
    client.force_login(field_a)
    response = client.get(reverse("registry:register"))
    assert 'name="members-0-first_name_ar"' not in response.content.decode()
    response = client.post(reverse("registry:register"), alone(location_a))
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.size == 1 and household.members.count() == 1


def test_a_member_block_left_empty_or_removed_adds_nobody(client, field_a, location_a):
    client.force_login(field_a)
    data = alone(location_a)
    data.update(
        {
            "members-TOTAL_FORMS": "2",
            # added, then left empty: the relationship starts blank, the document "none"
            "members-0-relationship": "",
            "members-0-document_type": "none",
            # added, half filled with a wrong year, then removed with its button
            "members-1-first_name_ar": "Huda",
            "members-1-birth_year": "1700",
            "members-1-DELETE": "on",
        }
    )
    response = client.post(reverse("registry:register"), data)
    assert response.status_code == 302
    assert Household.objects.get().members.count() == 1


@pytest.mark.parametrize(
    "typed",
    [
        "07701234567",
        "0770 123 4567",
        "0770-123-4567",
        "+964 770 123 4567",
        "009647701234567",
        "٠٧٧٠١٢٣٤٥٦٧",
        "+٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧",
    ],
)
def test_an_iraqi_mobile_number_is_stored_in_one_form_however_it_is_typed(typed):
    assert iraqi_mobile(typed) == "0770 123 4567"


def test_the_stored_phone_is_the_normalised_one(client, field_a, location_a):
    client.force_login(field_a)
    client.post(
        reverse("registry:register"), alone(location_a, **{"head-phone": "+964 799-154-8234"})
    )
    head = Member.objects.get()
    assert head.phone == "0799 154 8234" and head.key_phone == "07991548234"


@pytest.mark.parametrize(
    "typed", ["12345", "0770123456", "06701234567", "call me", "+1 555 123 4567"]
)
def test_it_refuses_a_phone_that_is_not_an_iraqi_mobile(client, field_a, location_a, typed):
    client.force_login(field_a)
    body = refused(
        client.post(reverse("registry:register"), alone(location_a, **{"head-phone": typed}))
    )
    assert 'href="#id_head-phone"' in body
    assert not Household.objects.exists()


def test_it_refuses_latin_letters_in_an_arabic_name_and_says_where_they_go(
    client, field_a, location_a
):
    client.force_login(field_a)
    data = alone(location_a, **{"head-first_name_ar": "Mustafa", "head-family_name_ar": "العزاوي2"})
    body = refused(client.post(reverse("registry:register"), data))
    assert 'href="#id_head-first_name_ar"' in body and 'href="#id_head-family_name_ar"' in body
    assert "Name in Latin letters" in body
    assert not Household.objects.exists()


def test_it_refuses_arabic_letters_in_the_latin_name(client, field_a, location_a):
    client.force_login(field_a)
    body = refused(
        client.post(reverse("registry:register"), alone(location_a, **{"head-name_latin": "مصطفى"}))
    )
    assert 'href="#id_head-name_latin"' in body


def test_it_refuses_a_birth_in_the_future_or_more_than_110_years_ago(client, field_a, location_a):
    client.force_login(field_a)
    today = timezone.localdate()
    future = (today + datetime.timedelta(days=3)).isoformat()
    body = refused(
        client.post(reverse("registry:register"), alone(location_a, **{"head-birth_date": future}))
    )
    assert "in the future" in body
    old = str(today.year - 111)
    body = refused(
        client.post(reverse("registry:register"), alone(location_a, **{"head-birth_year": old}))
    )
    assert "over 110 years old" in body and 'href="#id_head-birth_year"' in body
    assert not Household.objects.exists()


def test_it_flags_a_child_older_than_the_head(client, field_a, location_a):
    client.force_login(field_a)
    data = form_data(
        location_a,
        **{"members-0-relationship": "child", "members-0-birth_year": "1950"},  # head: 1961
    )
    body = refused(client.post(reverse("registry:register"), data))
    assert 'href="#id_members-0-birth_year"' in body and "check both years" in body
    assert not Household.objects.exists()


def test_it_refuses_more_than_30_people_with_the_reason(client, field_a, location_a):
    client.force_login(field_a)
    body = refused(client.post(reverse("registry:register"), alone(location_a, size="45")))
    assert "at most 30" in body and 'href="#id_size"' in body


def test_it_refuses_a_size_smaller_than_the_people_listed(client, field_a, location_a):
    client.force_login(field_a)
    body = refused(client.post(reverse("registry:register"), form_data(location_a, size="1")))
    assert "2 people are listed" in body
    assert not Household.objects.exists()


def test_the_summary_lists_every_problem_in_arabic(client, field_a, location_a):
    client.force_login(field_a)
    client.cookies["django_language"] = "ar"
    data = alone(location_a, **{"head-first_name_ar": "", "head-phone": "123", "consent": ""})
    body = refused(client.post(reverse("registry:register"), data, HTTP_ACCEPT_LANGUAGE="ar"))
    summary = body[
        body.index('data-testid="error-summary"') : body.index(
            "</ul>", body.index('data-testid="error-summary"')
        )
    ]
    assert summary.count("<li>") == 3
    for field in ("id_head-first_name_ar", "id_head-phone", "id_consent"):
        assert f'href="#{field}"' in summary
    assert "This field is required" not in summary and "هذا الحقل مطلوب" in summary
