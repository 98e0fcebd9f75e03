"""Request history rows are chained by hash, and PostgreSQL refuses UPDATE and DELETE on them.
(The demo's embedded SQLite has no such trigger; the chain still shows any edit there.)"""

from django.db import migrations, models

from requests_app.history_chain import chained_hash

REFUSE_CHANGES = """
CREATE OR REPLACE FUNCTION requests_app_history_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'request history rows cannot be changed or deleted'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER requests_app_history_append_only
    BEFORE UPDATE OR DELETE ON requests_app_requestevent
    FOR EACH ROW EXECUTE FUNCTION requests_app_history_is_append_only();
"""
ALLOW_CHANGES = """
DROP TRIGGER IF EXISTS requests_app_history_append_only ON requests_app_requestevent;
DROP FUNCTION IF EXISTS requests_app_history_is_append_only();
"""


def chain_existing(apps, schema_editor):
    RequestEvent = apps.get_model("requests_app", "RequestEvent")
    request_id, previous = None, ""
    for event in RequestEvent.objects.order_by("request_id", "pk").iterator():
        if event.request_id != request_id:
            request_id, previous = event.request_id, ""
        previous = chained_hash(previous, event)
        RequestEvent.objects.filter(pk=event.pk).update(chain_hash=previous)


def refuse_changes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_CHANGES)


def allow_changes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_CHANGES)


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0004_contact_snapshot")]

    operations = [
        migrations.AddField(
            model_name="requestevent",
            name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(refuse_changes, allow_changes),
    ]
