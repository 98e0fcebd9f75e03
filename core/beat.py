"""Periodic tasks created by data migrations (django-celery-beat), editable in the admin afterwards.

Idempotent, so running a migration on a database that has the task changes nothing."""

from django.utils import timezone


def interval_task_ensure(apps, *, name: str, task: str, every: int, period: str, description: str) -> None:
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    # IntervalSchedule has no unique constraint, so reuse any equal row instead of get_or_create.
    interval = IntervalSchedule.objects.filter(every=every, period=period).order_by("pk").first()
    if interval is None:
        interval = IntervalSchedule.objects.create(every=every, period=period)
    _, created = PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "interval": interval, "description": description}
    )
    if created:
        # Tell a running beat that its schedule changed (signals do not fire in migrations).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def periodic_task_remove(apps, *, name: str) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()
