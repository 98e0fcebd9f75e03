"""Tables whose rows are never changed or deleted (histories): PostgreSQL refuses UPDATE and DELETE on
them with a trigger, added by a migration. (The demo's embedded SQLite has no such trigger.)"""

from django.db import migrations


def _refuse(table: str, name: str, message: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}_is_append_only();
"""


def _allow(table: str, name: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {name}_append_only ON {table};
DROP FUNCTION IF EXISTS {name}_is_append_only();
"""


def append_only(*, table: str, name: str, message: str) -> migrations.RunPython:
    """The migration operation that makes ``table`` append-only (reversible)."""

    def refuse(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_refuse(table, name, message))

    def allow(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_allow(table, name))

    return migrations.RunPython(refuse, allow)
