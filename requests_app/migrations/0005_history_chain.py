"""Request history rows are chained by hash, and PostgreSQL refuses UPDATE and DELETE on them.
(The demo's embedded SQLite has no such trigger; the chain still shows any edit there.)"""

from django.db import migrations, models

from core.append_only import append_only
from requests_app.history_chain import chained_hash

def chain_existing(apps, schema_editor):
    RequestEvent = apps.get_model("requests_app", "RequestEvent")
    request_id, previous = None, ""
    for event in RequestEvent.objects.order_by("request_id", "pk").iterator():
        if event.request_id != request_id:
            request_id, previous = event.request_id, ""
        previous = chained_hash(previous, event)
        RequestEvent.objects.filter(pk=event.pk).update(chain_hash=previous)


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
        append_only(
            table="requests_app_requestevent",
            name="requests_app_history",
            message="request history rows cannot be changed or deleted",
        ),
    ]
