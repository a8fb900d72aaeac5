"""Test personas shared by every app (after healthchecks and RapidPro).

Governorate A is Al-Najaf (IQG04), governorate B is Duhok (IQG09). Each persona is a
real user created through the service that the UI and CLI use.
"""

import pytest

PASSWORD = "correct-horse-battery-9"  # noqa: S105 (test personas only)


def load_reference_data() -> None:
    """All reference data (the 18 governorates, 101 districts, DTM shelter types and periods,
    MCOF sectors and phases), loading only what is missing."""
    from amina.geo.models import District, Governorate, PlaceAlias
    from amina.geo.reference import load_reference_geography
    from amina.needs.models import Phase, Sector
    from amina.needs.reference import load_mcof_reference
    from amina.tracking.models import DisplacementPeriod, ShelterType
    from amina.tracking.reference import load_tracking_reference

    if Governorate.objects.count() < 18:
        load_reference_geography(Governorate, District, PlaceAlias)
    if not ShelterType.objects.exists():
        load_tracking_reference(ShelterType, DisplacementPeriod)
    if not Sector.objects.exists():
        load_mcof_reference(Sector, Phase)


@pytest.fixture
def reference_geography(db):
    """The reference data, also after a transactional test flushed the database."""
    load_reference_data()


@pytest.fixture
def gov_a(reference_geography):
    from amina.geo.models import Governorate

    return Governorate.objects.get(pcode="IQG04")


@pytest.fixture
def gov_b(reference_geography):
    from amina.geo.models import Governorate

    return Governorate.objects.get(pcode="IQG09")


def make_user(username, role, governorates=(), personal_data=False, national=None):
    from amina.accounts.services import create_user

    return create_user(
        None,
        username,
        role=role,
        password=PASSWORD,
        governorates=governorates,
        personal_data=personal_data,
        national_scope=national,
    )


@pytest.fixture
def admin_user(reference_geography):
    return make_user("admin1", "admin")


@pytest.fixture
def national_user(reference_geography):
    return make_user("national1", "national", personal_data=True)


@pytest.fixture
def officer_a(gov_a):
    return make_user("officer_a", "governorate", [gov_a], personal_data=True)


@pytest.fixture
def officer_b(gov_b):
    return make_user("officer_b", "governorate", [gov_b], personal_data=True)


@pytest.fixture
def field_a(gov_a):
    return make_user("field_a", "field", [gov_a])


@pytest.fixture
def logistics_a(gov_a):
    return make_user("logistics_a", "logistics", [gov_a])


@pytest.fixture
def partner(reference_geography):
    return make_user("partner1", "partner", national=True)


@pytest.fixture
def personas(admin_user, national_user, officer_a, officer_b, field_a, logistics_a, partner):
    return {
        "admin": admin_user,
        "national": national_user,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "field_a": field_a,
        "logistics_a": logistics_a,
        "partner": partner,
    }


@pytest.fixture
def location_a(gov_a):
    from amina.geo.models import Location

    district = gov_a.districts.first()
    return Location.objects.create(
        name_en="Hay Al-Nour 1",
        name_ar="حي النور 1",
        governorate=gov_a,
        district=district,
        centroid_lat=32.0,
        centroid_lon=44.3,
        dtm_place_id="900001",
    )


@pytest.fixture
def location_b(gov_b):
    from amina.geo.models import Location

    district = gov_b.districts.first()
    return Location.objects.create(
        name_en="Hay Al-Salam 2",
        name_ar="حي السلام 2",
        governorate=gov_b,
        district=district,
        centroid_lat=36.9,
        centroid_lon=43.0,
        dtm_place_id="900002",
    )


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created per test; the production hasher's cost would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_by_plain_name(settings):
    """Pages under test link static files by their plain names, which the test server's
    finders serve, whatever a local `amina serve` left collected (hashed) in var/static.
    The collected, hashed and compressed files have their own test
    (src/amina/core/tests/test_static_files.py)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_throttle_history():
    """API throttling counts requests in the cache; one test's requests must not count
    against the next (user ids repeat between tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """Each test starts in English: a request in Arabic must not leak into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
