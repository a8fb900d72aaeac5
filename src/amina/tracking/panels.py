"""What tracking adds to other pages: map metrics, the home panel."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amina.accounts import access
from amina.geo.metrics import location_metric, metric
from amina.lib.panels import home_panel
from amina.tracking import queries


@metric("idp_individuals", _("IDP individuals"))
def idp_individuals(user, governorates) -> dict[int, float]:
    totals = queries.governorate_totals(None, [g.pk for g in governorates])
    return {gid: t.idp_individuals for gid, t in totals.items()}


@metric("idp_families", _("IDP families"))
def idp_families(user, governorates) -> dict[int, float]:
    totals = queries.governorate_totals(None, [g.pk for g in governorates])
    return {gid: t.idp_families for gid, t in totals.items()}


@home_panel("tracking/_home_panel.html")
def home(request):
    """Key displacement figures of the user's scope (latest estimate)."""
    user = request.user
    ids = access.governorate_ids(user)
    if not ids:
        return None
    latest = queries.latest_round("idps")
    if latest is None:
        return None
    totals = queries.governorate_totals(None, ids)
    total = queries.sum_figures(totals, ids)
    previous_totals = queries.governorate_totals(latest, ids)
    at_round = queries.sum_figures(previous_totals, ids)
    critical = 0
    shelters = queries.shelter_breakdown(latest, access.governorate_filter(user))
    from amina.tracking.models import ShelterType

    critical_codes = set(
        ShelterType.objects.filter(group=ShelterType.Group.CRITICAL).values_list("code", flat=True)
    )
    critical = sum(n for code, n in shelters.items() if code in critical_codes)
    shelter_total = sum(shelters.values())
    return {
        "round": latest,
        "total": total,
        "since_round": total.idp_individuals - at_round.idp_individuals,
        "critical_share": 100 * critical / shelter_total if shelter_total else None,
    }


@location_metric("idp_individuals")
def idp_individuals_by_location(governorate_ids: set[int]) -> dict[int, float]:
    figures = queries.latest_location_figures(governorate_ids=governorate_ids)
    return {loc: f.idp_individuals for loc, f in figures.items()}


@location_metric("idp_families")
def idp_families_by_location(governorate_ids: set[int]) -> dict[int, float]:
    figures = queries.latest_location_figures(governorate_ids=governorate_ids)
    return {loc: f.idp_families for loc, f in figures.items()}
