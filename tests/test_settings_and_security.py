"""Production settings pass the deploy checks; logins lock out; CSRF everywhere; Arabic digits."""

import datetime
import re

import pytest
from django import forms as django_forms
from django.test import Client

from amina.lib import forms
from amina.lib.testing.processes import run_amina
from conftest import PASSWORD

PRODUCTION = {
    "AMINA_SECRET_KEY": "x7#kQ2-very-long-random-production-key-0123456789-abcdefghijklmnop",
    "DATABASE_URL": "postgres://amina@db.internal:5432/amina",
    "AMINA_EMAIL_HOST": "smtp.example.org",
    "AMINA_ALLOWED_HOSTS": "amina.example.org",
}


def _issues(result) -> list[str]:
    return [
        line for line in (result.stdout + result.stderr).splitlines() if re.match(r"^\S*: \(", line)
    ]


@pytest.fixture(scope="module")
def production_check(tmp_path_factory):
    return run_amina(["check", "--deploy"], tmp_path_factory.mktemp("prod"), **PRODUCTION)


def test_production_settings_pass_the_deploy_checks_without_any_issue(production_check):
    result = production_check
    assert result.returncode == 0, result.stderr
    issues = [line for line in _issues(result) if "(drf_spectacular." not in line]
    assert issues == []


def test_the_api_schema_has_no_warnings_either(production_check):
    result = production_check
    assert "System check identified no issues (0 silenced)." in result.stdout, "\n".join(
        _issues(result)
    )


def test_a_missing_secret_key_or_debug_fails_the_deploy_checks(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "AMINA_SECRET_KEY"}
    result = run_amina(["check", "--deploy"], tmp_path, AMINA_DEBUG="true", **env)
    assert result.returncode != 0
    assert "amina.E001" in result.stderr and "AMINA_SECRET_KEY is not set" in result.stderr
    assert "amina.E002" in result.stderr


def test_the_embedded_demo_warns_about_sqlite_and_plain_http(tmp_path):
    result = run_amina(["check", "--deploy"], tmp_path)
    assert "amina.W001" in result.stdout + result.stderr
    assert "amina.W004" in result.stdout + result.stderr


def _login(client, password):
    return client.post("/accounts/login/", {"username": "officer_a", "password": password})


def test_five_failed_logins_lock_the_account_even_for_the_right_password(officer_a):
    client = Client()
    for _ in range(5):
        assert _login(client, "wrong-password").status_code in (200, 429)
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_resets_the_count(officer_a):
    client = Client()
    for _ in range(4):
        _login(client, "wrong-password")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "wrong-password")
    assert _login(client, PASSWORD).status_code == 302


def test_the_api_token_endpoint_gives_a_token_for_the_right_password(officer_a, api_client):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "officer_a", "password": PASSWORD}
    )
    assert response.status_code == 200 and len(response.json()["token"]) == 40
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api_client.get("/api/v1/geo/governorates/").json()["count"] == 1


def test_the_api_token_endpoint_locks_out_too(officer_a, api_client):
    from axes.models import AccessAttempt

    for _ in range(5):
        response = api_client.post(
            "/api/v1/auth/token/", {"username": "officer_a", "password": "wrong-password"}
        )
        assert response.status_code in (400, 403, 429)
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "officer_a", "password": PASSWORD}
    )
    assert response.status_code in (400, 403, 429) and "token" not in response.json()
    assert AccessAttempt.objects.get(username="officer_a").failures_since_start >= 5


def test_a_form_without_its_csrf_token_is_refused(officer_a):
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD}).status_code
        == 403
    )
    client.force_login(officer_a)
    assert client.post("/accounts/profile/token/").status_code == 403
    assert client.post("/i18n/setlang/", {"language": "ar"}).status_code == 403
    page = client.get("/accounts/profile/")
    token = (
        page.cookies["csrftoken"].value
        if "csrftoken" in page.cookies
        else client.cookies["csrftoken"].value
    )
    assert (
        client.post("/accounts/profile/token/", {"csrfmiddlewaretoken": token}).status_code == 200
    )


class NumbersForm(forms.Form):
    families = django_forms.IntegerField()
    latitude = django_forms.FloatField()
    amount = django_forms.DecimalField()
    on = django_forms.DateField()


def test_eastern_arabic_digits_are_accepted_in_number_and_date_fields():
    form = NumbersForm(
        {"families": "١٢٣", "latitude": "٣٢٫٥", "amount": "١٠٫٢٥", "on": "٢٠١٥-٠٦-٣٠"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["families"] == 123
    assert form.cleaned_data["latitude"] == 32.5
    assert str(form.cleaned_data["amount"]) == "10.25"
    assert form.cleaned_data["on"] == datetime.date(2015, 6, 30)


def test_number_fields_render_as_text_with_a_numeric_keyboard():
    html = str(NumbersForm()["families"])
    assert 'inputmode="decimal"' in html and 'type="text"' in html and 'dir="ltr"' in html


def test_a_bad_number_is_still_refused():
    form = NumbersForm({"families": "١٢x", "latitude": "1", "amount": "1", "on": "2015-06-30"})
    assert not form.is_valid() and "families" in form.errors


@pytest.mark.django_db
def test_postgresql_sessions_search_in_memory():
    """A name search over millions of people fits its bitmap in 64 MB; at PostgreSQL's
    default 4 MB it goes lossy and re-reads every row of millions (docs/performance.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "64MB"
