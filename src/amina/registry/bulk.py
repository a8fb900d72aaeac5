"""Writing many households at once: the one function with a PostgreSQL fast path.

On PostgreSQL the rows go through ``COPY`` (psycopg 3 ``cursor.copy``) into temporary
staging tables, then one ``INSERT … SELECT`` each into the real tables, so the
database checks every constraint and members find their household by
``household_ref`` without a round trip per row. Elsewhere (SQLite, the embedded mode,
or ``AMINA_NO_COPY=1``: ``amina.lib.bulk.use_copy``) ``bulk_create`` does the same in
batches. Both run inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_noop

from amina.lib.bulk import copy_rows, indexes_rebuilt, use_copy
from amina.registry.models import Household, Member

BATCH = 5000


def _columns(model, skip=("id",)) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


def _value(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write(
    households: list[dict],
    members: list[dict],
    progress: Callable[[int, int | None, str], None] | None = None,
) -> tuple[int, int]:
    """Insert households (dicts keyed by column name) and members (the same, with
    ``household_ref`` instead of ``household_id``). Returns (households, members)."""
    progress = progress or (lambda *a: None)
    now = timezone.now()
    for row in households:
        row.setdefault("registered_at", now)
    if use_copy():
        return _write_copy(households, members, progress)
    return _write_orm(households, members, progress)


def _write_copy(households, members, progress) -> tuple[int, int]:
    h_cols = _columns(Household)
    m_cols = _columns(Member)
    m_stage_cols = ["household_ref", *[c for c in m_cols if c != "household_id"]]
    total = len(households) + len(members)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE stage_household ON COMMIT DROP AS "  # noqa: S608 (fixed names)
            f"SELECT {', '.join(h_cols)} FROM registry_household WITH NO DATA"
        )
        cursor.execute(
            "CREATE TEMP TABLE stage_member ON COMMIT DROP AS SELECT "  # noqa: S608
            "h.household_ref, "
            + ", ".join(f"m.{c}" for c in m_cols if c != "household_id")
            + " FROM registry_member m JOIN registry_household h ON h.id = m.household_id "
            "WITH NO DATA"
        )
        done = copy_rows(
            cursor,
            "stage_household",
            h_cols,
            ([_value(row.get(c)) for c in h_cols] for row in households),
            progress=lambda n: progress(n, total, gettext_noop("copying households")),
        )
        done += copy_rows(
            cursor,
            "stage_member",
            m_stage_cols,
            ([_value(row.get(c)) for c in m_stage_cols] for row in members),
            progress=lambda n: progress(done + n, total, gettext_noop("copying members")),
        )
        progress(done, total, gettext_noop("inserting"))
        with indexes_rebuilt(["registry_household", "registry_member"], total):
            cursor.execute(
                f"INSERT INTO registry_household ({', '.join(h_cols)}) "  # noqa: S608
                f"SELECT {', '.join(h_cols)} FROM stage_household"
            )
            n_households = cursor.rowcount
            cursor.execute(
                f"INSERT INTO registry_member ({', '.join(m_cols)}) SELECT "  # noqa: S608
                + ", ".join("h.id" if c == "household_id" else f"s.{c}" for c in m_cols)
                + " FROM stage_member s JOIN registry_household h USING (household_ref)"
            )
            n_members = cursor.rowcount
        cursor.execute("DROP TABLE stage_household; DROP TABLE stage_member")
    return n_households, n_members


def _write_orm(households, members, progress) -> tuple[int, int]:
    fields = {f.column: f.attname for f in Household._meta.concrete_fields}
    total = len(households) + len(members)
    ids: dict[str, int] = {}
    done = 0
    for start in range(0, len(households), BATCH):
        chunk = households[start : start + BATCH]
        objs = Household.objects.bulk_create(
            [Household(**{fields[k]: v for k, v in row.items() if k in fields}) for row in chunk]
        )
        ids.update({h.household_ref: h.pk for h in objs})
        done += len(chunk)
        progress(done, total, gettext_noop("households"))
    m_fields = {f.column: f.attname for f in Member._meta.concrete_fields}
    for start in range(0, len(members), BATCH):
        chunk = members[start : start + BATCH]
        objs = []
        for row in chunk:
            values = {m_fields[k]: v for k, v in row.items() if k in m_fields}
            values["household_id"] = ids[row["household_ref"]]
            objs.append(Member(**values))
        Member.objects.bulk_create(objs)
        done += len(chunk)
        progress(done, total, gettext_noop("members"))
    return len(households), len(members)
