"""Registry: the household search (``queries.search``) on a large registry.

Writes N heads of household with ``bench_registry.write_heads`` (the generator's Iraqi
names, phones and documents, about 10% of families registered again with variants),
then times about 200 searches the way the registry page runs them — the number of
matches and the first page of 25, newest first — each built from a random registered
head and checked to find that head's household:

- Arabic name of 2–3 tokens (first + family, or first + father + family), with one
  alef/hamza/taa/yaa variant and the family name with or without "ال";
- Latin name: first and family name, each in one of the generator's two spellings;
- phone, written the international way (+964 7xx xxx xxxx);
- document number, written in groups of four.

It reports p50/p95 per kind (and over all), the same Arabic queries for an officer of
one governorate (scope), a broad query (one common first name alone: the count covers
tens of thousands of households), and EXPLAIN (ANALYZE on PostgreSQL) of one query of
each kind, to show which index answers it.

Run (PostgreSQL; the registry tables of that database are emptied before and after):
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/amina_search_bench \\
  .venv/bin/python bench/bench_registry_search.py --households 1000000``
(``--reuse`` keeps a registry already written at that size, ``--keep`` leaves it for the
next run.) Without ``DATABASE_URL`` it runs on a throw-away SQLite database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

KINDS = ("arabic", "latin", "phone", "document")


def _percentiles(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"p50 {statistics.median(times) * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms"


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _users():
    from amina.accounts.models import User
    from amina.geo.models import Governorate

    national, _ = User.objects.get_or_create(
        username="bench-search-national",
        defaults={"role": "national", "national_scope": True, "can_view_personal_data": True},
    )
    gov = Governorate.objects.get(pcode="IQG04")
    officer, _ = User.objects.get_or_create(
        username="bench-search-officer",
        defaults={"role": "governorate", "can_view_personal_data": True},
    )
    officer.governorates.set([gov])
    return national, officer


def _heads(count: int, rng: random.Random) -> list:
    """Random registered heads (primary key sampling: no full scan). Keys start where
    the sequence stood, not at 1, once a registry has been emptied and written again."""
    from django.db.models import Max, Min

    from amina.registry.models import Member

    heads = Member.objects.filter(is_head=True)
    bounds = heads.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    drawn = []
    while len(drawn) < count:
        pk = rng.randint(bounds["low"], bounds["high"])
        head = heads.filter(pk__gte=pk).order_by("pk").first()
        if head:
            drawn.append(head)
    return drawn


def make_queries(per_kind: int, seed: int) -> list[tuple[str, str, int]]:
    """(kind, text, household id the text was made from), ``per_kind`` of each kind."""
    from amina.registry import generator
    from amina.registry.generator import Generator

    rng = random.Random(seed)  # noqa: S311 (benchmark sampling)
    mangle = Generator(1, {0: [0]}, seed=seed)
    spellings = {ar: (one, two) for ar, one, two in generator.MALE + generator.FEMALE}
    family_spellings = {ar: (one, two) for ar, one, two in generator.FAMILIES}
    wanted = dict.fromkeys(KINDS, per_kind)
    found: list[tuple[str, str, int]] = []
    while any(wanted.values()):
        for head in _heads(4 * per_kind, rng):
            text = ""
            kind = rng.choice([k for k, left in wanted.items() if left])
            if kind == "arabic" and head.first_name_ar and head.family_name_ar:
                family = head.family_name_ar
                if rng.random() < 0.5:
                    family = family.removeprefix("ال")
                parts = [mangle._variant(head.first_name_ar)]
                if rng.random() < 0.5 and head.father_name_ar:
                    parts.append(head.father_name_ar)
                text = " ".join([*parts, family])
            elif kind == "latin":
                first = spellings.get(head.first_name_ar)
                family = family_spellings.get(head.family_name_ar)
                if first and family:
                    text = f"{rng.choice(first)} {rng.choice(family)}"
            elif kind == "phone" and len(head.phone) == 11:
                p = head.phone
                text = f"+964 {p[1:4]} {p[4:7]} {p[7:]}"
            elif kind == "document" and head.document_number:
                d = head.document_number
                text = " ".join(d[i : i + 4] for i in range(0, len(d), 4))
            if text and wanted[kind]:
                found.append((kind, text, head.household_id))
                wanted[kind] -= 1
            if not any(wanted.values()):
                break
    return found


def run_search(user, text: str) -> tuple[float, int]:
    """What the registry page does with a search: the count (capped, as the page
    counts), then the first page."""
    from amina.lib.paging import CappedPaginator
    from amina.registry.queries import search

    started = time.perf_counter()
    paginator = CappedPaginator(search(user, text).order_by("-pk"), 25)
    matches = paginator.count
    list(paginator.page(1))
    return time.perf_counter() - started, matches


def explain(user, text: str) -> str:
    """The plan of every statement a search and its count run (the member lookup, then
    the households), as the database reports it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amina.registry.queries import search

    with CaptureQueriesContext(connection) as captured:
        search(user, text).count()
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else ("EXPLAIN QUERY PLAN ")
    )
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(prefix + query["sql"])
            rows = cursor.fetchall()
            lines = (" ".join(str(c) for c in row) for row in rows)
            # An id list can be thousands of numbers long: the plan's shape is what counts.
            plans.append("\n".join(x if len(x) < 300 else x[:300] + " …" for x in lines))
    return "\n--\n".join(plans)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_registry_search")
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="in all, spread over 4 kinds")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--reuse", action="store_true", help="keep a registry of that size")
    parser.add_argument("--keep", action="store_true", help="leave the registry written")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args(argv)

    from bench.bench_registry import _empty_registry, _setup, write_heads

    _setup()
    from django.db import connection

    from amina.accounts.models import User
    from amina.registry.models import Household
    from amina.registry.queries import search

    n = args.households
    print(f"database: {connection.vendor}; {_load()}")
    if args.reuse and Household.objects.count() == n:
        print(f"reusing the {n:,} households already written")
    else:
        _empty_registry()
        write_heads(n, args.seed)
    # What autovacuum would have done by the time anyone searches: statistics for the
    # planner, and the visibility map that lets counts read the primary key alone.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE) registry_member, registry_household")
        else:
            cursor.execute("ANALYZE")
    print(f"VACUUM/ANALYZE: {time.perf_counter() - started:.1f} s")

    national, officer = _users()
    queries = make_queries(max(1, args.queries // len(KINDS)), args.seed)
    for _kind, text, _household in queries[:8]:  # warm the connection and the caches
        run_search(national, text)

    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    hits = dict.fromkeys(KINDS, 0)
    sizes: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for kind, text, household in queries:
        elapsed, matches = run_search(national, text)
        times[kind].append(elapsed)
        sizes[kind].append(matches)
        hits[kind] += search(national, text).filter(pk=household).exists()
    print(
        f"search over {n:,} households, national user, count + first page of 25 "
        f"({len(queries)} queries):"
    )
    for kind in KINDS:
        print(
            f"  {kind:9} {_percentiles(times[kind])}; found its household "
            f"{hits[kind]}/{len(times[kind])}; matches median "
            f"{statistics.median(sizes[kind]):,.0f}, max {max(sizes[kind]):,}"
        )
    print(f"  {'all':9} {_percentiles([t for ts in times.values() for t in ts])}")

    arabic = [text for kind, text, _ in queries if kind == "arabic"]
    scoped = [run_search(officer, text)[0] for text in arabic]
    print(f"  arabic, officer of one governorate (IQG04): {_percentiles(scoped)}")

    broad = [run_search(national, name) for name in ("محمد", "علي", "Mohammed", "Ali") * 3]
    print(
        f"  broad (one common first name alone, {len(broad)} runs): "
        f"{_percentiles([t for t, _ in broad])}; matches up to {max(m for _, m in broad):,}"
    )
    print(_load())

    if not args.no_explain:
        for kind in KINDS:
            text = next(t for k, t, _ in queries if k == kind)
            print(f"\nEXPLAIN {kind} search {text!r} (lookup, then count):")
            print(explain(national, text))

    User.objects.filter(username__startswith="bench-search-").delete()
    if not args.keep:
        _empty_registry()
    return 0


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root), str(root / "src")]
    sys.exit(main(sys.argv[1:]))
