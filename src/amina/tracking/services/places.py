"""Placing a new location from its coordinates: which district (and governorate) holds it.

When official district boundaries were imported, the district whose polygon contains the
point wins; otherwise (or when the point falls in no polygon) the district with the
nearest centroid. The caller is told which method decided, so a person can check it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from amina.geo.boundaries import geometries
from amina.geo.models import District, SubDistrict


@dataclass
class Placement:
    district: District | None
    sub_district: SubDistrict | None
    method: str  # "boundary" or "nearest centroid"
    distance_km: float | None = None

    @property
    def governorate(self):
        return self.district.governorate if self.district else None


def _ring_contains(ring, x: float, y: float) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict | None, lon: float, lat: float) -> bool:
    """Point in a GeoJSON Polygon or MultiPolygon (holes respected)."""
    if not geometry:
        return False
    kind = geometry.get("type")
    polygons = (
        [geometry["coordinates"]]
        if kind == "Polygon"
        else geometry.get("coordinates", [])
        if kind == "MultiPolygon"
        else []
    )
    for polygon in polygons:
        if (
            polygon
            and _ring_contains(polygon[0], lon, lat)
            and not any(_ring_contains(hole, lon, lat) for hole in polygon[1:])
        ):
            return True
    return False


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def place_point(lat: float, lon: float) -> Placement:
    districts = list(District.objects.select_related("governorate"))
    outlines = geometries("district")
    for district in districts:
        outline = outlines.get(district.pk)
        if outline and contains(outline, lon, lat):
            return Placement(district, _nearest_sub_district(district, lat, lon), "boundary")
    best, best_km = None, None
    for district in districts:
        if district.centroid_lat is None or district.centroid_lon is None:
            continue
        km = haversine_km(lat, lon, district.centroid_lat, district.centroid_lon)
        if best_km is None or km < best_km:
            best, best_km = district, km
    sub = _nearest_sub_district(best, lat, lon) if best else None
    return Placement(best, sub, "nearest centroid", best_km)


def _nearest_sub_district(district, lat, lon):
    subs = [
        s
        for s in SubDistrict.objects.filter(district=district)
        if s.centroid_lat is not None and s.centroid_lon is not None
    ]
    if not subs:
        return None
    return min(subs, key=lambda s: haversine_km(lat, lon, s.centroid_lat, s.centroid_lon))
