"""Every API refusal has one shape, and each cause its status (issue 14)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from rest_framework.exceptions import ValidationError as DRFValidationError

from amina.lib import api_errors

pytestmark = pytest.mark.django_db


def _handled(exc):
    response = api_errors.exception_handler(exc, {})
    return response.status_code, response.data


def test_a_service_refusal_is_a_400_naming_each_field():
    status, body = _handled(ValidationError({"quantity": ["Only 5 on hand."]}))
    assert status == 400
    assert body == {
        "detail": "quantity: Only 5 on hand.",
        "code": "refused",
        "errors": {"quantity": ["Only 5 on hand."]},
    }


def test_a_service_refusal_keeps_its_own_code():
    status, body = _handled(ValidationError("Not yet optimised.", code="not_optimised"))
    assert (status, body["code"], body["errors"]) == (
        400,
        "not_optimised",
        {"non_field_errors": ["Not yet optimised."]},
    )


def test_nested_errors_are_named_with_dots():
    exc = DRFValidationError({"lines": [{}, {"item": ["Unknown item."]}]})
    assert _handled(exc)[1]["errors"] == {"lines.1.item": ["Unknown item."]}


def test_a_permission_refusal_is_a_403():
    assert _handled(PermissionDenied()) == (
        403,
        {
            "detail": "You do not have permission to perform this action.",
            "code": "permission_denied",
        },
    )


def test_a_conflicting_write_is_a_409_that_does_not_quote_the_database():
    status, body = _handled(IntegrityError("duplicate key value (household_ref)=(NJF-1)"))
    assert status == 409 and body["code"] == "conflict"
    assert "NJF-1" not in body["detail"]


def test_an_unexpected_error_stays_a_server_error():
    assert api_errors.exception_handler(ZeroDivisionError(), {}) is None


def test_a_registered_domain_error_gets_its_status():
    class Gone(Exception):
        pass

    api_errors.register(Gone, 404, "gone")
    assert _handled(Gone("the dataset is not installed")) == (
        404,
        {"detail": "the dataset is not installed", "code": "gone"},
    )


def test_a_bad_filter_value_is_a_400_naming_the_parameter(api_client, national_user):
    api_client.force_authenticate(national_user)
    for url, field in (
        ("/api/v1/coordination/activities/?sector=abc", "sector"),
        ("/api/v1/reports/publications/?since=abc", "since"),
        ("/api/v1/reports/publications/?until=2015-13-45", "until"),
        ("/api/v1/coordination/notifications/?unread=perhaps", "unread"),
        ("/api/v1/needs/assessments/?latest=maybe", "latest"),
    ):
        response = api_client.get(url)
        assert response.status_code == 400, url
        assert list(response.json()["errors"]) == [field], url
        assert response.json()["detail"].startswith(f"{field}: "), url


def test_a_governorate_filter_takes_any_name_the_gazetteer_knows(api_client, national_user):
    api_client.force_authenticate(national_user)
    by_pcode = api_client.get("/api/v1/geo/districts/", {"governorate": "IQG09"}).json()
    assert by_pcode["count"] > 0
    for name in ("Duhok", "دهوك", "iqg09"):
        assert api_client.get("/api/v1/geo/districts/", {"governorate": name}).json() == by_pcode


def test_an_unknown_governorate_is_refused_with_the_reason(api_client, national_user):
    api_client.force_authenticate(national_user)
    response = api_client.get("/api/v1/geo/districts/", {"governorate": "Atlantis"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown"
    assert "Atlantis" in response.json()["errors"]["governorate"][0]


def test_a_download_with_an_id_that_is_not_a_number_is_a_json_404(api_client, national_user):
    api_client.force_authenticate(national_user)
    response = api_client.get("/api/v1/reports/publications/abc/download/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_address_no_route_matches_is_a_json_404(api_client, national_user):
    api_client.force_authenticate(national_user)
    for response in (
        api_client.get("/api/v1/no/such/thing/"),
        api_client.post("/api/v1/supply/plans/1.5/approve/"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_body_that_is_not_json_is_refused(api_client, national_user):
    api_client.force_authenticate(national_user)
    response = api_client.post(
        "/api/v1/coordination/notifications/read/", "ids=1", content_type="text/plain"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    response = api_client.post(
        "/api/v1/coordination/notifications/read/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_a_token_holder_is_throttled_with_a_retry_after(api_client, national_user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "2/minute", "anon": "2/minute"},
    }
    api_client.force_authenticate(national_user)
    statuses = [api_client.get("/api/v1/geo/governorates/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = api_client.get("/api/v1/geo/governorates/")
    assert refused.json()["code"] == "throttled" and int(refused["Retry-After"]) > 0


def test_a_governorate_name_with_a_percent_sign_is_refused_not_a_crash(api_client, national_user):
    api_client.force_authenticate(national_user)
    response = api_client.get("/api/v1/supply/balances/", {"governorate": "%"})
    assert response.status_code == 400
    assert response.json()["errors"]["governorate"][0].startswith("unknown governorate '%'")
