"""Celery tasks of the outbox. ``deliver_pending`` is both the nudge sent after each new message and
the periodic catch-up (django-celery-beat "sms-catch-up"), so a message whose nudge was lost still goes."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from notifications.services import DELIVERY_BATCH, sms_deliver_pending

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def deliver_pending() -> int:
    tried = sms_deliver_pending(limit=DELIVERY_BATCH)
    if tried >= DELIVERY_BATCH:
        schedule_delivery()  # a backlog: keep draining rather than wait for the next catch-up
    return tried


def schedule_delivery() -> None:
    """Ask a worker for a delivery pass. The message is already committed, so a broker that is down
    must not fail the citizen's request: the catch-up task will deliver it."""
    try:
        deliver_pending.delay()
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning(
            "SMS delivery not scheduled, the broker is unavailable (%s); the catch-up will send it", exc
        )
