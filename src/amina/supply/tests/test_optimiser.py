"""The optimiser against brute force on small cases, and infeasibility reported in words."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amina.supply.optimiser import Problem, greedy, solve


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
def test_the_plan_is_as_good_as_the_best_subset(p):
    solution = solve(p)
    assert solution.status == "optimal"
    assert feasible(p, solution.selected)
    assert solution.objective == pytest.approx(brute_force(p), abs=1e-6)
    # The greedy baseline is feasible and never better.
    g = greedy(p)
    assert feasible(p, g)
    assert p.score[g].sum() <= solution.objective + 1e-6


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
