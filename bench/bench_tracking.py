"""Tracking: importing a national DTM master list, and the national summary at that size.

Generates a national master list of 4,000 locations for 40 rounds (160,000 rows; one CSV
per round, in DTM's published column layout with breakdowns by origin, shelter and
period), then in the same run:
- two floors: reading and parsing the same files with the csv module alone (every cell
  turned into a number), and on PostgreSQL the load floor (``common.load_floor``: the
  rows the import wrote, already normalised — assessments and the three breakdowns —
  ``COPY``-ed into the same tables, plus building the same indexes and foreign keys),
  against ``import_dtm_file`` for each round (gazetteer matching, validation, writing
  with COPY on PostgreSQL or executemany on SQLite, and on PostgreSQL the deferred
  foreign-key checks its commit would run), with the time of each phase;
- the national summary's query time at that size (``queries.national_total`` and
  ``queries.governorate_totals`` of the latest estimate), p50 and p95.

Run: ``.venv/bin/python -m bench tracking`` (a throw-away SQLite database unless
DATABASE_URL is set; on PostgreSQL everything is rolled back at the end).
Options for a quick run: ``python bench/bench_tracking.py --locations 400 --rounds 4``;
``--floors N`` measures each load floor N times and keeps the best (default 3).

Two load floors, both printed: the one-pass floor (every round's rows in one ``COPY``,
indexes and keys built once) and the round-by-round floor (``round_floor``: each round's
rows ``COPY``-ed into the tables as the earlier rounds left them, its keys checked as its
commit checks them), which is what importing one round at a time cannot go below.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _setup() -> None:
    from bench.common import setup

    setup("tracking")


def generate(directory: Path, n_locations: int, n_rounds: int, seed: int = 2015) -> list[Path]:
    """One CSV per round, as DTM publishes them; every breakdown adds up to families."""
    from amina.geo.models import District, Governorate
    from amina.lib.demo import GOVERNORATE_SHARES
    from amina.tracking.models import DisplacementPeriod, ShelterType

    rng = random.Random(seed)
    govs = {g.pcode: g for g in Governorate.objects.all()}
    districts: dict[int, list[str]] = {}
    for d in District.objects.all():
        districts.setdefault(d.governorate_id, []).append(d.name_en)
    origins = [g.name_dtm or g.name_en for g in govs.values()]
    shelters = [s.dtm_column for s in ShelterType.objects.all()]
    periods = [p.dtm_column for p in DisplacementPeriod.objects.all()]
    header = [
        "Place id",
        "Governorate",
        "District",
        "Location name in English",
        "Location name in Arabic",
        "Latitude",
        "Longitude",
        "Families",
        "Individuals",
        *origins,
        *shelters,
        *periods,
    ]
    places = []
    pcodes = list(GOVERNORATE_SHARES)
    weights = list(GOVERNORATE_SHARES.values())
    for i in range(n_locations):
        gov = govs[rng.choices(pcodes, weights)[0]]
        places.append(
            (
                str(100000 + i),
                gov.name_dtm or gov.name_en,
                rng.choice(districts[gov.pk]),
                f"Hay {i}",
                f"حي {i}",
                round(gov.centroid_lat + rng.uniform(-0.3, 0.3), 5),
                round(gov.centroid_lon + rng.uniform(-0.3, 0.3), 5),
                rng.paretovariate(1.3) * 40,
            )
        )

    def split(total: int, width: int) -> list[str]:
        cells = [""] * width
        for _ in range(3):
            cells[rng.randrange(width)] = "x"
        chosen = [i for i, c in enumerate(cells) if c]
        parts = [0] * len(chosen)
        for _ in range(total):
            parts[rng.randrange(len(chosen))] += 1
        for i, n in zip(chosen, parts, strict=True):
            cells[i] = str(n) if n else ""
        return cells

    paths = []
    for r in range(n_rounds):
        path = directory / f"round{r + 1}.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for pid, gov, dist, en, ar, lat, lon, size in places:
                fam = max(1, int(size * rng.uniform(0.8, 1.2)))
                writer.writerow(
                    [
                        pid,
                        gov,
                        dist,
                        en,
                        ar,
                        lat,
                        lon,
                        fam,
                        fam * 6,
                        *split(fam, len(origins)),
                        *split(fam, len(shelters)),
                        *split(fam, len(periods)),
                    ]
                )
        paths.append(path)
    return paths


def floor(paths: list[Path]) -> float:
    """Reading and parsing the files with the csv module alone: the least any import pays."""
    start = time.perf_counter()
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for row in reader:
                [int(c) for c in row[7:] if c]
                float(row[5]), float(row[6])
    return time.perf_counter() - start


class _Phases:
    """Seconds spent in each phase of the imports, summed over the rounds: reading the
    table and building the gazetteer (timed around those two calls), then the spans
    between the import's own progress labels."""

    def __init__(self) -> None:
        from collections import defaultdict

        self.totals: dict[str, float] = defaultdict(float)
        self.label: str | None = None
        self.since = 0.0

    def progress(self, _done, _total, label) -> None:
        if label != self.label:
            self.end()
            self.label, self.since = str(label), time.perf_counter()

    def end(self) -> None:
        if self.label is not None:
            self.totals[self.label] += time.perf_counter() - self.since
        self.label = None

    def wrap(self, name: str, func):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.totals[name] += time.perf_counter() - started
                self.since += time.perf_counter() - started  # not also in the open phase

        return timed


