"""The scope filter of the hand-written dashboard reads (``amina.lib.sql.in_list``)."""

from amina.lib.sql import in_list


def test_values_become_parameters_in_order_once_each():
    params = ["before"]
    assert in_list("g.id", [3, 1, 3], params) == "g.id IN (%s, %s)"
    assert params == ["before", 1, 3]


def test_an_empty_scope_matches_nothing_rather_than_everything():
    params: list = []
    assert in_list("g.id", [], params) == "g.id IN (%s)"
    assert params == [None]  # IN (NULL) is never true
