from celery import shared_task

from deadlines.sweep import deadline_sweep


@shared_task(name="deadlines.sweep", ignore_result=True)
def sweep_deadlines() -> None:
    deadline_sweep()
