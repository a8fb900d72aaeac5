"""Managing users and organisations in the translated admin site."""

from amina.accounts.models import Organisation, User
from amina.audit.models import ChangeLog


def test_an_admin_adds_an_organisation_and_an_officer_in_the_admin(client, admin_user, gov_a):
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/organisation/add/",
        {
            "name_en": "Bureau of Migration and Displacement",
            "name_ar": "مكتب الهجرة والمهجرين",
            "acronym": "BMD",
            "kind": "krg_body",
            "governorate": "",
        },
    )
    assert response.status_code == 302
    bmd = Organisation.objects.get(acronym="BMD")
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "sara",
            "password1": "a-long-passphrase-2015",
            "password2": "a-long-passphrase-2015",
            "usable_password": "true",
            "role": "governorate",
            "organisation": bmd.pk,
            "governorates": [gov_a.pk],
            "can_view_personal_data": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    sara = User.objects.get(username="sara")
    assert list(sara.governorates.values_list("pcode", flat=True)) == ["IQG04"]
    assert not sara.is_staff and sara.can_view_personal_data
    row = ChangeLog.objects.get(model="accounts.user", object_id=str(sara.pk), action="create")
    assert row.actor_name == "admin1" and row.diff["governorates"] == [None, [gov_a.pk]]
    assert "password" not in row.diff


def test_giving_the_admin_role_in_the_admin_site_opens_the_admin_site(client, admin_user, partner):
    client.force_login(admin_user)
    url = f"/admin/accounts/user/{partner.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "last_login"}
    data.update(
        {
            "role": "admin",
            "groups": [],
            "user_permissions": [],
            "governorates": [],
            "date_joined_0": "2025-01-01",
            "date_joined_1": "10:00:00",
        }
    )
    data.pop("date_joined", None)
    assert client.post(url, data).status_code == 302
    partner.refresh_from_db()
    assert partner.role == "admin" and partner.is_staff and partner.is_superuser


def test_the_admin_site_speaks_arabic(client, admin_user):
    client.force_login(admin_user)
    client.post("/i18n/setlang/", {"language": "ar"})
    page = client.get("/admin/").content.decode()
    assert "إدارة أمينة" in page and "المحافظات" in page and "الجهات" in page
    page = client.get("/admin/geo/governorate/add/").content.decode()
    assert "الرمز المكاني لعام 2014" in page and "الأسماء البديلة للأماكن" in page


def test_a_new_api_token_is_recorded_without_its_key(client, officer_a):
    client.force_login(officer_a)
    client.post("/accounts/profile/token/")
    client.post("/accounts/profile/token/")
    rows = ChangeLog.objects.filter(
        model="accounts.user", object_id=str(officer_a.pk), action="update"
    ).order_by("pk")
    assert [r.diff["api_token"] for r in rows] == [[None, "created"], ["replaced", "created"]]
