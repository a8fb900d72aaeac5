"""Small-cell suppression: the one module every published aggregate passes through.

The rule (documented in docs/usage/reports.md, "Open data and small cells"):

1. **Primary suppression.** A cell counting households (families) is withheld when
   ``0 < value < settings.AMINA_SMALL_CELL_THRESHOLD`` (default 5). Totals are cells too:
   a district with 3 families is as small as a location with 3. Zero is published (it
   says "nobody", about no one).
2. **Secondary suppression.** A withheld cell must not be recoverable from the published
   ones by adding and subtracting along the table's totals (``total = sum of parts``).
   We describe a published product as *lines* — each one ``total = part + part + …`` — in
   which every cell takes part at most twice (a two-way table with its margins, or a
   hierarchy national → governorate → district → location). Such a system is a graph:
   a vertex per line plus a "ground" vertex, an edge per cell joining the lines it is in
   (ground when it is in one only). A withheld cell is determined by the published ones
   exactly when its edge is a *bridge* of the graph of withheld cells (it lies on no cycle
   of withheld cells). So we repeat: find a bridge; withhold the cheapest path of
   published cells that closes a cycle through it (cheapest = fewest households, zeros
   last because a withheld zero can only move one way). When no bridge is left, every
   withheld cell can move by ±1 along a cycle of non-zero cells without breaking a
   published total, so none can be recovered.
3. **Same pattern for individuals.** Individuals are withheld wherever the families of
   the same place and population are, so a count of persons never stands in for a small
   count of households.

Tests (``tests/test_disclosure.py``) audit random tables with an independent linear
program: every withheld cell must have a feasible range wider than one value.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from amina.lib import numbers

#: Shown in place of a withheld figure.
SUPPRESSED = None
_ZERO_COST = 10**9  # withholding a zero protects little (it can only go up): last resort


def threshold() -> int:
    return int(getattr(settings, "AMINA_SMALL_CELL_THRESHOLD", 5))


@dataclass(frozen=True)
class Line:
    """``values[total] == sum(values[p] for p in parts)`` in the published product."""

    total: Hashable
    parts: tuple


def is_small(value: int | None, limit: int | None = None) -> bool:
    limit = threshold() if limit is None else limit
    return value is not None and 0 < value < limit


def protect(
    values: dict[Hashable, int],
    lines: Sequence[Line],
    limit: int | None = None,
) -> set[Hashable]:
    """The keys of ``values`` to withhold (primary and secondary) under the rule above.

    Every key must take part in at most two lines (raise ``ValueError`` otherwise: such a
    product needs a different audit).
    """
    limit = threshold() if limit is None else limit
    ends: dict[Hashable, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        for key in (line.total, *line.parts):
            ends[key].append(index)
    ground = -1
    edges: dict[Hashable, tuple[int, int]] = {}
    for key in values:
        where = ends.get(key, [])
        if len(where) > 2:
            raise ValueError(f"cell {key!r} is in {len(where)} lines; at most two are supported")
        if len(where) == 0:
            edges[key] = (ground, ground)  # in no line: nothing can reveal it but itself
        elif len(where) == 1:
            edges[key] = (where[0], ground)
        else:
            edges[key] = (where[0], where[1])
    withheld = {key for key, value in values.items() if is_small(value, limit)}
    adjacency: dict[int, list[tuple[int, Hashable]]] = defaultdict(list)
    for key, (a, b) in edges.items():
        if a != b:
            adjacency[a].append((b, key))
            adjacency[b].append((a, key))

    def cost(key) -> int:
        value = values[key] or 0
        return _ZERO_COST if value == 0 else value

    # Each round closes one bridge; a round withholds at least one more cell, so this ends.
    for _round in range(len(values) + 1):
        bridge = _first_bridge(edges, withheld)
        if bridge is None:
            return withheld
        a, b = edges[bridge]
        path = _cheapest_path(adjacency, a, b, bridge, withheld, cost)
        if path is None:
            # No cycle through this cell exists even using every cell: the product's
            # structure itself pins it down. Withhold its line-mates so that the line
            # reveals nothing (the total and every part).
            for index in (a, b):
                if index != ground:
                    withheld.update((lines[index].total, *lines[index].parts))
            withheld &= set(values)
            if _first_bridge(edges, withheld) == bridge:
                return withheld
            continue
        withheld.update(path)
    return withheld


def _first_bridge(edges: dict, withheld: set) -> Hashable | None:
    """A withheld cell whose edge is a bridge of the withheld-cell graph (iterative Tarjan)."""
    graph: dict[int, list[tuple[int, Hashable]]] = defaultdict(list)
    for key in withheld:
        a, b = edges[key]
        if a == b:
            continue  # a cell in no line is a loop: protected by being withheld
        graph[a].append((b, key))
        graph[b].append((a, key))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    counter = 0
    for root in sorted(graph, key=str):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(graph[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for nxt, key in neighbours:
                if key == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, key, iter(graph[nxt])))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        return via
    return None


def _cheapest_path(adjacency, start, goal, banned, withheld, cost) -> list | None:
    """Published cells to withhold so that ``banned`` lies on a cycle (Dijkstra)."""
    best = {start: 0}
    back: dict[int, tuple[int, Hashable]] = {}
    queue = [(0, 0, start)]
    tie = 0
    while queue:
        dist, _tie, node = heapq.heappop(queue)
        if node == goal:
            path, here = [], goal
            while here != start:
                prev, key = back[here]
                if key not in withheld:
                    path.append(key)
                here = prev
            return path
        if dist > best.get(node, float("inf")):
            continue
        for nxt, key in adjacency[node]:
            if key == banned:
                continue
            step = 0 if key in withheld else cost(key)
            if dist + step < best.get(nxt, float("inf")):
                best[nxt] = dist + step
                back[nxt] = (node, key)
                tie += 1
                heapq.heappush(queue, (dist + step, tie, nxt))
    return None


# -- the shapes Amina publishes ------------------------------------------------------------


def two_way_lines(
    rows: Iterable, columns: Iterable, *, row_totals: bool = True, column_totals: bool = True
) -> list[Line]:
    """Lines of a table keyed ``(row, column)`` with margins keyed ``(row, "total")``,
    ``("total", column)`` and ``("total", "total")``."""
    rows, columns = list(rows), list(columns)
    lines: list[Line] = []
    if row_totals:
        for r in rows:
            lines.append(Line((r, "total"), tuple((r, c) for c in columns)))
    if column_totals:
        for c in columns:
            lines.append(Line(("total", c), tuple((r, c) for r in rows)))
    if row_totals and column_totals:
        lines.append(Line(("total", "total"), tuple(("total", c) for c in columns)))
    return lines


def tree_lines(children: dict[Hashable, Iterable[Hashable]]) -> list[Line]:
    """Lines of a hierarchy: each parent equals the sum of its children."""
    return [Line(parent, tuple(kids)) for parent, kids in children.items() if list(kids)]


def apply(values: dict[Hashable, int], withheld: set[Hashable]) -> dict[Hashable, int | None]:
    """``values`` with the withheld ones replaced by ``SUPPRESSED``."""
    return {key: (SUPPRESSED if key in withheld else value) for key, value in values.items()}


def display(value: int | None, limit: int | None = None) -> str:
    """How a withheld figure reads in a document: "<5"."""
    if value is SUPPRESSED:
        return f"<{threshold() if limit is None else limit}"
    return numbers.figure(value)
