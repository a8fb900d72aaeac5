"""The optimiser against brute force on small cases, and infeasibility reported in words."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amina.supply.optimiser import GAP_TARGET, Problem, greedy, solve


def brute_force(p: Problem) -> float:
    """The best feasible objective by trying every subset of candidates."""
    n = len(p)
    best = 0.0
    for bits in itertools.product([0, 1], repeat=n):
        x = np.asarray(bits, dtype=bool)
        if (x & p.excluded).any() or (~x & p.forced).any():
            continue
        if feasible(p, x):
            best = max(best, float(p.score[x].sum()))
    return best


def feasible(p: Problem, x: np.ndarray) -> bool:
    for s, i in {(int(a), int(b)) for a, b in zip(p.site, p.item, strict=True)}:
        if (x & (p.site == s) & (p.item == i)).sum() > p.stock.get((s, i), 0):
            return False
    for s in set(p.site.tolist()):
        at = x & (p.site == s)
        if s in p.cap_kg and p.item_kg[p.item[at]].sum() > p.cap_kg[s] + 1e-9:
            return False
        if s in p.cap_m3 and p.item_m3[p.item[at]].sum() > p.cap_m3[s] + 1e-9:
            return False
    if p.per_household is not None:
        for h in set(p.household.tolist()):
            if (x & (p.household == h)).sum() > p.per_household:
                return False
    return True


@st.composite
def problems(draw):
    n_households = draw(st.integers(1, 5))
    n_items = draw(st.integers(1, 2))
    n_sites = draw(st.integers(1, 2))
    rows = []
    for h in range(n_households):
        site = draw(st.integers(0, n_sites - 1))
        for i in range(n_items):
            if draw(st.booleans()) or n_items == 1:
                rows.append((h, site, i))
    rows = rows[:11]
    score_of = [draw(st.integers(0, 100)) for _ in range(n_households)]
    stock = {(s, i): draw(st.integers(0, 4)) for s in range(n_sites) for i in range(n_items)}
    kg = [draw(st.integers(1, 30)) for _ in range(n_items)]
    m3 = [draw(st.integers(1, 5)) / 10 for _ in range(n_items)]
    cap_kg = {s: draw(st.integers(10, 90)) for s in range(n_sites) if draw(st.booleans())}
    cap_m3 = {s: draw(st.integers(1, 12)) / 10 for s in range(n_sites) if draw(st.booleans())}
    per_household = draw(st.one_of(st.none(), st.just(1)))
    return Problem(
        household=[r[0] for r in rows],
        site=[r[1] for r in rows],
        item=[r[2] for r in rows],
        score=[score_of[r[0]] for r in rows],
        stock=stock,
        item_kg=kg,
        item_m3=m3,
        cap_kg=cap_kg,
        cap_m3=cap_m3,
        per_household=per_household,
    )


@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_exact_reference_is_as_good_as_the_best_subset(p):
    solution = solve(p, method="exact")
    assert solution.status == "optimal"
    assert feasible(p, solution.selected)
    assert solution.objective == pytest.approx(brute_force(p), abs=1e-6)
    assert solution.gap == pytest.approx(0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_plan_is_within_its_proven_gap_of_the_best_subset_and_beats_greedy(p):
    best = brute_force(p)
    solution = solve(p)
    assert solution.status == "optimal"
    assert feasible(p, solution.selected)
    assert solution.objective <= best + 1e-6
    # The bound is a true bound, so the reported gap never hides a loss.
    assert solution.bound >= best - 1e-6
    assert best - solution.objective <= solution.gap * best + 1e-6
    assert solution.gap <= GAP_TARGET or solution.blocks_at_time_limit
    # Asked for no gap at all, it is the optimum.
    assert solve(p, gap_target=0).objective == pytest.approx(best, abs=1e-6)
    # The greedy baseline is feasible and never better.
    g = greedy(p)
    assert feasible(p, g)
    assert p.score[g].sum() <= solution.objective + 1e-6


def random_problem(seed: int, households: int, sites: int, items: int) -> Problem:
    """The benchmark's shape, small: several items per household, trucks and stock short."""
    rng = np.random.default_rng(seed)
    site_of = rng.integers(0, sites, households)
    score_of = rng.integers(0, 101, households)
    hh, site, item = [], [], []
    for h in range(households):
        wanted = rng.choice(items, size=int(rng.integers(1, 4)), replace=False)
        hh += [h] * len(wanted)
        site += [int(site_of[h])] * len(wanted)
        item += wanted.tolist()
    hh, site, item = np.asarray(hh), np.asarray(site), np.asarray(item)
    kg = rng.uniform(1, 45, items).round(1)
    demand = {}
    for s, i in zip(site.tolist(), item.tolist(), strict=True):
        demand[(s, i)] = demand.get((s, i), 0) + 1
    kg_demand = np.bincount(site, weights=kg[item], minlength=sites)
    return Problem(
        household=hh,
        site=site,
        item=item,
        score=score_of[hh].astype(float),
        stock={k: int(v * rng.uniform(0.3, 0.8)) for k, v in demand.items()},
        item_kg=kg,
        item_m3=rng.uniform(0.01, 0.2, items).round(3),
        cap_kg={s: float(kg_demand[s] * rng.uniform(0.3, 0.6)) for s in range(sites)},
        per_household=2,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_plan_matches_the_exact_formulation_within_the_tolerance(seed):
    p = random_problem(seed, households=200, sites=4, items=6)
    reference = solve(p, method="exact")
    solution = solve(p)
    assert feasible(p, solution.selected)
    assert solution.objective <= reference.objective + 1e-6
    assert solution.objective >= reference.objective * (1 - GAP_TARGET)
    assert solution.bound >= reference.objective - 1e-6
    assert reference.objective - solution.objective <= solution.gap * reference.objective + 1e-6
    # Either the proven gap is within the target, or the exact search ran out of time.
    assert solution.gap <= GAP_TARGET or solution.blocks_at_time_limit
    assert p.score[greedy(p)].sum() <= solution.objective + 1e-6
    # Every candidate left out is blocked by a named constraint (the plan is maximal).
    out = np.flatnonzero(~solution.selected)
    assert all(solution.blocking.get(int(k)) for k in out)


def test_progress_is_reported_block_by_block_up_to_the_end():
    p = random_problem(7, households=60, sites=3, items=3)
    calls = []
    solve(p, progress=lambda done, total, message: calls.append((done, total)))
    assert calls[0] == (1, 3) and calls[-1] == (3, 3)
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)


