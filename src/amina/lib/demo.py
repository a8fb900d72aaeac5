"""The demo-data generator: realistic synthetic data, deterministic by seed.

Scales: ``small`` (tests), ``medium`` (``amina demo``) and ``large`` (benchmarks). Each
app adds its own step with ``@step(order, name)`` in its ``demo`` module; a step gets
the shared ``DemoContext`` (seeded random generator, scale, the places and users made so
far) and reports progress. This module is the registry and the story's clock; the shell
(``amina.core.demo.generate``) imports every app's ``demo`` module and runs the steps.
"""

from __future__ import annotations

import datetime
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


# The demo tells one story: Iraq's displacement crisis of 2014–2015, seen on STORY_DAY.
# Every date the demo writes (rounds, assessments, waybills, the stock ledger, plans,
# trainings, meetings, registrations, the records' own "created" stamps) lies between
# STORY_START and STORY_END; what has happened lies on or before STORY_DAY, what is
# planned after it (up to STORY_END). Documented exceptions: the demo load's own job
# record (its progress and lease keep real time, see ``StoryClock``), the user accounts
# (people log in with them today), DTM's displacement periods (reference data), and the
# births of the people registered, which are of course older.
STORY_START = datetime.date(2014, 1, 1)
STORY_DAY = datetime.date(2015, 7, 1)
STORY_END = datetime.date(2015, 12, 31)
STORY_ZONE = datetime.timezone(datetime.timedelta(hours=3))  # Baghdad


class StoryClock:
    """``django.utils.timezone.now`` as the story's clock, for the generating thread only.

    Services stamp records with ``timezone.now()`` (``auto_now_add``: the append-only
    ledger cannot be re-dated afterwards). While the demo generates, that thread reads
    STORY_DAY plus the real time elapsed (so records keep their order), or the moment a
    step sets with ``at``; other threads (a job's heartbeat) and the job's progress calls
    keep real time, so the job's lease is never stamped in 2015.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def now(self, real: Callable[[], datetime.datetime]) -> datetime.datetime | None:
        moment = getattr(self._local, "moment", None)
        if moment is None or getattr(self._local, "paused", False):
            return None
        return moment + (real() - self._local.started)

    @contextmanager
    def running(self, real: Callable[[], datetime.datetime], moment: datetime.datetime):
        previous = getattr(self._local, "moment", None), getattr(self._local, "started", None)
        self._local.moment, self._local.started = moment, real()
        try:
            yield
        finally:
            self._local.moment, self._local.started = previous

    @contextmanager
    def paused(self) -> Iterator[None]:
        before = getattr(self._local, "paused", False)
        self._local.paused = True
        try:
            yield
        finally:
            self._local.paused = before


_CLOCK = StoryClock()


def story_moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=STORY_ZONE)


@contextmanager
def story_clock(moment: datetime.datetime | None = None) -> Iterator[None]:
    """Run the block with ``timezone.now()`` at ``moment`` (default: STORY_DAY, 10:00)
    in this thread; nested calls set another moment (``DemoContext.at``)."""
    from django.utils import timezone

    real = getattr(timezone.now, "_amina_real", timezone.now)
    if not hasattr(timezone.now, "_amina_real"):

        def now() -> datetime.datetime:
            return _CLOCK.now(real) or real()

        now._amina_real = real  # type: ignore[attr-defined]
        timezone.now = now
    with _CLOCK.running(real, moment or story_moment(STORY_DAY)):
        yield


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

    def at(self, day: datetime.date | datetime.datetime):
        """Records written in the block are stamped at ``day`` (story time)."""
        if not isinstance(day, datetime.datetime):
            day = story_moment(day)
        return story_clock(day)


_STEPS: list[tuple[int, str, Callable[[DemoContext], dict | None]]] = []


def step(order: int, name: str):
    def register(func):
        _STEPS.append((order, name, func))
        return func

    return register


def registered_steps() -> list[tuple[int, str, Callable[[DemoContext], dict | None]]]:
    """The steps registered so far, by order; a step registered twice runs once."""
    seen, ordered = set(), []
    for order, name, func in sorted(_STEPS, key=lambda s: s[0]):
        if name not in seen:
            seen.add(name)
            ordered.append((order, name, func))
    return ordered


def run_steps(steps, scale: str = "small", seed: int = 2015, progress=None) -> dict:
    """Run ``steps`` at ``scale`` in story time; returns what each step made (counts)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    report = progress or (lambda *a, **k: None)

    def progress_at_real_time(*args, **kwargs):
        with _CLOCK.paused():  # the job's own progress and lease are real-time records
            report(*args, **kwargs)

    ctx = DemoContext(
        scale=scale, seed=seed, rng=random.Random(seed), progress=progress_at_real_time
    )
    summary = {}
    with story_clock():
        for _order, name, func in steps:
            ctx.progress(0, None, name)
            summary[name] = func(ctx) or {}
    return summary
