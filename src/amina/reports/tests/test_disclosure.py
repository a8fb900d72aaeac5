"""Small-cell suppression: nothing published reveals a cell below the threshold, not even
by subtraction from the totals. Audited with an independent linear program: for every
withheld cell, the range of values consistent with everything published must be wider
than a single value."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from amina.reports import disclosure
from amina.reports.disclosure import Line

LIMIT = 5
small_or_not = st.one_of(st.integers(0, 6), st.integers(0, 80))


def audit(values: dict, lines: list[Line], withheld: set) -> list:
    """Withheld cells whose value the published figures pin down exactly (should be none)."""
    hidden = sorted(withheld, key=str)
    if not hidden:
        return []
    index = {key: i for i, key in enumerate(hidden)}
    rows, rhs = [], []
    for line in lines:
        row = np.zeros(len(hidden))
        known = 0
        for key, sign in [(line.total, 1)] + [(p, -1) for p in line.parts]:
            if key in index:
                row[index[key]] += sign
            else:
                known += sign * values[key]
        if row.any():
            rows.append(row)
            rhs.append(-known)
    pinned = []
    for key in hidden:
        c = np.zeros(len(hidden))
        c[index[key]] = 1
        kwargs = {"bounds": [(0, None)] * len(hidden), "method": "highs"}
        if rows:
            kwargs.update(A_eq=np.array(rows), b_eq=np.array(rhs))
        low = linprog(c, **kwargs)
        high = linprog(-c, **kwargs)
        assert low.status == 0, "the published table must stay consistent"
        top = -high.fun if high.status == 0 else float("inf")
        if top - low.fun < 0.5:
            pinned.append((key, values[key]))
    return pinned


def two_way(table: list[list[int]]):
    rows, cols = range(len(table)), range(len(table[0]))
    values = {(r, c): table[r][c] for r in rows for c in cols}
    for r in rows:
        values[(r, "total")] = sum(table[r])
    for c in cols:
        values[("total", c)] = sum(table[r][c] for r in rows)
    values[("total", "total")] = sum(values[("total", c)] for c in cols)
    return values, disclosure.two_way_lines(rows, cols)


def test_it_withholds_a_cell_below_the_threshold_and_its_complement():
    values, lines = two_way([[3, 40], [20, 30]])
    withheld = disclosure.protect(values, lines, LIMIT)
    assert (0, 0) in withheld
    assert len(withheld) >= 4  # 3 alone would be 43 - 40; a rectangle of four is the least
    assert audit(values, lines, withheld) == []


def test_the_audit_sees_through_primary_suppression_alone():
    values, lines = two_way([[3, 40], [20, 30]])
    assert audit(values, lines, {(0, 0)}) == [((0, 0), 3)]


def test_it_publishes_zero_and_figures_at_the_threshold():
    values, lines = two_way([[0, 5], [7, 9]])
    assert disclosure.protect(values, lines, LIMIT) == set()


def test_a_total_below_the_threshold_is_withheld_too():
    values, lines = two_way([[1, 2], [30, 40]])
    withheld = disclosure.protect(values, lines, LIMIT)
    assert {(0, 0), (0, 1), (0, "total")} <= withheld
    assert audit(values, lines, withheld) == []


def test_it_refuses_a_product_where_a_cell_is_in_three_lines():
    lines = [Line("a", ("x",)), Line("b", ("x",)), Line("c", ("x",))]
    with pytest.raises(ValueError, match="three|3 lines"):
        disclosure.protect({"a": 1, "b": 1, "c": 1, "x": 1}, lines, LIMIT)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.lists(st.lists(small_or_not, min_size=n, max_size=n), min_size=1, max_size=6)
    )
)
def test_no_two_way_table_reveals_a_small_cell(table):
    values, lines = two_way(table)
    withheld = disclosure.protect(values, lines, LIMIT)
    published = {k: v for k, v in values.items() if k not in withheld}
    assert not any(disclosure.is_small(v, LIMIT) for v in published.values())
    assert audit(values, lines, withheld) == []


@st.composite
def hierarchies(draw):
    """national → governorates → districts → locations, with leaf values."""
    values, children = {}, {"N": []}
    for g in range(draw(st.integers(1, 4))):
        gov = f"G{g}"
        children["N"].append(gov)
        children[gov] = []
        for d in range(draw(st.integers(1, 3))):
            district = f"{gov}D{d}"
            children[gov].append(district)
            children[district] = []
            for loc in range(draw(st.integers(1, 4))):
                leaf = f"{district}L{loc}"
                children[district].append(leaf)
                values[leaf] = draw(small_or_not)
    for parent in reversed(list(children)):
        values[parent] = sum(values[c] for c in children[parent])
    return values, children


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies())
def test_no_level_of_a_hierarchy_reveals_a_small_cell(data):
    values, children = data
    lines = disclosure.tree_lines(children)
    withheld = disclosure.protect(values, lines, LIMIT)
    assert not any(disclosure.is_small(v, LIMIT) for k, v in values.items() if k not in withheld)
    assert audit(values, lines, withheld) == []


def test_the_threshold_comes_from_settings(settings):
    settings.AMINA_SMALL_CELL_THRESHOLD = 10
    assert disclosure.threshold() == 10
    assert disclosure.is_small(7)
    assert disclosure.display(None) == "<10"
