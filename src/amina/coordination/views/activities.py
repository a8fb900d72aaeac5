"""4W pages: list with filters, form, import, matrices, map, duplication and gaps."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amina.accounts import access
from amina.coordination import queries
from amina.coordination.exports import activity_point, activity_table
from amina.coordination.forms import ActivityFilterForm, ActivityForm, UploadForm
from amina.coordination.jobs import KIND
from amina.coordination.models import Activity
from amina.coordination.services.activities import save_activity
from amina.coordination.views.common import form_errors, page_of
from amina.jobs.services import start_job
from amina.jobs.uploads import fits, save_upload
from amina.lib.downloads import file_response
from amina.lib.i18n import Message


def readable(user):
    """The 4W is shared among the actors of a governorate: partners read it too."""
    return access.scoped(user, Activity, detail=False)


def _filtered(request):
    form = ActivityFilterForm(request.GET or None, user=request.user)
    qs = form.apply(readable(request.user)) if request.GET else readable(request.user)
    return form, qs


def activity_list(request):
    form, qs = _filtered(request)
    qs = qs.select_related("organisation", "sector", "governorate", "district", "location")
    totals = qs.aggregate(reached=Sum("people_reached"))
    page = page_of(request, qs)
    for a in page:
        a.editable = access.allowed(
            request.user, "activity.report", a.governorate, organisation=a.organisation
        )
    return render(
        request,
        "coordination/activity_list.html",
        {
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "reached": totals["reached"] or 0,
            "query": request.GET.urlencode(),
        },
    )


def activity_export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx", "hxl", "geojson"):
        fmt = "csv"
    _form, qs = _filtered(request)
    return file_response(activity_table(qs, fmt), fmt, "4w-activities")


@access.requires("activity.report")
def activity_edit(request, pk=None):
    activity = None
    if pk is not None:
        activity = get_object_or_404(readable(request.user), pk=pk)
        org = activity.organisation
        access.check(request.user, "activity.report", activity.governorate, organisation=org)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            save_activity(request.user, form.instance)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("coordination:activity-list")
    return render(request, "coordination/activity_form.html", {"form": form, "activity": activity})


@access.requires("activity.import")
def activity_import(request):
    """Upload: the sheet is kept and a background job imports it (all or nothing); the
    job's page shows its progress, then the counts or every problem by row."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and fits(form, "file"):
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name[:200]
        job = start_job(
            KIND,
            {
                "path": str(save_upload(upload, "uploads/coordination")),
                "filename": name,
                "language": translation.get_language(),
            },
            request.user,
            label=Message(gettext_noop("Import %(name)s"), name=name),
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "coordination/activity_import.html", {"form": form})


def matrix(request):
    _form, qs = _filtered(request)
    view = request.GET.get("view", "sectors")
    if view == "organisations":
        data = queries.organisation_place_matrix(qs)
    else:
        view = "sectors"
        data = queries.sector_governorate_matrix(qs)
    rows = []
    for row in data.rows:
        cells = []
        for col in data.columns:
            key = col[0] if view == "organisations" else col.pk
            cells.append(data.cells.get((row.pk, key)))
        rows.append((row, cells, data.row_totals.get(row.pk, 0)))
    columns = [c[1] for c in data.columns] if view == "organisations" else data.columns
    return render(
        request,
        "coordination/matrix.html",
        {
            "view": view,
            "rows": rows,
            "columns": columns,
            "form": _form,
            "query": request.GET.urlencode(),
        },
    )


def activity_map(request):
    return render(
        request,
        "coordination/activity_map.html",
        {
            "geojson_url": reverse("coordination:activity-geojson") + "?" + request.GET.urlencode(),
        },
    )


def activity_geojson(request):
    _form, qs = _filtered(request)
    features = []
    for a in qs.select_related("organisation", "sector", "governorate", "district", "location")[
        :5000
    ]:
        geometry = activity_point(a)
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "organisation": str(a.organisation),
                    "sector": a.sector.name,
                    "sector_code": a.sector.code,
                    "activity": a.activity_type,
                    "place": str(a.place),
                    "status": a.get_status_display(),
                    "reached": a.people_reached,
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def overlaps(request):
    """Duplication (several actors, one place and sector) and gaps: every severe need
    (needs assessments) and whether an organisation is present there (4W), gaps first.
    Gaps name locations, so only readers who see location-level records get them."""
    ids = access.governorate_filter(request.user)
    duplicates = queries.duplication(ids)
    gaps = queries.gaps(ids) if access.sees_detail(request.user) else None
    gap_rows = []
    if gaps is not None:
        from amina.geo.models import Location
        from amina.needs.queries import sectors

        places = Location.objects.select_related("governorate").in_bulk(
            {r.location_id for r in gaps}
        )
        by_code = {s.code: s for s in sectors()}
        gap_rows = sorted(
            ((places.get(r.location_id), by_code.get(r.sector_code), r) for r in gaps),
            key=lambda t: (t[2].covered, -t[2].severity, str(t[0]), t[2].sector_code),
        )
    return render(
        request,
        "coordination/overlaps.html",
        {
            "duplicates": duplicates,
            "gap_rows": gap_rows,
            "gaps_available": gaps is not None,
            "gaps_total": len(gap_rows),
            "uncovered": sum(1 for _p, _s, r in gap_rows if not r.covered),
        },
    )
