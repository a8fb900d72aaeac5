"""The figures of a flash report and of the home dashboard, computed once per request.

Both are plain data (no model instances), so they can be cached per scope, rendered to
HTML or PDF, and compared in tests with an independent computation. They are read from
the other capabilities' ``queries`` modules only (tracking, needs, supply, coordination):
reports never query their tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from django.utils import timezone
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
    governorates: Iterable[Governorate | int] | None,
    *,
    trend_rounds: int = TREND_ROUNDS,
    optional: bool = True,
    kind_rounds: list | None = None,
) -> Figures:
    """Figures for round ``rnd`` over ``governorates`` (``None``: the whole country).

    ``governorates`` (instances or ids) must already be reduced to what the reader may
    see. The same few queries whatever the scope: the rounds, **one** for displacement
    (``tracking.queries.dashboard_reads``: every round's totals — the round, the previous
    one, the trend, and the country for the share and the map —, the governorates'
    names, shelter, arrivals and alerts), then one per other capability (``_other_parts``:
    needs, coordination, supply). ``kind_rounds``: the rounds of ``rnd``'s kind, oldest first,
    when already read.
    """
    gov_ids = None if governorates is None else [getattr(g, "pk", g) for g in governorates]
    kind = getattr(rnd, "kind", "idps") or "idps"
    if kind_rounds is None or all(r.pk != rnd.pk for r in kind_rounds):
        kind_rounds = ordered_rounds(kind)
    previous = _previous(rnd, kind_rounds)
    trend = _trend_rounds(rnd, kind_rounds, trend_rounds)
    reads = _displacement_reads(rnd, previous, trend, gov_ids, optional)
    figures = _displacement(rnd, previous, trend, gov_ids, reads)
    _partial_notes(figures, rnd, kind_rounds)
    if optional:
        figures.shelter = [(name, n) for _code, name, n in reads.shelter]
        figures.arrivals = None if rnd.date is None else reads.arrivals
        figures.alerts = reads.alerts
        _other_parts(figures, gov_ids)
    return figures


def _displacement_reads(rnd, previous, trend: list, gov_ids, optional: bool):
    """Everything the figures read of displacement, in one query; shelter, arrivals since
    the round (up to today) and alerts of the last 30 days only for the optional parts."""
    wanted = {r.pk: r for r in [rnd, *trend, *([previous] if previous else [])]}
    parts = {}
    if optional:
        parts = {"shelter_round": rnd, "alerts_since": timezone.now() - timedelta(days=30)}
        window = _arrivals_window(rnd)
        if window is not None and window[0] <= window[1]:
            parts["arrivals_between"] = window
    return tracking_queries.dashboard_reads(wanted.values(), gov_ids, everywhere=[rnd.pk], **parts)


def _arrivals_window(rnd) -> tuple[date, date] | None:
    """The days after the round up to today (None when the round has no date)."""
    if rnd.date is None:
        return None
    return rnd.date + timedelta(days=1), timezone.localdate()


def _displacement(rnd, previous, trend: list, gov_ids, reads) -> Figures:
    """The displacement figures: the scope's and the country's totals, the rows per
    governorate (small cells withheld), the trend and the map."""
    in_scope = None if gov_ids is None else set(gov_ids)

    def by_gov(round_id: int, scoped: bool = True) -> dict:
        return {
            g: t
            for (r, g), t in reads.totals.items()
            if r == round_id and (not scoped or in_scope is None or g in in_scope)
        }

    before_by_gov = by_gov(previous.pk) if previous is not None else None
    # Every governorate's total: the national figure and the map's context.
    everywhere = by_gov(rnd.pk, scoped=False)
    national = sum((Totals.of(t) for t in everywhere.values()), Totals())
    places = list(everywhere) if gov_ids is None else gov_ids
    names = {pk: reads.governorates[pk] for pk in places if pk in reads.governorates}
    rows = _governorate_rows(names, by_gov(rnd.pk), before_by_gov)
    figures = Figures(
        round=RoundInfo.of(rnd),
        previous=RoundInfo.of(previous),
        national=national,
        scope=national if gov_ids is None else sum((r.now for r in rows), Totals()),
        scope_before=_scope_before(rows, before_by_gov, gov_ids),
        governorates=rows,
        pcodes=[] if gov_ids is None else sorted(n.pcode for n in names.values()),
    )
    _withhold_small(rows)
    rows.sort(key=lambda r: -r.now.idp_individuals)
    figures.map_values = {
        reads.governorates[pk].pcode: Totals.of(t).idp_individuals for pk, t in everywhere.items()
    }
    figures.trend = [
        (r.code, sum(Totals.of(t).idp_individuals for t in by_gov(r.pk).values())) for r in trend
    ]
    return figures


def _governorate_rows(names: dict, now_by_gov: dict, before_by_gov: dict | None) -> list:
    """A row per governorate of the selection, in p-code order (before sorting by size)."""
    rows = []
    for pk, name in sorted(names.items(), key=lambda item: item[1].pcode):
        now = Totals.of(now_by_gov.get(pk))
        before = Totals.of(before_by_gov.get(pk)) if before_by_gov is not None else None
        rows.append(
            GovernorateRow(
                name.pcode, name.name_en, name.name_ar, now, before, name_ckb=name.name_ckb
            )
        )
    return rows


def _scope_before(rows: list, before_by_gov: dict | None, gov_ids) -> Totals | None:
    """The selection's totals at the previous round (None without one)."""
    if before_by_gov is None:
        return None
    if gov_ids is None:
        return sum((Totals.of(t) for t in before_by_gov.values()), Totals())
    return sum((r.before for r in rows), Totals())


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


def _other_parts(figures: Figures, gov_ids) -> None:
    """The parts read from the other capabilities, one query each: needs and people in
    need, people reached (4W) with the sectors' names and trainings, stock and
    deliveries."""
    needs = needs_queries.dashboard_needs(gov_ids, limit=5)
    figures.needs = needs.top
    # People in need per sector overlap (one family needs shelter and food): the overall
    # figure is the largest sector's, as humanitarian needs overviews count it.
    figures.people_in_need = max(needs.people_in_need.values(), default=0)
    coordination = coordination_queries.dashboard_figures(gov_ids)
    figures.assistance = sorted(
        ((localised(en, ar, ckb), int(n)) for en, ar, ckb, n in coordination.reached.values()),
        key=lambda kv: -kv[1],
    )
    figures.trainings = training_figures(coordination.trainings)
    figures.stock = [
        (row.name, row.on_hand, row.delivered)
        for row in supply_queries.stock_and_deliveries(gov_ids)
    ]


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


def alert_count(gov_ids) -> int:
    """Influx alerts fired in the last 30 days in the selection (already scoped ids)."""
    return tracking_queries.alerts_fired(timezone.now() - timedelta(days=30), gov_ids)
