"""The demo-data generator: realistic synthetic data, deterministic by seed.

Scales: ``small`` (tests), ``medium`` (``amina demo``) and ``large`` (benchmarks). Each
capability adds its own step with ``@step(order)`` in its ``demo`` module; a step gets
the shared ``DemoContext`` (seeded random generator, scale, the places and users made so
far) and reports progress.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

SCALES = {
    # locations, rounds of displacement tracking, households in the registry
    "small": {"locations": 120, "rounds": 2, "households": 300},
    "medium": {"locations": 1500, "rounds": 4, "households": 20_000},
    "large": {"locations": 4000, "rounds": 40, "households": 1_000_000},
}

# Share of IDP families per governorate (p-code), as DTM Iraq found them in June 2015
# (Round XXII): Anbar, Dahuk and Baghdad first; the six southern governorates about 20%.
GOVERNORATE_SHARES = {
    "IQG01": 0.1738,
    "IQG09": 0.1489,
    "IQG08": 0.1455,
    "IQG11": 0.0834,
    "IQG13": 0.0777,
    "IQG06": 0.0619,
    "IQG16": 0.0617,
    "IQG10": 0.0562,
    "IQG15": 0.0473,
    "IQG04": 0.0304,
    "IQG12": 0.0268,
    "IQG05": 0.0243,
    "IQG07": 0.0243,
    "IQG18": 0.0208,
    "IQG02": 0.0072,
    "IQG03": 0.0061,
    "IQG14": 0.0020,
    "IQG17": 0.0018,
}


@dataclass
class DemoContext:
    scale: str
    seed: int
    rng: random.Random
    progress: Callable[[int, int | None, str], None]
    data: dict = field(default_factory=dict)

    @property
    def size(self) -> dict:
        return SCALES[self.scale]


_STEPS: list[tuple[int, str, Callable[[DemoContext], dict | None]]] = []


def step(order: int, name: str):
    def register(func):
        _STEPS.append((order, name, func))
        return func

    return register


def steps():
    from amina.core.demo import base  # noqa: F401  (the shared steps: places, users)
    from amina.core.discovery import app_modules

    app_modules("demo")  # each app's demo module registers its steps with @step
    seen, ordered = set(), []
    for order, name, func in sorted(_STEPS, key=lambda s: s[0]):
        if name not in seen:
            seen.add(name)
            ordered.append((order, name, func))
    return ordered


def generate(scale: str = "small", seed: int = 2015, progress=None) -> dict:
    """Create the demo data at ``scale``; returns what each step made (counts)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    ctx = DemoContext(
        scale=scale, seed=seed, rng=random.Random(seed), progress=progress or (lambda *a, **k: None)
    )
    summary = {}
    for _order, name, func in steps():
        ctx.progress(0, None, name)
        summary[name] = func(ctx) or {}
    return summary
