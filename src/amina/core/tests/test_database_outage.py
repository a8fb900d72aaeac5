"""When the database cannot be reached, pages answer 503 with a page that needs no
database (in the user's language, right to left in Arabic), the API answers JSON, and
``/healthz`` says ``{"status": "error", "database": "unreachable"}``."""

import json
import subprocess
import sys
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from amina.lib.testing.processes import clean_env

#: A PostgreSQL server that is not there: nothing listens on port 1.
UNREACHABLE = "postgres://postgres@127.0.0.1:1/amina_unreachable"

SCRIPT = """
import json, django
django.setup()
from django.test import Client
out = {}
client = Client(raise_request_exception=False)
r = client.get("/healthz")
out["healthz"] = [r.status_code, r.content.decode()]
r = client.post("/accounts/login/", {"username": "a", "password": "b"})
out["login"] = [r.status_code, r.content.decode()]
client.cookies["sessionid"] = "x" * 32
r = client.get("/healthz")
out["healthz_with_session"] = [r.status_code, r.content.decode()]
r = client.get("/registry/", HTTP_ACCEPT_LANGUAGE="ar")
out["page_ar"] = [r.status_code, r.content.decode()]
r = client.get("/api/v1/geo/governorates/", HTTP_AUTHORIZATION="Token " + "a" * 40)
out["api"] = [r.status_code, r.content.decode()]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def outage(tmp_path_factory):
    """What a fresh server answers while its PostgreSQL server is down."""
    env = clean_env(
        tmp_path_factory.mktemp("outage"),
        DATABASE_URL=UNREACHABLE,
        AMINA_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="amina.settings",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_reports_an_unreachable_database(outage):
    for answer in ("healthz", "healthz_with_session"):
        status, body = outage[answer]
        assert status == 503
        assert json.loads(body) == {"status": "error", "database": "unreachable"}


def test_a_page_explains_the_outage_in_arabic_right_to_left(outage):
    """The session and the user are looked up before any view: the page needs neither."""
    status, body = outage["page_ar"]
    assert status == 503
    assert 'lang="ar" dir="rtl"' in body and "bootstrap.rtl.min.css" in body
    assert 'data-testid="unavailable"' in body and "Server Error" not in body


def test_logging_in_explains_the_outage(outage):
    status, body = outage["login"]
    assert status == 503 and 'data-testid="unavailable"' in body


def test_the_api_explains_the_outage_in_json(outage):
    status, body = outage["api"]
    assert status == 503 and json.loads(body)["code"] == "database_unavailable"


@contextmanager
def database_down():
    """The database server stops answering (as in the subprocess tests, in-process)."""
    connection = connections["default"]

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with mock.patch.object(connection, "ensure_connection", refuse):
        yield


@pytest.mark.django_db
def test_an_outage_during_a_session_shows_the_page_in_english(officer_a):
    client = Client(raise_request_exception=False)
    client.force_login(officer_a)
    with database_down():
        response = client.get("/registry/")
        health = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"]
    body = response.content.decode()
    assert 'lang="en" dir="ltr"' in body and "Amina is temporarily unavailable" in body
    assert health.status_code == 503 and health.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
