"""What a locked-out caller is told (``AXES_LOCKOUT_CALLABLE``).

django-axes counts failed log-ins on the login page and on ``POST /api/v1/auth/token/``
alike (both authenticate through ``django.contrib.auth.authenticate`` with the request).
A locked-out page visitor gets the page ``registration/locked_out.html``; an API caller
gets JSON it can read, with the same status (429), not an HTML page.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _(
                    "Too many failed log-in attempts: this account is locked for a while. "
                    "Try again later, or ask an administrator to unlock it."
                )
            },
            status=status,
        )
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {}, status=status)
