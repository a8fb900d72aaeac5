"""No function in src/ passes about a screen: a long function is split into named steps
(issue 13), so each step can be read, named in a traceback and tested on its own.

The limit is 60 lines (a def line to its last line, docstring included). Tests and
migrations are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "amina"
LIMIT = 60


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


def test_no_function_passes_the_limit():
    found = long_functions()
    assert not found, f"split these into named steps (at most {LIMIT} lines each): {found}"


def test_the_measure_counts_a_function_from_its_def_to_its_last_line():
    source = "class A:\n    def f(self):\n        def g():\n            pass\n        return 1\n"
    assert function_lengths(ast.parse(source)) == {"A.f": 4, "A.f.g": 2}
    assert long_functions(limit=10**6) == {}
