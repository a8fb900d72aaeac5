"""Read-side figures of needs, for pages, the API, exports and other capabilities.

These functions take governorate ids rather than a user: callers pass
``amina.accounts.access.governorate_ids(user)`` (or ``None`` for everything, as the CLI and
other capabilities' aggregates do), so the access policy stays the one place that decides.

"Latest" always means the most recent assessment of each location (by date, then by the
order it was recorded): an older assessment of the same place no longer counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from amina.lib.i18n import localised
from amina.lib.sql import in_list
from amina.needs.models import NeedsAssessment, PriorityNeed, Sector, SectorSeverity
from amina.needs.severity import SEVERE_FROM, in_need
from amina.tracking import queries as tracking_queries
from amina.tracking.queries import LocationFigures


@dataclass(frozen=True)
class SeverityRow:
    location_id: int
    governorate_id: int
    sector_code: int
    severity: int
    assessed_on: date


def sectors() -> QuerySet[Sector]:
    """The MCOF sectors in their order: choices and labels for the apps that refer to them."""
    return Sector.objects.all()


def latest_assessments(governorate_ids: Iterable[int] | None = None) -> QuerySet[NeedsAssessment]:
    """The latest assessment of every location (in those governorates)."""
    qs = NeedsAssessment.objects.all()
    if governorate_ids is not None:
        qs = qs.filter(location__governorate_id__in=list(governorate_ids))
    newest = (
        NeedsAssessment.objects.filter(location=OuterRef("location"))
        .order_by("-assessed_on", "-pk")
        .values("pk")[:1]
    )
    return qs.filter(pk=Subquery(newest))


def latest_severity(governorate_ids: Iterable[int] | None = None) -> list[SeverityRow]:
    """Severity per location and sector, from each location's latest assessment."""
    rows = (
        SectorSeverity.objects.filter(
            assessment__in=latest_assessments(governorate_ids).values("pk")
        )
        .values_list(
            "assessment__location_id",
            "assessment__location__governorate_id",
            "sector__code",
            "severity",
            "assessment__assessed_on",
        )
        .order_by("assessment__location_id", "sector__code")
    )
    return [SeverityRow(*row) for row in rows]


def severe_needs(
    threshold: int = SEVERE_FROM, governorate_ids: Iterable[int] | None = None
) -> list[SeverityRow]:
    """The latest severity rows at or above ``threshold`` (4, extreme, by default)."""
    return [r for r in latest_severity(governorate_ids) if r.severity >= threshold]


def top_priority_needs(
    governorate_ids: Iterable[int] | None = None, limit: int = 5
) -> list[tuple[Sector, int]]:
    """Sectors most often named among the three priority needs of the latest assessments.

    Ties are broken by how often the sector was named first, then by sector number.
    """
    # One query: the sectors come with their mentions (no second read of the sectors).
    rows = PriorityNeed.objects.filter(
        assessment__in=latest_assessments(governorate_ids).values("pk")
    ).select_related("sector")
    mentions: Counter[int] = Counter()
    firsts: Counter[int] = Counter()
    sectors: dict[int, Sector] = {}
    for need in rows:
        sectors.setdefault(need.sector_id, need.sector)
        mentions[need.sector_id] += 1
        if need.rank == 1:
            firsts[need.sector_id] += 1
    ranked = sorted(mentions, key=lambda s: (-mentions[s], -firsts[s], sectors[s].code))
    return [(sectors[s], mentions[s]) for s in ranked[:limit]]


def latest_figures(location_ids: list[int]) -> dict[int, LocationFigures]:
    """Displacement tracking's latest figures per location (locations never assessed by
    tracking are absent)."""
    return tracking_queries.latest_location_figures(location_ids=location_ids)


def population_by_location(assessments: Iterable[NeedsAssessment]) -> dict[int, int]:
    """The population each assessment covered; when the team recorded none, the location's
    latest displacement figure stands in for it."""
    return _populations({a.location_id: a.population_individuals for a in assessments})


def _populations(recorded: dict[int, int | None]) -> dict[int, int]:
    """``population_by_location`` from each location's recorded population (``None``:
    none recorded): tracking's figures are read, once, only for those."""
    population = dict(recorded)
    missing = [loc for loc, value in population.items() if value is None]
    if missing:
        for loc, figure in latest_figures(missing).items():
            population[loc] = figure.idp_individuals
    return {loc: value or 0 for loc, value in population.items()}


