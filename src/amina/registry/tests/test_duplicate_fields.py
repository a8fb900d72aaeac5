"""What a reviewer and an API client read about a duplicate pair: the fields that agree
or disagree as labels in the reader's language (never the stored codes), and the kind of
pair (same head, or the same family under another head) in the API, described in the
OpenAPI document."""

import pytest
from django.urls import reverse

from amina.registry.models import DuplicateCandidate, Household
from amina.registry.services import ordered
from amina.registry.views import field_labels

pytestmark = pytest.mark.django_db

RAW_CODES = ("first_name", "dob", "document_number", "children_father", "mystery_code")


def pair(first, second, **values):
    a, b = ordered(first.pk, second.pk)
    return DuplicateCandidate.objects.create(
        household_a_id=a,
        household_b_id=b,
        governorate_id=Household.objects.get(pk=a).governorate_id,
        probability=0.95,
        cluster=1,
        **values,
    )


@pytest.fixture
def twin(register, location_a):
    return register(location_a, first="احمد", document="", phone="07701234500")


@pytest.fixture
def coded(household_a, twin):
    """A pair whose fields are stored as codes, today's and those of older rows."""
    return pair(
        household_a,
        twin,
        agreeing=["first", "first_name", "dob", "children_father"],
        disagreeing=["document_number", "mystery_code"],
    )


def candidates_table(client, language="en") -> str:
    client.cookies["django_language"] = language
    body = client.get(reverse("registry:duplicates"), HTTP_ACCEPT_LANGUAGE=language)
    return body.content.decode().split('data-testid="candidates"')[1].split("</table>")[0]


def test_the_duplicates_list_shows_field_labels_and_never_the_stored_codes(
    client, officer_a, coded
):
    client.force_login(officer_a)
    table = candidates_table(client)
    for code in RAW_CODES:
        assert code not in table
    # "first" and "first_name" are one field: named once.
    assert table.count("first name") == 1
    for label in ("date of birth", "the children&#x27;s father is the other head"):
        assert label in table
    assert "document number" in table and "another field" in table


@pytest.mark.parametrize(
    ("language", "first_name", "birth_date"),
    [("ar", "الاسم الأول", "تاريخ الميلاد"), ("ckb", "ناوی یەکەم", "بەرواری لەدایکبوون")],
)
def test_the_duplicates_list_names_the_fields_in_arabic_and_kurdish(
    client, officer_a, coded, language, first_name, birth_date
):
    client.force_login(officer_a)
    table = candidates_table(client, language)
    assert first_name in table and birth_date in table
    assert "first name" not in table
    for code in RAW_CODES:
        assert code not in table


def test_the_review_page_names_the_fields_the_same_way(client, officer_a, coded):
    client.force_login(officer_a)
    body = client.get(reverse("registry:duplicate", args=[coded.pk])).content.decode()
    reasons = body.split('data-testid="reasons"')[1].split("</p>")[0]
    assert "first name" in reasons and "date of birth" in reasons
    for code in RAW_CODES:
        assert code not in reasons


def test_a_field_without_a_label_reads_another_field_once():
    assert field_labels(["mystery", "other_mystery", "phone"]) == ["another field", "phone"]
    assert field_labels([]) == [] and field_labels(None) == []


def test_the_api_tells_a_pair_of_the_same_head_from_one_of_another_head(
    api_client, officer_a, household_a, twin, register, location_a
):
    wife = register(location_a, first="فاطمة", sex="female", document="", phone="")
    same = pair(household_a, twin, agreeing=["first"])
    other = pair(household_a, wife, kind=DuplicateCandidate.Kind.OTHER_HEAD, agreeing=["children"])
    api_client.force_authenticate(officer_a)
    rows = api_client.get("/api/v1/registry/duplicates/").json()["results"]
    assert {r["id"]: r["kind"] for r in rows} == {same.pk: "same_head", other.pk: "other_head"}
    detail = api_client.get(f"/api/v1/registry/duplicates/{other.pk}/").json()
    assert detail["kind"] == "other_head"


def test_the_openapi_document_says_what_each_kind_of_pair_means(api_client, national_user):
    api_client.force_authenticate(national_user)
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    kind = schema["components"]["schemas"]["Duplicate"]["properties"]["kind"]
    assert kind["readOnly"] is True
    for words in ("same_head", "one person", "other_head", "share of children in common"):
        assert words in kind["description"]
