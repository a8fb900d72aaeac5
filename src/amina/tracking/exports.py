"""Displacement exports, per location and per governorate, in CSV, XLSX, HXL and GeoJSON.

One function serves the command line (``user=None``: everything), the download buttons
and the API, so the three give the same rows. Scope: per-location rows only for roles
that see detail, and only in their governorates; the per-governorate summary for every
role, in its governorates.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from amina.accounts import access
from amina.geo.boundaries import geometries
from amina.geo.models import District, Governorate, Location
from amina.lib.exports import ExportColumn, point, write_table
from amina.tracking import queries

FIGURES = [
    ExportColumn("idp_families", "IDP families", "#affected+idps+hh"),
    ExportColumn("idp_individuals", "IDP individuals", "#affected+idps+ind"),
    ExportColumn("returnee_families", "Returnee families", "#affected+returnees+hh"),
    ExportColumn("returnee_individuals", "Returnee individuals", "#affected+returnees+ind"),
]
LOCATION_COLUMNS = [
    ExportColumn("governorate", "Governorate", "#adm1+name"),
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("district", "District", "#adm2+name"),
    ExportColumn("district_pcode", "District p-code", "#adm2+code"),
    ExportColumn("location", "Location", "#loc+name"),
    ExportColumn("location_code", "Location code", "#loc+code"),
    ExportColumn("latitude", "Latitude", "#geo+lat"),
    ExportColumn("longitude", "Longitude", "#geo+lon"),
    ExportColumn("date", "Date", "#date+reported"),
    *FIGURES,
]
SUMMARY_COLUMNS = [
    ExportColumn("governorate", "Governorate", "#adm1+name"),
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("date", "Date", "#date+reported"),
    *FIGURES,
    ExportColumn("locations", "Locations", "#loc+count"),
    ExportColumn("share", "Share of national IDP individuals (%)", "#affected+idps+ind+pct"),
]
KINDS = {"displacement": _("per location"), "displacement-summary": _("per governorate")}


def _scope(user, governorates, detail: bool) -> list[int] | None:
    """Governorate ids to export (None: all), refusing any outside the user's scope."""
    wanted = None
    if governorates:
        found = {g.pcode: g.pk for g in Governorate.objects.filter(pcode__in=governorates)}
        unknown = [p for p in governorates if p not in found]
        if unknown:
            raise ValidationError(
                _("unknown governorate %(codes)s") % {"codes": ", ".join(unknown)}
            )
        wanted = set(found.values())
    if user is None:
        return sorted(wanted) if wanted is not None else None
    if detail and not access.sees_detail(user):
        raise PermissionDenied
    allowed = access.governorate_ids(user)
    if wanted is not None and not wanted <= allowed:
        raise PermissionDenied
    if wanted is None and access.has_national_scope(user):
        return None
    return sorted(wanted if wanted is not None else allowed)


def location_rows(user, round_code=None, governorates=(), districts=()) -> list[dict]:
    gov_ids = _scope(user, governorates, detail=True)
    round_ = _round(round_code)
    district_ids = None
    if districts:
        district_ids = list(
            District.objects.filter(pcode__in=districts).values_list("pk", flat=True)
        )
    figures = queries.location_figures(round_, governorate_ids=gov_ids, district_ids=district_ids)
    locations = Location.objects.filter(pk__in=list(figures)).select_related(
        "governorate", "district"
    )
    rows = []
    for loc in sorted(
        locations,
        key=lambda x: (x.governorate.pcode, x.district.pcode if x.district else "", x.name_en),
    ):
        f = figures[loc.pk]
        rows.append(
            {
                "governorate": loc.governorate.name_en,
                "governorate_pcode": loc.governorate.pcode,
                "district": loc.district.name_en if loc.district else "",
                "district_pcode": loc.district.pcode if loc.district else "",
                "location": loc.name_en,
                "location_code": loc.code,
                "latitude": loc.centroid_lat,
                "longitude": loc.centroid_lon,
                "date": f.as_of,
                "idp_families": f.idp_families,
                "idp_individuals": f.idp_individuals,
                "returnee_families": f.returnee_families,
                "returnee_individuals": f.returnee_individuals,
            }
        )
    return rows


def summary_rows(user, round_code=None, governorates=(), districts=()) -> list[dict]:
    gov_ids = _scope(user, governorates, detail=False)
    round_ = _round(round_code)
    totals = queries.governorate_totals(round_, gov_ids)
    national = queries.national_total(round_)
    rows = []
    outlines = geometries("governorate", list(totals))
    for gov in Governorate.objects.filter(pk__in=list(totals)).order_by("pcode"):
        t = totals[gov.pk]
        rows.append(
            {
                "governorate": gov.name_en,
                "governorate_pcode": gov.pcode,
                "date": t.as_of,
                "idp_families": t.idp_families,
                "idp_individuals": t.idp_individuals,
                "returnee_families": t.returnee_families,
                "returnee_individuals": t.returnee_individuals,
                "locations": t.locations,
                "share": round(100 * t.idp_individuals / national.idp_individuals, 2)
                if national.idp_individuals
                else 0,
                "_lat": gov.centroid_lat,
                "_lon": gov.centroid_lon,
                "_boundary": outlines.get(gov.pk),
            }
        )
    return rows


def _round(code):
    if not code:
        return None
    round_ = queries.resolve_round(code)
    if round_ is None:
        raise ValidationError(_("unknown round %(code)s") % {"code": code})
    return round_


def export(user, kind: str, fmt: str, *, round_code=None, governorates=(), districts=()) -> bytes:
    """The bytes of an export; raises PermissionDenied outside the user's scope."""
    if kind == "displacement":
        rows = location_rows(user, round_code, governorates, districts)
        return write_table(
            rows,
            LOCATION_COLUMNS,
            fmt,
            title="displacement",
            geometry=lambda r: point(r["latitude"], r["longitude"]),
        )
    if kind == "displacement-summary":
        rows = summary_rows(user, round_code, governorates, districts)
        return write_table(
            rows,
            SUMMARY_COLUMNS,
            fmt,
            title="displacement-summary",
            geometry=lambda r: r["_boundary"] or point(r["_lat"], r["_lon"]),
        )
    raise ValidationError(f"unknown export {kind}")
