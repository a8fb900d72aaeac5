"""Read-side figures of coordination, for pages, the API, exports and other capabilities.

Like ``amina.needs.queries``, these take governorate ids rather than a user: callers pass
``amina.accounts.access.governorate_ids(user)`` (or ``None`` for everything), so the
access policy stays the one place that decides who sees what.

Definitions (documented in docs/usage/coordination.md):
- An activity is *present* on a day when it is planned or ongoing and the day falls
  between its start and end dates (no end date: open-ended).
- *Duplication*: two or more organisations with a present activity in the same place
  (the exact location, or the district or governorate when that is all the report gives)
  and the same sector.
- *Learning gain* of a training: mean of (post − pre) over participants with both scores,
  and Hake's class-average normalised gain ⟨g⟩ = (mean post − mean pre) / (max − mean pre).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from amina.coordination.models import Activity, Participant, Target, Training
from amina.lib.sql import in_list
from amina.needs import queries as needs_queries
from amina.needs.severity import SEVERE_FROM
from amina.supply import queries as supply_queries

ACTIVE = (Activity.Status.PLANNED, Activity.Status.ONGOING)


def _ids(governorate_ids: Iterable[int] | None) -> list[int] | None:
    return None if governorate_ids is None else list(governorate_ids)


def activities(governorate_ids: Iterable[int] | None = None) -> QuerySet[Activity]:
    qs = Activity.objects.all()
    ids = _ids(governorate_ids)
    if ids is not None:
        qs = qs.filter(governorate_id__in=ids)
    return qs


def present(
    governorate_ids: Iterable[int] | None = None, on: datetime.date | None = None
) -> QuerySet[Activity]:
    """Activities present on ``on`` (today): planned or ongoing, and in their dates."""
    day = on or timezone.localdate()
    return (
        activities(governorate_ids)
        .filter(status__in=ACTIVE, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    )


def activity_presence(
    governorate_ids: Iterable[int] | None = None, on: datetime.date | None = None
) -> set[tuple[int, int]]:
    """(location id, sector code) of every present activity reported at a location.

    The gap report (``gaps``) compares severe needs against this set. Activities
    reported only at district or governorate level name no location and are not in it.
    """
    rows = (
        present(governorate_ids, on)
        .filter(location__isnull=False)
        .values_list("location_id", "sector__code")
    )
    return set(rows)


def people_reached(governorate_ids: Iterable[int] | None = None) -> dict[int, int]:
    """People reached per sector code, over every activity (any status) in 4W."""
    rows = activities(governorate_ids).values("sector__code").annotate(n=Sum("people_reached"))
    return {r["sector__code"]: r["n"] or 0 for r in rows if r["n"]}


# ------------------------------------------------------------------ 4W views


@dataclass
class Matrix:
    rows: list  # row objects (sectors or organisations)
    columns: list  # column objects (governorates or places)
    cells: dict  # (row pk, column key) → {"activities": n, "organisations": n, "reached": n}
    row_totals: dict
    column_totals: dict


def sector_governorate_matrix(qs: QuerySet[Activity]) -> Matrix:
    """Activities, distinct organisations and people reached per sector × governorate."""
    from amina.geo.models import Governorate

    data = qs.values("sector_id", "governorate_id").annotate(
        activities=Count("pk"),
        organisations=Count("organisation", distinct=True),
        reached=Sum("people_reached"),
    )
    cells = {}
    row_totals: Counter = Counter()
    col_totals: Counter = Counter()
    for r in data:
        cells[(r["sector_id"], r["governorate_id"])] = {
            "activities": r["activities"],
            "organisations": r["organisations"],
            "reached": r["reached"] or 0,
        }
        row_totals[r["sector_id"]] += r["reached"] or 0
        col_totals[r["governorate_id"]] += r["reached"] or 0
    govs = Governorate.objects.filter(pk__in={k[1] for k in cells}).order_by("pcode")
    sectors = list(needs_queries.sectors())
    return Matrix(sectors, list(govs), cells, dict(row_totals), dict(col_totals))


def place_key(activity_values: dict) -> tuple[str, int]:
    if activity_values.get("location_id"):
        return ("l", activity_values["location_id"])
    if activity_values.get("district_id"):
        return ("d", activity_values["district_id"])
    return ("g", activity_values["governorate_id"])


def place_labels(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], object]:
    from amina.geo.models import District, Governorate, Location

    keys = list(keys)
    found = {}
    for kind, model in (("l", Location), ("d", District), ("g", Governorate)):
        ids = [k[1] for k in keys if k[0] == kind]
        for obj in model.objects.filter(pk__in=ids):
            found[(kind, obj.pk)] = obj
    return found


def organisation_place_matrix(qs: QuerySet[Activity]) -> Matrix:
    """Activities per organisation × place (location, else district, else governorate)."""
    from amina.accounts.models import Organisation

    cells: dict = defaultdict(lambda: {"activities": 0, "organisations": 1, "reached": 0})
    row_totals: Counter = Counter()
    col_totals: Counter = Counter()
    for r in qs.values(
        "organisation_id", "location_id", "district_id", "governorate_id", "people_reached"
    ):
        key = place_key(r)
        cell = cells[(r["organisation_id"], key)]
        cell["activities"] += 1
        cell["reached"] += r["people_reached"]
        row_totals[r["organisation_id"]] += 1
        col_totals[key] += 1
    labels = place_labels(col_totals)
    columns = sorted(labels.items(), key=lambda kv: (str(kv[1]),))
    orgs = Organisation.objects.filter(pk__in=row_totals).order_by("name_en")
    return Matrix(list(orgs), columns, dict(cells), dict(row_totals), dict(col_totals))


@dataclass
class Duplication:
    place: object
    place_key: tuple[str, int]
    sector: object
    organisations: list
    activities: list


def duplication(
    governorate_ids: Iterable[int] | None = None, on: datetime.date | None = None
) -> list[Duplication]:
    """Places and sectors where two or more organisations are present at once."""
    groups: dict = defaultdict(list)
    rows = present(governorate_ids, on).values_list(
        "pk", "location_id", "district_id", "governorate_id", "sector_id", "organisation_id"
    )
    for pk, loc, district, gov, sector, org in rows:
        key = place_key({"location_id": loc, "district_id": district, "governorate_id": gov})
        groups[(key, sector)].append((pk, org))
    found = [(k, acts) for k, acts in groups.items() if len({org for _pk, org in acts}) >= 2]
    # Only the activities in a duplication are loaded as objects.
    objects = Activity.objects.select_related("organisation", "sector").in_bulk(
        [pk for _k, acts in found for pk, _org in acts]
    )
    labels = place_labels(k[0] for k, _acts in found)
    result = []
    for (key, _sector_id), acts in found:
        chosen = [objects[pk] for pk, _org in acts]
        orgs = sorted({a.organisation for a in chosen}, key=lambda o: o.name_en)
        result.append(Duplication(labels.get(key), key, chosen[0].sector, orgs, chosen))
    result.sort(key=lambda d: (d.sector.code, str(d.place)))
    return result


@dataclass(frozen=True)
class GapRow:
    location_id: int
    governorate_id: int
    sector_code: int
    severity: int
    assessed_on: datetime.date
    covered: bool  # some organisation has an activity present at the location in the sector


def gaps(
    governorate_ids: Iterable[int] | None = None,
    threshold: int = SEVERE_FROM,
    on: datetime.date | None = None,
) -> list[GapRow]:
    """Every location and sector with severe needs (latest assessment, ``threshold`` or
    more), and whether any organisation reports an activity present there today (4W).

    Coordination computes this rather than needs because it knows both sides: needs
    offers the severe needs, 4W the presence; needs never reads 4W.
    """
    ids = _ids(governorate_ids)
    presence = activity_presence(ids, on)
    return [
        GapRow(
            r.location_id,
            r.governorate_id,
            r.sector_code,
            r.severity,
            r.assessed_on,
            (r.location_id, r.sector_code) in presence,
        )
        for r in needs_queries.severe_needs(threshold, ids)
    ]


# ------------------------------------------------------------------ plans


@dataclass
class Progress:
    target: Target
    achieved: int
    expected_share: float  # of the target, had progress been linear from the plan's start

    @property
    def share(self) -> float:
        return self.achieved / self.target.quantity

    @property
    def percent(self) -> int:
        return round(100 * self.share)

    @property
    def lagging(self) -> bool:
        """Behind by more than a quarter of where a steady pace would be by now."""
        return self.share < 0.75 * self.expected_share


def achieved(target: Target, start: datetime.date) -> int:
    """What counts towards a target, from the records (never typed in)."""
    end = target.deadline
    if target.measure == Target.Measure.PEOPLE_REACHED:
        # Activities overlapping the plan's period up to the deadline.
        qs = Activity.objects.filter(
            sector_id=target.sector_id, governorate_id=target.governorate_id, start_date__lte=end
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return qs.aggregate(n=Sum("people_reached"))["n"] or 0
    if target.measure == Target.Measure.OFFICIALS_TRAINED:
        return (
            Participant.objects.filter(
                governorate_id=target.governorate_id,
                training__sectors=target.sector_id,
                training__end_date__gte=start,
                training__end_date__lte=end,
            )
            .distinct()
            .count()
        )
    # Supply items carry no MCOF sector: every distribution in the governorate counts.
    return supply_queries.households_served(target.governorate_id, start, end)


def plan_progress(plan, today: datetime.date | None = None) -> list[Progress]:
    day = today or timezone.localdate()
    result = []
    for target in plan.targets.select_related("sector", "governorate", "lead").prefetch_related(
        "partners"
    ):
        span = (target.deadline - plan.start_date).days
        elapsed = (min(day, target.deadline) - plan.start_date).days
        expected = 1.0 if span <= 0 else max(0.0, min(1.0, elapsed / span))
        result.append(Progress(target, achieved(target, plan.start_date), expected))
    return result


# ------------------------------------------------------------------ trainings


def participants(governorate_ids: Iterable[int] | None = None) -> QuerySet[Participant]:
    """Participants by their own governorate (where the official works)."""
    qs = Participant.objects.all()
    ids = _ids(governorate_ids)
    if ids is not None:
        qs = qs.filter(governorate_id__in=ids)
    return qs


def learning_gain(qs: QuerySet[Participant] | Iterable[Participant]) -> dict:
    """Mean raw gain and Hake's normalised gain over participants with both scores.

    Scores are on each training's scale (``max_score``); both gains are computed on
    percentages so trainings with different scales can be pooled.
    """
    pairs = []
    for p in qs:
        if p.pre_score is not None and p.post_score is not None:
            scale = p.training.max_score
            pairs.append((100 * p.pre_score / scale, 100 * p.post_score / scale))
    if not pairs:
        return {
            "tested": 0,
            "mean_pre": None,
            "mean_post": None,
            "mean_gain": None,
            "normalised_gain": None,
        }
    n = len(pairs)
    mean_pre = sum(p for p, _q in pairs) / n
    mean_post = sum(q for _p, q in pairs) / n
    normalised = None if mean_pre >= 100 else (mean_post - mean_pre) / (100 - mean_pre)
    return {
        "tested": n,
        "mean_pre": mean_pre,
        "mean_post": mean_post,
        "mean_gain": mean_post - mean_pre,
        "normalised_gain": normalised,
    }


def training_statistics(governorate_ids: Iterable[int] | None = None) -> dict:
    """Officials trained by institution, institution kind, governorate, sex and topic."""
    qs = participants(governorate_ids).select_related("organisation", "governorate", "training")
    people = list(qs)
    by_institution = Counter(p.organisation for p in people)
    by_kind = Counter(p.organisation.kind for p in people)
    by_governorate = Counter(p.governorate for p in people)
    by_sex = Counter(p.sex for p in people)
    by_topic: Counter = Counter()
    sectors = defaultdict(list)
    for training_id, sector in (
        Training.sectors.through.objects.filter(training__in={p.training_id for p in people})
        .select_related("sector")
        .values_list("training_id", "sector")
    ):
        sectors[training_id].append(sector)
    sector_objs = needs_queries.sectors().in_bulk({s for v in sectors.values() for s in v})
    for p in people:
        for s in sectors.get(p.training_id, ()):
            by_topic[sector_objs[s]] += 1
    return {
        "participants": len(people),
        "trainings": len({p.training_id for p in people}),
        "by_institution": by_institution.most_common(),
        "by_kind": by_kind.most_common(),
        "by_governorate": by_governorate.most_common(),
        "by_sex": dict(by_sex),
        "by_topic": sorted(by_topic.items(), key=lambda kv: (-kv[1], kv[0].code)),
        "gain": learning_gain(people),
    }


def training_summary(governorate_ids: Iterable[int] | None = None) -> dict:
    """For the reports capability: participants in total, by sex and by institution kind,
    and how many trainings they came from (plain values, JSON-able)."""
    qs = participants(governorate_ids)
    # Two queries: the counts in one pass, then the institution kinds.
    counts = qs.aggregate(
        participants=Count("pk"),
        female=Count("pk", filter=Q(sex="f")),
        male=Count("pk", filter=Q(sex="m")),
        trainings=Count("training_id", distinct=True),
    )
    by_kind = dict(qs.values_list("organisation__kind").annotate(n=Count("pk")).order_by())
    return {
        "participants": counts["participants"],
        "female": counts["female"],
        "male": counts["male"],
        "by_institution_kind": by_kind,
        "trainings": counts["trainings"],
    }


@dataclass
class DashboardFigures:
    """``people_reached`` (with each sector's names) and ``training_summary``, as
    ``dashboard_figures`` reads them."""

    reached: dict[int, tuple[str, str, str, int]]  # sector code → (en, ar, ckb, people)
    trainings: dict


def dashboard_figures(governorate_ids: Iterable[int] | None = None) -> DashboardFigures:
    """People reached per sector (with the sectors' names) and the trainings' summary in
    one plain query (a ``UNION ALL`` of three grouped reads), for a dashboard, where every
    round trip and every query the ORM compiles shows. The same figures as
    ``people_reached`` and ``training_summary``."""
    from django.db import connection

    from amina.accounts.models import Organisation
    from amina.needs.models import Sector

    params: list = []

    def scoped(column: str) -> str:
        if governorate_ids is None:
            return ""
        return f" WHERE {in_list(column, governorate_ids, params)}"

    people, activity = Participant._meta.db_table, Activity._meta.db_table
    null = "CAST(NULL AS BIGINT)"
    # Only this module's own table names go into the text; every value is a parameter.
    sql = " UNION ALL ".join(
        [
            f"SELECT 'r', s.code, s.name_en, s.name_ar, s.name_ckb, SUM(a.people_reached), "  # noqa: S608
            f"{null}, {null}, {null} FROM {activity} a "
            f"JOIN {Sector._meta.db_table} s ON s.id = a.sector_id{scoped('a.governorate_id')} "
            "GROUP BY s.id, s.code, s.name_en, s.name_ar, s.name_ckb",
            f"SELECT 't', {null}, NULL, NULL, NULL, COUNT(*), "  # noqa: S608
            "SUM(CASE WHEN p.sex = 'f' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN p.sex = 'm' THEN 1 ELSE 0 END), COUNT(DISTINCT p.training_id) "
            f"FROM {people} p{scoped('p.governorate_id')}",
            f"SELECT 'k', {null}, o.kind, NULL, NULL, COUNT(*), {null}, {null}, {null} "  # noqa: S608
            f"FROM {people} p JOIN {Organisation._meta.db_table} o "
            f"ON o.id = p.organisation_id{scoped('p.governorate_id')} GROUP BY o.kind",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1] or 0, row[2] or ""))
    reached: dict[int, tuple[str, str, str, int]] = {}
    counts: dict = {"by_institution_kind": {}}
    for tag, code, en, ar, ckb, n, female, male, trainings in found:
        if tag == "r" and n:
            reached[code] = (en, ar, ckb, n)
        elif tag == "t":
            counts.update(participants=n, female=female or 0, male=male or 0, trainings=trainings)
        elif tag == "k":
            counts["by_institution_kind"][en] = n
    return DashboardFigures(reached, counts)
