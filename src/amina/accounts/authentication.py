"""The DRF authentication class of API tokens (``Authorization: Token <key>``).

DRF imports this module while ``rest_framework.views`` loads, possibly before the apps
are ready, so it imports nothing of ours at module level and nothing of DRF but
``authentication`` and ``exceptions``. Tokens themselves: ``amina.accounts.tokens``.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

KEYWORD = "Token"


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>``, checked against the stored digests."""

    keyword = KEYWORD

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Give the word Token, a space and the token.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        from amina.accounts.tokens import authenticate_key

        return authenticate_key(key)

    def authenticate_header(self, request):
        return self.keyword
