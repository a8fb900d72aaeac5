"""The other capabilities, as reports read them: optional, and read through their queries.

Reports draw on tracking, needs, supply and coordination, which may be absent or not
offer a figure yet (each is installed on its own schedule). Every reader here returns
``None`` when its source is missing, so a dashboard or report shows "not available yet"
for that part instead of failing. Callers pass governorate ids already reduced to the
user's scope (``amina.accounts.access``); ``None`` means the whole country.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, fields
from importlib import import_module
from typing import Any

log = logging.getLogger(__name__)


def module(name: str, *needed: str):
    """``amina.<name>`` if it is installed and offers every function in ``needed``."""
    try:
        found = import_module(f"amina.{name}")
    except ImportError:
        return None
    if any(not callable(getattr(found, attr, None)) for attr in needed):
        return None
    return found


@dataclass
class Totals:
    idp_families: int = 0
    idp_individuals: int = 0
    returnee_families: int = 0
    returnee_individuals: int = 0
    locations: int = 0

    @classmethod
    def of(cls, obj: Any) -> Totals:
        if obj is None:
            return cls()
        if isinstance(obj, cls):
            return obj
        get = obj.get if isinstance(obj, dict) else (lambda k, d=0: getattr(obj, k, d))
        return cls(**{f.name: int(get(f.name, 0) or 0) for f in fields(cls)})

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def _number(value) -> float | int:
    if value is None:
        return 0
    try:
        return int(value) if float(value).is_integer() else float(value)
    except (TypeError, ValueError):
        return 0


def _label(item) -> str:
    for attr in ("name", "label", "title", "code"):
        value = getattr(item, attr, None)
        if value:
            return str(value)
    return str(item)


def pairs(result: Any, value_keys: Iterable[str] = ()) -> list[tuple[str, float | int]]:
    """[(label, number)] from the shapes a query may answer with: a mapping label → number,
    a list of (label, number) pairs, or a list of objects/dicts carrying a label and a number."""
    if result is None:
        return []
    keys = (
        *value_keys,
        "value",
        "count",
        "total",
        "people",
        "people_reached",
        "families",
        "locations",
        "n",
    )
    out: list[tuple[str, float | int]] = []
    items = result.items() if isinstance(result, dict) else result
    for item in items:
        if isinstance(item, tuple | list) and len(item) == 2:
            label, value = item
            if isinstance(value, dict) or hasattr(value, "__dict__"):
                value = next(
                    (_number(_get(value, k)) for k in keys if _get(value, k) is not None), 0
                )
            out.append((_label(label), _number(value)))
            continue
        label_obj = _get(item, "sector") or _get(item, "need") or _get(item, "item") or item
        if isinstance(item, dict) and label_obj is item:
            label_obj = item.get("name") or item.get("label") or item.get("code") or ""
        value = next((_get(item, k) for k in keys if _get(item, k) is not None), 0)
        out.append((_label(label_obj), _number(value)))
    return out


def _get(obj, key):
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def numbers(result: Any) -> dict[str, float | int]:
    """The numeric fields of a summary object or mapping."""
    if result is None:
        return {}
    if isinstance(result, dict):
        items = result.items()
    else:
        items = ((k, v) for k, v in vars(result).items() if not k.startswith("_"))
    return {
        k: _number(v) for k, v in items if isinstance(v, int | float) and not isinstance(v, bool)
    }


def call(name: str, function: str, *args, **kwargs):
    """Call ``amina.<name>.<function>``; ``None`` when it is missing."""
    found = module(name, function)
    if found is None:
        return None
    return getattr(found, function)(*args, **kwargs)
