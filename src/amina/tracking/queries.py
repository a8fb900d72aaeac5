"""Read functions for displacement figures: the interface other capabilities rely on.

Pure reads with no access checks: callers pass ids already reduced to the user's scope
(``amina.accounts.access``). "Latest estimate" means the latest IDP round's assessments
plus the emergency-tracking movements recorded after that round's date. Returnee
figures come from the latest returnees round when there is one, else from the returnee
columns of the latest IDP round.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from amina.geo.models import Governorate, Location
from amina.lib.i18n import localised
from amina.lib.sql import in_list
from amina.tracking.models import (
    Alert,
    AssessmentOrigin,
    AssessmentPeriod,
    AssessmentShelter,
    LocationAssessment,
    MovementEvent,
    Round,
    ShelterType,
)


@dataclass
class LocationFigures:
    idp_families: int = 0
    idp_individuals: int = 0
    returnee_families: int = 0
    returnee_individuals: int = 0
    as_of: datetime.date | None = None


@dataclass
class GovernorateFigures(LocationFigures):
    locations: int = 0

    def add(self, other: LocationFigures, locations: int = 0) -> None:
        self.idp_families += other.idp_families
        self.idp_individuals += other.idp_individuals
        self.returnee_families += other.returnee_families
        self.returnee_individuals += other.returnee_individuals
        self.locations += locations
        if other.as_of and (self.as_of is None or other.as_of > self.as_of):
            self.as_of = other.as_of


# ---------------------------------------------------------------- rounds


def rounds(kind: str = "idps"):
    """The rounds of one kind, oldest first."""
    return Round.objects.filter(kind=kind).order_by("date", "pk")


def all_rounds():
    """Every round, whatever its kind, oldest first."""
    return Round.objects.order_by("date", "pk")


def latest_round(kind: str = "idps", *, include_partial: bool = False) -> Round | None:
    """The latest complete round of one kind (the base of the "latest estimate").

    A partial round (part of the country only) would make every governorate it missed
    look emptied, so it is skipped unless no complete round exists at all.
    """
    qs = Round.objects.filter(kind=kind)
    if include_partial:
        return qs.order_by("-date", "-pk").first()
    return qs.order_by("partial", "-date", "-pk").first()  # complete ones first: one query


def _latest_by_kind() -> dict[str, Round]:
    """The rule of ``latest_round`` for every kind at once, from one query: a latest
    estimate needs the latest IDP round and the latest returnees round."""
    latest: dict[str, Round] = {}
    for r in Round.objects.order_by("partial", "-date", "-pk"):
        latest.setdefault(r.kind, r)
    return latest


def previous_round(round: Round, *, include_partial: bool = False) -> Round | None:  # noqa: A002
    """The complete round of the same kind just before ``round`` (what a change is
    measured against: comparing with a partial round would show a false rise)."""
    qs = (
        Round.objects.filter(kind=round.kind)
        .filter(Q(date__lt=round.date) | Q(date=round.date, pk__lt=round.pk))
        .order_by("-date", "-pk")
    )
    if not include_partial:
        qs = qs.filter(partial=False)
    return qs.first()


def resolve_round(value) -> Round | None:
    """A Round from an instance, a primary key or a code (None stays None)."""
    if value is None or isinstance(value, Round):
        return value
    if isinstance(value, int):
        return Round.objects.filter(pk=value).first()
    return Round.objects.filter(code=str(value)).first()


def _filter(qs, prefix: str, location_ids, governorate_ids, district_ids=None):
    if location_ids is not None:
        qs = qs.filter(**{f"{prefix}location_id__in": list(location_ids)})
    if governorate_ids is not None:
        qs = qs.filter(**{f"{prefix}location__governorate_id__in": list(governorate_ids)})
    if district_ids is not None:
        qs = qs.filter(**{f"{prefix}location__district_id__in": list(district_ids)})
    return qs


# ---------------------------------------------------------------- per location


def latest_location_figures(location_ids=None, governorate_ids=None) -> dict[int, LocationFigures]:
    """Per location: the latest round's figures plus the movements after it."""
    return location_figures(None, location_ids=location_ids, governorate_ids=governorate_ids)


def location_figures(
    round=None,
    location_ids=None,
    governorate_ids=None,  # noqa: A002
    district_ids=None,
) -> dict[int, LocationFigures]:
    """Per location figures of ``round`` (a Round, id or code), or the latest estimate."""
    rows = _location_rows(round, location_ids, governorate_ids, district_ids)
    return {loc: row[2] for loc, row in rows.items()}


