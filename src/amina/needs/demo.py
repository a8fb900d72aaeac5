"""Demo step: rapid needs assessments of a share of the locations, with plausible severity
(shelter/NFI, health and camp management worst where displacement is heaviest)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from amina.audit.services import record_bulk
from amina.geo.models import Location
from amina.lib.demo import GOVERNORATE_SHARES, DemoContext, step
from amina.needs.models import NeedsAssessment, Phase, PriorityNeed, Sector, SectorSeverity
from amina.needs.queries import latest_figures

# Sectors a rapid assessment in a displacement crisis rates, and how pressing they tend to be.
SECTOR_WEIGHT = {
    1: 0.6,
    2: 1.0,
    3: 0.1,
    4: 0.8,
    5: 0.5,
    6: 0.2,
    7: 0.3,
    8: -0.2,
    9: 0.2,
    10: 0.1,
    15: 0.0,
}
TEAMS = ["RART 1", "RART 2", "RART 3", "MoMD branch team", "IOM field team"]
KI_ROLES = [
    "mukhtar, school director",
    "camp manager, two women's committee members",
    "imam, health worker",
    "local council member, teacher",
]


@step(50, "needs assessments")
@transaction.atomic
def needs_assessments(ctx: DemoContext) -> dict:
    if NeedsAssessment.objects.exists():
        return {"assessments": NeedsAssessment.objects.count()}
    sectors = {s.code: s for s in Sector.objects.filter(code__in=SECTOR_WEIGHT)}
    during = Phase.objects.filter(code="during").first()
    locations = list(Location.objects.select_related("governorate").order_by("pk"))
    figures = latest_figures([loc.pk for loc in locations])
    # Teams assess where displaced people are; places without figures only now and then.
    chosen = [
        loc
        for loc in locations
        if ctx.rng.random() < (0.35 if getattr(figures.get(loc.pk), "idp_individuals", 0) else 0.05)
    ]
    today = timezone.localdate()
    assessments = []
    for loc in chosen:
        figure = figures.get(loc.pk)
        population = getattr(figure, "idp_individuals", None)
        assessments.append(
            NeedsAssessment(
                location=loc,
                assessed_on=today - datetime.timedelta(days=ctx.rng.randint(0, 150)),
                team=ctx.rng.choice(TEAMS),
                key_informants_count=ctx.rng.randint(2, 6),
                key_informants_description=ctx.rng.choice(KI_ROLES),
                population_individuals=population
                if population is not None
                else ctx.rng.randint(50, 4000),
                population_source="tracking" if population is not None else "team",
                population_as_of=getattr(figure, "as_of", None),
                phase=during,
            )
        )
    NeedsAssessment.objects.bulk_create(assessments, batch_size=500)
    severities, priorities = [], []
    for a in assessments:
        pressure = GOVERNORATE_SHARES.get(a.location.governorate.pcode, 0.02) * 5
        scores = {}
        for code, sector in sectors.items():
            value = round(1.0 + SECTOR_WEIGHT[code] * 1.8 + pressure + ctx.rng.gauss(0, 0.7))
            scores[code] = max(1, min(5, value))
            severities.append(SectorSeverity(assessment=a, sector=sector, severity=scores[code]))
        ranked = sorted(scores, key=lambda c: (-scores[c] - ctx.rng.random(), c))[:3]
        for rank, code in enumerate(ranked, start=1):
            priorities.append(PriorityNeed(assessment=a, rank=rank, sector=sectors[code]))
        ctx.progress(len(priorities) // 3, len(assessments), "needs assessments")
    SectorSeverity.objects.bulk_create(severities, batch_size=2000)
    PriorityNeed.objects.bulk_create(priorities, batch_size=2000)
    record_bulk(
        None, NeedsAssessment, "import", {"created": len(assessments)}, "demo needs assessments"
    )
    return {"assessments": len(assessments), "severities": len(severities)}
