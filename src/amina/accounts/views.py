from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from amina.accounts import services


def profile(request):
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/profile.html", {"token": token})


@require_POST
def regenerate_token(request):
    """A new API token for the current user; the old one stops working at once."""
    services.regenerate_token(request.user)
    messages.success(request, _("A new API token was created. The old one no longer works."))
    return redirect("profile")