def _time_phases() -> _Phases:
    """Time the table reader, finding the places (the gazetteer of governorates and
    districts, the index of location codes) and the coverage check where the DTM import
    calls them."""
    from amina.tracking.services import dtm

    phases = _Phases()
    dtm.DtmPlaces = phases.wrap("places (gazetteer, location codes)", dtm.DtmPlaces)
    dtm.tabular.read_table = phases.wrap("reading the table", dtm.tabular.read_table)
    return phases


FK_PHASE = "foreign-key checks (at commit)"


def _checks_at_commit(phases: _Phases) -> None:
    """Run the foreign-key checks a round's rows left pending, timed as the import's own.

    Amina's foreign keys are deferred: each row written queues a check that runs when the
    transaction commits. A real import commits each round and pays them; here every
    round stays in one transaction that is rolled back, so without this they would run
    (untimed) only when the load floor begins. The floor pays for its keys too (each
    one added back and checked in one pass)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from amina.lib.bulk import check_pending

    started = time.perf_counter()
    with connection.cursor() as cursor:
        check_pending(cursor)
    phases.totals[FK_PHASE] += time.perf_counter() - started


ROUND_TABLES = {
    "tracking_locationassessment": "round_id = %d",
    "tracking_assessmentorigin": "assessment_id IN ({})",
    "tracking_assessmentshelter": "assessment_id IN ({})",
    "tracking_assessmentperiod": "assessment_id IN ({})",
}


def round_floor(round_ids: list[int], directory: str) -> float:
    """The load floor of importing round by round: each round's rows, already
    normalised, ``COPY``-ed into the tables as the earlier rounds left them (their
    indexes kept up to date, as any import of one more round must), then that round's
    foreign keys checked as its commit would check them. Seconds, for all the rounds.

    ``common.load_floor`` is the other floor: every round loaded in one pass, indexes
    and keys built once at the end, which no import of one round into a table that
    already holds the others can do. The benchmark prints both."""
    from pathlib import Path

    from django.db import connection, transaction

    from amina.lib.bulk import check_pending
    from bench.common import copy_in, copy_out

    assessments = "SELECT id FROM tracking_locationassessment WHERE round_id = %d"
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        files: list[list[tuple[str, Path]]] = []
        for round_id in round_ids:
            parts = []
            for table, where in ROUND_TABLES.items():
                path = Path(directory) / f"round-floor-{round_id}-{table}.copy"
                rows = f"SELECT * FROM {table} WHERE {where.format(assessments)} ORDER BY id"
                copy_out(raw, f"({rows % int(round_id)})", path)
                parts.append((table, path))
            files.append(parts)
        check_pending(cursor)  # nothing pending before TRUNCATE
        cursor.execute(f"TRUNCATE {', '.join(ROUND_TABLES)} CASCADE")
        started = time.perf_counter()
        for parts in files:
            for table, path in parts:
                copy_in(raw, table, path)
            check_pending(cursor)  # the round's commit
        elapsed = time.perf_counter() - started
    for parts in files:
        for _table, path in parts:
            path.unlink(missing_ok=True)
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str]) -> int:
    from bench.common import Rollback

    parser = argparse.ArgumentParser(prog="bench_tracking")
    parser.add_argument("--locations", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--floors", type=int, default=3, help="load floor runs (best kept)")
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection, transaction

    from amina.lib.bulk import use_copy
    from amina.tracking import queries
    from amina.tracking.services.dtm import import_dtm_file

    phases = _time_phases()
    results = {}
    with tempfile.TemporaryDirectory(prefix="amina-bench-dtm-") as tmp:
        try:
            with transaction.atomic():
                paths = generate(Path(tmp), args.locations, args.rounds)
                rows = args.locations * len(paths)
                size_mb = sum(p.stat().st_size for p in paths) / 1e6
                base = min(floor(paths) for _ in range(3))
                first = datetime.date(2015, 1, 1)
                start = time.perf_counter()
                per_round = []
                for i, path in enumerate(paths):
                    t = time.perf_counter()
                    import_dtm_file(
                        None,
                        path,
                        round_code=f"B{i + 1}",
                        round_date=first + datetime.timedelta(days=14 * i),
                        progress=phases.progress,
                    )
                    phases.end()
                    _checks_at_commit(phases)
                    per_round.append(time.perf_counter() - t)
                imported = time.perf_counter() - start
                load = None
                if connection.vendor == "postgresql":
                    from bench.common import load_floor

                    # Best of three: on a shared machine one run can take twice another.
                    floors = [
                        load_floor(
                            [
                                "tracking_locationassessment",
                                "tracking_assessmentorigin",
                                "tracking_assessmentshelter",
                                "tracking_assessmentperiod",
                            ],
                            tmp,
                        )
                        for _ in range(args.floors)
                    ]
                    load = min(floors, key=lambda f: f["total"])
                    from amina.tracking.models import Round

                    round_ids = list(
                        Round.objects.filter(code__in=[f"B{i + 1}" for i in range(len(paths))])
                        .order_by("date")
                        .values_list("pk", flat=True)
                    )
                    by_round = min(round_floor(round_ids, tmp) for _ in range(args.floors))
                check = queries.national_total()
                latest_families = sum(
                    int(r["Families"]) for r in csv.DictReader(open(paths[-1], encoding="utf-8"))
                )
                assert check.idp_families == latest_families, "imported totals differ"
                timings = {
                    "national_total": [],
                    "governorate_totals": [],
                    "national_total(round)": [],
                }
                mid = queries.resolve_round(f"B{max(1, len(paths) // 2)}")
                for _ in range(args.repeat):
                    for name, func in (
                        ("national_total", queries.national_total),
                        ("governorate_totals", queries.governorate_totals),
                        ("national_total(round)", lambda: queries.national_total(mid)),
                    ):
                        t = time.perf_counter()
                        func()
                        timings[name].append(time.perf_counter() - t)
                results = {
                    "database": connection.vendor + (" (COPY)" if use_copy() else ""),
                    "rows": rows,
                    "files": len(paths),
                    "csv_mb": round(size_mb, 1),
                    "csv parse alone (s)": round(base, 2),
                    "import_s": round(imported, 1),
                    "import / csv parse": round(imported / base, 1),
                    **(
                        {
                            "load floor (s)": f"{load['total']:.2f} (COPY {load['copy']:.2f}"
                            f" + indexes and keys {load['indexes']:.2f}; best of "
                            + ", ".join(f"{f['total']:.2f}" for f in floors)
                            + ")",
                            "import / load floor": round(imported / load["total"], 1),
                            "… without the key checks": round(
                                (imported - phases.totals[FK_PHASE]) / load["total"], 1
                            ),
                            "round-by-round floor (s)": round(by_round, 2),
                            "import / round-by-round floor": round(imported / by_round, 1),
                        }
                        if load
                        else {}
                    ),
                    **{f"phase: {k} (s)": round(v, 1) for k, v in phases.totals.items()},
                    "phase: the rest (s)": round(imported - sum(phases.totals.values()), 1),
                    "per_round_s_median": round(statistics.median(per_round), 2),
                    **{
                        f"{k} p50/p95 ms": f"{1000 * percentile(v, 0.5):.1f} / "
                        f"{1000 * percentile(v, 0.95):.1f}"
                        for k, v in timings.items()
                    },
                }
                raise Rollback
        except Rollback:
            pass
    for key, value in results.items():
        print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root), str(root / "src")]
    sys.exit(main(sys.argv[1:]))
