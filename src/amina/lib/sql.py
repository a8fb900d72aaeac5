"""Pieces of hand-written SQL shared by the reads that bypass the ORM for speed (the
dashboard's one-query families): only Amina's own table and column names go into the
text; every value is a parameter."""

from __future__ import annotations

from collections.abc import Iterable


def in_list(column: str, values: Iterable, params: list) -> str:
    """``column IN (%s, …)`` for ``values``, appended to ``params`` in order. No values
    match nothing (``IN (NULL)``), so an empty scope reads no rows rather than all."""
    ids = sorted(set(values)) or [None]
    params.extend(ids)
    return f"{column} IN ({', '.join(['%s'] * len(ids))})"
