"""Registry: bulk import, de-duplication and the registration-time duplicate warning.

Generates N households with their members (realistic Iraqi names, near-duplicates and
brothers sharing three names; the truth is known) as the import template's two CSV
files, then in the same run:
- two floors: raw ``COPY`` of the same two files into plain text tables (no parsing,
  no validation), and the load floor (``common.load_floor``: the rows the import wrote,
  already normalised, ``COPY``-ed into the same tables plus building the same indexes
  and foreign keys), against ``import_households`` (reading, validation, gazetteer,
  normalisation, COPY into staging tables, INSERT … SELECT, index rebuild) as ratios;
- de-duplication (Splink on DuckDB) over the imported registry: wall time, peak
  memory of the process, precision and recall against the truth, beside the exact
  baseline (same four names as written and the same year of birth);
- the duplicate warning (``queries.likely_duplicates``) on variants of registered
  heads: p50 and p95 latency.

Run (PostgreSQL; the registry tables of that database are emptied before and after):
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/amina_bench .venv/bin/python -m bench registry``
or ``… python bench/bench_registry.py --households 100000``. At 1,000,000 households use
``--dedupe-only`` (heads only, no import comparison); add ``--keep`` to leave that registry
and its truth in the database, so that the next ``--keep --dedupe-only`` run of the same
size and seed de-duplicates it again without writing it anew. ``--import-only`` measures
the import against its floors and stops (no de-duplication, no warning).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HOUSEHOLD_HEADER = [
    "household_ref", "registration_date", "registered_by", "governorate", "district",
    "location", "latitude", "longitude", "shelter_type", "origin_governorate",
    "origin_district", "displacement_date", "head_first_name_ar", "head_father_name_ar",
    "head_grandfather_name_ar", "head_family_name_ar", "head_name_latin", "head_sex",
    "head_birth_date", "id_doc_type", "id_doc_number", "phone", "household_size",
    "female_headed", "elderly_headed", "child_headed", "disability", "chronic_illness",
    "pregnant_lactating", "unaccompanied_children", "consent",
]  # fmt: skip
MEMBER_HEADER = [
    "household_ref", "member_no", "relationship", "first_name_ar", "father_name_ar",
    "grandfather_name_ar", "family_name_ar", "name_latin", "sex", "birth_date", "id_doc_type",
    "id_doc_number", "disability", "chronic_illness",
]  # fmt: skip


def _setup() -> None:
    from bench.common import setup

    # A national list is larger than an upload may be (100 MB, 2,000,000 rows by
    # default): the command line imports it with the limits raised, as here.
    setup(
        "registry",
        AMINA_UPLOAD_MAX_BYTES=str(8 << 30),
        AMINA_UPLOAD_MAX_ROWS=str(50_000_000),
    )


def _empty_registry() -> None:
    from django.db import connection

    from amina.registry.models import DuplicateCandidate, Household, Member

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE registry_duplicatecandidate, registry_member, registry_household CASCADE"
            )
    else:
        DuplicateCandidate.objects.all().delete()
        Member.objects.all().delete()
        Household.objects.all().delete()


def _locations() -> dict[int, list[int]]:
    from amina.geo.models import Governorate, Location
    from amina.lib.demo import GOVERNORATE_SHARES

    found: dict[int, list[int]] = {}
    for gov in Governorate.objects.filter(pcode__in=GOVERNORATE_SHARES):
        for i in range(5):
            loc, _ = Location.objects.get_or_create(
                pcode=f"{gov.pcode}BENCH{i}",
                defaults={"name_en": f"Bench site {gov.pcode} {i}", "governorate": gov},
            )
            found.setdefault(gov.pk, []).append(loc.pk)
    return found


def generate(directory: Path, n: int, seed: int):
    """The template's two CSV files for ``n`` households; returns (paths, truth, rows)."""
    from amina.geo.models import Governorate, Location
    from amina.registry.generator import Generator

    locations = _locations()
    pcodes = dict(Location.objects.values_list("pk", "pcode"))
    govs = dict(Governorate.objects.values_list("pk", "pcode"))
    generator = Generator(n, locations, seed=seed, ref_prefix="B")
    h_path, m_path = directory / "households.csv", directory / "household-members.csv"
    yes = {True: "yes", False: "no"}
    rows = 0
    with (
        open(h_path, "w", newline="", encoding="utf-8") as hf,
        open(m_path, "w", newline="", encoding="utf-8") as mf,
    ):
        hw, mw = csv.writer(hf), csv.writer(mf)
        hw.writerow(HOUSEHOLD_HEADER)
        mw.writerow(MEMBER_HEADER)
        for batch in generator.batches(20_000):
            heads = {m["household_ref"]: m for m in batch.members if m["is_head"]}
            for h in batch.households:
                head = heads[h["household_ref"]]
                birth = head["birth_date"].isoformat() if head["birth_date"] else ""
                hw.writerow([
                    h["household_ref"], h["registration_date"], h["registered_team"],
                    govs[h["governorate_id"]], "", pcodes[h["location_id"]], "", "",
                    "camp", govs[h["origin_governorate_id"]], "", h["displacement_date"],
                    head["first_name_ar"], head["father_name_ar"], head["grandfather_name_ar"],
                    head["family_name_ar"], head["name_latin"], head["sex"],
                    birth or head["birth_year"] or "", head["document_type"],
                    head["document_number"], head["phone"], h["size"],
                    yes[h["female_headed"]], yes[h["elderly_headed"]], yes[h["child_headed"]],
                    yes[h["disability"]], yes[h["chronic_illness"]],
                    yes[h["pregnant_lactating"]], yes[h["unaccompanied_children"]], "yes",
                ])  # fmt: skip
            for m in batch.members:
                if m["is_head"]:
                    continue
                mw.writerow([
                    m["household_ref"], m["member_no"], m["relationship"], m["first_name_ar"],
                    m["father_name_ar"], m["grandfather_name_ar"], m["family_name_ar"],
                    m["name_latin"], m["sex"], m["birth_date"] or "", "none", "",
                    yes[m["disability"]], yes[m["chronic_illness"]],
                ])  # fmt: skip
                rows += 1
    return (h_path, m_path), generator.truth, rows


