"""Charts and maps drawn on the server as inline SVG, for PDFs (no JavaScript, no tiles).

WeasyPrint renders inline SVG; the same drawings serve the HTML preview. Text in the
drawings is escaped; numbers are formatted by the caller.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

OUTLINE = Path(__file__).resolve().parents[1] / "static" / "geo" / "iraq-outline.geojson"
PALETTE = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"]
ACCENT = "#0b4f6c"


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def _short(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with "…" when something was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def bars(
    items: list[tuple[str, float]], *, rtl: bool = False, colour: str = ACCENT, **_ignored
) -> SafeString:
    """Horizontal bars with their labels and values (a ranking reads best this way).

    Drawn in HTML and CSS rather than SVG: WeasyPrint lays out SVG text glyph by glyph,
    without Arabic shaping, while HTML text is shaped and follows the page's direction.
    """
    if not items:
        return mark_safe("")  # noqa: S308  (constant)
    top = max((v for _l, v in items), default=0) or 1
    rows = []
    for label, value in items:
        share = max(0.5, 100.0 * value / top) if value else 0
        full = escape(str(label), {'"': "&quot;"})
        rows.append(
            f'<tr><td class="bar-label" title="{full}">{escape(_short(str(label), 60))}</td>'
            f'<td class="bar-cell"><span class="bar" style="width:{share * 0.7:.1f}%;'
            f'background:{colour}"></span> <span class="bar-value">{_fmt(value)}</span></td></tr>'
        )
    return mark_safe(f'<table class="bars">{"".join(rows)}</table>')  # noqa: S308  (escaped)


def line(
    points: list[tuple[str, float]], *, width: int = 340, height: int = 150, colour: str = ACCENT
) -> SafeString:
    """A trend over rounds: a line with its points, first and last values labelled.

    Time runs left to right in every language (``direction="ltr"``), as the dashboard's
    trend chart does in the page (``reports/static/reports/dashboard.js``): a reader
    comparing the page with the PDF finds the latest round on the same side. A round's
    code longer than fits is shortened with "…"; its point's tooltip has it whole.
    """
    if not points:
        return mark_safe("")  # noqa: S308
    left, right, top_pad, bottom = 8, 8, 18, 22
    top = max(v for _l, v in points) or 1
    n = len(points)
    step = (width - left - right) / max(1, n - 1)
    coords = [
        (
            left + (i * step if n > 1 else (width - left - right) / 2),
            top_pad + (height - top_pad - bottom) * (1 - v / top),
        )
        for i, (_l, v) in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="chart" role="img" direction="ltr">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" '
        f'stroke="#adb5bd" stroke-width="1"/>',
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>',
    ]
    for i, ((label, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}">'
            f"<title>{escape(str(label))}: {_fmt(value)}</title></circle>"
        )
        if i in (0, n - 1) or n <= 6:
            anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" font-size="9" text-anchor="{anchor}">'
                f"{escape(_short(str(label), 14))}</text>"
            )
            parts.append(
                f'<text x="{x:.1f}" y="{max(10, y - 5):.1f}" font-size="9" '
                f'text-anchor="{anchor}">{_fmt(value)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (labels escaped above)


@lru_cache(maxsize=1)
def _outline() -> list[list[list[float]]]:
    try:
        data = json.loads(OUTLINE.read_text(encoding="utf-8"))
    except OSError:
        return []
    rings = []
    for feature in data.get("features", []):
        rings.extend(_rings(feature.get("geometry")))
    return rings


def _rings(geometry) -> list:
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def choropleth(places: list[dict], *, width: int = 330, height: int = 300) -> SafeString:
    """A governorate map: polygons shaded by value when boundaries exist, circles at
    centroids otherwise, over the country outline. ``places``: dicts with ``value``,
    ``selected``, ``boundary`` (GeoJSON geometry or None), ``lat``, ``lon``, ``label``."""
    outline = _outline()
    points = [p for ring in outline for p in ring]
    for place in places:
        for ring in _rings(place.get("boundary")):
            points.extend(ring)
        if place.get("lat") is not None:
            points.append([place["lon"], place["lat"]])
    if not points:
        return mark_safe("")  # noqa: S308
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = min(
        (width - 10) / ((max_lon - min_lon) * kx or 1), (height - 10) / ((max_lat - min_lat) or 1)
    )

    def xy(lon, lat):
        return 5 + (lon - min_lon) * kx * scale, 5 + (max_lat - lat) * scale

    def d(ring) -> str:
        return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in (xy(*p[:2]) for p in ring)) + "Z"

    top = max((p["value"] for p in places), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="map-svg" role="img">'
    ]
    for ring in outline:
        parts.append(f'<path d="{d(ring)}" fill="#e9ecef" stroke="#6c757d" stroke-width="0.8"/>')
    for place in places:
        shade = PALETTE[
            min(len(PALETTE) - 1, int(place["value"] / top * (len(PALETTE) - 1) + 1e-4))
        ]
        stroke = "#000" if place.get("selected") else "#868e96"
        weight = "1.6" if place.get("selected") else "0.5"
        for ring in _rings(place.get("boundary")):
            parts.append(
                f'<path d="{d(ring)}" fill="{shade}" stroke="{stroke}" stroke-width="{weight}">'
                f"<title>{escape(place.get('label', ''))}</title></path>"
            )
    for place in places:
        if place.get("boundary") or place.get("lat") is None:
            continue
        x, y = xy(place["lon"], place["lat"])
        radius = 2 + 16 * math.sqrt(place["value"] / top) if place["value"] else 1.5
        fill = "#d94801" if place.get("selected") else "#adb5bd"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" '
            f'fill-opacity="0.75" stroke="#7f2704" stroke-width="0.6">'
            f"<title>{escape(place.get('label', ''))}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (labels escaped above)
