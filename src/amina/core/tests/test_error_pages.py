"""403, 404 and 500 are Amina's own pages: in the reader's language, right to left in
Arabic, with the menu where there is a user (403, 404), a way back, and for a 403 the
reason (role or scope) and whom to ask (issue 16)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation

from amina.accounts import access
from amina.core import errors

ARABIC = re.compile(r"[\u0600-\u06ff]")


def _get(client, user, url, language):
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def test_a_refused_role_gets_a_page_with_the_menu_and_the_reason(client, field_a, admin_user):
    response = _get(client, field_a, "/registry/weights/", "en")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'id="nav"' in page and 'dir="ltr"' in page  # the menu of every page
    assert "Your role (field team) cannot do this." in page
    assert admin_user.get_username() in page  # whom to ask
    assert 'href="/"' in page


def test_the_refusal_reads_in_arabic_right_to_left(client, field_a, admin_user):
    response = _get(client, field_a, "/registry/weights/", "ar")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'dir="rtl"' in page and 'id="nav"' in page
    assert "Your role" not in page and "cannot do this" not in page
    reason = re.search(r'data-testid="forbidden-reason">(.*?)</p>', page, re.S).group(1)
    assert ARABIC.search(reason)


def test_a_governorate_outside_the_scope_is_named_in_the_reason(officer_a, gov_b):
    reason = access.refusal(officer_a, "registry.register", gov_b)
    request = RequestFactory().get("/registry/")
    request.user = officer_a
    with translation.override("en"):
        page = errors.permission_denied(request, PermissionDenied(reason)).content.decode()
    assert "Duhok is outside your governorates." in page
    with translation.override("ar"):
        page = errors.permission_denied(request, PermissionDenied(reason)).content.decode()
    assert "outside your governorates" not in page and "دهوك" in page


def test_check_says_why_it_refuses(officer_a, gov_b, partner):
    with pytest.raises(PermissionDenied) as refused:
        access.check(officer_a, "registry.register", gov_b)
    assert str(refused.value) == "Duhok is outside your governorates."
    with pytest.raises(PermissionDenied) as refused:
        access.check(partner, "registry.register", gov_b)
    assert str(refused.value) == "Your role (partner) cannot do this."


@pytest.mark.parametrize("language, direction", [("en", "ltr"), ("ar", "rtl")])
def test_a_missing_page_is_amina_s_with_the_menu(client, officer_a, language, direction):
    response = _get(client, officer_a, "/no/such/page/", language)
    page = response.content.decode()
    assert response.status_code == 404
    assert f'dir="{direction}"' in page and 'id="nav"' in page
    assert 'data-testid="not-found"' in page and 'href="/"' in page
    if language == "ar":
        assert "This page does not exist" not in page and ARABIC.search(page)
    else:
        assert "This page does not exist" in page


def test_a_missing_api_route_answers_json(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("language, direction", [("en", "ltr"), ("ar", "rtl")])
def test_a_server_error_page_needs_no_database_and_links_home(language, direction):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = errors.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert f'dir="{direction}"' in page and 'href="/"' in page
    assert 'data-testid="server-error"' in page
    if language == "ar":
        assert "Something went wrong" not in page and ARABIC.search(page)
