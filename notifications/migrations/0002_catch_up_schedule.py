"""Every minute, beat runs a delivery pass: it sends what a lost nudge (broker down at the event) or a
retry back-off left waiting. Idempotent, so running it on a database that has the task changes nothing."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "sms-catch-up"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    # IntervalSchedule has no unique constraint, so reuse any equal row instead of get_or_create.
    every_minute = IntervalSchedule.objects.filter(every=1, period="minutes").order_by("pk").first()
    if every_minute is None:
        every_minute = IntervalSchedule.objects.create(every=1, period="minutes")
    _, created = PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "notifications.tasks.deliver_pending",
            "interval": every_minute,
            "description": "Send SMS messages that are due (retries, and those whose nudge was lost).",
        },
    )
    if created:
        # Tell a running beat that its schedule changed (signals do not fire in migrations).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
