"""``POST /api/v1/auth/token/``: an API token for a username and a password.

Kept apart from ``accounts.api`` (the resources): this view is public and shares the
login lockout. Tokens themselves: ``amina.accounts.tokens``.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from amina.accounts.models import ApiToken
from amina.accounts.tokens import issue_token


class AuthTokenSerializer(serializers.Serializer):
    username = serializers.CharField(write_only=True)
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, trim_whitespace=False
    )
    token = serializers.CharField(read_only=True)
    expires = serializers.DateTimeField(read_only=True)


class ObtainToken(APIView):
    """A new API token for a username and password: ``{"token": …, "expires": …}``.

    Each call makes a new token (the key is shown once: only its digest is kept), valid
    for ``AMINA_TOKEN_TTL_DAYS`` days. A wrong password counts as a failed log-in for
    the lockout, as on the login page: a locked-out account gets 429 and no token.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = AuthTokenSerializer

    @extend_schema(request=AuthTokenSerializer, responses=AuthTokenSerializer)
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: django-axes marks a locked-out attempt
        # on it, and its middleware answers for it.
        user = authenticate(
            request=request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with the username and password given.")]}
            )
        token, key = issue_token(user, channel=ApiToken.Channel.API)
        return Response({"token": key, "expires": token.expires_at})


class TokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document names ``Authorization: Token <key>`` (as DRF's did)."""

    target_class = "amina.accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.keyword
        )
