"""API tokens: made, checked and revoked here, stored only as digests.

Why not django-rest-knox, which also hashes and expires tokens: the profile page must
show when a token was last used, which knox does not record, and knox's login view takes
HTTP Basic credentials where our contract is ``POST /api/v1/auth/token/`` with a username
and a password. What we need is small: a random key (40 hex characters, like the tokens
clients had before), its SHA-256 digest as the only stored form (the key carries 160
random bits, so a fast unsalted hash is safe: there is nothing to guess), its first
characters to tell tokens apart, an expiry (``AMINA_TOKEN_TTL_DAYS``) and revocation on
password change (``User.save``). The header stays ``Authorization: Token <key>``.

The DRF authentication class is ``amina.accounts.authentication.TokenAuthentication``.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

from amina.accounts.models import ApiToken, User
from amina.audit.services import record_change

KEY_BYTES = 20  # 40 hex characters
#: A user may hold this many live tokens (one per script or device); making one more
#: revokes the oldest.
MAX_TOKENS_PER_USER = 10
#: ``last_used_at`` is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def ttl() -> datetime.timedelta:
    return datetime.timedelta(days=settings.AMINA_TOKEN_TTL_DAYS)


@transaction.atomic
def issue_token(
    user: User, *, channel: str = ApiToken.Channel.WEB, replace: bool = False
) -> tuple[ApiToken, str]:
    """A new token for ``user``: the stored record and the key, which the caller shows
    once and which exists nowhere else afterwards.

    ``replace`` revokes the user's other tokens (the profile page's "new token": the old
    one must stop working). Otherwise the oldest tokens beyond ``MAX_TOKENS_PER_USER``
    go, and expired ones are cleared. Recorded in the change history without the key.
    """
    now = timezone.now()
    replaced = 0
    if replace:
        replaced = ApiToken.objects.filter(user=user).delete()[0]
    else:
        ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
        keep = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
        surplus = list(keep.values_list("pk", flat=True)[MAX_TOKENS_PER_USER - 1 :])
        if surplus:
            ApiToken.objects.filter(pk__in=surplus).delete()
    key = secrets.token_hex(KEY_BYTES)
    token = ApiToken.objects.create(
        user=user,
        prefix=key[:8],
        digest=digest(key),
        channel=channel,
        created_at=now,
        expires_at=now + ttl(),
    )
    record_change(
        user,
        user,
        "update",
        {"api_token": ["replaced" if replaced else None, "created"]},
    )
    return token, key


@transaction.atomic
def revoke_tokens(user: User, *, actor, reason: str, token_id: int | None = None) -> int:
    """Revoke one token of ``user`` (``token_id``) or all of them; recorded with the
    reason when there was anything to revoke. Returns how many were revoked."""
    tokens = ApiToken.objects.filter(user=user)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    count = tokens.delete()[0]
    if count:
        record_change(actor, user, "update", {"api_token": [f"{count} revoked", reason]})
    return count


def authenticate_key(key: str) -> tuple[User, ApiToken]:
    """The user a key belongs to, or AuthenticationFailed with the reason."""
    token = (
        ApiToken.objects.select_related("user").filter(digest=digest(key)).first() if key else None
    )
    if token is None:
        raise exceptions.AuthenticationFailed(_("Invalid token."))
    now = timezone.now()
    if token.expires_at <= now:
        raise exceptions.AuthenticationFailed(
            _("This token has expired. Create a new one on your profile page.")
        )
    if not token.user.is_active:
        raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
