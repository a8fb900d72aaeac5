"""The figures: country and governorate totals, breakdowns, change since the previous round.

Governorate totals are aggregates: every role sees those of its governorates. Location-
and district-level tables need a detail role (not partners) in that governorate.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.geo.models import District, Governorate, Location
from amina.geo.scopemap import scope_map
from amina.lib.downloads import file_response
from amina.lib.exports import FORMATS
from amina.tracking import queries
from amina.tracking.exports import KINDS, export
from amina.tracking.models import DisplacementPeriod, Round, ShelterType

CRITICAL_COLOUR = "#b02a37"
GROUP_COLOURS = {"private": "#2a9d8f", "camp": "#0b4f6c", "unknown": "#adb5bd"}


def _chosen_round(request):
    code = request.GET.get("round") or ""
    if not code:
        return None
    round_ = Round.objects.filter(code=code).first()
    if round_ is None:
        raise Http404
    return round_


def _chart(rows, colours=None) -> dict:
    """A one-series chart of families from labelled rows (``colours`` per bar, if given)."""
    dataset = {"label": str(_("Families")), "data": [r["families"] for r in rows]}
    if colours is not None:
        dataset["colors"] = colours
    return {"labels": [r["label"] for r in rows], "datasets": [dataset]}


def _shelter_figures(shelters: dict) -> dict:
    """Families per shelter type (with each one's share), per shelter group, and the
    critical shelter's share, with the shelter chart coloured by group."""
    types = list(ShelterType.objects.all())
    shelter_total = sum(shelters.values())
    shelter_rows = [
        {
            "label": t.name,
            "group": t.group,
            "families": shelters.get(t.code, 0),
            "share": 100 * shelters.get(t.code, 0) / shelter_total if shelter_total else 0,
        }
        for t in types
    ]
    groups = {}
    for t in types:
        groups[t.get_group_display()] = groups.get(t.get_group_display(), 0) + shelters.get(
            t.code, 0
        )
    critical = sum(shelters.get(t.code, 0) for t in types if t.group == ShelterType.Group.CRITICAL)
    colours = [
        CRITICAL_COLOUR if r["group"] == "critical" else GROUP_COLOURS.get(r["group"], "#adb5bd")
        for r in shelter_rows
    ]
    return {
        "shelter_chart": _chart(shelter_rows, colours),
        "shelters": shelter_rows,
        "shelter_groups": groups,
        "critical_share": 100 * critical / shelter_total if shelter_total else None,
        "critical_families": critical,
    }


def _breakdowns(round_, gov_ids):
    """Shelter (with the critical share), origin and period breakdowns, labelled.
    ``round_``: the round itself (the latest IDP round for the latest estimate), already
    found, so the three breakdowns do not each look it up again."""
    if round_ is None:  # nothing recorded yet: no breakdown to read
        shelters, origins, periods = {}, {}, {}
    else:
        shelters = queries.shelter_breakdown(round_, gov_ids)
        origins = queries.origin_breakdown(round_, gov_ids)
        periods = queries.period_breakdown(round_, gov_ids)
    shelter_figures = _shelter_figures(shelters)
    govs = {g.pk: g for g in Governorate.objects.all()}
    origin_rows = sorted(
        ({"label": govs[g].name, "families": n} for g, n in origins.items() if g in govs),
        key=lambda r: -r["families"],
    )
    period_rows = [
        {"label": p.name, "families": periods.get(p.code, 0)}
        for p in DisplacementPeriod.objects.all()
    ]
    return {
        **shelter_figures,
        "origin_chart": _chart(origin_rows),
        "period_chart": _chart(period_rows),
        "origins": origin_rows,
        "periods": period_rows,
    }


def _scope_and_country(round_, reference, scope_ids):
    """The scope's totals per governorate and the country's total, from one reading of
    every governorate's totals (the country's figure is what the scope's share needs)."""
    everywhere = queries.governorate_totals(round_)
    national = queries.sum_figures(everywhere, list(everywhere))
    if national.as_of is None and reference is not None:
        national.as_of = reference.date
    return {g: t for g, t in everywhere.items() if g in set(scope_ids)}, national


def figures(request):
    """Country and governorate figures for a round (or the latest estimate)."""
    user = request.user
    round_ = _chosen_round(request)
    in_scope = list(access.governorates_in_scope(user))
    scope_ids = [g.pk for g in in_scope]
    reference = round_ or queries.latest_round("idps")
    totals, national = _scope_and_country(round_, reference, scope_ids)
    previous = queries.previous_round(reference) if reference else None
    before = queries.governorate_totals(previous, scope_ids) if previous else {}
    rows = []
    for gov in in_scope:
        t = totals.get(gov.pk, queries.GovernorateFigures())
        b = before.get(gov.pk)
        rows.append(
            {
                "governorate": gov,
                "figures": t,
                "share": 100 * t.idp_individuals / national.idp_individuals
                if national.idp_individuals
                else 0,
                "change": t.idp_individuals - b.idp_individuals if b is not None else None,
            }
        )
    chosen = [g.pk for g in in_scope if g.pcode in request.GET.getlist("gov")]
    selection = queries.sum_figures(totals, chosen) if chosen else None
    scope_total = queries.sum_figures(totals, scope_ids)
    context = {
        "round": round_,
        "rounds": Round.objects.order_by("-date", "-pk"),
        "national": national,
        "rows": rows,
        "selection": selection,
        "chosen": chosen,
        "scope_total": scope_total,
        "national_scope": access.has_national_scope(user),
        "previous": previous,
        "detail": access.sees_detail(user),
        "chart": {
            "labels": [r["governorate"].name for r in rows],
            "datasets": [
                {
                    "label": str(_("IDP individuals")),
                    "data": [r["figures"].idp_individuals for r in rows],
                },
                {
                    "label": str(_("Returnee individuals")),
                    "data": [r["figures"].returnee_individuals for r in rows],
                },
            ],
        },
        "formats": FORMATS,
        "export_kinds": KINDS,
        **_breakdowns(reference, access.governorate_filter(user)),
    }
    context["scope_map"] = scope_map(request.user, "idp_individuals")
    return render(request, "tracking/figures.html", context)


def governorate(request, pcode):
    """One governorate: totals for everyone in scope; districts and locations for detail roles."""
    user = request.user
    gov = get_object_or_404(access.governorates_in_scope(user), pcode=pcode)
    round_ = _chosen_round(request)
    reference = round_ or queries.latest_round("idps")
    in_gov, national = _scope_and_country(round_, reference, [gov.pk])
    totals = in_gov.get(gov.pk, queries.GovernorateFigures())
    previous = queries.previous_round(reference) if reference else None
    before = queries.governorate_totals(previous, [gov.pk]).get(gov.pk) if previous else None
    detail = access.sees_detail(user)
    context = {
        "governorate": gov,
        "round": round_,
        "rounds": Round.objects.order_by("-date", "-pk"),
        "totals": totals,
        "previous": previous,
        "before": before,
        "change": totals.idp_individuals - before.idp_individuals if before else None,
        "share": 100 * totals.idp_individuals / national.idp_individuals
        if national.idp_individuals
        else 0,
        "detail": detail,
        "formats": FORMATS,
        **_breakdowns(reference, [gov.pk]),
    }
    if detail:
        access.check_governorate(user, gov)
        districts = {d.pk: d for d in District.objects.filter(governorate=gov)}
        district_rows = []
        for (_, dist_id), f in sorted(
            queries.district_totals(round_, [gov.pk]).items(), key=lambda kv: -kv[1].idp_individuals
        ):
            district_rows.append({"district": districts.get(dist_id), "figures": f})
        figures = queries.location_figures(round_, governorate_ids=[gov.pk])
        locations = access.scoped(
            user, Location.objects.filter(pk__in=list(figures))
        ).select_related("district")
        location_rows = sorted(
            ({"location": loc, "figures": figures[loc.pk]} for loc in locations),
            key=lambda r: -r["figures"].idp_individuals,
        )
        context.update(
            {
                "districts": district_rows,
                "locations": location_rows[:500],
                "more_locations": max(0, len(location_rows) - 500),
                "points": [
                    {
                        "lat": r["location"].centroid_lat,
                        "lon": r["location"].centroid_lon,
                        "name": r["location"].name,
                        "value": r["figures"].idp_individuals,
                    }
                    for r in location_rows
                    if r["location"].centroid_lat is not None
                ],
            }
        )
    return render(request, "tracking/governorate.html", context)


def round_detail(request, code):
    get_object_or_404(Round, code=code)
    return redirect(f"{reverse('tracking:figures')}?round={code}")


def round_list(request):
    """Every round with its totals over the user's governorates (one grouped query)."""
    from django.db.models import Count, Sum

    from amina.tracking.models import LocationAssessment

    qs = access.scoped(request.user, LocationAssessment, detail=False)
    sums = {
        row["round_id"]: row
        for row in qs.values("round_id")
        .annotate(
            fam=Sum("families"),
            ind=Sum("individuals"),
            rfam=Sum("returnee_families"),
            rind=Sum("returnee_individuals"),
            n=Count("pk"),
        )
        .order_by()
    }
    rounds = Round.objects.order_by("-date", "-pk")
    return render(
        request,
        "tracking/round_list.html",
        {
            "rounds": [(r, sums.get(r.pk)) for r in rounds],
            "can_import": access.allowed(request.user, "dtm.import"),
        },
    )


def download(request, kind, fmt):
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    governorates = request.GET.getlist("governorate")
    try:
        content = export(
            request.user,
            kind,
            fmt,
            round_code=request.GET.get("round") or None,
            governorates=governorates,
            districts=request.GET.getlist("district"),
        )
    except ValidationError as exc:
        return HttpResponseBadRequest("; ".join(exc.messages), content_type="text/plain")
    return file_response(content, fmt, kind)
