"""Indexes for the household search (``amina.registry.queries.search``).

An Arabic search token may be any of the four name parts, so each part needs an index
of its own (``key_first`` already leads two): the three below are plain B-trees, useful
on SQLite too. A Latin token must start a word of ``key_latin``; on PostgreSQL a trigram
GIN index (extension ``pg_trgm``, part of PostgreSQL's standard contrib modules and a
trusted extension since PostgreSQL 13, so the database owner may create it) answers
that, as a regular expression, in one index scan. SQLite has no equivalent and keeps
reading the table for Latin names: that operation does nothing there. The B-tree on
``key_latin`` goes: no query compares it by equality or range any more, and every index
costs a national import time.
"""

from django.db import migrations, models

TRIGRAM_INDEX = "member_latin_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            raise RuntimeError(
                "PostgreSQL extension pg_trgm is not available on this server: install "
                "PostgreSQL's contrib modules (the Latin-name search index needs it)"
            )
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON registry_member "
        "USING gin (key_latin gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    # The extension stays: other database objects may use it by now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["key_father"], name="member_father"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["key_grandfather"], name="member_grandfather"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["key_family"], name="member_family"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
        # Nothing reads key_latin by equality or range: the B-tree only cost imports.
        migrations.RemoveIndex(model_name="member", name="member_latin"),
    ]
