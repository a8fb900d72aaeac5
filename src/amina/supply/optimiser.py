"""Who receives what: an integer programme solved by HiGHS (``scipy.optimize.milp``).

A *candidate* is one household × one item at one site, worth the household's
vulnerability score. The plan picks candidates (x = 1) to maximise the sum of the scores
(vulnerability-weighted coverage) subject to:

- **stock**: per site and item, no more than is available there;
- **transport**: per site, the total weight (kg) and volume (m³) of what is picked fits the
  trucks (optional);
- **one kit per household per period**: each candidate is picked at most once (x is
  binary; a household that already received the item in the period is not a candidate),
  and optionally at most ``per_household`` items per household in this plan;
- **overrides**: candidates a planner put in (x = 1) or took out (x = 0), and a priority
  floor (every household scoring at or above it must be served).

Every constraint couples candidates of one site only (a household is served at one
site), so the programme splits into independent blocks, one per site — 200 sites are
200 small programmes rather than one large one. HiGHS stops at a relative gap of
``MIP_GAP`` to its proven bound (exact on integer scores at the size of one site's
plan) or at the block's time budget; the largest remaining gap is reported. All
coefficients are non-negative and every constraint is an upper bound, so the plan is
infeasible exactly when the forced candidates alone break a constraint; that constraint
is reported (``Infeasible``) rather than left to a solver status code.

Explanations come from the constraints: a candidate left out is out because adding it
would break a named constraint (stock ran out, trucks full …), below the cut-off score of
its site and item.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

EPS = 1e-9
#: Relative gap at which HiGHS stops, on the weighted objective (for one site's plan
#: this is below one score point, so exact), and the time budget of one site block.
MIP_GAP = 1e-4
BLOCK_SECONDS = 5.0


@dataclass
class Problem:
    """Candidates as parallel arrays; sites and items are indexes into the label lists."""

    household: np.ndarray  # int64, household id per candidate
    site: np.ndarray  # int, site index
    item: np.ndarray  # int, item index
    score: np.ndarray  # float, vulnerability score (objective weight)
    stock: dict[tuple[int, int], int]  # (site, item) → available quantity
    item_kg: np.ndarray  # float per item
    item_m3: np.ndarray  # float per item
    cap_kg: dict[int, float] = field(default_factory=dict)  # site → kg (absent: no limit)
    cap_m3: dict[int, float] = field(default_factory=dict)  # site → m³ (absent: no limit)
    per_household: int | None = None
    forced: np.ndarray | None = None  # bool: put in by a planner or the priority floor
    excluded: np.ndarray | None = None  # bool: taken out by a planner
    site_labels: list[str] = field(default_factory=list)
    item_labels: list[str] = field(default_factory=list)

    def __post_init__(self):
        n = len(self.household)
        self.household = np.asarray(self.household, dtype=np.int64)
        self.site = np.asarray(self.site, dtype=np.int64)
        self.item = np.asarray(self.item, dtype=np.int64)
        self.score = np.asarray(self.score, dtype=float)
        self.item_kg = np.asarray(self.item_kg, dtype=float)
        self.item_m3 = np.asarray(self.item_m3, dtype=float)
        self.forced = np.zeros(n, bool) if self.forced is None else np.asarray(self.forced, bool)
        self.excluded = (
            np.zeros(n, bool) if self.excluded is None else np.asarray(self.excluded, bool)
        )

    def __len__(self) -> int:
        return len(self.household)

    def site_label(self, s: int) -> str:
        return self.site_labels[s] if s < len(self.site_labels) else f"site {s}"

    def item_label(self, i: int) -> str:
        return self.item_labels[i] if i < len(self.item_labels) else f"item {i}"


@dataclass
class Constraint:
    """One upper-bound row: sum(coef[k] * x[members[k]]) <= capacity."""

    kind: str  # "stock" | "weight" | "volume" | "household"
    site: int
    item: int | None
    members: np.ndarray
    coef: np.ndarray
    capacity: float
    household: int | None = None

    def describe(self, problem: Problem) -> str:
        site = problem.site_label(self.site)
        if self.kind == "stock":
            return f"stock of {problem.item_label(self.item)} at {site} ({self.capacity:g})"
        if self.kind == "weight":
            return f"transport weight at {site} ({self.capacity:g} kg)"
        if self.kind == "volume":
            return f"transport volume at {site} ({self.capacity:g} m³)"
        return f"items per household ({self.capacity:g})"


@dataclass
class Infeasible:
    """The binding constraint: what the forced candidates need against what there is."""

    constraint: Constraint
    needed: float
    conflict: str = ""  # "forced_and_excluded" when a candidate is both

    def message(self, problem: Problem) -> str:
        if self.conflict:
            return "a household is both put in and taken out by overrides"
        return (
            f"{self.constraint.describe(problem)}: the households that must be served "
            f"need {self.needed:g}, only {self.constraint.capacity:g} available"
        )


@dataclass
class Solution:
    status: str  # "optimal" | "infeasible"
    selected: np.ndarray  # bool per candidate
    objective: float
    constraints: list[Constraint]
    infeasible: Infeasible | None = None
    blocking: dict[int, list[Constraint]] = field(default_factory=dict)
    cutoff: dict[tuple[int, int], float] = field(default_factory=dict)
    seconds: float = 0.0
    #: Largest relative distance to HiGHS's proven bound over the blocks, and how many
    #: blocks stopped at their time budget (their best selection found is kept).
    gap: float = 0.0
    blocks_at_time_limit: int = 0

    @property
    def count(self) -> int:
        return int(self.selected.sum())


def build_constraints(p: Problem, members: np.ndarray | None = None) -> list[Constraint]:
    """The upper-bound rows over ``members`` (all candidates when None)."""
    idx = np.arange(len(p)) if members is None else members
    rows: list[Constraint] = []
    by_site_item: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_site: dict[int, list[int]] = defaultdict(list)
    by_household: dict[int, list[int]] = defaultdict(list)
    for k in idx.tolist():
        s, i = int(p.site[k]), int(p.item[k])
        by_site_item[(s, i)].append(k)
        by_site[s].append(k)
        if p.per_household is not None:
            by_household[int(p.household[k])].append(k)
    for (s, i), ks in by_site_item.items():
        m = np.asarray(ks)
        rows.append(Constraint("stock", s, i, m, np.ones(len(m)), float(p.stock.get((s, i), 0))))
    for s, ks in by_site.items():
        m = np.asarray(ks)
        if s in p.cap_kg:
            rows.append(Constraint("weight", s, None, m, p.item_kg[p.item[m]], float(p.cap_kg[s])))
        if s in p.cap_m3:
            rows.append(Constraint("volume", s, None, m, p.item_m3[p.item[m]], float(p.cap_m3[s])))
    if p.per_household is not None:
        for h, ks in by_household.items():
            if len(ks) > p.per_household:
                m = np.asarray(ks)
                rows.append(
                    Constraint(
                        "household",
                        int(p.site[m[0]]),
                        None,
                        m,
                        np.ones(len(m)),
                        float(p.per_household),
                        household=h,
                    )
                )
    return rows


def check_feasible(p: Problem, rows: list[Constraint]) -> Infeasible | None:
    """With non-negative coefficients and upper bounds only, the forced set decides."""
    both = p.forced & p.excluded
    if both.any():
        k = int(np.flatnonzero(both)[0])
        dummy = Constraint(
            "household",
            int(p.site[k]),
            None,
            np.asarray([k]),
            np.ones(1),
            0.0,
            household=int(p.household[k]),
        )
        return Infeasible(dummy, 1.0, conflict="forced_and_excluded")
    worst = None
    for row in rows:
        needed = float((row.coef * p.forced[row.members]).sum())
        if needed > row.capacity + EPS:
            excess = needed - row.capacity
            if worst is None or excess > worst[0]:
                worst = (excess, Infeasible(row, needed))
    return worst[1] if worst else None


def _blocks(p: Problem) -> list[np.ndarray]:
    """Candidates grouped by site, sites merged when one household is offered at both."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_site: dict[int, int] = {}
    for h, s in zip(p.household.tolist(), p.site.tolist(), strict=True):
        find(s)
        if h in first_site and find(first_site[h]) != find(s):
            parent[find(s)] = find(first_site[h])
        first_site.setdefault(h, s)
    groups: dict[int, list[int]] = defaultdict(list)
    for k, s in enumerate(p.site.tolist()):
        groups[find(s)].append(k)
    return [np.asarray(v) for v in groups.values()]


