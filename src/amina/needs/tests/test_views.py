import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(assess, location_a):
    today = timezone.localdate()
    assess(location_a, {2: 1}, [2], on=today - datetime.timedelta(days=200))
    return assess(
        location_a, {2: 5, 4: 3}, [4, 2], on=today - datetime.timedelta(days=12), population=900
    )


def _heat(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</table>")[0]


def test_the_governorate_heat_table_shows_the_latest_severity_and_age(
    client, officer_a, recorded, gov_a
):
    client.force_login(officer_a)
    html = client.get(reverse("needs:governorate", args=[gov_a.pcode])).content.decode()
    table = _heat(html, "heat-table")
    cells = re.findall(r'data-severity="(\d?)"', table)
    assert cells[:5] == ["", "5", "", "3", ""]  # sectors 1..5 of the one location
    assert "12 days ago" in table and "#7f2704" in table  # catastrophic colour
    top = html.split('data-testid="top-needs"')[1].split("</ol>")[0]
    assert top.index("Health support") < top.index("Shelter and non-food items")


def test_the_overview_shows_the_highest_severity_per_governorate(
    client, national_user, recorded, gov_a
):
    client.force_login(national_user)
    html = client.get(reverse("needs:overview")).content.decode()
    table = _heat(html, "overview-heat")
    assert gov_a.name_en in table and "5 <small>(1)</small>" in table
    pin = _heat(html, "people-in-need")
    assert '2. Shelter and non-food items</td><td class="num">900' in pin


def test_the_home_page_shows_the_top_needs_panel(client, officer_a, recorded):
    client.force_login(officer_a)
    html = client.get(reverse("home")).content.decode()
    panel = html.split('data-testid="needs-panel"')[1]
    assert panel.index("Health support") < panel.index("Shelter and non-food items")


def test_the_reference_page_lists_sectors_phases_and_scale_in_both_languages(client, partner):
    client.force_login(partner)
    html = client.get(reverse("needs:reference")).content.decode()
    assert "Humanitarian communications" in html and "الاتصالات الإنسانية" in html
    assert "During the crisis" in html and "أثناء الأزمة" in html
    assert "Catastrophic" in html and "كارثية" in html


def test_the_severe_needs_page_lists_severe_needs_and_links_to_the_gaps(
    client, officer_a, recorded
):
    client.force_login(officer_a)
    html = client.get(reverse("needs:gaps")).content.decode()
    assert "Hay Al-Nour 1" in _heat(html, "gap-table")
    assert reverse("coordination:overlaps") in html


def test_an_administrator_opens_the_assessment_and_reference_admin(client, admin_user, recorded):
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    for url in (
        "/admin/needs/needsassessment/",
        f"/admin/needs/needsassessment/{recorded.pk}/change/",
        "/admin/needs/sector/",
        "/admin/needs/phase/",
    ):
        assert client.get(url).status_code == 200, url
