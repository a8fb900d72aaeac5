"""Who receives what: an integer programme over household × item candidates, solved
through its linear relaxation (HiGHS, ``scipy.optimize``) with a proven distance to the
optimum.

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
site), so the programme splits into independent blocks, one per site.

How a block is solved (``method="fast"``, the default). Stock and per-household limits
form a transport-like structure whose linear relaxation is integral; only the truck rows
(a knapsack over the site's items) leave a handful of fractional values. So each block:

1. takes the greedy most-vulnerable-first plan as its incumbent (the forced candidates
   first), which the result never falls below;
2. solves the linear relaxation (HiGHS simplex): its optimum is a proven upper bound;
3. keeps the candidates the relaxation takes whole, decides the few fractional ones with
   a tiny integer programme on the capacity left, then fills what is still left most
   vulnerable first (so every candidate left out is blocked by a named constraint);
4. keeps the better of 2–3 and the incumbent.

``gap`` = (bound − value) / bound over the whole plan, where ``bound`` is the sum of the
blocks' relaxation bounds (rounded down: scores are integers). While the gap is above
``gap_target``, the blocks with the largest gaps are solved again exactly (the original
formulation, kept as ``method="exact"``, the reference) within ``block_seconds`` each and
``exact_seconds`` in all. All coefficients are non-negative and every constraint is an
upper bound, so the plan is infeasible exactly when the forced candidates alone break a
constraint; that constraint is reported (``Infeasible``) rather than left to a solver
status code.

Explanations come from the constraints: a candidate left out is out because adding it
would break a named constraint (stock ran out, trucks full …), below the cut-off score of
its site and item.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

EPS = 1e-9
#: Relative gap at which HiGHS's branch and bound stops, on the weighted objective (for
#: one site's plan this is below one score point, so exact), and the time budget of one
#: site block when solved exactly.
MIP_GAP = 1e-4
BLOCK_SECONDS = 5.0
#: The fast method solves blocks exactly while the plan's proven gap is above this, for at
#: most ``EXACT_SECONDS`` in all.
GAP_TARGET = 1e-3
EXACT_SECONDS = 5.0
#: Candidates sifted at once by the greedy fill.
FILL_CHUNK = 256


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
    #: Proven distance to the optimum: (bound − objective) / bound, where ``bound`` is an
    #: upper bound on the coverage (the relaxation's, or branch and bound's); and how many
    #: blocks stopped at their time budget (their best selection found is kept).
    gap: float = 0.0
    bound: float = 0.0
    blocks_at_time_limit: int = 0
    method: str = "fast"

    @property
    def count(self) -> int:
        return int(self.selected.sum())


def _groups(keys: np.ndarray) -> list[np.ndarray]:
    """Positions of ``keys`` grouped by value, in order of first appearance of each value."""
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cuts = np.flatnonzero(np.diff(sorted_keys)) + 1
    groups = np.split(order, cuts)
    groups.sort(key=lambda g: int(g[0]))
    return groups


def build_constraints(p: Problem, members: np.ndarray | None = None) -> list[Constraint]:
    """The upper-bound rows over ``members`` (all candidates when None), grouped with numpy
    (a million candidates take a second, not a minute of Python loops)."""
    idx = np.arange(len(p)) if members is None else np.asarray(members, dtype=np.int64)
    rows: list[Constraint] = []
    if len(idx) == 0:
        return rows
    site, item = p.site[idx], p.item[idx]
    width = int(p.item.max()) + 1 if len(p) else 1
    for g in _groups(site * width + item):
        m = idx[g]
        s, i = int(site[g[0]]), int(item[g[0]])
        rows.append(Constraint("stock", s, i, m, np.ones(len(m)), float(p.stock.get((s, i), 0))))
    for g in _groups(site):
        m = idx[g]
        s = int(site[g[0]])
        if s in p.cap_kg:
            rows.append(Constraint("weight", s, None, m, p.item_kg[p.item[m]], float(p.cap_kg[s])))
        if s in p.cap_m3:
            rows.append(Constraint("volume", s, None, m, p.item_m3[p.item[m]], float(p.cap_m3[s])))
    if p.per_household is not None:
        household = p.household[idx]
        counts = np.unique(household, return_counts=True)
        crowded = counts[0][counts[1] > p.per_household]
        if len(crowded):
            among = np.flatnonzero(np.isin(household, crowded))
            ones = np.ones(int(counts[1].max()))  # shared, read-only coefficients
            ones.flags.writeable = False
            for g in _groups(household[among]):
                m = idx[among[g]]
                rows.append(
                    Constraint(
                        "household",
                        int(p.site[m[0]]),
                        None,
                        m,
                        ones[: len(m)],
                        float(p.per_household),
                        household=int(p.household[m[0]]),
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
    if not p.forced.any():
        return None
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
    if len(p) == 0:
        return []
    pairs = np.unique(np.stack([p.household, p.site], axis=1), axis=0)
    site_of_block = {int(s): int(s) for s in np.unique(p.site).tolist()}
    if len(np.unique(pairs[:, 0])) < len(pairs):
        # Some household is offered at two sites: union-find over (household, site) pairs.
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        first_site: dict[int, int] = {}
        for h, s in pairs.tolist():
            find(s)
            if h in first_site and find(first_site[h]) != find(s):
                parent[find(s)] = find(first_site[h])
            first_site.setdefault(h, s)
        site_of_block = {s: find(s) for s in site_of_block}
    roots = np.asarray([site_of_block[s] for s in p.site.tolist()], dtype=np.int64)
    return _groups(roots)


def _weights(score: np.ndarray) -> tuple[np.ndarray, bool]:
    """Integer scores (the registry's) get the weight score × (n + 1) + 1: lexicographically
    the most vulnerability first, then the most households (a household of score 0 is
    still worth serving over leaving stock idle), and an integral objective."""
    n = len(score)
    integral = bool(np.all(np.mod(score, 1) == 0))
    return (score * (n + 1) + 1.0 if integral else score.astype(float)), integral


@dataclass
class _Block:
    """One independent part of the programme in its own column order (0 … n − 1)."""

    members: np.ndarray
    rows: list[Constraint]
    matrix: csr_matrix
    caps: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    weights: np.ndarray
    integral: bool
    chosen: np.ndarray | None = None
    bound: float = 0.0  # proven upper bound on the block's score (not weights)
    value: float = 0.0
    exact: bool = False


def _block(p: Problem, members: np.ndarray, rows: list[Constraint]) -> _Block:
    n = len(members)
    position = np.full(len(p), -1, dtype=np.int64)
    position[members] = np.arange(n)
    if rows:
        cols = position[np.concatenate([r.members for r in rows])]
        data = np.concatenate([r.coef for r in rows]).astype(float)
        ri = np.repeat(np.arange(len(rows)), [len(r.members) for r in rows])
        matrix = csr_matrix((data, (ri, cols)), shape=(len(rows), n))
    else:
        matrix = csr_matrix((0, n))
    weights, integral = _weights(p.score[members])
    return _Block(
        members=members,
        rows=rows,
        matrix=matrix,
        caps=np.asarray([r.capacity for r in rows], dtype=float),
        lower=p.forced[members].astype(float),
        upper=np.where(p.excluded[members], 0.0, 1.0),
        weights=weights,
        integral=integral,
    )


def _fill(b: _Block, chosen: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Add candidates in ``order`` while they fit (the forced ones are in ``chosen``).

    Capacity only shrinks, so a candidate that does not fit now never will: each chunk of
    the order is first sifted with numpy, and only what still fits is taken one by one.
    The columns are put in ``order`` once, so that a chunk's entries are contiguous.
    """
    chosen = chosen.copy()
    left = b.caps - b.matrix @ chosen.astype(float)
    waiting = order[~chosen[order] & (b.upper[order] > 0)]
    if len(waiting) == 0:
        return chosen
    columns = b.matrix.tocsc()[:, waiting]
    ptr, idx, dat = columns.indptr, columns.indices, columns.data
    ptr_l, idx_l, dat_l = ptr.tolist(), idx.tolist(), dat.tolist()
    for start in range(0, len(waiting), FILL_CHUNK):
        end = min(start + FILL_CHUNK, len(waiting))
        lo, hi = ptr_l[start], ptr_l[end]
        owner = np.repeat(np.arange(end - start), np.diff(ptr[start : end + 1]))
        tight = left[idx[lo:hi]] + EPS < dat[lo:hi]
        fits = np.bincount(owner[tight], minlength=end - start) == 0
        for j in (np.flatnonzero(fits) + start).tolist():
            entries = range(ptr_l[j], ptr_l[j + 1])
            if all(left[idx_l[e]] + EPS >= dat_l[e] for e in entries):
                for e in entries:
                    left[idx_l[e]] -= dat_l[e]
                chosen[waiting[j]] = True
    return chosen


def _greedy_order(b: _Block) -> np.ndarray:
    return np.lexsort((np.arange(len(b.members)), -b.weights))


def _round_relaxation(b: _Block, x: np.ndarray, seconds: float) -> np.ndarray:
    """Keep what the relaxation takes whole; decide the fractional few exactly on what is
    left; then fill the remaining capacity most vulnerable first."""
    whole = x > 1 - 1e-6
    whole |= b.lower > 0
    fractional = np.flatnonzero((x > 1e-6) & ~whole)
    chosen = whole.copy()
    if len(fractional):
        left = b.caps - b.matrix @ whole.astype(float)
        sub = b.matrix[:, fractional]
        result = milp(
            -b.weights[fractional],
            integrality=np.ones(len(fractional)),
            bounds=Bounds(0.0, 1.0),
            constraints=[LinearConstraint(sub, -np.inf, np.maximum(left, 0.0))],
            options={"time_limit": seconds, "presolve": True},
        )
        if result.x is not None:
            chosen[fractional[result.x > 0.5]] = True
    # The relaxation may prefer, weight for weight, a candidate lighter on the trucks:
    # what it left at zero is offered in the greedy order to whatever capacity is left.
    return _fill(b, chosen, _greedy_order(b))


def _score_bound(b: _Block, bound_w: float, p: Problem) -> float:
    """A bound on the weights turned into one on the block's score (see ``_weights``)."""
    if not b.integral:
        return bound_w
    n = len(b.members)
    # score·x ≤ (w·x − |x|) / (n + 1) ≤ bound_w / (n + 1), and the score is an integer.
    return float(np.floor(bound_w / (n + 1) + 1e-7))


def _solve_fast(p: Problem, b: _Block, seconds: float) -> None:
    from scipy.optimize import linprog

    score = p.score[b.members]
    incumbent = _fill(b, b.lower > 0, _greedy_order(b))
    result = linprog(
        -b.weights,
        A_ub=b.matrix if b.matrix.shape[0] else None,
        b_ub=b.caps if b.matrix.shape[0] else None,
        bounds=np.stack([b.lower, b.upper], axis=1),
        method="highs",
    )
    if result.x is None:  # not expected: the forced set was checked to fit
        b.chosen, b.value = incumbent, float(score[incumbent].sum())
        b.bound = float(score[b.upper > 0].sum())
        return
    bound_w = -float(result.fun)
    if b.integral:
        bound_w = float(np.floor(bound_w + 1e-6))
    rounded = _round_relaxation(b, result.x, seconds)
    best = max((incumbent, rounded), key=lambda c: (float(b.weights[c].sum()), -int(c.sum())))
    b.chosen = best
    b.value = float(score[best].sum())
    b.exact = float(b.weights[best].sum()) >= bound_w - 1e-6
    b.bound = b.value if b.exact else max(b.value, _score_bound(b, bound_w, p))


def _solve_exact(p: Problem, b: _Block, seconds: float) -> bool:
    """The original formulation: HiGHS branch and bound on the whole block. Keeps the better
    selection and the tighter bound; True when the time budget stopped the search."""
    n = len(b.members)
    if n == 0:
        b.chosen, b.exact = np.zeros(0, bool), True
        return False
    constraints = []
    if b.matrix.shape[0]:
        constraints.append(LinearConstraint(b.matrix, -np.inf, b.caps))
    result = milp(
        -b.weights,
        integrality=np.ones(n),
        bounds=Bounds(b.lower, b.upper),
        constraints=constraints,
        options={"mip_rel_gap": MIP_GAP, "presolve": True, "time_limit": seconds},
    )
    if result.x is None:
        if b.chosen is None:
            raise RuntimeError(f"HiGHS returned no solution: {result.message}")
        return True
    chosen = result.x > 0.5
    score = p.score[b.members]
    first = b.chosen is None
    if first or b.weights[chosen].sum() >= b.weights[b.chosen].sum():
        b.chosen = chosen
        b.value = float(score[chosen].sum())
    dual = getattr(result, "mip_dual_bound", None)
    if dual is None and result.status == 0:
        dual = result.fun
    proven = False
    if dual is not None and np.isfinite(dual):
        bound_w = -float(dual)
        if b.integral:
            bound_w = float(np.floor(bound_w + 1e-6))
        proven = float(b.weights[b.chosen].sum()) >= bound_w - 1e-6
        new_bound = b.value if proven else max(b.value, _score_bound(b, bound_w, p))
    else:
        new_bound = float(score[b.upper > 0].sum())
    b.bound = max(new_bound if first else min(b.bound, new_bound), b.value)
    b.exact = b.exact or proven
    return result.status == 1


def _plan_gap(blocks: list[_Block]) -> tuple[float, float, float]:
    value = sum(b.value for b in blocks)
    bound = sum(b.bound for b in blocks)
    return value, bound, ((bound - value) / bound if bound > EPS else 0.0)


Progress = Callable[[int, int | None, str], None]


def _split(p: Problem) -> tuple[list[_Block], list[Constraint]]:
    """The independent blocks (one per site, or sites sharing a household) and every
    constraint row of the plan."""
    all_rows: list[Constraint] = []
    blocks = []
    for members in _blocks(p):
        rows = build_constraints(p, members)
        blocks.append(_block(p, members, rows))
        all_rows.extend(rows)
    return blocks, all_rows


def _solve_blocks(
    p: Problem, blocks: list[_Block], method: str, block_seconds: float, report: Progress
) -> int:
    """Each block by the greedy incumbent and its rounded relaxation (fast), or by branch
    and bound (exact); the number of blocks stopped by their time budget."""
    stopped = 0
    for done, b in enumerate(blocks):
        if method == "exact":
            stopped += int(_solve_exact(p, b, block_seconds))
        else:
            _solve_fast(p, b, min(block_seconds, 1.0))
        report(done + 1, len(blocks), "optimising")
    return stopped


def _close_gaps(
    p: Problem, blocks: list[_Block], block_seconds: float, gap_target: float, exact_seconds: float
) -> int:
    """While the plan is further from its bound than ``gap_target``, solve the blocks
    with the largest gaps exactly, within ``exact_seconds`` in all; the number of blocks
    stopped by their time budget."""
    stopped = 0
    deadline = time.perf_counter() + exact_seconds
    gap = _plan_gap(blocks)[2]
    # Close the largest gaps first, while the plan is further from its bound than asked.
    for b in sorted(blocks, key=lambda b: b.value - b.bound):
        if gap <= gap_target or b.exact or time.perf_counter() >= deadline:
            break
        budget = min(block_seconds, max(deadline - time.perf_counter(), 0.1))
        stopped += int(_solve_exact(p, b, budget))
        gap = _plan_gap(blocks)[2]
    return stopped


def solve(
    p: Problem,
    block_seconds: float = BLOCK_SECONDS,
    *,
    method: str = "fast",
    gap_target: float = GAP_TARGET,
    exact_seconds: float = EXACT_SECONDS,
    progress: Progress | None = None,
) -> Solution:
    """The best selection, or the binding constraint when the overrides make it impossible.

    ``method="exact"`` is the original formulation (branch and bound on every block, up to
    ``block_seconds`` each): the reference the fast method is tested against.
    ``progress(done, total, message)`` is called as blocks are solved.
    """
    if method not in ("fast", "exact"):
        raise ValueError(f"unknown method {method!r}")
    started = time.perf_counter()
    report = progress or (lambda done, total, message: None)
    selected = np.zeros(len(p), bool)
    blocks, all_rows = _split(p)
    infeasible = check_feasible(p, all_rows)
    if infeasible is not None:
        return Solution(
            "infeasible",
            selected,
            0.0,
            all_rows,
            infeasible=infeasible,
            seconds=time.perf_counter() - started,
            method=method,
        )
    stopped = _solve_blocks(p, blocks, method, block_seconds, report)
    if method == "fast":
        stopped += _close_gaps(p, blocks, block_seconds, gap_target, exact_seconds)
    for b in blocks:
        selected[b.members] = b.chosen
    _value, bound, gap = _plan_gap(blocks)
    solution = Solution(
        "optimal",
        selected,
        float(p.score[selected].sum()),
        all_rows,
        gap=max(gap, 0.0),
        bound=bound,
        blocks_at_time_limit=stopped,
        method=method,
    )
    report(len(blocks), len(blocks), "explaining")
    explain_solution(p, solution)
    solution.seconds = time.perf_counter() - started
    return solution


def explain_solution(p: Problem, solution: Solution) -> None:
    """Fill ``blocking`` (candidate → constraints that adding it would break) and ``cutoff``."""
    x = solution.selected
    rows = solution.constraints
    if rows:
        members = np.concatenate([r.members for r in rows])
        coef = np.concatenate([r.coef for r in rows]).astype(float)
        row_of = np.repeat(np.arange(len(rows)), [len(r.members) for r in rows])
        inside = x[members]
        used = np.bincount(row_of, weights=coef * inside, minlength=len(rows))
        left = np.asarray([r.capacity for r in rows]) - used
        blocked = np.flatnonzero(~inside & (coef > left[row_of] + EPS))
        for k, r in zip(members[blocked].tolist(), row_of[blocked].tolist(), strict=True):
            solution.blocking.setdefault(k, []).append(rows[r])
    chosen = x & ~p.forced
    if chosen.any():
        width = int(p.item.max()) + 1
        keys = p.site[chosen] * width + p.item[chosen]
        scores = p.score[chosen]
        order = np.lexsort((scores, keys))
        keys, scores = keys[order], scores[order]
        first = np.flatnonzero(np.r_[True, np.diff(keys) != 0])
        for key, score in zip(keys[first].tolist(), scores[first].tolist(), strict=True):
            solution.cutoff[(key // width, key % width)] = score


def greedy(p: Problem) -> np.ndarray:
    """The baseline: most vulnerable first, taking a candidate whenever it still fits
    (overrides other than exclusions are ignored: it is what a planner would do by hand)."""
    members = np.arange(len(p))
    b = _block(p, members, build_constraints(p))
    order = np.lexsort((members, -p.score))
    return _fill(b, np.zeros(len(p), bool), order)