_Row = tuple[int, int | None, LocationFigures]
_PARENTS = ("location__governorate_id", "location__district_id")


def _location_rows(
    round,
    location_ids,
    governorate_ids,
    district_ids=None,  # noqa: A002
) -> dict[int, _Row]:
    """location id → (governorate id, district id, figures), in a few queries: the IDP
    round's assessments, then the returnee round's when it is another, then (for the
    latest estimate) the movements recorded since."""
    chosen = resolve_round(round)
    estimate = chosen is None
    latest = _latest_by_kind() if estimate else {}
    idp_round = latest.get(Round.Kind.IDPS) if estimate else chosen
    where = (location_ids, governorate_ids, district_ids)
    rows: dict[int, _Row] = {}
    if idp_round is not None:
        _add_idp_figures(rows, idp_round, where)
    returnee_round = _returnee_round(chosen, latest)
    if returnee_round is not None and returnee_round != idp_round:
        _replace_returnees(rows, returnee_round, where)
    if estimate:
        _apply_movements(rows, idp_round, where)
    return rows


def _returnee_round(chosen: Round | None, latest: dict[str, Round]) -> Round | None:
    """Where returnee figures come from: the latest returnees round for the estimate, the
    chosen round when it is a returnees round, else the IDP round's own columns (None)."""
    if chosen is None:
        return latest.get(Round.Kind.RETURNEES)
    return chosen if chosen.kind == Round.Kind.RETURNEES else None


def _add_idp_figures(rows: dict[int, _Row], idp_round: Round, where: tuple) -> None:
    """Every location's figures of the IDP round (with its returnee columns)."""
    qs = _filter(LocationAssessment.objects.filter(round=idp_round), "", *where)
    for loc, gov, dist, fam, ind, rfam, rind in qs.values_list(
        "location_id",
        *_PARENTS,
        "families",
        "individuals",
        "returnee_families",
        "returnee_individuals",
    ):
        rows[loc] = (gov, dist, LocationFigures(fam, ind, rfam, rind, idp_round.date))


def _replace_returnees(rows: dict[int, _Row], returnee_round: Round, where: tuple) -> None:
    """Returnee figures from a returnees round: they replace the IDP round's columns
    (zero where the returnees round did not assess a location)."""
    for _, _, f in rows.values():
        f.returnee_families = f.returnee_individuals = 0
    qs = _filter(LocationAssessment.objects.filter(round=returnee_round), "", *where)
    for loc, gov, dist, rfam, rind in qs.values_list(
        "location_id", *_PARENTS, "returnee_families", "returnee_individuals"
    ):
        if loc not in rows:
            rows[loc] = (gov, dist, LocationFigures(as_of=returnee_round.date))
        rows[loc][2].returnee_families, rows[loc][2].returnee_individuals = rfam, rind


def _apply_movements(rows: dict[int, _Row], idp_round: Round | None, where: tuple) -> None:
    """The latest estimate: arrivals and departures recorded after the IDP round, in
    their order, on top of its figures."""
    movements = _filter(MovementEvent.objects.all(), "", *where)
    if idp_round is not None:
        movements = movements.filter(date__gt=idp_round.date)
    for loc, gov, dist, direction, fam, ind, day in movements.order_by("date", "pk").values_list(
        "location_id", *_PARENTS, "direction", "families", "individuals", "date"
    ):
        if loc not in rows:
            rows[loc] = (gov, dist, LocationFigures(as_of=day))
        f = rows[loc][2]
        sign = 1 if direction == MovementEvent.Direction.ARRIVAL else -1
        # Departures never take a location below zero: what left was counted there.
        f.idp_families = max(0, f.idp_families + sign * fam)
        f.idp_individuals = max(0, f.idp_individuals + sign * ind)
        if f.as_of is None or day > f.as_of:
            f.as_of = day


# ---------------------------------------------------------------- per governorate


