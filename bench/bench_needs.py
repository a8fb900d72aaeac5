"""Needs: importing KoboToolbox exports and computing latest severity / people in need.

Baselines measured in the same run:
- import: reading the same file with the shared tabular reader alone (the floor any
  importer pays), so the ratio is what validation and writing cost on top;
- figures: a naive computation that loads every assessment and severity into Python and
  picks the latest per location there, against ``queries.people_in_need``.

Run: ``.venv/bin/python -m bench needs`` (uses a throw-away SQLite database unless
DATABASE_URL is set). All data is rolled back at the end.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _setup() -> None:
    from bench.common import setup

    setup("needs")


def main(argv: list[str]) -> int:
    from bench.common import Rollback, best_of

    n = int(argv[0]) if argv else 2000
    _setup()
    import csv
    import datetime
    import io
    import random
    from collections import defaultdict

    from django.db import transaction

    from amina.geo.models import Governorate, Location
    from amina.lib.tabular import read_table
    from amina.needs import queries
    from amina.needs.importing import columns, import_needs_file
    from amina.needs.models import NeedsAssessment, SectorSeverity
    from amina.needs.severity import in_need
    from amina.needs.xlsform import fields, location_code

    rng = random.Random(5)
    try:
        with transaction.atomic():
            gov = Governorate.objects.get(pcode="IQG04")
            district = gov.districts.first()
            Location.objects.bulk_create(
                [
                    Location(
                        name_en=f"Bench {i}",
                        name_ar=f"موقع {i}",
                        governorate=gov,
                        district=district,
                        centroid_lat=32.0,
                        centroid_lon=44.3,
                    )
                    for i in range(n)
                ]
            )
            locations = list(Location.objects.filter(name_en__startswith="Bench "))
            codes = list(range(1, 16))
            paths = {name: f"{group}/{name}" for name, group in fields(codes).items()}
            header = [*paths.values(), "meta/instanceID", "_uuid", "_id", "_submission_time"]
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(header)
            for i in range(2 * n):  # two assessments per location, on different days
                loc = locations[i % n]
                prio = rng.sample(codes, 3)
                row = {
                    "governorate": "IQG04",
                    "location": location_code(loc),
                    "assessed_on": (
                        datetime.date(2015, 3, 1) + datetime.timedelta(days=i // n * 60)
                    ).isoformat(),
                    "team": "RART",
                    "ki_count": 3,
                    "population": rng.randint(50, 5000),
                    **{f"sev_{c}": rng.randint(1, 5) for c in codes},
                    "priority_1": prio[0],
                    "priority_2": prio[1],
                    "priority_3": prio[2],
                }
                writer.writerow(
                    [row.get(name, "") for name in paths]
                    + [f"uuid:bench-{i}", f"bench-{i}", i, "2015-06-05T10:00:00"]
                )
            data = out.getvalue().encode()

            read = best_of(lambda: read_table(data, columns(codes), filename="b.csv"), 3)
            start = time.perf_counter()
            result = import_needs_file(None, data, filename="bench.csv")
            imported = time.perf_counter() - start
            again = best_of(lambda: import_needs_file(None, data, filename="bench.csv"), 1)
            assert result.created == 2 * n

            def naive():
                latest = {}
                for a in NeedsAssessment.objects.values(
                    "pk", "location_id", "assessed_on", "population_individuals"
                ):
                    key = (a["assessed_on"], a["pk"])
                    if a["location_id"] not in latest or key > latest[a["location_id"]][0]:
                        latest[a["location_id"]] = (key, a)
                chosen = {v[1]["pk"]: v[1]["population_individuals"] for v in latest.values()}
                totals = defaultdict(int)
                for aid, code, sev in SectorSeverity.objects.values_list(
                    "assessment_id", "sector__code", "severity"
                ):
                    if aid in chosen:
                        totals[code] += in_need(sev, chosen[aid])
                return dict(totals)

            assert naive() == queries.people_in_need()
            t_naive = best_of(naive)
            t_pin = best_of(queries.people_in_need)
            t_latest = best_of(queries.latest_severity)
            print(f"rows in export: {2 * n} submissions × 15 sectors, {n} locations")
            print(f"read_table only (baseline):      {read:8.3f} s")
            print(
                f"import (validate + write):       {imported:8.3f} s   "
                f"ratio {imported / read:5.1f}× baseline, {2 * n / imported:,.0f} rows/s"
            )
            print(f"re-import, all already imported: {again:8.3f} s   ratio {again / read:5.1f}×")
            print(f"people in need, naive (baseline): {t_naive:8.3f} s")
            print(
                f"people in need, queries:          {t_pin:8.3f} s   "
                f"ratio {t_pin / t_naive:5.2f}× baseline"
            )
            print(f"latest severity rows ({len(queries.latest_severity())}): {t_latest:8.3f} s")
            raise Rollback
    except Rollback:
        pass
    return 0


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root), str(root / "src")]
    sys.exit(main(sys.argv[1:]))