def _solve_block(
    p: Problem, members: np.ndarray, rows: list[Constraint], seconds: float = BLOCK_SECONDS
) -> tuple[np.ndarray, float, bool]:
    """The block's selection, its relative gap to the proven bound, and whether the time
    budget stopped the search (the best selection found so far is then returned)."""
    n = len(members)
    if n == 0:
        return np.zeros(0, bool), 0.0, False
    position = {int(k): j for j, k in enumerate(members.tolist())}
    data, ri, ci, caps = [], [], [], []
    for r, row in enumerate(rows):
        for k, c in zip(row.members.tolist(), row.coef.tolist(), strict=True):
            ri.append(r)
            ci.append(position[k])
            data.append(c)
        caps.append(row.capacity)
    lower = p.forced[members].astype(float)
    upper = np.where(p.excluded[members], 0.0, 1.0)
    # Integer scores (the registry's) get the weight score × (n + 1) + 1: lexicographically
    # the most vulnerability first, then the most households (a household of score 0 is
    # still worth serving over leaving stock idle), and an integral objective.
    score = p.score[members]
    weights = score * (n + 1) + 1.0 if np.all(np.mod(score, 1) == 0) else score
    constraints = []
    if rows:
        a = csr_matrix((data, (ri, ci)), shape=(len(rows), n))
        constraints.append(LinearConstraint(a, -np.inf, np.asarray(caps)))
    result = milp(
        -weights,
        integrality=np.ones(n),
        bounds=Bounds(lower, upper),
        constraints=constraints,
        options={"mip_rel_gap": MIP_GAP, "presolve": True, "time_limit": seconds},
    )
    if result.x is None:
        raise RuntimeError(f"HiGHS returned no solution: {result.message}")
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    return result.x > 0.5, gap, result.status == 1


