"""The home dashboard: the key figures of the user's scope and their change."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def panel(response) -> dict:
    from amina.reports.dashboard import dashboard_panel

    [context] = [c for t, c in response.context["panels"] if t == "reports/_dashboard.html"]
    assert dashboard_panel  # the panel is registered through home_panel
    return context


def test_an_officer_sees_the_figures_of_their_governorate_and_the_change(
    client, officer_a, displacement
):
    client.force_login(officer_a)
    response = client.get(reverse("home"))
    f = panel(response)["f"]
    assert (f.scope.idp_families, f.scope.idp_individuals) == (150 + 65, 870 + 390)
    assert f.change_families == (150 + 65) - (120 + 40)
    assert [r.pcode for r in f.governorates] == ["IQG04"]
    html = response.content.decode()
    assert 'data-testid="kpi-idp-families"' in html and "215" in html
    assert "chart.umd.min.js" in html and "cdn" not in html.lower()


def test_a_national_user_sees_the_whole_country(client, national_user, displacement):
    client.force_login(national_user)
    f = panel(client.get(reverse("home")))["f"]
    assert f.national_scope and f.scope == f.national
    assert f.scope.idp_families == 150 + 65 + 910 + 48 + 280 + 3


def test_a_partner_sees_small_governorate_figures_withheld(client, partner, displacement):
    from amina.tracking.models import LocationAssessment

    LocationAssessment.objects.filter(
        round__code="R2", location__governorate__pcode="IQG01"
    ).update(families=1, individuals=6)
    client.force_login(partner)
    response = client.get(reverse("home"))
    assert "&lt;5" in response.content.decode()
    rows = panel(response)["f"].governorates
    withheld = {r.pcode for r in rows if r.shown_families is None}
    assert "IQG01" in withheld, "the small cell is withheld"
    assert len(withheld) >= 2, "a second cell is withheld, or the total would give it away"
    assert any(r.shown_families == r.now.idp_families for r in rows), "others are shown"


def test_the_figures_are_cached_per_scope(
    officer_a, officer_b, displacement, django_assert_num_queries
):
    from amina.reports.dashboard import dashboard_figures

    first = dashboard_figures(officer_a)
    with django_assert_num_queries(0):
        again = dashboard_figures(officer_a)
    assert again.pcodes == first.pcodes == ["IQG04"]
    assert dashboard_figures(officer_b).pcodes == ["IQG09"]


def test_the_figures_take_few_queries_however_many_locations(
    client, national_user, displacement, django_assert_max_num_queries
):
    client.force_login(national_user)
    with django_assert_max_num_queries(45):
        client.get(reverse("home"))


def test_before_any_round_it_says_so(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("home"))
    assert panel(response).get("no_round")
    assert "No assessment round has been recorded yet" in response.content.decode()


def test_the_dashboard_reads_in_arabic(client, officer_a, displacement):
    client.force_login(officer_a)
    client.cookies["django_language"] = "ar"
    html = client.get(reverse("home")).content.decode()
    assert 'lang="ar"' in html and "أهم الاحتياجات حسب القطاع" in html and "النجف" in html


def test_a_user_without_governorates_sees_no_figures(client, displacement):
    from conftest import make_user

    nobody = make_user("nobody", "governorate", [displacement["locations"][0].governorate])
    nobody.governorates.clear()
    client.force_login(nobody)
    assert panel(client.get(reverse("home"))).get("empty_scope")


def test_the_dashboard_page_has_the_figures_charts_and_choropleth(client, officer_a, displacement):
    client.force_login(officer_a)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-testid="kpi-idp-individuals"' in html and "1,260" in html
    # The officer's map is of their own locations, sized by IDP individuals (issue 16).
    scope = json.loads(re.search(r'id="scope-map"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert scope["level"] == "location" and scope["metric"] == "idp_individuals"
    assert scope["places"] and {p["governorate"] for p in scope["places"]} == {"Al-Najaf"}
    assert "vendor/chartjs/chart.umd.min.js" in html and "vendor/leaflet/leaflet.js" in html
    assert 'id="dashboard-data"' in html  # the charts' figures, as JSON in the page
