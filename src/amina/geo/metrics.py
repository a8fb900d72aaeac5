"""Figures per governorate that maps and the home page can show.

Capabilities register a metric (``@metric("idp_individuals", _("IDP individuals"))``); a
metric receives the governorates the user may see and returns their values by id. The
map draws whichever is asked for, so geography does not depend on the other apps.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from amina.geo.models import Governorate

MetricFunc = Callable[[object, "list[Governorate]"], dict[int, float]]
METRICS: dict[str, tuple[str, MetricFunc]] = {}


def metric(name: str, label) -> Callable[[MetricFunc], MetricFunc]:
    def register(func: MetricFunc) -> MetricFunc:
        METRICS[name] = (label, func)
        return func

    return register


@metric("locations", _("Locations"))
def location_count(user, governorates) -> dict[int, float]:
    ids = [g.pk for g in governorates]
    rows = (
        Governorate.objects.filter(pk__in=ids).annotate(n=Count("locations")).values_list("pk", "n")
    )
    return dict(rows)


LocationMetricFunc = Callable[[set[int]], dict[int, float]]
#: The same figures per location (``{location_id: value}`` for the given governorate ids),
#: for the map of a user responsible for a few governorates. A metric without one draws
#: its locations at one size.
LOCATION_METRICS: dict[str, LocationMetricFunc] = {}


def location_metric(name: str) -> Callable[[LocationMetricFunc], LocationMetricFunc]:
    def register(func: LocationMetricFunc) -> LocationMetricFunc:
        LOCATION_METRICS[name] = func
        return func

    return register


def default_metric() -> str:
    """The most telling metric available: displacement once tracking is installed."""
    for name in ("idp_individuals", "locations"):
        if name in METRICS:
            return name
    return "locations"
