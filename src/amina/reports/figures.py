"""The figures of a flash report and of the home dashboard, computed once per request.

Both are plain data (no model instances), so they can be cached per scope, rendered to
HTML or PDF, and compared in tests with an independent computation. They are read from
the other capabilities' ``queries`` modules only (tracking, needs, supply, coordination):
reports never query their tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from django.utils.translation import gettext as _

from amina.coordination import queries as coordination_queries
from amina.geo.models import Governorate
from amina.lib.i18n import localised
from amina.needs import queries as needs_queries
from amina.reports import disclosure
from amina.supply import queries as supply_queries
from amina.tracking import queries as tracking_queries
from amina.tracking.queries import GovernorateFigures, LocationFigures

TREND_ROUNDS = 8


@dataclass
class Totals:
    """Displacement figures of a place or a selection, which add up."""

    idp_families: int = 0
    idp_individuals: int = 0
    returnee_families: int = 0
    returnee_individuals: int = 0
    locations: int = 0

    @classmethod
    def of(cls, figures: LocationFigures | None) -> Totals:
        """From tracking's figures of a location or a governorate (``None``: zeros)."""
        if figures is None:
            return cls()
        return cls(
            idp_families=figures.idp_families,
            idp_individuals=figures.idp_individuals,
            returnee_families=figures.returnee_families,
            returnee_individuals=figures.returnee_individuals,
            locations=figures.locations if isinstance(figures, GovernorateFigures) else 0,
        )

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


class NoData(ValueError):
    """There is nothing to report on (no round yet, or an unknown round): said as is."""


@dataclass
class RoundInfo:
    code: str
    date: date | None

    @classmethod
    def of(cls, rnd) -> RoundInfo | None:
        return None if rnd is None else cls(code=rnd.code, date=getattr(rnd, "date", None))


@dataclass
class GovernorateRow:
    pcode: str
    name_en: str
    name_ar: str
    now: Totals
    before: Totals | None
    shown_families: int | None = None  # None when withheld as a small cell
    name_ckb: str = ""

    @property
    def name(self) -> str:
        return localised(self.name_en, self.name_ar, self.name_ckb)

    @property
    def change_individuals(self) -> int | None:
        return (
            None if self.before is None else self.now.idp_individuals - self.before.idp_individuals
        )


@dataclass
class Figures:
    round: RoundInfo
    previous: RoundInfo | None
    national: Totals
    scope: Totals
    scope_before: Totals | None
    governorates: list[GovernorateRow]
    pcodes: list[str]  # the selection; empty = the whole country
    trend: list[tuple[str, int]] = field(default_factory=list)
    # Partial rounds (part of the country only): why the round itself is partial, and the
    # rounds the trend and the comparison left out (older than the round, then newer).
    round_partial: bool = False
    round_partial_reason: str = ""
    skipped: list[str] = field(default_factory=list)
    later_partial: list[str] = field(default_factory=list)
    # The parts below are computed only with ``compute(..., optional=True)``.
    shelter: list[tuple[str, int]] = field(default_factory=list)
    needs: list[tuple[str, int]] = field(default_factory=list)
    people_in_need: int = 0
    assistance: list[tuple[str, int]] = field(default_factory=list)
    stock: list[tuple[str, int, int]] = field(default_factory=list)  # item, on hand, delivered
    trainings: dict = field(default_factory=dict)
    alerts: int = 0
    arrivals: int | None = None  # None when the round has no date
    map_values: dict[str, int] = field(default_factory=dict)  # IDP individuals by p-code

    @property
    def share(self) -> float:
        """Share of the country's IDP individuals that the selection hosts, in percent."""
        if not self.national.idp_individuals:
            return 0.0
        return 100.0 * self.scope.idp_individuals / self.national.idp_individuals

    @property
    def change_families(self) -> int | None:
        return (
            None
            if self.scope_before is None
            else self.scope.idp_families - self.scope_before.idp_families
        )

    @property
    def change_individuals(self) -> int | None:
        if self.scope_before is None:
            return None
        return self.scope.idp_individuals - self.scope_before.idp_individuals

    @property
    def change_returnees(self) -> int | None:
        if self.scope_before is None:
            return None
        return self.scope.returnee_individuals - self.scope_before.returnee_individuals

    @property
    def new_arrivals(self) -> int | None:
        """Families arrived since the round (emergency tracking), else the growth since the
        previous round summed over the governorates that grew."""
        if self.arrivals is not None:
            return self.arrivals
        if self.previous is None:
            return None
        return sum(
            max(0, r.now.idp_families - (r.before.idp_families if r.before else 0))
            for r in self.governorates
        )

    @property
    def national_scope(self) -> bool:
        return not self.pcodes