def test_it_beats_greedy_when_a_heavy_item_blocks_the_truck():
    # One truck of 30 kg: greedy takes the top household's 25 kg tent and stops; the optimum
    # serves the next three with 10 kg blanket sets.
    p = Problem(
        household=[1, 2, 3, 4],
        site=[0, 0, 0, 0],
        item=[0, 1, 1, 1],
        score=[90, 80, 70, 60],
        stock={(0, 0): 5, (0, 1): 5},
        item_kg=[25, 10],
        item_m3=[1, 1],
        cap_kg={0: 30},
    )
    solution = solve(p)
    assert solution.selected.tolist() == [False, True, True, True]
    assert p.score[greedy(p)].sum() == 90
    assert solution.objective == 210


def test_leftouts_are_explained_by_the_constraint_that_stops_them():
    p = Problem(
        household=[1, 2, 3],
        site=[0, 0, 0],
        item=[0, 0, 0],
        score=[50, 42, 30],
        stock={(0, 0): 2},
        item_kg=[1],
        item_m3=[1],
    )
    solution = solve(p)
    assert solution.selected.tolist() == [True, True, False]
    assert solution.cutoff[(0, 0)] == 42
    assert [c.kind for c in solution.blocking[2]] == ["stock"]


def test_forced_households_beyond_stock_are_infeasible_with_the_binding_constraint():
    p = Problem(
        household=[1, 2, 3],
        site=[0, 0, 0],
        item=[0, 0, 0],
        score=[90, 85, 10],
        stock={(0, 0): 1},
        item_kg=[30],
        item_m3=[0.1],
        cap_kg={0: 100},
        forced=[True, True, False],
        site_labels=["site-1"],
        item_labels=["tent"],
    )
    solution = solve(p)
    assert solution.status == "infeasible"
    assert solution.infeasible.constraint.kind == "stock"
    assert "stock of tent at site-1" in solution.infeasible.message(p)
    assert "need 2" in solution.infeasible.message(p)
    assert not solution.selected.any()


def test_the_truck_can_be_the_binding_constraint():
    p = Problem(
        household=[1, 2],
        site=[0, 0],
        item=[0, 0],
        score=[90, 85],
        stock={(0, 0): 10},
        item_kg=[30],
        item_m3=[0.1],
        cap_kg={0: 50},
        forced=[True, True],
    )
    solution = solve(p)
    assert solution.status == "infeasible"
    assert solution.infeasible.constraint.kind == "weight"
    assert solution.infeasible.needed == 60


def test_a_household_in_and_out_at_once_is_reported():
    p = Problem(
        household=[1],
        site=[0],
        item=[0],
        score=[5],
        stock={(0, 0): 1},
        item_kg=[1],
        item_m3=[1],
        forced=[True],
        excluded=[True],
    )
    assert solve(p).infeasible.conflict == "forced_and_excluded"


def test_sites_are_solved_apart_but_a_household_offered_at_two_sites_links_them():
    p = Problem(
        household=[1, 1, 2],
        site=[0, 1, 1],
        item=[0, 0, 0],
        score=[9, 9, 5],
        stock={(0, 0): 1, (1, 0): 1},
        item_kg=[1],
        item_m3=[1],
        per_household=1,
    )
    solution = solve(p)
    # Household 1 takes one site's kit, household 2 the other's: 14, not 9.
    assert solution.objective == 14
