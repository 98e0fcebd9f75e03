from celery import shared_task

from requests_app.services.sla import sla_sweep


@shared_task(name="requests_app.sla_sweep", ignore_result=True)
def sweep_deadlines() -> None:
    sla_sweep()