def find_round(code: str | None, kind_rounds: list | None = None):
    """The round with ``code``, or the latest IDP round when ``code`` is empty
    (``kind_rounds``: the IDP rounds oldest first, when the caller has read them)."""
    if code:
        rnd = tracking_queries.resolve_round(code)
        if rnd is None:
            known = [r.code for r in ordered_rounds(None)][-12:]
            raise NoData(
                _("unknown round %(code)s; the rounds are: %(rounds)s")
                % {"code": code, "rounds": ", ".join(known) or _("none yet")}
            )
        return rnd
    # The latest complete round: a newer partial one would show a false collapse.
    idps = ordered_rounds("idps") if kind_rounds is None else kind_rounds
    complete = [r for r in idps if not r.partial]
    rnd = complete[-1:] or idps[-1:] or ordered_rounds(None)[-1:]
    if not rnd:
        raise NoData("no assessment round has been recorded yet")
    return rnd[0]


def ordered_rounds(kind: str | None) -> list:
    """Rounds of ``kind`` (every kind with ``None``), oldest first."""
    if kind is None:
        return list(tracking_queries.all_rounds())
    found = tracking_queries.rounds(kind=kind)
    return sorted(found, key=lambda r: (r.date or date.min, r.pk))


def _previous(rnd, kind_rounds: list):
    """The complete round of the same kind just before ``rnd``: the rule of
    ``tracking.queries.previous_round``, applied to rounds already read."""
    before = [
        r
        for r in kind_rounds
        if r.kind == rnd.kind
        and not r.partial
        and (r.date < rnd.date or (r.date == rnd.date and r.pk < rnd.pk))
    ]
    return max(before, key=lambda r: (r.date, r.pk), default=None)


def compute(
    rnd,
    governorates: list[Governorate] | None,
    *,
    trend_rounds: int = TREND_ROUNDS,
    optional: bool = True,
    kind_rounds: list | None = None,
) -> Figures:
    """Figures for round ``rnd`` over ``governorates`` (``None``: the whole country).

    ``governorates`` must already be reduced to what the reader may see. The same few
    queries whatever the scope: the rounds, one grouped query for every round's totals
    (the round, the previous one, the trend, and the country for the share and the map),
    the governorates' names, then one or two per optional part (``_optional_parts``).
    ``kind_rounds``: the rounds of ``rnd``'s kind, oldest first, when already read.
    """
    q = tracking_queries
    gov_ids = None if governorates is None else [g.pk for g in governorates]
    kind = getattr(rnd, "kind", "idps") or "idps"
    if kind_rounds is None or all(r.pk != rnd.pk for r in kind_rounds):
        kind_rounds = ordered_rounds(kind)
    previous = _previous(rnd, kind_rounds)
    trend = _trend_rounds(rnd, kind_rounds, trend_rounds)
    wanted = {r.pk: r for r in [rnd, *trend, *([previous] if previous else [])]}
    cells = q.totals_by_round(wanted.values(), gov_ids, everywhere=[rnd.pk])
    in_scope = None if gov_ids is None else set(gov_ids)

    def by_gov(round_id: int, scoped: bool = True) -> dict:
        return {
            g: t
            for (r, g), t in cells.items()
            if r == round_id and (not scoped or in_scope is None or g in in_scope)
        }

    now_by_gov = by_gov(rnd.pk)
    before_by_gov = by_gov(previous.pk) if previous is not None else None
    # Every governorate's total: the national figure and the map's context.
    everywhere = by_gov(rnd.pk, scoped=False)
    national = sum((Totals.of(t) for t in everywhere.values()), Totals())
    known_govs = {g.pk: g for g in Governorate.objects.filter(pk__in=list(everywhere))}
    places = list(governorates) if governorates is not None else list(known_govs.values())
    rows = []
    for gov in sorted(places, key=lambda g: g.pcode):
        now = Totals.of(now_by_gov.get(gov.pk))
        before = Totals.of(before_by_gov.get(gov.pk)) if before_by_gov is not None else None
        rows.append(
            GovernorateRow(gov.pcode, gov.name_en, gov.name_ar, now, before, name_ckb=gov.name_ckb)
        )
    scope = sum((r.now for r in rows), Totals()) if governorates is not None else national
    if governorates is None:
        scope_before = (
            sum((Totals.of(t) for t in before_by_gov.values()), Totals())
            if before_by_gov is not None
            else None
        )
    else:
        scope_before = sum((r.before for r in rows), Totals()) if previous is not None else None
    _withhold_small(rows)
    rows.sort(key=lambda r: -r.now.idp_individuals)
    figures = Figures(
        round=RoundInfo.of(rnd),
        previous=RoundInfo.of(previous),
        national=national,
        scope=scope,
        scope_before=scope_before,
        governorates=rows,
        pcodes=[] if governorates is None else sorted(g.pcode for g in governorates),
    )
    figures.map_values = {
        known_govs[pk].pcode: Totals.of(t).idp_individuals for pk, t in everywhere.items()
    }
    figures.trend = [
        (r.code, sum(Totals.of(t).idp_individuals for t in by_gov(r.pk).values())) for r in trend
    ]
    _partial_notes(figures, rnd, kind_rounds)
    if optional:
        _optional_parts(figures, rnd, gov_ids)
    return figures