def raw_copy(h_path: Path, m_path: Path) -> float:
    """The floor: the same bytes into text tables with COPY, nothing checked."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for name, path, header in (
            ("bench_raw_h", h_path, HOUSEHOLD_HEADER),
            ("bench_raw_m", m_path, MEMBER_HEADER),
        ):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE TABLE {name} ({', '.join(f'{c} text' for c in header)})")
            with (
                cursor.cursor.copy(f"COPY {name} FROM STDIN (FORMAT csv, HEADER true)") as copy,
                open(path, "rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_h; DROP TABLE IF EXISTS bench_raw_m")
    return elapsed


class PeakMemory:
    """The peak resident memory of this process while the block runs (sampled)."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.05)

    def __enter__(self):
        self.start = self.process.memory_info().rss
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.thread.join()


def warning_latency(samples: int, seed: int) -> tuple[float, float, int]:
    import random

    from amina.accounts.models import User
    from amina.registry.generator import Generator
    from amina.registry.models import Member
    from amina.registry.queries import likely_duplicates

    user, _ = User.objects.get_or_create(
        username="bench-registry", defaults={"role": "national", "national_scope": True}
    )
    rng = random.Random(seed)  # noqa: S311 (benchmark sampling)
    from django.db.models import Max, Min

    # Between the lowest and highest key: after a TRUNCATE keys do not start at 1, and
    # drawing from 1 would land most samples on the first head.
    bounds = Member.objects.filter(is_head=True).aggregate(low=Min("pk"), high=Max("pk"))
    heads = []
    while len(heads) < samples and bounds["high"]:
        pk = rng.randint(bounds["low"], bounds["high"])
        head = Member.objects.filter(pk__gte=pk, is_head=True).order_by("pk").first()
        if head:
            heads.append(head)
    mangle = Generator(1, {0: [0]}, seed=seed)
    times, hits = [], 0
    for head in heads:
        started = time.perf_counter()
        found = likely_duplicates(
            user,
            first=mangle._variant(head.first_name_ar),
            father=head.father_name_ar,
            family=head.family_name_ar,
            birth_year=head.birth_year,
            phone=mangle._swap_digits(head.phone),
        )
        times.append(time.perf_counter() - started)
        hits += any(f["household"].pk == head.household_id for f in found)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], hits


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_registry")
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--memory", default="4GB", help="DuckDB memory limit")
    parser.add_argument(
        "--dedupe-only",
        action="store_true",
        help="skip the import comparison: write heads of household straight through the "
        "bulk writer, then de-duplicate and time the warning (for the largest sizes)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the registry and its truth in place at the end, and with --dedupe-only "
        "reuse a registry that an earlier --keep run wrote with the same size and seed "
        "(re-run de-duplication without writing 1,000,000 heads again)",
    )
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="measure the import against its floors and stop (no de-duplication, no warning)",
    )
    parser.add_argument(
        "--no-dedupe",
        action="store_true",
        help="skip de-duplication (time the import and the warning only; with --keep, a "
        "later --keep --dedupe-only run de-duplicates the same registry)",
    )
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    from amina.accounts.models import User
    from amina.registry.generator import precision_recall, true_pairs
    from amina.registry.models import Household

    if connection.vendor != "postgresql":
        print("bench_registry needs PostgreSQL (DATABASE_URL): the floor is COPY; skipped")
        return 0
    n = args.households
    truth = _kept_truth(n, args.seed) if args.keep and args.dedupe_only else None
    if truth is not None:
        print(f"reusing the {n:,} households kept by an earlier --keep run")
    else:
        _forget_truth()
        _empty_registry()
        truth = write_heads(n, args.seed) if args.dedupe_only else compare_import(n, args.seed)
        if args.import_only:
            _empty_registry()
            return 0
        if args.keep:
            _keep_truth(truth, n, args.seed)
    truth_pairs = true_pairs(truth)
    refs = dict(Household.objects.values_list("pk", "household_ref").iterator(chunk_size=50_000))

    def score(pairs) -> tuple[float, float]:
        return precision_recall({(refs[a], refs[b]) for a, b in pairs}, truth_pairs)

    if not args.no_dedupe:
        _dedupe(args.memory, score, len(truth_pairs))
    p50, p95, hits = warning_latency(args.samples, args.seed)
    print(
        f"duplicate warning over {Household.objects.count():,} households: "
        f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
        f"({hits}/{args.samples} variants found their household)"
    )
    if not args.keep:
        _forget_truth()
        _empty_registry()
    User.objects.filter(username="bench-registry").delete()
    return 0


