"""The supply API answers malformed and refused requests in the one error shape.

Each case here was a server error before (issue 14): a body that is an array or a string
where an object is expected, a household that is not a number, an id that is not one.
"""

import pytest

from amina.supply.models import StockMovement
from amina.supply.services import plan_waybill

pytestmark = pytest.mark.django_db


@pytest.fixture
def waybill(stocked, logistics_ab, hub_b, blanket):
    return plan_waybill(logistics_ab, stocked, hub_b, [(blanket, 10)])


@pytest.mark.parametrize("body", [[], ["lines"], "lines", 7])
def test_it_refuses_a_receive_body_that_is_not_an_object(api_client, logistics_ab, waybill, body):
    api_client.force_authenticate(logistics_ab)
    response = api_client.post(
        f"/api/v1/supply/waybills/{waybill.pk}/receive/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "non_field_errors" in response.json()["errors"]


@pytest.mark.parametrize("body", [[], "typo", [{"reason": "typo"}]])
def test_it_refuses_a_reverse_body_that_is_not_an_object(api_client, logistics_a, stocked, body):
    movement = StockMovement.objects.filter(warehouse=stocked).first()
    api_client.force_authenticate(logistics_a)
    response = api_client.post(
        f"/api/v1/supply/movements/{movement.pk}/reverse/", body, format="json"
    )
    assert response.status_code == 400
    assert not StockMovement.objects.filter(reverses=movement).exists()


def test_a_reverse_without_a_reason_names_the_field(api_client, logistics_a, stocked):
    movement = StockMovement.objects.filter(warehouse=stocked).first()
    api_client.force_authenticate(logistics_a)
    response = api_client.post(
        f"/api/v1/supply/movements/{movement.pk}/reverse/", {}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"reason": ["This field is required."]}
    assert body["detail"] == "reason: This field is required."


@pytest.mark.parametrize(
    "body, field",
    [
        ({"household": "abc", "direction": "in", "reason": "x"}, "household"),
        ({"household": 1, "direction": "sideways"}, "direction"),
        ([{"household": 1}], "non_field_errors"),
        ("in", "non_field_errors"),
    ],
)
def test_it_refuses_a_malformed_override_naming_the_field(
    api_client, logistics_a, stocked, blanket, body, field
):
    from amina.supply.models import DistributionPlan

    plan = DistributionPlan.objects.create(
        name="P", site=stocked, item=blanket, period="2015-06", need_identified_on="2015-06-01"
    )
    api_client.force_authenticate(logistics_a)
    response = api_client.post(f"/api/v1/supply/plans/{plan.pk}/override/", body, format="json")
    assert response.status_code in (400, 403)
    if response.status_code == 400:
        assert field in response.json()["errors"]


def test_an_id_that_is_not_a_number_is_not_found(api_client, logistics_a, stocked):
    api_client.force_authenticate(logistics_a)
    for url in (
        "/api/v1/supply/plans/abc/households/",
        "/api/v1/supply/movements/abc/",
        "/api/v1/supply/plans/1.5/approve/",
    ):
        response = api_client.post(url) if url.endswith("approve/") else api_client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found", url


def test_a_bad_filter_value_names_the_parameter(api_client, logistics_a, stocked):
    api_client.force_authenticate(logistics_a)
    response = api_client.get("/api/v1/supply/movements/", {"kind": "gift"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]
    response = api_client.get("/api/v1/supply/distributions/", {"plan": "first"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"plan": ["Enter a whole number."]}


def test_the_filters_narrow_the_ledger(api_client, logistics_a, stocked):
    api_client.force_authenticate(logistics_a)
    rows = api_client.get(
        "/api/v1/supply/movements/", {"warehouse": "hub-najaf", "item": "blanket"}
    ).json()["results"]
    assert [(r["warehouse"], r["item"], r["quantity"]) for r in rows] == [
        ("hub-najaf", "blanket", 100)
    ]
