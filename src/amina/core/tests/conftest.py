"""Fast password hashing for this folder's tests."""

from amina.core.tests.fixtures import fast_password_hashing  # noqa: F401