def governorate_totals(
    round=None,
    governorate_ids=None,  # noqa: A002
) -> dict[int, GovernorateFigures]:
    """Per governorate id: totals of ``round`` or, with None, of the latest estimate."""
    chosen = resolve_round(round)
    totals: dict[int, GovernorateFigures] = {}
    if chosen is None:
        # Locations with zero IDPs still count as assessed: count from the figures.
        for gov, _, f in _location_rows(None, None, governorate_ids).values():
            totals.setdefault(gov, GovernorateFigures()).add(f, locations=1)
        return totals
    qs = LocationAssessment.objects.filter(round=chosen)
    if governorate_ids is not None:
        qs = qs.filter(location__governorate_id__in=list(governorate_ids))
    for row in (
        qs.values("location__governorate_id")
        .annotate(
            fam=Sum("families"),
            ind=Sum("individuals"),
            rfam=Sum("returnee_families"),
            rind=Sum("returnee_individuals"),
            n=Count("pk"),
        )
        .order_by()
    ):
        totals[row["location__governorate_id"]] = GovernorateFigures(
            row["fam"] or 0,
            row["ind"] or 0,
            row["rfam"] or 0,
            row["rind"] or 0,
            chosen.date,
            row["n"],
        )
    return totals


def national_total(round=None) -> GovernorateFigures:  # noqa: A002
    """The whole country: sum of every governorate's totals."""
    total = GovernorateFigures()
    chosen = resolve_round(round)
    if chosen is None:
        r = latest_round("idps")
        total.as_of = r.date if r else None
    else:
        total.as_of = chosen.date
    for figures in governorate_totals(chosen, None).values():
        total.add(figures, locations=figures.locations)
    return total


def sum_figures(totals: dict[int, GovernorateFigures], ids) -> GovernorateFigures:
    """The sum over a chosen set of governorates."""
    out = GovernorateFigures()
    for gid in ids:
        if gid in totals:
            out.add(totals[gid], locations=totals[gid].locations)
    return out


def district_totals(
    round=None,
    governorate_ids=None,  # noqa: A002
) -> dict[tuple[int, int | None], GovernorateFigures]:
    """Per (governorate id, district id or None): totals, for district tables."""
    out: dict[tuple[int, int | None], GovernorateFigures] = defaultdict(GovernorateFigures)
    for gov, dist, f in _location_rows(round, None, governorate_ids).values():
        out[(gov, dist)].add(f, locations=1)
    return dict(out)


# ---------------------------------------------------------------- breakdowns


def _round_or_latest(round):  # noqa: A002
    chosen = resolve_round(round)
    return chosen if chosen is not None else latest_round("idps")


def _families_by(model, key: str, round, governorate_ids) -> dict:  # noqa: A002
    """Families of a breakdown table per ``key`` in ``round`` (None: the latest IDP round)."""
    chosen = _round_or_latest(round)
    if chosen is None:
        return {}
    qs = model.objects.filter(assessment__round=chosen)
    if governorate_ids is not None:
        qs = qs.filter(assessment__location__governorate_id__in=list(governorate_ids))
    return dict(qs.values(key).annotate(n=Sum("families")).order_by().values_list(key, "n"))


def shelter_types():
    """The DTM shelter categories in their reading order (labels for ``shelter_breakdown``)."""
    return ShelterType.objects.all()


def shelter_breakdown(round=None, governorate_ids=None) -> dict[str, int]:  # noqa: A002
    """Families per shelter type code in ``round`` (None: the latest IDP round)."""
    return _families_by(AssessmentShelter, "shelter_type__code", round, governorate_ids)


def origin_breakdown(round=None, governorate_ids=None) -> dict[int, int]:  # noqa: A002
    """Families per governorate of origin (id) in ``round``."""
    return _families_by(AssessmentOrigin, "governorate_id", round, governorate_ids)


def period_breakdown(round=None, governorate_ids=None) -> dict[str, int]:  # noqa: A002
    """Families per displacement period code in ``round``."""
    return _families_by(AssessmentPeriod, "period__code", round, governorate_ids)


def arrivals(
    since: datetime.date,
    until: datetime.date,
    *,
    governorate_id=None,
    location_id=None,
) -> int:
    """Families arriving in a governorate or location between two dates (inclusive)."""
    qs = MovementEvent.objects.filter(
        direction=MovementEvent.Direction.ARRIVAL, date__gte=since, date__lte=until
    )
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if governorate_id is not None:
        qs = qs.filter(location__governorate_id=governorate_id)
    return qs.aggregate(n=Sum("families"))["n"] or 0


# ---------------------------------------------------------------- alerts


def alerts_fired(since: datetime.datetime, governorate_ids=None) -> int:
    """Influx alerts fired since ``since`` in those governorates (``None``: everywhere)."""
    qs = Alert.objects.filter(fired_at__gte=since)
    if governorate_ids is not None:
        qs = qs.filter(governorate_id__in=list(governorate_ids))
    return qs.count()


