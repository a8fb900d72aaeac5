"""The API keeps its published contract, whatever a client sends (Schemathesis).

Every operation of the live OpenAPI document is called with generated requests, valid and
invalid, as a national user, a governorate officer and a partner, over the small demo
data (so ids in paths name real warehouses, plans, waybills, publications …). Each
response must be no server error, have a documented status code and content type, match
its documented schema, and a valid request must not be refused with 400.

Each generated request runs inside a savepoint that is rolled back, so a write by one
example (a receipt, a dispatch) never changes what the next one sees. The number of
examples per operation is bounded (``AMINA_API_CONTRACT_EXAMPLES``, default 3) to keep
the suite fast; raise it locally to search harder.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from amina.lib.api_errors import FORMAT_CODES

EXAMPLES = int(os.environ.get("AMINA_API_CONTRACT_EXAMPLES", "3"))
SEED = 2015
PERSONAS = {"national": "national", "officer": "najaf", "partner": "partner"}


def valid_requests_are_accepted(ctx, response, case):
    """Schemathesis's ``positive_data_acceptance``, except for a well-formed request that
    names something that is not there (an unknown governorate, warehouse or round) or
    that a rule of the domain refuses (not enough stock): the schema cannot know the
    data, so those 400s say so in their ``code``; a 400 with a format code (``invalid``,
    ``required``, ``max_length`` …) means the schema promised more than the server takes.
    """
    try:
        return positive_data_acceptance(ctx, response, case)
    except Exception:
        if response.status_code == 400 and _error_code(response) not in FORMAT_CODES:
            return None
        raise


def _error_code(response):
    try:
        return response.json().get("code")
    except ValueError:
        return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    valid_requests_are_accepted,
]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The small demo data, made once for this module and rolled back after it."""
    from amina.core.demo import generate
    from amina.geo.models import District, Governorate, PlaceAlias
    from amina.geo.reference import load_reference_geography
    from amina.needs.models import Phase, Sector
    from amina.needs.reference import load_mcof_reference
    from amina.tracking.models import DisplacementPeriod, ShelterType
    from amina.tracking.reference import load_tracking_reference

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if Governorate.objects.count() < 18:
                load_reference_geography(Governorate, District, PlaceAlias)
            if not ShelterType.objects.exists():
                load_tracking_reference(ShelterType, DisplacementPeriod)
            if not Sector.objects.exists():
                load_mcof_reference(Sector, Phase)
            generate("small", SEED)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def tokens(demo_world, django_db_blocker):
    """A token per persona, through the token endpoint as any client gets one."""
    from rest_framework.test import APIClient

    from amina.accounts.demo import demo_password

    out = {}
    with django_db_blocker.unblock():
        for persona, username in PERSONAS.items():
            response = APIClient().post(
                "/api/v1/auth/token/",
                {"username": username, "password": demo_password(SEED, username)},
                format="json",
            )
            assert response.status_code == 200, response.content
            out[persona] = response.json()["token"]
    return out


def _wsgi_app():
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


@pytest.fixture(scope="module")
def wsgi_app():
    return _wsgi_app()


@pytest.fixture
def one_connection():
    """Django closes the connection around each request it serves; in a test that would
    end the test's transaction. Django's own test client turns this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    """Thousands of generated requests from one user must not meet the rate limit here."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": None, "anon": None},
    }


# The live document, read from the application as a client reads it (no database needed).
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/",
    _wsgi_app(),
    # NUL characters are refused before any view, by policy (RefuseNulCharacters)
    config=schemathesis.Config.from_dict(
        {"generation": {"mode": "all", "max-examples": EXAMPLES, "allow-x00": False}}
    ),
).exclude(path="/api/v1/auth/token/")


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def _answers_as_documented(case, persona, tokens, wsgi_app):
    headers = {"Authorization": f"Token {tokens[persona]}"}
    with transaction.atomic():
        response = case.call(app=wsgi_app, headers=headers)
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS, headers=headers)


# One test per persona: Schemathesis's lazy schema does not combine with parametrized
# fixtures, and each persona sees other data (its scope), so each finds other faults.


@schema.parametrize()
@HYPOTHESIS
@pytest.mark.django_db
def test_every_operation_answers_a_national_user_as_documented(
    case, tokens, wsgi_app, one_connection, unthrottled
):
    _answers_as_documented(case, "national", tokens, wsgi_app)


@schema.parametrize()
@HYPOTHESIS
@pytest.mark.django_db
def test_every_operation_answers_a_governorate_officer_as_documented(
    case, tokens, wsgi_app, one_connection, unthrottled
):
    _answers_as_documented(case, "officer", tokens, wsgi_app)


@schema.parametrize()
@HYPOTHESIS
@pytest.mark.django_db
def test_every_operation_answers_a_partner_as_documented(
    case, tokens, wsgi_app, one_connection, unthrottled
):
    _answers_as_documented(case, "partner", tokens, wsgi_app)
