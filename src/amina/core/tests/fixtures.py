"""Fixtures shared by the foundation's test folders (imported by their ``conftest.py``)."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas are created per test: proper PBKDF2 hashing (a second each) would dominate."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
