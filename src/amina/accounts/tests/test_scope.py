"""The scope every aggregate query takes: every governorate for national users, else the
user's own list (and nothing for a user who is not logged in)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from amina.accounts import access

pytestmark = pytest.mark.django_db


def test_national_scope_is_every_governorate(national_user, admin_user):
    assert access.governorate_filter(national_user) is None


def test_an_officer_is_limited_to_their_governorates(officer_a, gov_a, gov_b):
    assert access.governorate_filter(officer_a) == {gov_a.pk}


def test_an_anonymous_or_inactive_user_has_no_governorate(officer_a):
    assert access.governorate_filter(AnonymousUser()) == set()
    officer_a.is_active = False
    assert access.governorate_filter(officer_a) == set()
