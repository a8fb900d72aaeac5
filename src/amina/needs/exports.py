"""Needs as tables: one row per assessment and MCOF sector (detail), or per governorate and
sector (the aggregate partners may receive). HXL hashtags follow the project's standard."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from amina.geo.models import Governorate
from amina.lib.exports import ExportColumn, point, write_table
from amina.needs.models import NeedsAssessment, PriorityNeed, Sector, SectorSeverity
from amina.needs.queries import latest_assessments, population_by_location
from amina.needs.severity import BY_VALUE, SEVERE_FROM, in_need

DETAIL_COLUMNS = [
    ExportColumn("governorate", "Governorate", "#adm1+name"),
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("district", "District", "#adm2+name"),
    ExportColumn("district_pcode", "District p-code", "#adm2+code"),
    ExportColumn("location", "Location", "#loc+name"),
    ExportColumn("location_code", "Location code", "#loc+code"),
    ExportColumn("lat", "Latitude", "#geo+lat"),
    ExportColumn("lon", "Longitude", "#geo+lon"),
    ExportColumn("assessed_on", "Date of assessment", "#date+reported"),
    ExportColumn("team", "Team", "#org+team"),
    ExportColumn("sector_code", "Sector number", "#sector+code"),
    ExportColumn("sector", "Sector", "#sector+name"),
    ExportColumn("severity", "Severity (1-5)", "#severity+num"),
    ExportColumn("severity_label", "Severity", "#severity+label"),
    ExportColumn("population", "Population covered (individuals)", "#affected+ind"),
    ExportColumn("in_need", "People in need (individuals)", "#inneed+ind"),
    ExportColumn("priority_rank", "Priority rank", "#indicator+priority+rank"),
    ExportColumn("assessment_id", "Assessment ID", "#meta+id"),
]

SUMMARY_COLUMNS = [
    ExportColumn("governorate", "Governorate", "#adm1+name"),
    ExportColumn("governorate_pcode", "Governorate p-code", "#adm1+code"),
    ExportColumn("sector_code", "Sector number", "#sector+code"),
    ExportColumn("sector", "Sector", "#sector+name"),
    ExportColumn("locations", "Locations assessed", "#loc+count"),
    ExportColumn("severe", "Locations with severe needs (4-5)", "#loc+count+severe"),
    ExportColumn("max_severity", "Highest severity", "#severity+num+max"),
    ExportColumn("in_need", "People in need (individuals)", "#inneed+ind"),
]


def detail_rows(governorate_ids: Iterable[int] | None, *, latest_only: bool = True) -> list[dict]:
    """One dict per assessment × sector, ordered by governorate, location and sector."""
    if latest_only:
        assessments = latest_assessments(governorate_ids)
    else:
        assessments = NeedsAssessment.objects.all()
        if governorate_ids is not None:
            assessments = assessments.filter(location__governorate_id__in=list(governorate_ids))
    assessments = list(assessments.select_related("location__governorate", "location__district"))
    by_id = {a.pk: a for a in assessments}
    population = {a.pk: a.population_individuals for a in assessments}
    fallback = population_by_location([a for a in assessments if a.population_individuals is None])
    for a in assessments:
        if population[a.pk] is None:
            population[a.pk] = fallback.get(a.location_id, 0)
    ranks = {
        (a, s): r
        for a, s, r in PriorityNeed.objects.filter(assessment_id__in=list(by_id)).values_list(
            "assessment_id", "sector_id", "rank"
        )
    }
    rows = []
    for sev in SectorSeverity.objects.filter(assessment_id__in=list(by_id)).select_related(
        "sector"
    ):
        a = by_id[sev.assessment_id]
        loc = a.location
        rows.append(
            {
                "governorate": loc.governorate.name_en,
                "governorate_pcode": loc.governorate.pcode,
                "district": loc.district.name_en if loc.district_id else "",
                "district_pcode": loc.district.pcode if loc.district_id else "",
                "location": loc.name_en,
                "location_code": loc.code,
                "lat": loc.centroid_lat,
                "lon": loc.centroid_lon,
                "assessed_on": a.assessed_on,
                "team": a.team,
                "sector_code": sev.sector.code,
                "sector": sev.sector.name_en,
                "severity": sev.severity,
                "severity_label": BY_VALUE[sev.severity].label_en,
                "population": population[a.pk] or 0,
                "in_need": in_need(sev.severity, population[a.pk]),
                "priority_rank": ranks.get((a.pk, sev.sector_id), ""),
                "assessment_id": a.pk,
            }
        )
    rows.sort(
        key=lambda r: (
            r["governorate_pcode"],
            r["location"],
            r["location_code"],
            str(r["assessed_on"]),
            r["sector_code"],
        )
    )
    return rows


def summary_rows(governorate_ids: Iterable[int] | None) -> list[dict]:
    """Per governorate and sector: locations assessed, severe, highest severity, people in need."""
    cells: dict[tuple[int, int], dict] = defaultdict(
        lambda: {"locations": 0, "severe": 0, "max_severity": 0, "in_need": 0}
    )
    for row in detail_rows(governorate_ids):
        cell = cells[(row["governorate_pcode"], row["sector_code"])]
        cell["locations"] += 1
        cell["severe"] += row["severity"] >= SEVERE_FROM
        cell["max_severity"] = max(cell["max_severity"], row["severity"])
        cell["in_need"] += row["in_need"]
    govs = {g.pcode: g for g in Governorate.objects.filter(pcode__in={k[0] for k in cells})}
    sectors = {s.code: s for s in Sector.objects.all()}
    return [
        {
            "governorate": govs[p].name_en,
            "governorate_pcode": p,
            "sector_code": code,
            "sector": sectors[code].name_en,
            **cells[(p, code)],
        }
        for p, code in sorted(cells)
    ]


def export_needs(
    governorate_ids: Iterable[int] | None,
    fmt: str,
    *,
    latest_only: bool = True,
    summary: bool = False,
) -> bytes:
    if summary:
        return write_table(
            summary_rows(governorate_ids), SUMMARY_COLUMNS, fmt, title="needs summary"
        )
    return write_table(
        detail_rows(governorate_ids, latest_only=latest_only),
        DETAIL_COLUMNS,
        fmt,
        title="needs",
        geometry=lambda r: point(r["lat"], r["lon"]),
    )
