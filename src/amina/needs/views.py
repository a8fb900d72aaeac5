"""Needs pages: overview, governorate heat table and map, assessments, gaps, import,
field form and exports. Every read passes through the access policy."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from amina.accounts import access
from amina.geo.models import Location
from amina.jobs.services import start_job
from amina.jobs.uploads import fits, save_upload
from amina.lib.downloads import file_response
from amina.lib.i18n import Message
from amina.lib.panels import home_panel
from amina.needs import queries
from amina.needs.exports import export_needs
from amina.needs.forms import AssessmentForm, ImportForm
from amina.needs.jobs import KIND
from amina.needs.models import NeedsAssessment, Phase, Sector
from amina.needs.services import population_default, record_assessment
from amina.needs.severity import IN_NEED_FROM, SCALE, SEVERE_FROM, level
from amina.needs.xlsform import build_form

#: An assessment older than this is flagged as stale on the heat table.
STALE_AFTER_DAYS = 90


def _cell(value: int | None) -> dict:
    lvl = level(value)
    if lvl is None:
        return {"value": None}
    return {"value": value, "bg": lvl.colour, "fg": lvl.text_colour, "label": lvl.label}


def overview(request):
    """Governorates × sectors (highest severity, severe locations), top needs, people in need.

    Aggregates only, so partners see it too.
    """
    user = request.user
    ids = access.governorate_ids(user)
    governorates = list(access.governorates_in_scope(user))
    sectors = list(Sector.objects.order_by("code"))
    worst: dict[tuple[int, int], int] = {}
    severe: dict[tuple[int, int], int] = defaultdict(int)
    assessed: dict[int, set] = defaultdict(set)
    for row in queries.latest_severity(ids):
        key = (row.governorate_id, row.sector_code)
        worst[key] = max(worst.get(key, 0), row.severity)
        severe[key] += row.severity >= SEVERE_FROM
        assessed[row.governorate_id].add(row.location_id)
    table = [
        {
            "governorate": g,
            "locations": len(assessed[g.pk]),
            "cells": [
                {**_cell(worst.get((g.pk, s.code))), "severe": severe[(g.pk, s.code)]}
                for s in sectors
            ],
        }
        for g in governorates
        if assessed[g.pk]
    ]
    pin = queries.people_in_need(ids)
    return render(
        request,
        "needs/overview.html",
        {
            "sectors": sectors,
            "table": table,
            "scale": SCALE,
            "top": queries.top_priority_needs(ids, limit=5),
            "people_in_need": [(s, pin.get(s.code, 0)) for s in sectors if pin.get(s.code)],
            "detail": access.sees_detail(user),
            "can_record": access.allowed(user, "needs.record"),
            "in_need_from": IN_NEED_FROM,
            "severe_from": SEVERE_FROM,
        },
    )


def _heat_rows(
    latest: list[NeedsAssessment], by_location: dict[int, dict[int, int]], sectors: list[Sector]
) -> tuple[list[dict], list[dict]]:
    """The heat table's rows (a cell per sector, stale when old) and the map's points
    (the located locations, with their severities by sector code)."""
    today = timezone.localdate()
    rows, points = [], []
    for a in latest:
        values = by_location[a.location_id]
        age = (today - a.assessed_on).days
        rows.append(
            {
                "assessment": a,
                "location": a.location,
                "age": age,
                "stale": age > STALE_AFTER_DAYS,
                "cells": [_cell(values.get(s.code)) for s in sectors],
            }
        )
        if a.location.centroid_lat is not None:
            points.append(
                {
                    "name": a.location.name,
                    "lat": a.location.centroid_lat,
                    "lon": a.location.centroid_lon,
                    "url": a.get_absolute_url(),
                    "date": a.assessed_on.isoformat(),
                    "sev": {str(k): v for k, v in values.items()},
                }
            )
    return rows, points


def governorate(request, pcode):
    """Locations × sectors heat table of one governorate, with a map per sector."""
    user = request.user
    access.require_detail(user)
    gov = get_object_or_404(access.governorates_in_scope(user), pcode=pcode)
    access.check_governorate(user, gov)
    sectors = list(Sector.objects.order_by("code"))
    latest = list(
        queries.latest_assessments([gov.pk])
        .select_related("location__district")
        .order_by("location__name_en", "location_id")
    )
    by_location: dict[int, dict[int, int]] = defaultdict(dict)
    for row in queries.latest_severity([gov.pk]):
        by_location[row.location_id][row.sector_code] = row.severity
    rows, points = _heat_rows(latest, by_location, sectors)
    pin = queries.people_in_need([gov.pk])
    sector_param = request.GET.get("sector")
    chosen = next(
        (s for s in sectors if str(s.code) == sector_param), sectors[0] if sectors else None
    )
    return render(
        request,
        "needs/governorate.html",
        {
            "governorate": gov,
            "sectors": sectors,
            "rows": rows,
            "scale": SCALE,
            "top": queries.top_priority_needs([gov.pk], limit=5),
            "people_in_need": [(s, pin.get(s.code, 0)) for s in sectors],
            "map_points": points,
            "chosen_sector": chosen,
            "legend": [
                {"value": lvl.value, "bg": lvl.colour, "fg": lvl.text_colour, "label": lvl.label}
                for lvl in SCALE
            ],
            "stale_after": STALE_AFTER_DAYS,
            "can_record": access.allowed(user, "needs.record"),
        },
    )


def assessment_list(request):
    user = request.user
    access.require_detail(user)
    qs = access.scoped(user, NeedsAssessment).select_related(
        "location__governorate", "assessed_by", "phase", "submission"
    )
    if gov := request.GET.get("governorate"):
        qs = qs.filter(location__governorate__pcode=gov)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/assessment_list.html",
        {
            "page": page,
            "governorates": access.governorates_in_scope(user),
            "can_record": access.allowed(user, "needs.record"),
            "today": timezone.localdate(),
        },
    )


def assessment_detail(request, pk):
    user = request.user
    assessment = access.get_scoped_or_404(
        user,
        NeedsAssessment.objects.select_related("location__governorate", "phase", "assessed_by"),
        pk=pk,
    )
    severities = [
        {"sector": s.sector, **_cell(s.severity)}
        for s in assessment.severities.select_related("sector").order_by("sector__code")
    ]
    return render(
        request,
        "needs/assessment_detail.html",
        {
            "assessment": assessment,
            "severities": severities,
            "priorities": assessment.priorities.select_related("sector"),
            "age": (timezone.localdate() - assessment.assessed_on).days,
            "submission": getattr(assessment, "submission", None),
        },
    )


@require_http_methods(["GET", "POST"])
@access.requires("needs.record")
def assessment_create(request):
    user = request.user
    locations = (
        access.scoped(user, Location)
        .select_related("governorate")
        .order_by("governorate__pcode", "name_en")
    )
    governorates = list(access.governorates_in_scope(user))
    chosen_gov = request.GET.get("governorate") or request.POST.get("governorate_filter")
    if chosen_gov:
        locations = locations.filter(governorate__pcode=chosen_gov)
    initial = {"assessed_on": timezone.localdate()}
    if loc_id := request.GET.get("location"):
        initial["location"] = loc_id
    form = AssessmentForm(request.POST or None, locations=locations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = record_assessment(user, form.to_data())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect(assessment.get_absolute_url())
    figure = None
    location = form["location"].value()
    if location and str(location).isdigit():
        loc = locations.filter(pk=int(location)).first()
        if loc is not None:
            figure = population_default(loc)
    return render(
        request,
        "needs/assessment_form.html",
        {
            "form": form,
            "scale": SCALE,
            "governorates": governorates,
            "chosen_gov": chosen_gov or "",
            "figure": figure,
        },
    )


def gaps(request):
    """Severe needs per location and sector, most severe first.

    Whether an organisation responds there is coordination's to say (it knows both the
    needs and the 4W): its "Duplication and gaps" page, linked from here, shows it.
    """
    user = request.user
    access.require_detail(user)
    ids = access.governorate_ids(user)
    severe = queries.severe_needs(SEVERE_FROM, ids)
    locations = (
        access.scoped(user, Location)
        .select_related("governorate")
        .in_bulk({r.location_id for r in severe})
    )
    sectors = {s.code: s for s in Sector.objects.all()}
    rows = sorted(
        (
            {
                "row": r,
                "location": locations[r.location_id],
                "sector": sectors[r.sector_code],
                **_cell(r.severity),
            }
            for r in severe
        ),
        key=lambda d: (
            -d["row"].severity,
            d["location"].governorate.pcode,
            d["location"].name_en,
            d["row"].sector_code,
        ),
    )
    return render(request, "needs/gaps.html", {"rows": rows, "severe_from": SEVERE_FROM})


@require_http_methods(["GET", "POST"])
@access.requires("needs.import")
def import_view(request):
    """Upload: the file is kept and a background job imports it (all or nothing); the
    job's page shows its progress, then the counts or every problem by row."""
    user = request.user
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and fits(form, "file"):
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name[:200]
        job = start_job(
            KIND,
            {
                "path": str(save_upload(upload, "uploads/needs")),
                "filename": name,
                "language": translation.get_language(),
            },
            user,
            label=Message(gettext_noop("Import %(name)s"), name=name),
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "needs/import.html", {"form": form})


