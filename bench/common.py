"""What every benchmark needs before it measures: Django configured and migrated on the
database ``DATABASE_URL`` names (a throw-away SQLite database in a temporary folder
otherwise), a best-of-N timer, and an exception that rolls a run's data back."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable


class Rollback(Exception):
    """Raised at the end of a benchmark's ``transaction.atomic()`` to leave nothing."""


def setup(name: str, **environ: str) -> None:
    """Configure Django once (``environ`` are defaults for other settings), then migrate."""
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("AMINA_VAR_DIR", tempfile.mkdtemp(prefix=f"amina-bench-{name}-"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amina.settings")
        for key, value in environ.items():
            os.environ.setdefault(key, value)
        import django

        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def best_of(func: Callable[[], object], repeat: int = 3) -> float:
    """The shortest of ``repeat`` timings of ``func``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best
