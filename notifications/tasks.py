"""Celery tasks of the outbox. ``deliver_pending`` is both the nudge sent after each new message and
the periodic catch-up (django-celery-beat "sms-catch-up"), so a message whose nudge was lost still goes."""

import logging

from celery import current_app, shared_task
from django.conf import settings
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
    # One short connection attempt and no retry loop, neither kombu's nor the publish's: a clerk's
    # request waits for this.
    options = {"max_retries": 0, "socket_connect_timeout": settings.CELERY_PUBLISH_CONNECT_TIMEOUT}
    try:
        with current_app.connection_for_write(transport_options=options) as connection:
            deliver_pending.apply_async(retry=False, connection=connection)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning(
            "SMS delivery not scheduled, the broker is unavailable (%s); the catch-up will send it", exc
        )
