"""The notifications API: one's own only, at the path it had under coordination."""

import pytest

from amina.notices.models import Notification
from amina.notices.services import notify

pytestmark = pytest.mark.django_db


def test_the_api_lists_only_ones_own_notifications_and_marks_them_read(
    api_client, officer_a, national_user, gov_a
):
    notify([officer_a, national_user], "influx", "Influx", governorate=gov_a)
    api_client.force_authenticate(officer_a)
    rows = api_client.get("/api/v1/coordination/notifications/").json()["results"]
    assert [r["subject"] for r in rows] == ["Influx"]
    response = api_client.post("/api/v1/coordination/notifications/read/", {}, format="json")
    assert response.json() == {"marked": 1}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_pages_open_for_a_logged_in_user(client, field_a):
    client.force_login(field_a)
    assert client.get("/notifications/").status_code == 200
    assert client.get("/notifications/preferences/").status_code == 200
    assert client.get("/notifications/?unread=1").status_code == 200
