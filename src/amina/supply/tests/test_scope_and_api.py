"""Who sees and does what: pages and API routes per persona, and API writes."""

import pytest

from amina.supply.models import StockMovement
from amina.supply.services import dispatch_waybill, plan_waybill

pytestmark = pytest.mark.django_db

PAGES = [
    "/supply/",
    "/supply/warehouses/",
    "/supply/items/",
    "/supply/movements/",
    "/supply/waybills/",
    "/supply/plans/",
    "/supply/distributions/",
    "/supply/pipeline/",
]
API = [
    "/api/v1/supply/items/",
    "/api/v1/supply/warehouses/",
    "/api/v1/supply/movements/",
    "/api/v1/supply/balances/",
    "/api/v1/supply/waybills/",
    "/api/v1/supply/plans/",
    "/api/v1/supply/distributions/",
]


@pytest.fixture
def waybill_ab(stocked, logistics_ab, hub_b, blanket):
    wb = plan_waybill(logistics_ab, stocked, hub_b, [(blanket, 10)])
    return dispatch_waybill(logistics_ab, wb)


def test_anonymous_is_sent_to_login_and_refused_by_the_api(client, api_client):
    for url in PAGES:
        assert client.get(url).status_code == 302, url
    for url in API:
        assert api_client.get(url).status_code in (401, 403), url


def test_every_page_answers_a_logistics_officer(client, logistics_a, stocked, site_a):
    client.force_login(logistics_a)
    for url in PAGES + [
        f"/supply/warehouses/{stocked.pk}/",
        "/supply/waybills/new/",
        "/supply/plans/new/",
        f"/supply/warehouses/{stocked.pk}/receipt/",
    ]:
        assert client.get(url).status_code == 200, url


def test_officers_see_only_their_governorates_warehouses(client, officer_b, stocked, hub_b):
    client.force_login(officer_b)
    assert client.get(f"/supply/warehouses/{stocked.pk}/").status_code == 404
    assert client.get(f"/supply/warehouses/{hub_b.pk}/").status_code == 200
    page = client.get("/supply/warehouses/").content.decode()
    assert "hub-duhok" in page and "hub-najaf" not in page


def test_a_partner_sees_no_warehouse_detail(client, partner, stocked):
    client.force_login(partner)
    assert client.get(f"/supply/warehouses/{stocked.pk}/").status_code == 404
    assert client.get("/supply/").status_code == 403
    assert client.get("/supply/pipeline/").status_code == 200


def test_a_governorate_officer_cannot_open_stock_forms(client, officer_a, stocked):
    client.force_login(officer_a)
    assert client.get(f"/supply/warehouses/{stocked.pk}/receipt/").status_code == 403
    assert client.get("/supply/waybills/new/").status_code == 403


def test_both_ends_see_a_waybill_and_others_do_not(
    client, waybill_ab, officer_a, officer_b, field_a
):
    from amina.geo.models import Governorate
    from conftest import make_user

    outsider = make_user("basra", "governorate", [Governorate.objects.get(pcode="IQG02")])
    for user, status in ((officer_a, 200), (officer_b, 200), (outsider, 404)):
        client.force_login(user)
        assert client.get(f"/supply/waybills/{waybill_ab.pk}/").status_code == status


def test_api_lists_are_scoped(api_client, logistics_b, stocked, hub_b, logistics_a):
    api_client.force_authenticate(logistics_b)
    codes = [w["code"] for w in api_client.get("/api/v1/supply/warehouses/").json()["results"]]
    assert codes == ["hub-duhok"]
    assert api_client.get("/api/v1/supply/balances/").json()["results"] == []
    api_client.force_authenticate(logistics_a)
    balances = api_client.get("/api/v1/supply/balances/").json()["results"]
    assert {(b["warehouse"], b["item"], b["quantity"]) for b in balances} == {
        ("hub-najaf", "blanket", 100),
        ("site-najaf-1", "hygiene-kit", 20),
    }


def test_api_list_query_count_is_flat(
    api_client, logistics_a, stocked, blanket, django_assert_max_num_queries
):
    from amina.supply.services import record_loss

    for _ in range(10):
        record_loss(logistics_a, stocked, blanket, 1, reason="count")
    api_client.force_authenticate(logistics_a)
    with django_assert_max_num_queries(8):
        assert len(api_client.get("/api/v1/supply/movements/").json()["results"]) == 12


