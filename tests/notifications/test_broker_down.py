"""The broker is down when an event commits: the event and its message are kept, nothing reaches the
caller, and the catch-up pass sends the message — once — when things are back."""

import logging
from contextlib import contextmanager

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from notifications import backends
from notifications.models import SmsMessage
from notifications.tasks import deliver_pending
from requests_app.services.notify import request_sms_enqueue
from tests.notifications.factories import SmsTemplateFactory
from tests.requests_app.factories import submit

CLOSED_PORT = "redis://127.0.0.1:1/0"


@contextmanager
def broker_at(url, monkeypatch):
    """Point this process's Celery app at ``url``. Celery reads CELERY_BROKER_URL from the environment
    before its own configuration and keeps its connection pools, so both are changed and reset."""

    def reset_pools():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    with monkeypatch.context() as patch:
        patch.setenv("CELERY_BROKER_URL", url)
        patch.setattr(celery_app.conf, "broker_url", url)
        reset_pools()
        try:
            yield
        finally:
            reset_pools()
    reset_pools()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_outage_at_the_event_loses_nothing(org, service, clerk, monkeypatch, caplog):
    SmsTemplateFactory(event="receipt_issued")
    SmsTemplateFactory(event="ready_for_pickup")

    with broker_at(CLOSED_PORT, monkeypatch):
        with pytest.raises(OperationalError):
            deliver_pending.delay()  # the broker really is out of reach
        with caplog.at_level(logging.WARNING, logger="notifications.tasks"), transaction.atomic():
            request = submit(service, org.bnh, clerk)
            message = request_sms_enqueue(
                request,
                "ready_for_pickup",
                "outage",
            )
        # Reaching this line means the commit, and the failed nudge after it, raised nothing.

    assert "the broker is unavailable" in caplog.text
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert backends.outbox == []

    assert deliver_pending() == SmsMessage.objects.count()  # the periodic catch-up, broker back
    assert deliver_pending() == 0
    references = [sent["reference"] for sent in backends.outbox]
    assert references.count(message.reference) == 1
    assert len(references) == len(set(references))
    assert set(SmsMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_the_nudge_tries_a_down_broker_once_without_a_retry_loop(monkeypatch, caplog):
    """A clerk's commit waits for this nudge: one connection attempt, then the catch-up's turn."""
    import redis.connection

    from notifications.tasks import schedule_delivery

    attempts = []
    connect = redis.connection.AbstractConnection.connect

    def counting_connect(self):
        attempts.append(self.port)
        return connect(self)

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", counting_connect)
    with broker_at(CLOSED_PORT, monkeypatch), caplog.at_level(logging.WARNING, logger="notifications.tasks"):
        schedule_delivery()
    assert attempts == [1]
    assert "the broker is unavailable" in caplog.text
