"""The home dashboard: the key figures of the user's scope, on the home page.

It is a panel of the core home page (``home_panel``), so the first page after logging in
is the dashboard, and the governorate map under it (the core's Leaflet map, drawing the
``idp_individuals`` metric) serves as its choropleth. Figures come from a handful of
grouped queries, the same number for the country and for one governorate (the rounds,
one for every displacement figure, one per other capability), and are cached
per scope and language for ``CACHE_SECONDS``: a governor's office refreshing the page on
a slow link costs the server nothing.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language

from amina.accounts import access
from amina.lib.panels import home_panel
from amina.reports import disclosure, rendering
from amina.reports import figures as figures_module
from amina.reports.figures import Figures, NoData

log = logging.getLogger(__name__)
CACHE_SECONDS = 120
TREND_ROUNDS = 6


def scope_key(user) -> str:
    if access.has_national_scope(user):
        return "national"
    ids = sorted(access.governorate_ids(user))
    return "g" + hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]


def dashboard_figures(user, *, use_cache: bool = True) -> Figures | None:
    """The user's figures for the latest round; ``None`` before any round exists."""
    key = f"reports:dashboard:{scope_key(user)}:{get_language()}"
    if use_cache:
        found = cache.get(key)
        if found is not None:
            return found or None
    idp_rounds = figures_module.ordered_rounds("idps")
    try:
        rnd = figures_module.find_round(None, idp_rounds)
    except NoData:
        rnd = None
    if rnd is None:
        result = None
    else:
        # The scope's ids (read once per request with the user): no query for the scope.
        result = figures_module.compute(
            rnd,
            access.governorate_filter(user),
            trend_rounds=TREND_ROUNDS,
            kind_rounds=idp_rounds,
        )
    if use_cache:
        cache.set(key, result or False, CACHE_SECONDS)
    return result


@home_panel("reports/_dashboard.html")
def dashboard_panel(request) -> dict | None:
    user = request.user
    if not access.is_active(user):
        return None
    context = {
        "can_report": access.sees_detail(user),
        "links": {
            "library": reverse("reports:library"),
            "new_report": reverse("reports:report-create"),
            "datasets": reverse("reports:datasets"),
            "map": reverse("geo:map"),
            "tracking": reverse("tracking:figures"),
            "alerts": reverse("tracking:alerts"),
            "needs": reverse("needs:overview"),
            "activities": reverse("coordination:activity-list"),
            "trainings": reverse("coordination:training-statistics"),
            "supply": reverse("supply:home"),
        },
    }
    if not access.governorate_ids(user):
        return {**context, "empty_scope": True}
    figs = dashboard_figures(user)
    if figs is None:
        return {**context, "no_round": True}
    chart = {
        "trend": {"labels": [c for c, _v in figs.trend], "values": [v for _c, v in figs.trend]},
        "governorates": {
            "labels": [r.name for r in figs.governorates[:10]],
            "values": [
                r.now.idp_individuals
                if r.shown_families is not None or access.sees_detail(user)
                else 0
                for r in figs.governorates[:10]
            ],
        },
        "shelter": {
            "labels": [label for label, _v in figs.shelter],
            "values": [v for _l, v in figs.shelter],
        },
        "sectors": {
            "labels": [label for label, _v in figs.assistance],
            "values": [v for _l, v in figs.assistance],
        },
    }
    return {
        **context,
        "f": figs,
        "chart": chart,
        "partner": not access.sees_detail(user),
        "trainings": rendering.training_rows(figs.trainings),
        "threshold": disclosure.threshold(),
    }
