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


def load_floor(tables: list[str], directory) -> dict[str, float]:
    """The load floor of an import on PostgreSQL: the rows the import wrote, already
    normalised, ``COPY``-ed into the same tables, plus building the same indexes.

    Call it right after the import, inside or outside its transaction. The tables' rows
    are written to files in ``directory`` (text COPY format, not timed), the tables are
    emptied (``TRUNCATE … CASCADE``, not timed), their secondary indexes and the foreign
    keys between them dropped, as a large import drops them (``lib.bulk.indexes_rebuilt``;
    keys to other tables — places, users, categories — stay and check each row, in the
    floor as in the import, since dropping one would lock the table it points to); then,
    timed: ``COPY`` of every file back into its table (primary keys and the unique indexes
    behind constraints kept, so every key is still checked on the way in), those rows'
    key checks, and the indexes and dropped keys built again. The tables end as the import
    left them (same rows, same ids).
    Returns seconds: ``copy``, ``indexes`` (indexes and foreign keys) and ``total``.
    """
    from pathlib import Path

    from django.db import connection, transaction

    from amina.lib.bulk import indexes_rebuilt

    files = {table: Path(directory) / f"floor-{table}.copy" for table in tables}
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for table, path in files.items():
            copy_out(raw, table, path)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # nothing pending before TRUNCATE
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        # The import's own drop-and-rebuild of secondary indexes and foreign keys, so the
        # floor builds exactly what a large import builds.
        with indexes_rebuilt(tables, incoming=float("inf")):
            started = time.perf_counter()
            for table, path in files.items():
                copy_in(raw, table, path)
            copied = time.perf_counter()
        done = time.perf_counter()
    for path in files.values():
        path.unlink(missing_ok=True)
    return {"copy": copied - started, "indexes": done - copied, "total": done - started}


def copy_out(raw, source: str, path) -> None:
    """``COPY`` a table, or a ``(SELECT …)``, to a file in text format (a floor's input)."""
    with raw.copy(f"COPY {source} TO STDOUT") as copy, open(path, "wb") as out:
        for data in copy:
            out.write(data)


def copy_in(raw, table: str, path) -> None:
    """``COPY`` a file that ``copy_out`` wrote into ``table``."""
    with raw.copy(f"COPY {table} FROM STDIN") as copy, open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            copy.write(chunk)
