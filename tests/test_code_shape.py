"""No function in src/ passes about a screen: a long function is split into named steps
(issue 13), so each step can be read, named in a traceback and tested on its own.

The limit is 80 lines (a def line to its last line, docstring included). The functions
that passed it when the rule came are listed in ``OVER_THE_LIMIT`` with their length: the
list only shrinks. A listed function may not grow; once split below the limit it must
leave the list; no other function may join it. Tests and migrations are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "amina"
LIMIT = 80

#: Functions longer than LIMIT, with their length when the rule came. Split them (the DTM
#: parse and commit, the household check and the plan optimisation first) and remove them.
OVER_THE_LIMIT = {
    "coordination/demo.py:coordination": 255,
    "registry/importing.py:check": 215,
    "tracking/services/dtm.py:parse_dtm": 210,
    "supply/demo.py:supply": 187,
    "tracking/services/dtm.py:commit_dtm": 188,
    "coordination/services/imports.py:parse_rows": 146,
    "needs/xlsform.py:survey_rows": 145,
    "supply/services/planning.py:optimise_plan": 139,
    "needs/importing.py:_parse_row": 135,
    "registry/staging.py:_write": 134,
    "registry/staging.py:_judge_households": 130,
    "registry/dedupe_model.py:comparisons": 113,
    "needs/importing.py:import_needs_file": 94,
    "registry/dedupe.py:_link": 89,
    "geo/services.py:create_locations": 85,
    "registry/services.py:save_candidates": 85,
    "geo/scopemap.py:scope_map": 84,
    "registry/queries.py:likely_duplicates": 81,
}


def function_lengths(tree: ast.AST) -> dict[str, int]:
    """Every function and method of a module by its dotted name (``Class.method``,
    ``outer.inner``), with its number of lines."""
    found: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    found[name] = child.end_lineno - child.lineno + 1
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def long_functions(limit: int = LIMIT) -> dict[str, int]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in f"/{relative}" or "/tests/" in f"/{relative}":
            continue
        for name, length in function_lengths(ast.parse(path.read_text("utf-8"))).items():
            if length > limit:
                found[f"{relative}:{name}"] = length
    return found


def test_no_function_but_the_listed_ones_passes_the_limit():
    new = {k: v for k, v in long_functions().items() if k not in OVER_THE_LIMIT}
    assert not new, f"split these into named steps (at most {LIMIT} lines each): {new}"


def test_a_listed_function_does_not_grow():
    grown = {
        k: f"{v} lines, listed at {OVER_THE_LIMIT[k]}"
        for k, v in long_functions().items()
        if k in OVER_THE_LIMIT and v > OVER_THE_LIMIT[k]
    }
    assert not grown, f"shorten these again (split them into named steps): {grown}"


def test_the_list_names_only_functions_still_over_the_limit():
    found = long_functions()
    gone = sorted(k for k in OVER_THE_LIMIT if k not in found)
    assert not gone, f"split or renamed, remove them from OVER_THE_LIMIT: {gone}"


def test_the_measure_counts_a_function_from_its_def_to_its_last_line():
    source = "class A:\n    def f(self):\n        def g():\n            pass\n        return 1\n"
    assert function_lengths(ast.parse(source)) == {"A.f": 4, "A.f.g": 2}
    assert long_functions(limit=10**6) == {}
