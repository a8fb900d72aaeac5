"""API tokens: stored only as digests, shown once, expiring, revoked with the password,
and obtained through the same lockout as the login page."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from amina.accounts.models import ApiToken
from amina.accounts.tokens import digest, issue_token
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-horse-battery-7"  # noqa: S105 (test only)


def obtain(api_client, password=PASSWORD, username="officer_a"):
    return api_client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def works(api_client, key) -> bool:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    status = api_client.get("/api/v1/geo/governorates/").status_code
    api_client.credentials()
    assert status in (200, 401), status
    return status == 200


def every_stored_text() -> str:
    """Every value of every table, as text: where a clear token would be if it were kept."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(found)


def test_the_endpoint_gives_a_token_that_is_stored_only_as_a_digest(api_client, officer_a):
    response = obtain(api_client)
    assert response.status_code == 200
    key = response.json()["token"]
    assert len(key) == 40 and response.json()["expires"]
    assert works(api_client, key)
    token = ApiToken.objects.get(user=officer_a)
    assert token.digest == digest(key) and token.prefix == key[:8]
    assert key not in every_stored_text()


def test_a_token_expires_after_the_configured_number_of_days(api_client, officer_a, settings):
    settings.AMINA_TOKEN_TTL_DAYS = 7
    key = obtain(api_client).json()["token"]
    token = ApiToken.objects.get(user=officer_a)
    assert token.expires_at - token.created_at == datetime.timedelta(days=7)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/v1/geo/governorates/")
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_a_token_records_when_it_was_last_used(api_client, officer_a):
    key = obtain(api_client).json()["token"]
    assert ApiToken.objects.get(user=officer_a).last_used_at is None
    assert works(api_client, key)
    assert ApiToken.objects.get(user=officer_a).last_used_at is not None


def test_changing_ones_password_revokes_every_token(client, api_client, officer_a):
    first, second = obtain(api_client).json()["token"], obtain(api_client).json()["token"]
    assert works(api_client, first) and works(api_client, second)
    client.force_login(officer_a)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(api_client, first) and not works(api_client, second)
    assert not ApiToken.objects.filter(user=officer_a).exists()


def test_a_password_set_by_an_administrator_revokes_the_users_tokens(
    client, api_client, admin_user, officer_a
):
    key = obtain(api_client).json()["token"]
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{officer_a.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert not works(api_client, key)


def test_a_password_set_from_the_command_line_revokes_the_users_tokens(
    api_client, officer_a, monkeypatch
):
    from io import StringIO

    from django.contrib.auth.management.commands import changepassword
    from django.core.management import call_command

    key = obtain(api_client).json()["token"]
    # The command reads the new password twice from the terminal.
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": NEW_PASSWORD)
    call_command("changepassword", "officer_a", stdout=StringIO())
    assert not works(api_client, key)


def test_other_saves_of_the_user_keep_the_tokens(api_client, officer_a):
    key = obtain(api_client).json()["token"]
    officer_a.first_name = "Hassan"
    officer_a.save()
    assert works(api_client, key)


def test_the_profile_page_shows_a_new_token_once_then_only_its_prefix(client, officer_a):
    client.force_login(officer_a)
    response = client.post("/accounts/profile/token/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert key in response.content.decode()
    page = client.get("/accounts/profile/").content.decode()
    assert key not in page and f"{key[:8]}…" in page
    assert "never" in page  # not used yet


def test_a_new_token_from_the_profile_page_replaces_the_others(client, api_client, officer_a):
    old = obtain(api_client).json()["token"]
    client.force_login(officer_a)
    new = client.post("/accounts/profile/token/").context["new_key"]
    assert not works(api_client, old) and works(api_client, new)


def test_the_profile_page_revokes_one_token_or_all(client, api_client, officer_a, officer_b):
    one, two, three = (issue_token(officer_a)[1] for _ in range(3))
    theirs = issue_token(officer_b)[1]
    client.force_login(officer_a)
    token = ApiToken.objects.get(digest=digest(one))
    assert client.post("/accounts/profile/token/revoke/", {"token": token.pk}).status_code == 302
    assert not works(api_client, one) and works(api_client, two)
    other = ApiToken.objects.get(digest=digest(theirs))
    client.post("/accounts/profile/token/revoke/", {"token": other.pk})
    assert works(api_client, theirs)  # someone else's token is out of reach
    client.post("/accounts/profile/token/revoke/")
    assert not works(api_client, two) and not works(api_client, three)
    assert works(api_client, theirs)


def test_the_token_endpoint_counts_failures_and_locks_out_like_the_login_page(
    api_client, officer_a
):
    for _ in range(4):
        response = obtain(api_client, password="wrong-password")
        assert response.status_code == 400 and "token" not in response.json()
    assert obtain(api_client, password="wrong-password").status_code == 429
    response = obtain(api_client)
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    # The login page shares the count: the account is locked there too.
    page = Client().post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert page.status_code == 429


def test_a_user_holds_a_bounded_number_of_tokens(officer_a):
    from amina.accounts.tokens import MAX_TOKENS_PER_USER

    keys = [issue_token(officer_a, channel="api")[1] for _ in range(MAX_TOKENS_PER_USER + 2)]
    kept = set(ApiToken.objects.filter(user=officer_a).values_list("digest", flat=True))
    assert kept == {digest(k) for k in keys[-MAX_TOKENS_PER_USER:]}


def test_earlier_clear_tokens_are_hashed_and_deleted_by_the_migration(api_client, officer_a):
    from importlib import import_module

    migration = import_module("amina.accounts.migrations.0002_api_tokens")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created datetime NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [key, timezone.now(), officer_a.pk],
        )
    from types import SimpleNamespace

    from django.apps import apps

    # The migration uses only the editor's connection (SQLite refuses a real schema
    # editor inside the test's transaction).
    migration.hash_earlier_tokens(apps, SimpleNamespace(connection=connection))
    token = ApiToken.objects.get(user=officer_a)
    assert token.channel == "migrated" and token.expires_at > timezone.now()
    assert works(api_client, key)
    assert key not in every_stored_text()
