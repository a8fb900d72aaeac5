"""Demo data: rounds of location assessments that follow DTM Iraq's real distribution.

Families per governorate follow ``GOVERNORATE_SHARES`` (DTM Round XXII, June 2015) of
514,562 families nationally; shelter follows the same round (private 67%, critical 21%,
camps 8%, unknown 4%); each new round drifts a few percent from the last. Sized by the
scale's number of rounds and the locations the foundation step created.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from amina.core.demo import GOVERNORATE_SHARES, DemoContext, step
from amina.geo.models import Governorate, Location
from amina.tracking.models import (
    AssessmentOrigin,
    AssessmentPeriod,
    AssessmentShelter,
    DisplacementPeriod,
    LocationAssessment,
    Round,
    ShelterType,
)
from amina.tracking.services.bulk import bulk_insert, insert_rows

NATIONAL_FAMILIES = 514_562
FIRST_ROUND = datetime.date(2015, 5, 21)
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


def _split(rng, total: int, weights: list[float]) -> list[int]:
    """``total`` split by ``weights`` with a little noise, summing exactly to ``total``."""
    noisy = [w * rng.uniform(0.7, 1.3) for w in weights]
    scale = sum(noisy) or 1
    parts = [int(total * w / scale) for w in noisy]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


@step(30, "displacement")
@transaction.atomic
def displacement(ctx: DemoContext) -> dict:
    if Round.objects.exists():
        return {"rounds": Round.objects.count()}
    rng = ctx.rng
    locations: dict[int, list[Location]] = {}
    for loc in Location.objects.only("pk", "governorate_id", "kind"):
        locations.setdefault(loc.governorate_id, []).append(loc)
    govs = {g.pcode: g.pk for g in Governorate.objects.all()}
    shelters = list(ShelterType.objects.all())
    shelter_weights = []
    for s in shelters:
        in_group = sum(1 for t in shelters if t.group == s.group)
        shelter_weights.append(SHELTER_GROUP_SHARES.get(s.group, 0) / in_group)
    periods = list(DisplacementPeriod.objects.all())[: len(PERIOD_SHARES)]
    origin_ids = [govs[p] for p in ORIGIN_SHARES if p in govs]
    origin_weights = [ORIGIN_SHARES[p] for p in ORIGIN_SHARES if p in govs]
    # Each location's weight within its governorate stays stable across rounds.
    weight = {loc.pk: rng.paretovariate(1.5) for locs in locations.values() for loc in locs}
    n_rounds = ctx.size["rounds"]
    made = 0
    for index in range(n_rounds):
        round_ = Round.objects.create(
            code=f"D{index + 1}",
            date=FIRST_ROUND + datetime.timedelta(days=14 * index),
            kind=Round.Kind.IDPS,
            multiplier=6,
        )
        growth = 1 + 0.02 * index
        assessments, rows = [], []
        for pcode, share in GOVERNORATE_SHARES.items():
            locs = locations.get(govs.get(pcode), [])
            if not locs:
                continue
            families = int(NATIONAL_FAMILIES * share * growth * rng.uniform(0.97, 1.03))
            total_weight = sum(weight[loc.pk] for loc in locs)
            for loc in locs:
                fam = max(1, int(families * weight[loc.pk] / total_weight))
                assessments.append(
                    LocationAssessment(
                        round=round_,
                        location_id=loc.pk,
                        date=round_.date,
                        families=fam,
                        individuals=fam * 6,
                        source=LocationAssessment.Source.DEMO,
                    )
                )
                rows.append(fam)
        bulk_insert(LocationAssessment, assessments, need_ids=True)
        origins, shelter_rows, period_rows = [], [], []
        for a, fam in zip(assessments, rows, strict=True):
            for gid, n in zip(origin_ids, _split(rng, fam, origin_weights), strict=True):
                if n:
                    origins.append((a.pk, gid, n))
            for s, n in zip(shelters, _split(rng, fam, shelter_weights), strict=True):
                if n:
                    shelter_rows.append((a.pk, s.pk, n))
            for p, n in zip(periods, _split(rng, fam, PERIOD_SHARES), strict=True):
                if n:
                    period_rows.append((a.pk, p.pk, n))
        insert_rows(AssessmentOrigin, ["assessment", "governorate", "families"], origins)
        insert_rows(AssessmentShelter, ["assessment", "shelter_type", "families"], shelter_rows)
        insert_rows(AssessmentPeriod, ["assessment", "period", "families"], period_rows)
        made += len(assessments)
        ctx.progress(index + 1, n_rounds, "displacement rounds")
    return {"rounds": n_rounds, "assessments": made}
