"""The deadline sweep runs every few minutes (django-celery-beat; editable in the admin afterwards)."""

from django.db import migrations


def create_schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five, _ = interval_model.objects.get_or_create(every=5, period="minutes")
    task_model.objects.get_or_create(
        name="sla-sweep",
        defaults={"task": "requests_app.sla_sweep", "interval": every_five,
                  "description": "Deadlines: at risk, overdue, escalation ladder"},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="sla-sweep").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0002_sla"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
