"""Official boundaries: checked, simplified and read apart from the places they outline.

A COD GeoJSON comes from outside (an upload, a file on the server). Its geometry is
checked cell by cell — numbers, nesting, ranges — so a malformed file is refused with a
message that names the feature and the reason, never a Python error or a server path.
It is then simplified (Douglas–Peucker, after dropping points closer together than the
tolerance) to ``AMINA_BOUNDARY_TOLERANCE`` degrees and at most
``AMINA_BOUNDARY_MAX_VERTICES`` points per unit: a million-vertex polygon would
otherwise travel to every map on every page.

Written here on numpy (already installed with SciPy): shapely (GEOS) is not a
dependency of Amina, and a million points simplify in seconds, once per import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.conf import settings

from amina.lib.i18n import gettext_deferred as _

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
#: A ring is first thinned to this many times the vertex cap (see ``simplify``).
THINNING = 20


class BadGeometry(ValueError):
    """A geometry that is not a valid GeoJSON (Multi)Polygon; the message says why."""


# ------------------------------------------------------------------ checking


def _position(value) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise BadGeometry(_("a position must be [longitude, latitude]"))
    lon, lat = value[0], value[1]
    for number in (lon, lat):
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise BadGeometry(_("coordinates must be numbers, not text"))
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise BadGeometry(_("coordinates must be finite numbers"))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BadGeometry(_("a coordinate is outside the range of longitude and latitude"))
    return lon, lat


def _ring(value) -> list[tuple[float, float]]:
    if not isinstance(value, list) or len(value) < 4:
        raise BadGeometry(_("a ring must be a list of at least four positions"))
    return [_position(p) for p in value]


def _polygon(value) -> list[list[tuple[float, float]]]:
    if not isinstance(value, list) or not value:
        raise BadGeometry(_("a polygon must be a list of rings"))
    return [_ring(r) for r in value]


def checked(geometry) -> tuple[str, list]:
    """``(type, polygons)`` of a GeoJSON Polygon or MultiPolygon, every position a pair
    of floats in range; raises ``BadGeometry`` with the reason."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise BadGeometry(_("geometry must be a Polygon or MultiPolygon"))
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        return "Polygon", [_polygon(coordinates)]
    if not isinstance(coordinates, list) or not coordinates:
        raise BadGeometry(_("a MultiPolygon must be a list of polygons"))
    return "MultiPolygon", [_polygon(p) for p in coordinates]


# ------------------------------------------------------------------ simplifying


def _douglas_peucker(points, tolerance: float):
    """Douglas–Peucker over a numpy array of points, with an explicit stack (no
    recursion limit on long rings); each split is one vectorised pass over its span."""
    import numpy as np

    n = len(points)
    if n < 3:
        return points
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    squared = tolerance * tolerance
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        span = points[first + 1 : last] - a
        d = b - a
        length = float(d @ d)
        if length == 0.0:
            distance = (span * span).sum(axis=1)
        else:
            t = np.clip((span @ d) / length, 0.0, 1.0)
            off = span - t[:, None] * d
            distance = (off * off).sum(axis=1)
        i = int(distance.argmax())
        if distance[i] > squared:
            index = first + 1 + i
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return points[keep]


def _simplify_ring(ring, tolerance: float):
    """The ring simplified and closed (a numpy array), or None when it shrinks below a
    triangle."""
    import numpy as np

    points = np.asarray(ring, dtype=float)
    if (points[0] != points[-1]).any():
        points = np.vstack([points, points[:1]])
    # A closed ring's two ends are one point: split it at its farthest point first, so
    # Douglas–Peucker has a real baseline on each half.
    far = int(((points - points[0]) ** 2).sum(axis=1).argmax())
    if far == 0:
        return None
    head = _douglas_peucker(points[: far + 1], tolerance)
    tail = _douglas_peucker(points[far:], tolerance)
    out = np.vstack([head, tail[1:]])
    return out if len(out) >= 4 else None


def _vertices(polygons: Iterable) -> int:
    return sum(len(ring) for polygon in polygons for ring in polygon)


def simplify(geometry, tolerance: float | None = None, max_vertices: int | None = None) -> dict:
    """A checked, simplified GeoJSON geometry: coordinates rounded to 5 decimals (1 m),
    rings simplified to ``tolerance`` degrees, the tolerance doubled until the whole
    geometry has at most ``max_vertices`` points. Holes and islands that shrink to
    nothing are dropped; the outer ring of each polygon is kept at its smallest."""
    tolerance = settings.AMINA_BOUNDARY_TOLERANCE if tolerance is None else tolerance
    limit = settings.AMINA_BOUNDARY_MAX_VERTICES if max_vertices is None else max_vertices
    kind, polygons = checked(geometry)
    # Far denser than the cap allows: keep every k-th point first, so Douglas–Peucker
    # works on at most THINNING × the cap (a million points would take minutes).
    budget = THINNING * max(limit, 4)
    polygons = [[_thin(ring, budget) for ring in polygon] for polygon in polygons]
    step = tolerance
    while True:
        result = []
        for polygon in polygons:
            rings = []
            for number, ring in enumerate(polygon):
                simple = _simplify_ring(ring, step)
                if simple is None:
                    if number > 0:
                        continue  # a hole smaller than the tolerance
                    if len(polygons) > 1:
                        break  # an islet smaller than the tolerance
                    simple = _smallest(ring)
                rings.append(
                    [tuple(p) for p in simple.tolist()] if hasattr(simple, "tolist") else simple
                )
            if rings:
                result.append(rings)
        if not result:  # every part smaller than the tolerance: keep the first, tiny
            result = [[_smallest(polygons[0][0])]]
        if _vertices(result) <= limit or step > 10:
            break
        step = step * 2 if step > 0 else 1e-5
        polygons = result  # simplify further from what is already simpler
    coordinates = [
        [[[round(x, 5), round(y, 5)] for x, y in ring] for ring in polygon] for polygon in result
    ]
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _thin(ring: list, budget: int) -> list:
    if len(ring) <= budget:
        return ring
    stride = math.ceil(len(ring) / budget)
    return [*ring[:-1:stride], ring[-1]]


def _smallest(ring) -> list[tuple[float, float]]:
    """A ring reduced to the triangle of its extreme points (closed)."""
    xs = sorted(ring)
    return [xs[0], xs[len(xs) // 2], xs[-1], xs[0]]


def vertex_count(geometry: dict | None) -> int:
    if not geometry:
        return 0
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return _vertices(polygons)


# ------------------------------------------------------------------ reading


def geometries(level: str, ids: Iterable[int] | None = None) -> dict[int, dict]:
    """``{place id: geometry}`` of the governorates or districts (``level``) given, or of
    all of them: one query, for lists and maps."""
    from amina.geo.models import Boundary

    field = {"governorate": "governorate_id", "district": "district_id"}[level]
    qs = Boundary.objects.filter(**{f"{field}__isnull": False})
    if ids is not None:
        qs = qs.filter(**{f"{field}__in": list(ids)})
    return dict(qs.values_list(field, "geometry"))
