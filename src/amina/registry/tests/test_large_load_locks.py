"""A large registry load drops and rebuilds its indexes and the keys between its own
tables, and locks nothing else. Dropping a foreign key locks the table it points to as
well; the users, governorates and locations the household's keys point to are read by
every page, so a national import would have stopped the whole site until it ended."""

import pytest
from django.db import connection

from amina.lib.bulk import indexes_rebuilt

TABLES = ["registry_household", "registry_member"]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="indexes are rebuilt on PostgreSQL only"
    ),
]


def foreign_keys() -> set[tuple[str, str]]:
    """The loaded tables' foreign keys: (name, the table it points to)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [TABLES],
        )
        return set(cursor.fetchall())


def tables_locked_exclusively() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = pg_backend_pid() AND l.mode = 'AccessExclusiveLock' "
            "AND c.relkind = 'r'"
        )
        return {name for (name,) in cursor.fetchall()}


def test_a_large_load_locks_only_the_tables_it_loads():
    before = foreign_keys()
    assert {"accounts_user", "geo_governorate", "geo_location"} <= {t for _, t in before}
    with indexes_rebuilt(TABLES, incoming=10**9) as rebuilt:
        assert rebuilt
        during = foreign_keys()
        locked = tables_locked_exclusively()
    # The keys between the loaded tables were dropped (and checked in one pass after) …
    assert {t for _, t in before - during} == {"registry_household"}
    # … the others stayed, so nothing outside the registry was locked.
    assert locked <= set(TABLES)
    assert foreign_keys() == before
