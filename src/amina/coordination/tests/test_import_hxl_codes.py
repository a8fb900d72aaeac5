"""A partner's HXL 4W (issue 15): libhxl finds the hashtag row and reads the hashtags,
whatever their order, case or extra attributes, and ``#loc+code`` takes Amina's stable
location code — the one its own exports carry."""

import pytest

from amina.coordination.models import Activity
from amina.coordination.services.imports import import_activities
from amina.geo.services import NewLocation, create_location

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(gov_a):
    return create_location(None, NewLocation("Hay Al-Ghadir", gov_a.pk), source="test")


def test_a_partner_sheet_is_read_by_libhxl_and_joined_on_the_location_code(admin_user, place, orgs):
    sheet = (
        "4W Najaf, June 2015\n"
        "Agency,Place code,What,Where,Cluster,Start,Girls,Women,All\n"
        "#ORG +Impl, #loc +code, #activity, #adm1+code, #sector +cluster, #date+start,"
        "#reached +children +f, #reached+adults+f, #reached+ind+total\n"
        f"NRC,{place.code},NFI kits,IQG04,2,2015-06-01,10,20,40\n"
    )
    result = import_activities(admin_user, sheet.encode(), "partner-4w.csv")
    assert result.hxl and result.created == 1
    activity = Activity.objects.get()
    assert activity.location == place and place.code == "IQG04-L000001"
    assert (activity.girls, activity.women, activity.people_reached) == (10, 20, 40)


def test_a_sheet_whose_hashtags_libhxl_does_not_find_is_read_by_header_names(
    admin_user, place, orgs
):
    sheet = (
        "Organisation,Sector,Activity,Governorate,Location code,Start date,Women\n"
        f"NRC,2,NFI kits,IQG04,{place.code},2015-06-01,5\n"
    )
    result = import_activities(admin_user, sheet.encode(), "4w.csv")
    assert not result.hxl and Activity.objects.get().location == place