def _dedupe(memory_limit: str, score, true_count: int) -> None:
    """De-duplicate the registry, then the exact baseline, each scored against the truth."""
    from amina.registry import dedupe

    with PeakMemory() as memory:
        outcome = dedupe.find(memory_limit=memory_limit)
    precision, recall = score((p["a"], p["b"]) for p in outcome.pairs)
    print(
        f"dedupe (Splink/DuckDB): {outcome.seconds:.1f} s, peak memory "
        f"{memory.peak / 2**30:.1f} GB (process), {len(outcome.pairs):,} pairs; "
        f"precision {precision:.3f}, recall {recall:.3f} "
        f"({true_count:,} true pairs)"
    )
    started = time.perf_counter()
    base_precision, base_recall = score(dedupe.exact_baseline())
    print(
        f"exact baseline (four names as written + year of birth): "
        f"{time.perf_counter() - started:.1f} s; precision {base_precision:.3f}, "
        f"recall {base_recall:.3f}"
    )


def _truth_path() -> Path:
    """One file per database: the truth belongs to the registry it describes. It lives
    in the system's temporary folder, not in the run's ``AMINA_VAR_DIR``: each run gets
    a new one of those, and the next ``--keep`` run must find the file."""
    from django.db import connection

    name = Path(str(connection.settings_dict["NAME"])).name
    folder = Path(tempfile.gettempdir()) / "amina-bench-kept"
    folder.mkdir(exist_ok=True)
    return folder / f"bench-registry-truth-{name}.json"


