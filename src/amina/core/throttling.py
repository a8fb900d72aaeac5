"""API throttling: a number of requests per user (token or session), and per address for
callers without credentials. Rates come from settings (``AMINA_API_RATE_USER``,
``AMINA_API_RATE_ANON``); a refused request answers 429 with ``Retry-After``.

A module of its own: DRF imports the throttle classes while defining ``APIView``, so they
must not live beside the viewsets.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    """Reads its rate when asked, not when the class is defined, so that the settings (and
    ``override_settings`` in tests) decide it: ``AMINA_API_RATE_USER`` / ``_ANON``."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Requests per user (token or session), whatever the endpoint."""


class AnonRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Requests per address of callers without credentials (the schema and its docs)."""
