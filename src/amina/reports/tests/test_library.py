"""The library: partners browse published products by governorate, sector and date."""

import pytest
from django.urls import reverse

from amina.reports import services
from amina.reports.models import Publication

pytestmark = pytest.mark.django_db


def product(user, gov, title: str, date="2015-06-01"):
    """A small published product (a map): the library does not care what the file holds."""
    return services.publish_file(
        user,
        kind="map",
        title=title,
        content=b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        filename="map.svg",
        content_type="image/svg+xml",
        governorates=[gov],
        date=date,
    )


@pytest.fixture
def published(displacement, officer_a, officer_b, gov_a, gov_b):
    draft = services.create_report(
        officer_a, round_code="R1", governorates=[gov_a], title="Najaf draft"
    )
    return {
        "a": product(officer_a, gov_a, "Najaf flash"),
        "b": product(officer_b, gov_b, "Duhok flash"),
        "draft": draft,
    }


def titles(response) -> list[str]:
    return [p.title for p in response.context["page"]]


def test_a_partner_sees_published_products_and_no_draft(client, partner, published):
    client.force_login(partner)
    response = client.get(reverse("reports:library"))
    assert sorted(titles(response)) == ["Duhok flash", "Najaf flash"]  # not the draft
    assert client.get(reverse("reports:report-list")).status_code == 403
    draft = reverse("reports:report-edit", args=[published["draft"].pk])
    assert client.get(draft).status_code == 404


def test_the_library_filters_by_governorate_and_date(client, partner, published, gov_a, officer_a):
    product(officer_a, gov_a, "Najaf later", date="2015-08-01")
    client.force_login(partner)
    by_gov = titles(client.get(reverse("reports:library"), {"governorate": gov_a.pk}))
    assert sorted(by_gov) == ["Najaf flash", "Najaf later"]
    assert titles(client.get(reverse("reports:library"), {"since": "2015-07-01"})) == [
        "Najaf later"
    ]
    assert len(titles(client.get(reverse("reports:library"), {"until": "2015-06-30"}))) == 2


def test_an_officer_sees_products_of_their_governorate_only(client, officer_b, published):
    client.force_login(officer_b)
    assert titles(client.get(reverse("reports:library"))) == ["Duhok flash"]
    other = published["a"]
    assert client.get(reverse("reports:publication-download", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("reports:report-edit", args=[published["draft"].pk])).status_code == 404
    )


def test_a_partner_downloads_the_frozen_pdf_and_sees_its_versions(
    client, partner, displacement, officer_a, gov_a
):
    report = services.create_report(officer_a, round_code="R2", governorates=[gov_a], title="Najaf")
    first = services.publish_report(officer_a, report)
    services.publish_report(officer_a, report)
    client.force_login(partner)
    assert [p.title for p in client.get(reverse("reports:library")).context["page"]] == [
        "Najaf",
        "Najaf",
    ]
    response = client.get(reverse("reports:publication-download", args=[first.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(Publication.objects.get(pk=first.pk).content)
    detail = client.get(reverse("reports:publication-detail", args=[first.pk]))
    assert [v.version for v in detail.context["versions"]] == [2, 1]


def test_the_library_list_costs_the_same_queries_for_more_products(
    client, partner, published, django_assert_max_num_queries
):
    client.force_login(partner)
    client.get(reverse("reports:library"))
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:library"))


def test_anonymous_visitors_are_sent_to_log_in(client, published):
    response = client.get(reverse("reports:library"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_library_reads_in_arabic(client, partner, published):
    client.force_login(partner)
    client.cookies["django_language"] = "ar"
    response = client.get(reverse("reports:library"))
    assert "مكتبة المنتجات المنشورة" in response.content.decode()
