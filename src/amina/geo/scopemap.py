"""The map of what a user is responsible for, embedded in the page that shows it.

A national user (or a partner, who sees aggregates only) looks at the governorates; a user
responsible for a few governorates (a governorate officer, a field team, a warehouse) looks
at their districts and at every located location of theirs, sized by the figure, named, and
fitted to their governorates. The page embeds the result with ``json_script`` and
``amina/map.js`` draws it; official outlines, when imported, are fetched apart
(``boundaries``), so the map works with or without them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from amina.accounts import access
from amina.geo.metrics import LOCATION_METRICS, METRICS, default_metric
from amina.geo.models import Boundary, District, Location


def boundaries_url(level: str, ids: list[int], governorate: str = "") -> str | None:
    """The URL of these places' official outlines, versioned by their last import; None
    when none was imported."""
    latest = Boundary.objects.filter(**{f"{level}_id__in": ids}).aggregate(at=Max("imported_at"))
    if latest["at"] is None:
        return None
    query = {"level": level, "v": int(latest["at"].timestamp())}
    if governorate:
        query["governorate"] = governorate
    return f"{reverse('geo:boundaries-geojson')}?{urlencode(query)}"


def _texts(label: str) -> dict:
    return {
        "label": label,
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "unplaced": _("Without coordinates, not on the map: %(n)s"),
    }


def scope_map(user, metric: str | None = None) -> dict:
    """Everything the map of ``user``'s scope draws, as plain JSON-ready data.

    ``level`` is ``"governorate"`` (national scope, or a user who sees aggregates only) or
    ``"location"``. ``places`` are the points (only those with coordinates; ``unplaced``
    counts the others), ``areas`` the districts named on a location map, ``outlines`` the
    URLs of official boundaries to draw when they exist.
    """
    name = metric if metric in METRICS else default_metric()
    governorates = list(access.governorates_in_scope(user).order_by("pcode"))
    national = access.has_national_scope(user) or not access.sees_detail(user)
    if national or not governorates:
        return _governorate_map(user, name, governorates)
    return _location_map(user, name, governorates)


def _located(place) -> bool:
    """Whether a place has both coordinates: only then is it a point on the map."""
    return place.centroid_lat is not None and place.centroid_lon is not None


def _governorate_map(user, name: str, governorates: list) -> dict:
    """The governorates as points sized by the metric (what a national user compares)."""
    label, func = METRICS[name]
    values = func(user, governorates)
    outline = boundaries_url("governorate", [g.pk for g in governorates])
    places = [
        {
            "pcode": g.pcode,
            "name": g.name,
            "value": values.get(g.pk, 0),
            "lat": g.centroid_lat,
            "lon": g.centroid_lon,
            "url": g.get_absolute_url(),
        }
        for g in governorates
        if _located(g)
    ]
    return {
        "level": "governorate",
        "metric": name,
        "places": places,
        "unplaced": len(governorates) - len(places),
        "areas": [],
        "outlines": [outline] if outline else [],
        "texts": _texts(str(label)),
    }


def _location_map(user, name: str, governorates: list) -> dict:
    """A few governorates' located locations, sized by the metric when it has a figure
    per location, with their districts named and outlined."""
    label, _func = METRICS[name]
    ids = {g.pk for g in governorates}
    by_location = LOCATION_METRICS.get(name)
    values = by_location(ids) if by_location else {}
    locations = list(
        access.scoped(user, Location)
        .select_related("district", "governorate")
        .order_by("governorate__pcode", "name_en", "pk")
    )
    places = [
        {
            "pcode": loc.code or "",
            "name": loc.name,
            "district": loc.district.name if loc.district else "",
            "governorate": loc.governorate.name,
            "value": values.get(loc.pk, 0) if by_location else None,
            "lat": loc.centroid_lat,
            "lon": loc.centroid_lon,
            "url": loc.get_absolute_url(),
        }
        for loc in locations
        if _located(loc)
    ]
    districts = list(District.objects.filter(governorate_id__in=ids).order_by("pcode"))
    single = governorates[0].pcode if len(governorates) == 1 else ""
    outlines = [
        boundaries_url("governorate", sorted(ids)),
        boundaries_url("district", [d.pk for d in districts], single),
    ]
    return {
        "level": "location",
        "metric": name,
        "places": places,
        "unplaced": len(locations) - len(places),
        "areas": _areas(districts),
        "outlines": [u for u in outlines if u],
        "texts": _texts(str(label) if by_location else _("Locations")),
    }


def _areas(districts: list[District]) -> list[dict]:
    """The located districts, named on a location map."""
    return [
        {
            "pcode": d.pcode,
            "name": d.name,
            "lat": d.centroid_lat,
            "lon": d.centroid_lon,
            "url": d.get_absolute_url(),
        }
        for d in districts
        if _located(d)
    ]