def _withhold_small(rows: list[GovernorateRow]) -> None:
    """Per-governorate families as published: small cells withheld (see ``disclosure``)."""
    values = {r.pcode: r.now.idp_families for r in rows}
    values["total"] = sum(values.values())
    withheld = disclosure.protect(values, [disclosure.Line("total", tuple(r.pcode for r in rows))])
    for r in rows:
        r.shown_families = None if r.pcode in withheld else r.now.idp_families


def _partial_notes(figures: Figures, rnd, kind_rounds: list) -> None:
    """Which partial rounds the figures leave out, so the report can say so (no query:
    ``kind_rounds`` are the rounds of the round's kind, oldest first)."""
    if getattr(rnd, "partial", False):
        figures.round_partial, figures.round_partial_reason = True, rnd.partial_reason or ""
    day = rnd.date or date.min
    dates = {r.code: r.date for r in kind_rounds}
    first = dates.get(figures.trend[0][0]) if figures.trend else None
    since = min(
        first or day,
        figures.previous.date if figures.previous and figures.previous.date else day,
    )
    for r in kind_rounds:
        if not r.partial or r.pk == rnd.pk:
            continue
        if since <= (r.date or date.min) <= day:
            figures.skipped.append(r.code)
        elif (r.date or date.min) > day:
            figures.later_partial.append(r.code)


def _trend_rounds(rnd, kind_rounds: list, limit: int) -> list:
    """The last ``limit`` complete rounds of the same kind up to ``rnd``, oldest first.
    Partial rounds are left out: a round covering two governorates is not a fall of the
    other sixteen to zero."""
    rounds = [
        r for r in kind_rounds if (r.date or date.min) <= (rnd.date or date.min) and not r.partial
    ]
    return rounds[-limit:]


def _optional_parts(figures: Figures, rnd, gov_ids) -> None:
    figures.shelter = [
        (name, n) for _code, name, n in tracking_queries.shelter_totals(rnd, gov_ids)
    ]
    figures.needs = [
        (sector.name, n) for sector, n in needs_queries.top_priority_needs(gov_ids, limit=5)
    ]
    # People in need per sector overlap (one family needs shelter and food): the overall
    # figure is the largest sector's, as humanitarian needs overviews count it.
    figures.people_in_need = max(needs_queries.people_in_need(gov_ids).values(), default=0)
    figures.assistance = _by_sector(coordination_queries.people_reached(gov_ids))
    figures.trainings = training_figures(coordination_queries.training_summary(gov_ids))
    figures.arrivals = arrivals_since(rnd, gov_ids)
    figures.stock = supply_figures(gov_ids)
    figures.alerts = alert_count(gov_ids)


GOVERNMENT_KINDS = ("ministry", "governorate_office", "provincial_council", "krg_body")


def training_figures(summary) -> dict:
    """Trainings held, participants, and officials (participants from public institutions)."""
    summary = dict(summary)
    by_kind = dict(summary.get("by_institution_kind") or {})
    return {
        "trainings": int(summary.get("trainings") or 0),
        "participants": int(summary.get("participants") or 0),
        "officials": sum(int(v or 0) for k, v in by_kind.items() if k in GOVERNMENT_KINDS),
        "women": int(summary.get("female") or 0),
        "men": int(summary.get("male") or 0),
    }


def _by_sector(values: dict[int, int]) -> list[tuple[str, int]]:
    """(sector name, value) from a mapping keyed by MCOF sector number, largest first."""
    names = {s.code: s.name for s in needs_queries.sectors()}
    out = [(names.get(code, str(code)), int(v or 0)) for code, v in values.items() if v]
    return sorted(out, key=lambda kv: -kv[1])


def arrivals_since(rnd, gov_ids) -> int | None:
    """Families that arrived (emergency tracking) after the round's date, up to today."""
    if rnd.date is None:
        return None
    from datetime import timedelta

    from django.utils import timezone

    arrivals = tracking_queries.arrivals
    since, until = rnd.date + timedelta(days=1), timezone.localdate()
    if since > until:
        return 0
    return arrivals(since, until, governorate_ids=gov_ids)


def supply_figures(gov_ids) -> list[tuple[str, int, int]]:
    """Per item: stock on hand in the selection's warehouses and quantity delivered to
    households there (proof of delivery), largest deliveries first."""
    return [
        (row.name, row.on_hand, row.delivered)
        for row in supply_queries.stock_and_deliveries(gov_ids)
    ]


def alert_count(gov_ids) -> int:
    """Influx alerts fired in the last 30 days in the selection (already scoped ids)."""
    from datetime import timedelta

    from django.utils import timezone

    return tracking_queries.alerts_fired(timezone.now() - timedelta(days=30), gov_ids)