def people_in_need(governorate_ids: Iterable[int] | None = None) -> dict[int, int]:
    """People in need per sector code (rule in ``amina.needs.severity``)."""
    # One query for the severities and the population each assessment covered; tracking's
    # figures are read (once) only for locations whose team recorded no population.
    rows = list(
        SectorSeverity.objects.filter(
            assessment__in=latest_assessments(governorate_ids).values("pk")
        ).values_list(
            "assessment__location_id",
            "assessment__population_individuals",
            "sector__code",
            "severity",
        )
    )
    return _in_need(rows)


def _in_need(rows: list[tuple]) -> dict[int, int]:
    """People in need per sector code from (location id, population recorded, sector
    code, severity) rows of the latest assessments."""
    population = _populations({loc: value for loc, value, _code, _severity in rows})
    totals: dict[int, int] = defaultdict(int)
    for loc, _value, code, severity in rows:
        totals[code] += in_need(severity, population[loc])
    return dict(totals)


@dataclass
class DashboardNeeds:
    """``top_priority_needs`` (sector names and mentions) and ``people_in_need``."""

    top: list[tuple[str, int]]
    people_in_need: dict[int, int]


def dashboard_needs(governorate_ids: Iterable[int] | None = None, limit: int = 5) -> DashboardNeeds:
    """The priority needs and the people in need of the latest assessments in one plain
    query (a ``UNION ALL`` over the latest assessment of each location), for a dashboard,
    where every round trip and every query the ORM compiles shows. The same figures, ties
    broken the same way, as ``top_priority_needs`` and ``people_in_need``."""
    from django.db import connection

    from amina.geo.models import Location

    params: list = []
    where = ""
    if governorate_ids is not None:
        where = (
            f" JOIN {Location._meta.db_table} l ON l.id = n.location_id"
            f" WHERE {in_list('l.governorate_id', governorate_ids, params)}"
        )
    # "Latest" as ``latest_assessments``: by date, then by the order it was recorded.
    latest = (
        "SELECT id, location_id, population_individuals FROM (SELECT n.id, n.location_id, "  # noqa: S608 (own names)
        "n.population_individuals, ROW_NUMBER() OVER (PARTITION BY n.location_id "
        f"ORDER BY n.assessed_on DESC, n.id DESC) AS k FROM {NeedsAssessment._meta.db_table} n"
        f"{where}) ranked WHERE k = 1"
    )
    sector, null = Sector._meta.db_table, "CAST(NULL AS BIGINT)"
    sql = (
        f"WITH latest AS ({latest}) "  # noqa: S608 (own table names; values are parameters)
        f"SELECT 'p', s.code, s.name_en, s.name_ar, s.name_ckb, COUNT(*), "
        f"SUM(CASE WHEN p.rank = 1 THEN 1 ELSE 0 END), {null} "
        f"FROM {PriorityNeed._meta.db_table} p JOIN latest ON latest.id = p.assessment_id "
        f"JOIN {sector} s ON s.id = p.sector_id "
        "GROUP BY s.id, s.code, s.name_en, s.name_ar, s.name_ckb "
        "UNION ALL SELECT 'v', s.code, NULL, NULL, NULL, v.severity, latest.location_id, "
        f"latest.population_individuals FROM {SectorSeverity._meta.db_table} v "
        f"JOIN latest ON latest.id = v.assessment_id JOIN {sector} s ON s.id = v.sector_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return DashboardNeeds(
        _ranked_needs([row for row in found if row[0] == "p"], limit),
        _in_need([(row[6], row[7], row[1], row[5]) for row in found if row[0] == "v"]),
    )


def _ranked_needs(rows: list[tuple], limit: int) -> list[tuple[str, int]]:
    """(name, mentions) of the sectors most often named, as ``top_priority_needs`` ranks
    them: mentions, then how often named first, then sector number."""
    ranked = sorted(rows, key=lambda row: (-row[5], -(row[6] or 0), row[1]))
    return [(localised(en, ar, ckb), n) for _p, _code, en, ar, ckb, n, _first, _ in ranked][:limit]
