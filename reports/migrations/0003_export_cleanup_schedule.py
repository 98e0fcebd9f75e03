"""Expired exports are deleted every hour."""

from django.db import migrations

from core.beat import interval_task_ensure, periodic_task_remove

TASK_NAME = "reports-exports-cleanup"


def create_schedule(apps, schema_editor):
    interval_task_ensure(
        apps,
        name=TASK_NAME,
        task="reports.exports_cleanup",
        every=1,
        period="hours",
        description="Delete the export files (and their jobs) past their expiry",
    )


def remove_schedule(apps, schema_editor):
    periodic_task_remove(apps, name=TASK_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_exportjob"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
