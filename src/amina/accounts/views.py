from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amina.accounts import access, tokens
from amina.accounts.models import ApiToken


def _profile(request, new_key: str | None = None, status: int = 200):
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "now": timezone.now(),
            "new_key": new_key,
            "ttl_days": tokens.ttl().days,
        },
        status=status,
    )


def profile(request):
    return _profile(request)


@require_POST
@access.requires("account.self")
def regenerate_token(request):
    """A new API token for the current user, shown on this one response only (only its
    digest is stored); the user's other tokens stop working at once."""
    had = ApiToken.objects.filter(user=request.user).exists()
    _token, key = tokens.issue_token(request.user, replace=True)
    if had:
        messages.success(request, _("A new API token was created. The old one no longer works."))
    else:
        messages.success(request, _("A new API token was created."))
    response = _profile(request, new_key=key)
    add_never_cache_headers(response)
    return response


@require_POST
@access.requires("account.self")
def revoke_token(request):
    """Revoke one of the user's tokens (``token`` in the form) or, without it, all."""
    token_id = request.POST.get("token", "")
    count = tokens.revoke_tokens(
        request.user,
        actor=request.user,
        reason="revoked by the user",
        token_id=int(token_id) if token_id.isdigit() else None,
    )
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s API token was revoked: it no longer works.",
                "%(count)s API tokens were revoked: they no longer work.",
                count,
            )
            % {"count": count},
        )
    return redirect("profile")