# ---------------------------------------------------------------- a dashboard's reads


@dataclass
class PlaceName:
    pcode: str
    name_en: str
    name_ar: str
    name_ckb: str


@dataclass
class DashboardReads:
    """What a dashboard reads of displacement (``dashboard_reads``): totals per (round id,
    governorate id), the governorates' names, (code, name, families) per shelter type
    holding families, families arrived and alerts fired."""

    totals: dict[tuple[int, int], GovernorateFigures] = field(default_factory=dict)
    governorates: dict[int, PlaceName] = field(default_factory=dict)
    shelter: list[tuple[str, str, int]] = field(default_factory=list)
    arrivals: int = 0
    alerts: int = 0


def dashboard_reads(
    rounds,
    governorate_ids=None,
    *,
    everywhere=(),
    shelter_round: Round | None = None,
    arrivals_between: tuple[datetime.date, datetime.date] | None = None,
    alerts_since: datetime.datetime | None = None,
) -> DashboardReads:
    """A dashboard's displacement figures in **one** query (one round trip, not six).

    The figures are those of ``governorate_totals`` for each round (in every governorate
    for the ``everywhere`` round ids, in ``governorate_ids`` for the others) with the
    governorates' names (of those totals and of ``governorate_ids``), of
    ``shelter_breakdown(shelter_round, governorate_ids)`` with the types' names in their
    reading order, of ``arrivals`` between ``arrivals_between`` in those governorates and
    of ``alerts_fired(alerts_since, governorate_ids)``; each part is left out when its
    argument is (``tests/test_dashboard_reads.py`` holds them equal). An officer's page
    is mostly round trips, not SQL: the parts are one ``UNION ALL`` of plain grouped
    reads (``_DashboardSql``), on SQLite as on PostgreSQL.
    """
    from django.db import connection

    sql = _DashboardSql(governorate_ids)
    sql.totals({r.pk for r in rounds}, set(everywhere))
    if shelter_round is not None:
        sql.shelter(shelter_round.pk)
    if arrivals_between is not None:
        sql.arrivals(*arrivals_between)
    if alerts_since is not None:
        sql.alerts(alerts_since)
    with connection.cursor() as cursor:
        cursor.execute(*sql.query())
        found = cursor.fetchall()
    return _dashboard_result(found, {r.pk: r.date for r in rounds})


def _dashboard_result(found: list[tuple], dates: dict) -> DashboardReads:
    """The parts of ``dashboard_reads`` from its rows (part, n1, n2, code, the three names,
    then five values), in a stable order."""
    reads = DashboardReads()
    shelter = []
    for part, n1, n2, code, en, ar, ckb, v1, v2, v3, v4, v5 in sorted(
        found, key=lambda row: (row[0], row[1] or 0, row[2] or 0, row[3] or "")
    ):
        if part in ("t", "g"):
            reads.governorates[n2] = PlaceName(code, en, ar, ckb)
        if part == "t":
            figures = GovernorateFigures(v1 or 0, v2 or 0, v3 or 0, v4 or 0, dates[n1], v5)
            reads.totals[(n1, n2)] = figures
        elif part == "s" and v1:
            shelter.append((code, localised(en, ar, ckb), int(v1)))
        elif part == "a":
            reads.arrivals = int(v1 or 0)
        elif part == "l":
            reads.alerts = int(v1 or 0)
    reads.shelter = shelter  # sorted above by the types' order, then code
    return reads