def _keep_truth(truth: dict[str, int], n: int, seed: int) -> None:
    import json

    _truth_path().write_text(json.dumps({"households": n, "seed": seed, "truth": truth}))


def _forget_truth() -> None:
    _truth_path().unlink(missing_ok=True)


def _kept_truth(n: int, seed: int) -> dict[str, int] | None:
    """The truth of a kept registry, if the database still holds exactly that registry."""
    import json

    from amina.registry.models import Household

    path = _truth_path()
    if not path.exists():
        return None
    kept = json.loads(path.read_text())
    if (kept["households"], kept["seed"]) != (n, seed) or Household.objects.count() != n:
        return None
    return kept["truth"]


def write_heads(n: int, seed: int) -> dict[str, int]:
    """Heads of household only, straight through ``bulk.write`` (COPY), in batches."""
    from django.db import transaction

    from amina.registry import bulk
    from amina.registry.generator import Generator

    started = time.perf_counter()
    generator = Generator(n, _locations(), seed=seed, ref_prefix="B", members=False)
    for batch in generator.batches(50_000):
        with transaction.atomic():
            bulk.write(batch.households, batch.members)
    print(
        f"generated and wrote {n:,} households (heads only) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return generator.truth


def compare_import(n: int, seed: int) -> dict[str, int]:
    from amina.registry.importing import import_households

    with tempfile.TemporaryDirectory(prefix="amina-bench-registry-") as tmp:
        started = time.perf_counter()
        (h_path, m_path), truth, members = generate(Path(tmp), n, seed)
        print(
            f"generated {n:,} households and {members:,} other members "
            f"in {time.perf_counter() - started:.1f} s "
            f"({h_path.stat().st_size / 1e6:.0f} + {m_path.stat().st_size / 1e6:.0f} MB)"
        )
        floor = raw_copy(h_path, m_path)
        print(f"raw COPY of the same rows: {floor:.1f} s")
        phases: list[tuple[float, str]] = []
        rebuild = [0.0]

        def progress(_done, _total, label) -> None:
            if not phases or phases[-1][1] != label:
                phases.append((time.perf_counter(), label))

        def timed(execute, sql, params, many, context):
            # Index and foreign-key rebuilds after a large load, reported apart.
            before = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                if sql.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX", "ALTER TABLE")):
                    rebuild[0] += time.perf_counter() - before

        from django.db import connection

        with PeakMemory() as memory, connection.execute_wrapper(timed):
            started = time.perf_counter()
            result = import_households(None, h_path, m_path, progress=progress)
            elapsed = time.perf_counter() - started
        print(
            f"import_households: {elapsed:.1f} s for {result.households:,} households and "
            f"{result.members:,} members — {elapsed / floor:.1f}× raw COPY; "
            f"peak memory {memory.peak / 2**30:.1f} GB"
        )
        ends = [at for at, _label in phases[1:]] + [started + elapsed]
        print(
            "  phases: "
            + "; ".join(
                f"{label} {end - at:.1f} s" for (at, label), end in zip(phases, ends, strict=True)
            )
            + f"; of which rebuilding indexes and foreign keys {rebuild[0]:.1f} s"
        )
        from bench.common import load_floor

        load = load_floor(["registry_household", "registry_member"], tmp)
        print(
            f"load floor (the imported rows, normalised, COPY-ed into the same tables + the "
            f"same indexes and foreign keys built): {load['total']:.1f} s (COPY "
            f"{load['copy']:.1f} s + indexes and keys {load['indexes']:.1f} s) — import = "
            f"{elapsed / load['total']:.1f}× the load floor"
        )
    return truth


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root), str(root / "src")]
    sys.exit(main(sys.argv[1:]))
