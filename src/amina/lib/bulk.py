"""Bulk writes for imports: PostgreSQL's COPY behind one function, plain INSERTs elsewhere.

COPY is several times faster than multi-row INSERT for the hundreds of thousands of
rows of a national master list or a registry; everything else (SQLite, other databases)
uses Django's ``bulk_create`` or ``executemany``, so both paths write the same rows.
Every COPY in Amina goes through ``copy_rows`` (rows) or ``copy_chunks`` (a CSV file as
it is), and a large load rebuilds its indexes with ``indexes_rebuilt``: one fast path,
shared by the registry and the displacement-tracking importers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

#: Rebuild the secondary indexes, rather than update them row by row, when an import
#: adds at least this share of the rows a table already has (measured on PostgreSQL 15:
#: a row costs about 4× more to index one at a time than in a rebuild).
REBUILD_SHARE = 1 / 3


def use_copy() -> bool:
    return connection.vendor == "postgresql" and os.environ.get("AMINA_NO_COPY") != "1"


def copy_rows(
    cursor,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    progress: Callable[[int], None] | None = None,
    every: int = 50_000,
) -> int:
    """COPY value rows into ``table`` (PostgreSQL only); returns how many were written.

    ``table`` and ``columns`` are Amina's own names (never user input); values must be
    database-ready. ``progress`` is called with the running count every ``every`` rows.
    """
    done = 0
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            done += 1
            if progress and done % every == 0:
                progress(done)
    return done


def copy_chunks(cursor, table: str, columns: Sequence[str], chunks: Iterable, options: str) -> None:
    """COPY a file's bytes as they are (``options``: e.g. ``FORMAT csv, DELIMITER ','``),
    so PostgreSQL, not Python, parses a large CSV."""
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN ({options})") as copy:
        for chunk in chunks:
            copy.write(chunk)


def bulk_insert(model, objs: list, *, need_ids: bool = False, batch_size: int = 2000) -> list:
    """Insert ``objs``; with ``need_ids`` their primary keys are set afterwards."""
    if not objs:
        return objs
    if not use_copy():
        model.objects.bulk_create(objs, batch_size=batch_size)
        return objs
    meta = model._meta
    pk = meta.pk
    if need_ids:
        for obj, value in zip(objs, allocate_ids(model, len(objs)) or [], strict=True):
            obj.pk = value
    fields = [f for f in meta.concrete_fields if need_ids or f is not pk]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    values = (
        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs
    )
    with connection.cursor() as cursor:
        copy_rows(cursor, connection.ops.quote_name(meta.db_table), columns, values)
    return objs


def insert_rows(model, fields: list[str], rows: list[tuple], *, batch_size: int = 5000) -> int:
    """Insert plain value tuples (no model instances: the cheapest path for breakdown rows).

    COPY on PostgreSQL, ``executemany`` elsewhere; values must already be database-ready
    (ints, strings, dates). Returns the number of rows.
    """
    if not rows:
        return 0
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    quoted = [connection.ops.quote_name(c) for c in columns]
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if use_copy():
            copy_rows(cursor, table, quoted, rows)
        else:
            # Table and columns come from the model's metadata, quoted; values are parameters.
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(quoted)}) VALUES ({marks})"  # noqa: S608
            for start in range(0, len(rows), batch_size):
                cursor.executemany(sql, rows[start : start + batch_size])
    return len(rows)


def allocate_ids(model, count: int) -> list[int] | None:
    """Primary keys for ``count`` new rows, or None where the database cannot promise them.

    PostgreSQL draws them from the sequence; SQLite takes the next ones after the current
    maximum, which is safe because Amina's SQLite transactions are IMMEDIATE (one writer).
    """
    if count == 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite" and connection.in_atomic_block:
            table = connection.ops.quote_name(meta.db_table)
            column = connection.ops.quote_name(meta.pk.column)
            cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")  # noqa: S608
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
    return None


@contextmanager
def indexes_rebuilt(tables: list[str], incoming: int) -> Iterator[bool]:
    """Around a large load on PostgreSQL: drop the tables' secondary indexes, and build
    them again at the end, inside the caller's transaction.

    Indexes that back a constraint (primary keys, ``household_ref``) stay, so every
    invariant is still checked on the way in; a unique index rebuilt at the end refuses
    a violation then, and the whole import rolls back. The price is an exclusive lock
    on the tables until the transaction ends: reads of the registry wait for a large
    import (a first national load, or one that grows the registry by a third or more).

    Foreign keys between the loaded tables are dropped and added again (one join checks
    them all); keys to any other table stay and check each row. Dropping a key locks the
    table it points to as well, and the users, governorates and locations it would lock
    are read by every page: a national import would stop the whole site until it ends.
    Yields whether the indexes were dropped.
    """
    if connection.vendor != "postgresql":
        yield False
        return
    with connection.cursor() as cursor:
        if incoming < _existing_rows(cursor, tables) * REBUILD_SHARE:
            yield False
            return
        definitions, keys = _secondary_indexes(cursor, tables), _keys_between(cursor, tables)
        # Nothing may be pending on the tables when their indexes are dropped or built.
        check_pending(cursor)
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    yield True
    with connection.cursor() as cursor:
        # The rows' checks of the keys that stayed must run before an index is built.
        check_pending(cursor)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in definitions:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _existing_rows(cursor, tables: list[str]) -> float:
    cursor.execute(
        "SELECT coalesce(sum(greatest(reltuples, 0)), 0) FROM pg_class "
        "WHERE relname = ANY(%s) AND relkind = 'r'",
        [tables],
    )
    return cursor.fetchone()[0]


def _secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    """Name and definition of each index that backs no constraint."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [tables],
    )
    return cursor.fetchall()


def _keys_between(cursor, tables: list[str]) -> list[tuple[str, str, str]]:
    """Table, name and definition of each foreign key from one loaded table to another:
    re-adding one checks every row in one join, where a row inserted under the key
    fires a check of its own."""
    cursor.execute(
        "WITH loaded AS (SELECT oid FROM pg_class WHERE relname = ANY(%s) "
        "AND relkind = 'r') "
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c WHERE c.contype = 'f' "
        "AND c.conrelid IN (SELECT oid FROM loaded) "
        "AND c.confrelid IN (SELECT oid FROM loaded)",
        [tables],
    )
    return cursor.fetchall()


def check_pending(cursor) -> None:
    """Run the deferred key checks queued so far, as a commit would (later ones stay
    deferred)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
