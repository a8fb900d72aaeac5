"""Bulk inserts for imports: PostgreSQL's COPY behind one function, bulk_create elsewhere.

COPY is several times faster than multi-row INSERT for the hundreds of thousands of
breakdown rows of a national master list; everything else (SQLite, other databases)
uses Django's ``bulk_create``, so both paths write the same rows.
"""

from __future__ import annotations

import os

from django.db import connection


def use_copy() -> bool:
    return connection.vendor == "postgresql" and os.environ.get("AMINA_NO_COPY") != "1"


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
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = value
    fields = [f for f in meta.concrete_fields if need_ids or f is not pk]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(sql) as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
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
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if use_copy():
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # Table and columns come from the model's metadata, quoted; values are parameters.
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
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
