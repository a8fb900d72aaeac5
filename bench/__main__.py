"""``make bench``: run every benchmark module (``bench/bench_*.py``, each with ``main(argv)``).

``python -m bench tracking`` runs only the modules whose name contains "tracking".
Each module prints its results and appends nothing by itself: copy them into
``docs/performance.md`` with the command that produced them.
"""

import importlib
import sys
from pathlib import Path


def main() -> int:
    wanted = sys.argv[1:]
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    status = 0
    for name in modules:
        if wanted and not any(w in name for w in wanted):
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        status |= int(module.main([]) or 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
