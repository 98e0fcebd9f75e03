"""The deadline sweep runs every five minutes."""

from django.db import migrations

from core.beat import interval_task_ensure, periodic_task_remove

TASK_NAME = "deadline-sweep"


def create_schedule(apps, schema_editor):
    interval_task_ensure(
        apps,
        name=TASK_NAME,
        task="deadlines.sweep",
        every=5,
        period="minutes",
        description="Deadlines of all tracked work: at risk, overdue, escalation ladder",
    )


def remove_schedule(apps, schema_editor):
    periodic_task_remove(apps, name=TASK_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
