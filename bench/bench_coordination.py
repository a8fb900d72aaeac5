"""Coordination: importing a 4W sheet, and the duplication / presence figures.

Baselines measured in the same run:
- import: reading the same file with the shared tabular reader alone (the floor any
  importer pays), so the ratio is what resolution, validation and writing cost on top;
- duplication: a naive computation in Python over every activity row, against
  ``queries.duplication`` (which filters present activities in the database).

Run: ``.venv/bin/python -m bench coordination [ROWS]`` (a throw-away SQLite database unless
DATABASE_URL is set). All data is rolled back at the end.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _setup() -> None:
    from bench.common import setup

    setup("coord")


def main(argv: list[str]) -> int:
    from bench.common import Rollback, best_of

    n = int(argv[0]) if argv else 5000
    _setup()
    import csv
    import datetime
    import io
    import random
    from collections import defaultdict

    from django.db import transaction

    from amina.accounts.models import Organisation
    from amina.coordination import queries
    from amina.coordination.cli import _System
    from amina.coordination.importing import COLUMNS
    from amina.coordination.models import Activity
    from amina.coordination.services.imports import import_activities
    from amina.geo.models import Governorate, Location
    from amina.lib.tabular import Column, read_table

    rng = random.Random(9)
    day = datetime.date(2015, 6, 15)
    try:
        with transaction.atomic():
            orgs = [
                Organisation.objects.create(name_en=f"Bench NGO {i}", acronym=f"BN{i}", kind="ngo")
                for i in range(20)
            ]
            govs = list(Governorate.objects.filter(pcode__in=["IQG04", "IQG09", "IQG11"]))
            Location.objects.bulk_create(
                [
                    Location(
                        name_en=f"Bench place {i}",
                        governorate=govs[i % 3],
                        district=govs[i % 3].districts.first(),
                        dtm_place_id=f"B{i}",
                    )
                    for i in range(n // 5)
                ]
            )
            places = list(Location.objects.filter(name_en__startswith="Bench place"))
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(
                [
                    "Organisation",
                    "Sector",
                    "Activity",
                    "Governorate",
                    "Location code",
                    "Start date",
                    "End date",
                    "Status",
                    "Girls",
                    "Boys",
                    "Women",
                    "Men",
                ]
            )
            for i in range(n):
                loc = places[i % len(places)]
                start = day - datetime.timedelta(days=rng.randint(0, 120))
                writer.writerow(
                    [
                        rng.choice(orgs).acronym,
                        rng.choice([2, 4, 5]),
                        f"Activity {i}",
                        loc.governorate.pcode,
                        loc.dtm_place_id,
                        start.isoformat(),
                        (start + datetime.timedelta(days=rng.randint(10, 200))).isoformat(),
                        rng.choice(["planned", "ongoing", "completed"]),
                        *(rng.randint(0, 50) for _ in range(4)),
                    ]
                )
            data = out.getvalue().encode()
            columns = [Column(name, aliases) for name, aliases, _h in COLUMNS]

            read = best_of(lambda: read_table(data, columns, filename="b.csv"), 3)
            start = time.perf_counter()
            result = import_activities(_System(), data, "bench.csv")
            imported = time.perf_counter() - start
            assert result.created == n, result.created
            again = best_of(lambda: import_activities(_System(), data, "bench.csv"), 1)

            def naive():
                groups = defaultdict(set)
                for a in Activity.objects.values(
                    "status",
                    "start_date",
                    "end_date",
                    "location_id",
                    "district_id",
                    "governorate_id",
                    "sector_id",
                    "organisation_id",
                ):
                    if (
                        a["status"] in ("planned", "ongoing")
                        and a["start_date"] <= day
                        and (a["end_date"] is None or a["end_date"] >= day)
                    ):
                        groups[(a["location_id"], a["sector_id"])].add(a["organisation_id"])
                return sum(1 for v in groups.values() if len(v) >= 2)

            assert naive() == len(queries.duplication(on=day))
            t_naive = best_of(naive)
            t_dup = best_of(lambda: queries.duplication(on=day))
            t_presence = best_of(lambda: queries.activity_presence(on=day))
            print(f"4W rows: {n}, locations {len(places)}, organisations {len(orgs)}")
            print(f"read_table only (baseline):      {read:8.3f} s")
            print(
                f"import (resolve + validate + write): {imported:8.3f} s   "
                f"ratio {imported / read:5.1f}× baseline, {n / imported:,.0f} rows/s"
            )
            print(f"re-import (all updates):         {again:8.3f} s   ratio {again / read:5.1f}×")
            print(f"duplication, naive (baseline):   {t_naive:8.3f} s")
            print(
                f"duplication, queries:            {t_dup:8.3f} s   "
                f"ratio {t_dup / t_naive:5.2f}× baseline"
            )
            print(f"activity presence:               {t_presence:8.3f} s")
            raise Rollback
    except Rollback:
        pass
    return 0


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root), str(root / "src")]
    sys.exit(main(sys.argv[1:]))
