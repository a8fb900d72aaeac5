"""Demo data: rounds of location assessments that follow DTM Iraq's real distribution.

Families per governorate follow ``GOVERNORATE_SHARES`` (DTM Round XXII, June 2015) of
514,562 families nationally at the last round; shelter follows the same round (private
67%, critical 21%, camps 8%, unknown 4%); earlier rounds hold fewer (2% fewer per round
back, as displacement grew through 2014). The last round falls just before the story's
day (``STORY_DAY``), the first no earlier than ``STORY_START``. Returnees are counted
where they went back to — Salah al-Din (Tikrit, after April 2015), Diyala, Ninewa
(Zummar, Rabia) and Anbar — never in the Kurdistan Region, which they left; returns start
in November 2014. Sized by the scale's number of rounds and the locations made.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from amina.geo.models import Governorate, Location
from amina.lib.bulk import bulk_insert, insert_rows
from amina.lib.demo import GOVERNORATE_SHARES, STORY_START, DemoContext, step
from amina.tracking.models import (
    AssessmentOrigin,
    AssessmentPeriod,
    AssessmentShelter,
    DisplacementPeriod,
    LocationAssessment,
    Round,
    ShelterType,
)

NATIONAL_FAMILIES = 514_562
LAST_ROUND = datetime.date(2015, 6, 25)
ROUND_INTERVAL_DAYS = 14
# Returnee families at the last round, and where: the governorates of return of 2015.
RETURNEE_FAMILIES = 52_000
RETURN_SHARES = {"IQG16": 0.45, "IQG10": 0.30, "IQG15": 0.15, "IQG01": 0.10}
RETURNS_START = datetime.date(2014, 11, 1)
SHELTER_GROUP_SHARES = {"private": 0.67, "critical": 0.21, "camp": 0.08, "unknown": 0.04}
# Where the displaced came from in 2015: Anbar, Ninewa and Salah al-Din first.
ORIGIN_SHARES = {
    "IQG01": 0.38,
    "IQG15": 0.31,
    "IQG16": 0.15,
    "IQG10": 0.07,
    "IQG13": 0.04,
    "IQG08": 0.04,
    "IQG07": 0.01,
}
PERIOD_SHARES = [0.08, 0.35, 0.22, 0.17, 0.18]  # the first five waves, up to mid-2015


def round_dates(n: int) -> list[datetime.date]:
    """``n`` round dates every two weeks up to LAST_ROUND, closer together when two weeks
    would start before STORY_START (the large scale's 40 rounds)."""
    if n <= 1:
        return [LAST_ROUND][:n]
    step_days = min(ROUND_INTERVAL_DAYS, (LAST_ROUND - STORY_START).days // (n - 1))
    return [LAST_ROUND - datetime.timedelta(days=step_days * (n - 1 - i)) for i in range(n)]


def returnee_share(day: datetime.date) -> float:
    """Share of the last round's returnees already back on ``day`` (0 before November
    2014, rising to 1 at the last round)."""
    if day <= RETURNS_START:
        return 0.0
    return min(1.0, (day - RETURNS_START).days / (LAST_ROUND - RETURNS_START).days)


def _split(rng, total: int, weights: list[float]) -> list[int]:
    """``total`` split by ``weights`` with a little noise, summing exactly to ``total``."""
    noisy = [w * rng.uniform(0.7, 1.3) for w in weights]
    scale = sum(noisy) or 1
    parts = [int(total * w / scale) for w in noisy]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


@dataclass
class _Mix:
    """What every round is drawn from: the locations by governorate, each location's
    weight within its governorate (stable across rounds) and the breakdowns' shares."""

    locations: dict[int, list[Location]]
    govs: dict[str, int]
    weight: dict[int, float]
    shelters: list[ShelterType]
    shelter_weights: list[float]
    periods: list[DisplacementPeriod]
    origin_ids: list[int]
    origin_weights: list[float]


def _mix(rng) -> _Mix:
    """The demo's fixed inputs; draws only the locations' weights from ``rng``."""
    locations: dict[int, list[Location]] = {}
    for loc in Location.objects.only("pk", "governorate_id", "kind"):
        locations.setdefault(loc.governorate_id, []).append(loc)
    govs = {g.pcode: g.pk for g in Governorate.objects.all()}
    shelters = list(ShelterType.objects.all())
    shelter_weights = []
    for s in shelters:
        in_group = sum(1 for t in shelters if t.group == s.group)
        shelter_weights.append(SHELTER_GROUP_SHARES.get(s.group, 0) / in_group)
    return _Mix(
        locations=locations,
        govs=govs,
        weight={loc.pk: rng.paretovariate(1.5) for locs in locations.values() for loc in locs},
        shelters=shelters,
        shelter_weights=shelter_weights,
        periods=list(DisplacementPeriod.objects.all())[: len(PERIOD_SHARES)],
        origin_ids=[govs[p] for p in ORIGIN_SHARES if p in govs],
        origin_weights=[ORIGIN_SHARES[p] for p in ORIGIN_SHARES if p in govs],
    )


def _assessments(rng, mix: _Mix, round_: Round, growth: float) -> list[LocationAssessment]:
    """One round's assessments: each governorate's families (its real share, ``growth``
    of the last round's) and returnees spread over its locations by their weights."""
    back = returnee_share(round_.date)
    assessments = []
    for pcode, share in GOVERNORATE_SHARES.items():
        locs = mix.locations.get(mix.govs.get(pcode), [])
        if not locs:
            continue
        families = int(NATIONAL_FAMILIES * share * growth * rng.uniform(0.97, 1.03))
        returned = int(RETURNEE_FAMILIES * RETURN_SHARES.get(pcode, 0) * back)
        total_weight = sum(mix.weight[loc.pk] for loc in locs)
        for loc in locs:
            fam = max(1, int(families * mix.weight[loc.pk] / total_weight))
            ret = int(returned * mix.weight[loc.pk] / total_weight)
            assessments.append(
                LocationAssessment(
                    round=round_,
                    location_id=loc.pk,
                    date=round_.date,
                    families=fam,
                    individuals=fam * 6,
                    returnee_families=ret,
                    returnee_individuals=ret * 6,
                    source=LocationAssessment.Source.DEMO,
                )
            )
    return assessments


def _write_breakdowns(rng, mix: _Mix, assessments: list[LocationAssessment]) -> None:
    """Each saved assessment's families split by origin, shelter and period."""
    origins, shelter_rows, period_rows = [], [], []
    for a in assessments:
        fam = a.families
        for gid, n in zip(mix.origin_ids, _split(rng, fam, mix.origin_weights), strict=True):
            if n:
                origins.append((a.pk, gid, n))
        for s, n in zip(mix.shelters, _split(rng, fam, mix.shelter_weights), strict=True):
            if n:
                shelter_rows.append((a.pk, s.pk, n))
        for p, n in zip(mix.periods, _split(rng, fam, PERIOD_SHARES), strict=True):
            if n:
                period_rows.append((a.pk, p.pk, n))
    insert_rows(AssessmentOrigin, ["assessment", "governorate", "families"], origins)
    insert_rows(AssessmentShelter, ["assessment", "shelter_type", "families"], shelter_rows)
    insert_rows(AssessmentPeriod, ["assessment", "period", "families"], period_rows)


@step(30, "displacement")
@transaction.atomic
def displacement(ctx: DemoContext) -> dict:
    """The rounds, once: none made if any round exists."""
    if Round.objects.exists():
        return {"rounds": Round.objects.count()}
    rng = ctx.rng
    mix = _mix(rng)
    n_rounds = ctx.size["rounds"]
    made = 0
    for index, day in enumerate(round_dates(n_rounds)):
        round_ = Round.objects.create(
            code=f"D{index + 1}", date=day, kind=Round.Kind.IDPS, multiplier=6
        )
        growth = max(0.2, 1 - 0.02 * (n_rounds - 1 - index))
        assessments = _assessments(rng, mix, round_, growth)
        bulk_insert(LocationAssessment, assessments, need_ids=True)
        _write_breakdowns(rng, mix, assessments)
        made += len(assessments)
        ctx.progress(index + 1, n_rounds, "displacement rounds")
    return {"rounds": n_rounds, "assessments": made}