def solve(p: Problem, block_seconds: float = BLOCK_SECONDS) -> Solution:
    """The best selection, or the binding constraint when the overrides make it impossible."""
    started = time.perf_counter()
    all_rows: list[Constraint] = []
    selected = np.zeros(len(p), bool)
    blocks = _blocks(p)
    block_rows = []
    for members in blocks:
        rows = build_constraints(p, members)
        block_rows.append(rows)
        all_rows.extend(rows)
    infeasible = check_feasible(p, all_rows)
    if infeasible is not None:
        return Solution(
            "infeasible",
            selected,
            0.0,
            all_rows,
            infeasible=infeasible,
            seconds=time.perf_counter() - started,
        )
    gap, stopped = 0.0, 0
    for members, rows in zip(blocks, block_rows, strict=True):
        chosen, block_gap, timed_out = _solve_block(p, members, rows, block_seconds)
        selected[members] = chosen
        gap = max(gap, block_gap)
        stopped += int(timed_out)
    solution = Solution(
        "optimal",
        selected,
        float(p.score[selected].sum()),
        all_rows,
        gap=gap,
        blocks_at_time_limit=stopped,
    )
    explain_solution(p, solution)
    solution.seconds = time.perf_counter() - started
    return solution


def explain_solution(p: Problem, solution: Solution) -> None:
    """Fill ``blocking`` (candidate → constraints that adding it would break) and ``cutoff``."""
    x = solution.selected
    for row in solution.constraints:
        used = float((row.coef * x[row.members]).sum())
        left = row.capacity - used
        out = ~x[row.members]
        for k, c in zip(row.members[out].tolist(), row.coef[out].tolist(), strict=True):
            if c > left + EPS:
                solution.blocking.setdefault(k, []).append(row)
    chosen = x & ~p.forced
    for s, i, score in zip(
        p.site[chosen].tolist(), p.item[chosen].tolist(), p.score[chosen].tolist(), strict=True
    ):
        key = (s, i)
        solution.cutoff[key] = min(solution.cutoff.get(key, np.inf), score)


def greedy(p: Problem) -> np.ndarray:
    """The baseline: most vulnerable first, taking a candidate whenever it still fits."""
    rows = build_constraints(p)
    left = np.asarray([r.capacity for r in rows], dtype=float)
    rows_of: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for r, row in enumerate(rows):
        for k, c in zip(row.members.tolist(), row.coef.tolist(), strict=True):
            rows_of[k].append((r, c))
    selected = np.zeros(len(p), bool)
    order = np.lexsort((np.arange(len(p)), -p.score))
    for k in order.tolist():
        if p.excluded[k]:
            continue
        if all(left[r] + EPS >= c for r, c in rows_of[k]):
            for r, c in rows_of[k]:
                left[r] -= c
            selected[k] = True
    return selected
