"""The ledger refuses UPDATE (and, on PostgreSQL, DELETE) in the database itself.

A trigger stops any writer that bypasses the model — raw SQL, a bulk ``update()``, a
careless admin script. On SQLite only UPDATE is refused: Django's test-database flush
empties tables with DELETE there (PostgreSQL uses TRUNCATE, which row triggers ignore),
so the model's ``delete()`` is the guard against deletion on SQLite.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION supply_movement_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'stock movements are append-only: record a reversal';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER supply_movement_append_only BEFORE UPDATE OR DELETE ON supply_stockmovement
    FOR EACH ROW EXECUTE FUNCTION supply_movement_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS supply_movement_append_only ON supply_stockmovement;
DROP FUNCTION IF EXISTS supply_movement_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER supply_movement_append_only BEFORE UPDATE ON supply_stockmovement
BEGIN
    SELECT RAISE(ABORT, 'stock movements are append-only: record a reversal');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS supply_movement_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("supply", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
