"""Answers given before, or instead of, a view: without the database.

- a request whose text carries a NUL character is refused (400): no text field may hold
  one, and PostgreSQL rejects it with an error deep inside a query;
- when the database cannot be reached, a page explains it (503) in the user's language,
  and the API says so in JSON.

Pages here render from ``templates/errors/plain.html`` without a request, so no context
processor, session or user is looked up (each of those would need the database) — except
403 and 404, which have a request and a user: they are pages of Amina with its menu
(``403.html``, ``404.html`` on ``base.html``), in the user's language, and a 403 says why
(``amina.accounts.access.refusal``) and whom to ask.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

#: What a lost database connection raises (the server is down, refuses, or dropped us).
DATABASE_DOWN = (OperationalError, InterfaceError)
#: Seconds after which a client may try again.
RETRY_AFTER = "30"


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _page(template: str, context: dict, status: int) -> HttpResponse:
    return HttpResponse(loader.render_to_string(template, context), status=status)


def nul_refused(request, name: str) -> HttpResponse:
    """400 for a NUL character in ``name`` (a query parameter, a form field or the path)."""
    name = name[:60]
    message = _(
        "The request was refused: “%(name)s” contains a null character, which no text "
        "may contain. Remove it and try again."
    ) % {"name": name}
    if is_api(request):
        return JsonResponse(
            {"detail": message, "code": "null_character", "errors": {name: [message]}},
            status=400,
        )
    return _page("errors/bad_request.html", {"message": message}, 400)


def database_unavailable(request) -> HttpResponse:
    """503 while the database cannot be reached: a page in the user's language, or JSON."""
    if is_api(request):
        response = JsonResponse(
            {
                "detail": _("The database cannot be reached at the moment; try again later."),
                "code": "database_unavailable",
            },
            status=503,
        )
    else:
        response = _page("503.html", {}, 503)
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def _administrators() -> list[str]:
    """Whom to ask for a role or a governorate: the active administrators, by name."""
    from amina.accounts.models import Role, User

    people = User.objects.filter(is_active=True, role=Role.ADMIN).order_by("pk")[:3]
    return [u.get_full_name() or u.get_username() for u in people]


def permission_denied(request, exception=None) -> HttpResponse:
    """``handler403``: why (the reason ``PermissionDenied`` carries) and whom to ask."""
    from django.shortcuts import render

    reason = exception.args[0] if exception is not None and exception.args else None
    if is_api(request):
        text = str(reason) if reason else _("You do not have permission to perform this action.")
        return JsonResponse({"detail": text, "code": "permission_denied"}, status=403)
    context = {"reason": reason, "administrators": _administrators()}
    return render(request, "403.html", context, status=403)


def page_not_found(request, exception=None) -> HttpResponse:
    """``handler404``: a page of Amina with its menu and a way back; JSON under /api/."""
    from django.shortcuts import render

    if is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return render(request, "404.html", {}, status=404)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent from a page that has gone stale (a session that
    ended, a form open too long) — say so in the user's language, without the database."""
    return _page("errors/csrf.html", {}, 403)


def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """``handler500``: the 503 answer when the error is a lost database, whichever
    middleware or view met it first (the session, the user, a context processor);
    Django's plain 500 otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        return database_unavailable(request)
    return defaults.server_error(request, template_name)
