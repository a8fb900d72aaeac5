"""De-duplication on a registry that looks like Iraq's (issue 17).

Generates N households with all their members (``amina.registry.family_generator``:
namesakes with the same four names and year of birth, brothers, light and heavy
re-registrations, head changes; the truth is known), writes them through the bulk
writer, then in the same run:
- ``dedupe.find`` (Splink on DuckDB, then the other-head pass): wall time and its
  steps, peak memory of the process, pairs proposed;
- precision over every pair proposed; recall over re-registrations (light, heavy),
  over head changes; the share of namesake pairs proposed;
- beside it, the exact-match baseline (the head's four names as written and the year
  of birth), measured the same way.

Run (SQLite in a throw-away file by default; PostgreSQL with ``DATABASE_URL``; the
registry tables of that database are emptied first unless ``--keep`` finds the same
registry kept by an earlier run):
``.venv/bin/python bench/bench_dedupe.py --households 100000``
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/amina_dedupe .venv/bin/python
bench/bench_dedupe.py --households 1000000 --keep``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _setup() -> None:
    from bench.common import setup

    setup("dedupe")


def _truth_path() -> Path:
    from django.conf import settings
    from django.db import connection

    name = Path(str(connection.settings_dict["NAME"])).name
    return Path(settings.VAR_DIR) / f"bench-dedupe-truth-{name}.json"


def write(n: int, seed: int):
    """Generate and write ``n`` households with their members; returns the generator."""
    from django.db import transaction

    from amina.registry import bulk
    from amina.registry.family_generator import FamilyGenerator
    from bench.bench_registry import _locations

    started = time.perf_counter()
    generator = FamilyGenerator(n, _locations(), seed=seed, ref_prefix="D")
    people = 0
    for batch in generator.batches(50_000):
        with transaction.atomic():
            bulk.write(batch.households, batch.members)
        people += len(batch.members)
    print(
        f"generated and wrote {n:,} households with {people:,} people in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return generator


def _keep(generator, n: int, seed: int) -> None:
    _truth_path().write_text(
        json.dumps(
            {
                "households": n,
                "seed": seed,
                "truth": generator.truth,
                "pair_kinds": [[a, b, k] for (a, b), k in generator.pair_kinds.items()],
                "namesakes": sorted(generator.namesake_pairs),
            }
        )
    )


def _kept(n: int, seed: int):
    from amina.registry.family_generator import FamilyGenerator
    from amina.registry.models import Household

    path = _truth_path()
    if not path.exists():
        return None
    kept = json.loads(path.read_text())
    if (kept["households"], kept["seed"]) != (n, seed) or Household.objects.count() != n:
        return None
    generator = FamilyGenerator(0, {0: [0]}, seed=seed)
    generator.truth = kept["truth"]
    generator.pair_kinds = {(a, b): k for a, b, k in kept["pair_kinds"]}
    generator.namesake_pairs = {tuple(p) for p in kept["namesakes"]}
    return generator


def _line(label: str, r: dict) -> str:
    return (
        f"{label}: {r['proposed']:,} pairs; precision {r['precision']:.3f}; recall "
        f"re-registrations {r['reregistration_recall']:.3f} (light {r['light_recall']:.3f} "
        f"of {r['light_pairs']:,}, heavy {r['heavy_recall']:.3f} of {r['heavy_pairs']:,}); "
        f"head changes {r['head_change_recall']:.3f} of {r['head_change_pairs']:,} "
        f"(via a re-registration {r['head_change_indirect_recall']:.3f} of "
        f"{r['head_change_indirect_pairs']:,}); namesake pairs proposed "
        f"{r['namesakes_proposed']:,} of {r['namesake_pairs']:,} ({r['namesake_share']:.2%})"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_dedupe")
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--memory", default="3GB", help="DuckDB memory limit")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the registry and its truth in place, and reuse one an earlier --keep "
        "run wrote with the same size and seed",
    )
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    from amina.registry import dedupe
    from amina.registry.family_generator import measure
    from amina.registry.models import Household
    from bench.bench_registry import PeakMemory, _empty_registry

    n = args.households
    generator = _kept(n, args.seed) if args.keep else None
    if generator is not None:
        print(f"reusing the {n:,} households kept by an earlier --keep run")
    else:
        _truth_path().unlink(missing_ok=True)
        _empty_registry()
        generator = write(n, args.seed)
        if args.keep:
            _keep(generator, n, args.seed)
    refs = dict(Household.objects.values_list("pk", "household_ref").iterator(chunk_size=50_000))

    def found(pairs) -> set[tuple[str, str]]:
        return {tuple(sorted((refs[a], refs[b]))) for a, b in pairs}

    with PeakMemory() as memory:
        outcome = dedupe.find(memory_limit=args.memory)
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in outcome.timings.items())
    other = sum(p["kind"] == dedupe.OTHER_HEAD for p in outcome.pairs)
    print(
        f"database {connection.vendor}; dedupe (Splink/DuckDB + other-head pass): "
        f"{outcome.seconds:.1f} s ({steps}), peak memory {memory.peak / 2**30:.2f} GB "
        f"(process), {len(outcome.pairs):,} pairs ({other:,} other head) in "
        f"{outcome.clusters:,} clusters"
    )
    print(_line("model", measure(found((p["a"], p["b"]) for p in outcome.pairs), generator)))
    same = found((p["a"], p["b"]) for p in outcome.pairs if p["kind"] == dedupe.SAME_HEAD)
    others = found((p["a"], p["b"]) for p in outcome.pairs if p["kind"] == dedupe.OTHER_HEAD)
    truth = set(generator.pair_kinds)
    print(
        f"  same-head pairs: precision {len(same & truth) / max(1, len(same)):.3f}; "
        f"other-head pairs: precision {len(others & truth) / max(1, len(others)):.3f}"
    )
    started = time.perf_counter()
    baseline = found(dedupe.exact_baseline())
    print(
        _line(
            f"exact baseline ({time.perf_counter() - started:.1f} s)", measure(baseline, generator)
        )
    )
    if not args.keep:
        _truth_path().unlink(missing_ok=True)
        _empty_registry()
    return 0


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(root), str(root / "src")]
    sys.exit(main(sys.argv[1:]))
