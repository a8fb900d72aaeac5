from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render

from amina.accounts import access
from amina.geo.scopemap import scope_map
from amina.jobs.models import Job
from amina.lib.panels import HOME_PANELS


def home(request):
    user = request.user
    governorates = access.governorates_in_scope(user).annotate(n_locations=Count("locations"))
    panels = []
    for template, func in HOME_PANELS:
        context = func(request)
        if context is not None:
            panels.append((template, context))
    jobs = (
        Job.objects.filter(created_by=user)[:5]
        if not access.is_admin(user)
        else Job.objects.all()[:5]
    )
    return render(
        request,
        "core/home.html",
        {
            "governorates": governorates,
            "national": access.has_national_scope(user),
            "panels": panels,
            "jobs": jobs,
            "detail": access.sees_detail(user),
            "scope_map": scope_map(user),
        },
    )


@login_not_required
def healthz(request):
    """For load balancers: 200 when the database answers, 503 (in JSON) when it cannot be
    reached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (OperationalError, InterfaceError):
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
