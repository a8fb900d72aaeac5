"""Demo step: households with realistic Iraqi Arabic names and known near-duplicates.

Sized by the scale (300, 20,000 or 1,000,000 households), written in batches through
the bulk writer (COPY on PostgreSQL) so the large registry streams. The truth (which
registrations are the same family) is written beside the database as
``registry-truth.csv`` for benchmarks to score de-duplication.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.db import transaction

from amina.geo.models import Location
from amina.lib.demo import GOVERNORATE_SHARES, DemoContext, step
from amina.registry import bulk
from amina.registry.generator import Generator
from amina.registry.models import Household
from amina.tracking.queries import shelter_types


@step(40, "households")
def households(ctx: DemoContext) -> dict:
    if Household.objects.exists():
        return {"households": Household.objects.count()}
    locations: dict[int, list[int]] = {}
    for pk, gov in Location.objects.filter(governorate__pcode__in=GOVERNORATE_SHARES).values_list(
        "pk", "governorate_id"
    ):
        locations.setdefault(gov, []).append(pk)
    if not locations:
        return {"households": 0}
    total = ctx.size["households"]
    generator = Generator(total, locations, seed=ctx.seed, ref_prefix="DEMO")
    shelters = list(shelter_types().values_list("pk", flat=True))
    made = 0
    for batch in generator.batches(20_000):
        for row in batch.households:
            row["shelter_id"] = generator.rng.choice(shelters) if shelters else None
        with transaction.atomic():
            bulk.write(batch.households, batch.members)
        made += len(batch.households)
        ctx.progress(made, total, "households")
    path = settings.VAR_DIR / "registry-truth.csv"
    try:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["household_ref", "family"])
            writer.writerows(sorted(generator.truth.items()))
    except OSError:
        pass  # the truth is for benchmarks; the demo works without it
    return {"households": made}


@step(45, "duplicates")
def duplicates(ctx: DemoContext) -> dict:
    """Run de-duplication once, as a coordinator would after registration: the demo opens
    with probable duplicates waiting in the review queue, not an empty one."""
    from amina.registry import dedupe
    from amina.registry.models import DuplicateCandidate

    if DuplicateCandidate.objects.exists() or not Household.objects.exists():
        return {"pairs": DuplicateCandidate.objects.count()}
    summary = dedupe.run(None, progress=ctx.progress)
    return {"pairs": summary.get("pairs", 0), "clusters": summary.get("clusters", 0)}