class _DashboardSql:
    """The ``UNION ALL`` of ``dashboard_reads``: every part selects the same twelve
    columns (part, two numbers, a code, three names, five values), with the scope's
    condition on each part that has one. Only this module's own table names go into the
    text; every value is a parameter."""

    def __init__(self, governorate_ids) -> None:
        from django.db import connection

        self.ops = connection.ops
        self.scope = None if governorate_ids is None else sorted(set(governorate_ids))
        self.parts: list[str] = []
        self.params: list = []
        self.table = {
            "assessment": LocationAssessment._meta.db_table,
            "location": Location._meta.db_table,
            "governorate": Governorate._meta.db_table,
            "shelter": AssessmentShelter._meta.db_table,
            "type": ShelterType._meta.db_table,
            "movement": MovementEvent._meta.db_table,
            "alert": Alert._meta.db_table,
        }

    def query(self) -> tuple[str, list]:
        return " UNION ALL ".join(self.parts), self.params

    def _in(self, column: str, ids) -> str:
        """``column IN (…)`` with its parameters; never true for no ids."""
        return in_list(column, ids, self.params)

    def _scoped(self, column: str) -> str:
        return "" if self.scope is None else f" AND {self._in(column, self.scope)}"

    def _add(self, select: str, tail: str) -> None:
        self.parts.append(f"SELECT {select} {tail}")  # noqa: S608 (own names only)

    def totals(self, rounds: set[int], everywhere: set[int]) -> None:
        """Totals per round and governorate with the governorate's names: ``everywhere``
        rounds in every governorate, the others in the scope;
        then the scope's names, for governorates that have no figures."""
        if self.scope is None:
            self._totals(rounds, scoped=False)
        else:
            self._totals(rounds & everywhere, scoped=False)
            self._totals(rounds - everywhere, scoped=True)
            self._add(
                f"'g', {_NULL_NUMBER}, g.id, g.pcode, g.name_en, g.name_ar, g.name_ckb, "
                + ", ".join([_NULL_NUMBER] * 5),
                f"FROM {self.table['governorate']} g WHERE {self._in('g.id', self.scope)}",
            )

    def _totals(self, rounds: set[int], *, scoped: bool) -> None:
        if not rounds:
            return
        where = self._in("a.round_id", rounds)
        if scoped:
            where += self._scoped("l.governorate_id")
        grouped = (
            "SELECT a.round_id AS round_id, l.governorate_id AS gov, "  # noqa: S608 (own names)
            "SUM(a.families) AS fam, "
            "SUM(a.individuals) AS ind, SUM(a.returnee_families) AS rfam, "
            "SUM(a.returnee_individuals) AS rind, COUNT(*) AS n "
            f"FROM {self.table['assessment']} a JOIN {self.table['location']} l "
            f"ON l.id = a.location_id WHERE {where} GROUP BY a.round_id, l.governorate_id"
        )
        self._add(
            "'t', t.round_id, t.gov, g.pcode, g.name_en, g.name_ar, g.name_ckb, "
            "t.fam, t.ind, t.rfam, t.rind, t.n",
            f"FROM ({grouped}) t JOIN {self.table['governorate']} g ON g.id = t.gov",
        )

    def shelter(self, round_id: int) -> None:
        """Families per shelter type in the round, with the types' names."""
        self.params.append(round_id)
        order, location = self.ops.quote_name("order"), self.table["location"]
        self._add(
            f"'s', st.{order}, {_NULL_NUMBER}, st.code, st.name_en, st.name_ar, st.name_ckb, "
            f"SUM(s.families), {', '.join([_NULL_NUMBER] * 4)}",
            f"FROM {self.table['shelter']} s "
            f"JOIN {self.table['assessment']} a ON a.id = s.assessment_id "
            + ("" if self.scope is None else f"JOIN {location} l ON l.id = a.location_id ")
            + f"JOIN {self.table['type']} st ON st.id = s.shelter_type_id "
            f"WHERE a.round_id = %s{self._scoped('l.governorate_id')} "
            f"GROUP BY st.id, st.{order}, st.code, st.name_en, st.name_ar, st.name_ckb",
        )

    def arrivals(self, since: datetime.date, until: datetime.date) -> None:
        """Families arrived between two dates (inclusive)."""
        adapt = self.ops.adapt_datefield_value
        self.params.extend([MovementEvent.Direction.ARRIVAL.value, adapt(since), adapt(until)])
        self._add(
            f"'a', {_NULL_NUMBER}, {_NULL_NUMBER}, {_NULL_TEXTS}, SUM(m.families), "
            + ", ".join([_NULL_NUMBER] * 4),
            f"FROM {self.table['movement']} m JOIN {self.table['location']} l "
            "ON l.id = m.location_id WHERE m.direction = %s AND m.date >= %s AND m.date <= %s"
            + self._scoped("l.governorate_id"),
        )

    def alerts(self, since: datetime.datetime) -> None:
        """Alerts fired since a moment."""
        self.params.append(self.ops.adapt_datetimefield_value(since))
        self._add(
            f"'l', {_NULL_NUMBER}, {_NULL_NUMBER}, {_NULL_TEXTS}, COUNT(*), "
            + ", ".join([_NULL_NUMBER] * 4),
            f"FROM {self.table['alert']} WHERE fired_at >= %s" + self._scoped("governorate_id"),
        )


_NULL_NUMBER = "CAST(NULL AS BIGINT)"
_NULL_TEXTS = ", ".join(["CAST(NULL AS VARCHAR(200))"] * 4)