def test_api_records_a_receipt_and_refuses_an_overdraw(api_client, logistics_a, stocked):
    api_client.force_authenticate(logistics_a)
    ok = api_client.post(
        "/api/v1/supply/movements/",
        {
            "kind": "receipt",
            "warehouse": "hub-najaf",
            "item": "blanket",
            "quantity": 5,
            "donor": "UNHCR",
        },
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["quantity"] == 5
    refused = api_client.post(
        "/api/v1/supply/movements/",
        {
            "kind": "loss",
            "warehouse": "hub-najaf",
            "item": "blanket",
            "quantity": 500,
            "reason": "x",
        },
        format="json",
    )
    assert refused.status_code == 400 and "105 on hand" in str(refused.json())
    reversed_ = api_client.post(
        f"/api/v1/supply/movements/{ok.json()['id']}/reverse/", {"reason": "typo"}, format="json"
    )
    assert reversed_.status_code == 201 and reversed_.json()["quantity"] == -5


def test_api_walks_a_waybill_through_its_life(api_client, logistics_ab, stocked, hub_b):
    api_client.force_authenticate(logistics_ab)
    made = api_client.post(
        "/api/v1/supply/waybills/",
        {
            "origin": "hub-najaf",
            "destination": "hub-duhok",
            "lines": [{"item": "blanket", "quantity": 30}],
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    pk, line = made.json()["id"], made.json()["lines"][0]["id"]
    assert (
        api_client.post(f"/api/v1/supply/waybills/{pk}/dispatch/").json()["status"] == "dispatched"
    )
    received = api_client.post(
        f"/api/v1/supply/waybills/{pk}/receive/",
        {"lines": [{"line": line, "received": 28, "damaged": 1}]},
        format="json",
    ).json()
    assert received["status"] == "received" and received["lines"][0]["shortfall"] == 1
    assert StockMovement.objects.get(kind="dispatch_receipt").quantity == 28


def test_a_logistics_officer_of_b_cannot_write_in_a_through_the_api(
    api_client, logistics_b, stocked
):
    """A warehouse outside one's scope is refused exactly like one that does not exist,
    so warehouse codes cannot be enumerated by comparing the answers."""
    api_client.force_authenticate(logistics_b)
    before = StockMovement.objects.count()
    answers = []
    for code in ("hub-najaf", "no-such-hub"):
        response = api_client.post(
            "/api/v1/supply/movements/",
            {"kind": "receipt", "warehouse": code, "item": "blanket", "quantity": 5},
            format="json",
        )
        body = response.json()
        answers.append((response.status_code, body["code"], list(body["errors"])))
    assert answers[0] == answers[1] == (400, "does_not_exist", ["warehouse"])
    assert StockMovement.objects.count() == before


def test_the_stock_export_in_every_format(client, logistics_a, stocked):
    import io

    from openpyxl import load_workbook

    client.force_login(logistics_a)
    csv = client.get("/supply/export/stock/?format=csv").content.decode("utf-8-sig")
    assert "hub-najaf,Blanket" not in csv and "blanket" in csv
    hxl = client.get("/supply/export/stock/?format=hxl").content.decode()
    assert hxl.splitlines()[1].startswith("#adm1+name,#adm1+code")
    sheet = load_workbook(
        io.BytesIO(client.get("/supply/export/stock/?format=xlsx").content)
    ).active
    assert sheet["A1"].value == "Governorate"


def test_the_cli_exports_stock_and_needs_a_purpose_for_distributions(stocked, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "stock.csv"
    call_command("export", "stock", "--format", "hxl", "-o", str(out))
    assert "#item+code" in out.read_text()
    with pytest.raises(CommandError, match="purpose"):
        call_command("export", "distributions", "--format", "csv", "-o", str(tmp_path / "d"))


def test_the_home_page_shows_low_stock_in_scope(client, logistics_a, officer_b, stocked, blanket):
    from amina.supply.services import record_loss

    record_loss(logistics_a, stocked, blanket, 95, reason="rain")  # 5 left, level 10
    client.force_login(logistics_a)
    assert "5 / 10" in client.get("/").content.decode()
    client.force_login(officer_b)
    assert "5 / 10" not in client.get("/").content.decode()