def xlsform_download(request):
    """The field form for KoboToolbox / ODK Collect with the locations in the user's scope:
    a zip of the XLSForm and the ``locations.csv`` to attach to it."""
    user = request.user
    access.check(user, "needs.record")
    try:
        form = build_form(access.governorates_in_scope(user))
    except ValueError:
        messages.error(request, _("There is no location in your governorates to put in the form."))
        return redirect("needs:overview")
    return file_response(form.zip(), "zip", "amina-needs-form")


def export_download(request):
    """Detail rows for roles that see locations; governorate aggregates for partners."""
    user = request.user
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx", "hxl"):
        fmt = "csv"
    ids = access.governorate_ids(user)
    if access.sees_detail(user):
        return file_response(export_needs(ids, fmt), fmt, "amina-needs")
    return file_response(export_needs(ids, fmt, summary=True), fmt, "amina-needs-summary")


def reference(request):
    return render(
        request,
        "needs/reference.html",
        {
            "sectors": Sector.objects.order_by("code"),
            "phases": Phase.objects.order_by("order"),
            "scale": SCALE,
            "in_need_from": IN_NEED_FROM,
            "severe_from": SEVERE_FROM,
        },
    )


@home_panel("needs/_panel.html")
def needs_panel(request):
    """Top priority needs and severe needs in the user's scope, if any were assessed."""
    ids = access.governorate_ids(request.user)
    top = queries.top_priority_needs(ids, limit=3)
    if not top:
        return None
    return {
        "top": top,
        "severe": len({r.location_id for r in queries.severe_needs(SEVERE_FROM, ids)}),
    }
