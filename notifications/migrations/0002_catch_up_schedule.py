"""Every minute, beat runs a delivery pass: it sends what a lost nudge (broker down at the event) or a
retry back-off left waiting."""

from django.db import migrations

from core.beat import interval_task_ensure, periodic_task_remove

TASK_NAME = "sms-catch-up"


def create_schedule(apps, schema_editor):
    interval_task_ensure(
        apps,
        name=TASK_NAME,
        task="notifications.tasks.deliver_pending",
        every=1,
        period="minutes",
        description="Send SMS messages that are due (retries, and those whose nudge was lost).",
    )


def remove_schedule(apps, schema_editor):
    periodic_task_remove(apps, name=TASK_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
