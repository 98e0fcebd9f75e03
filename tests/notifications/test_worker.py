"""End to end with real Celery worker processes and Redis: the message committed by sms_enqueue is
picked up by a worker (nudged after commit) and sent to the fake gateway in this process; a worker
killed between the gateway's answer and its commit leads to exactly one resend under the same
reference; a message that kills every worker ends failed after SMS_MAX_ATTEMPTS."""

import subprocess

import pytest
from django.db import transaction

from notifications.models import SmsMessage
from notifications.tasks import deliver_pending
from requests_app.services.notify import request_sms_enqueue
from tests.notifications.factories import SmsTemplateFactory, make_in_doubt
from tests.requests_app.factories import submit
from tests.worker import wait_for, worker_process


def celery_worker(gateway, tmp_path, **environment):
    """A worker with the HTTP backend pointed at the fake gateway (see tests.worker); ``environment``
    overrides any of these."""
    settings_for_the_gateway = {
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
        "SMS_BACKEND": "notifications.backends.HttpGatewayBackend",
        "SMS_GATEWAY_URL": gateway.url,
        "SMS_GATEWAY_USERNAME": gateway.credentials[0],
        "SMS_GATEWAY_PASSWORD": gateway.credentials[1],
        "SMS_GATEWAY_TIMEOUT": "5",
    }
    return worker_process(tmp_path, name="sms-test", **{**settings_for_the_gateway, **environment})


def wait_for_status(message: SmsMessage, status: str, worker, log, *, seconds: float) -> None:
    wait_for(
        lambda: SmsMessage.objects.get(pk=message.pk).status == status,
        seconds=seconds,
        worker=worker,
        log=log,
    )


def wait_for_exit(worker: subprocess.Popen, log, seconds: float = 30) -> int:
    try:
        return worker.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker did not die; its log:\n{log.read_text()}")


def enqueue_ready(org, service, clerk, occurrence: str) -> SmsMessage:
    """The one message in the outbox (the receipt's own SMS is left out, to follow one message)."""
    with transaction.atomic():
        request = submit(service, org.bnh, clerk)
        request.sms_messages.all().delete()
        return request_sms_enqueue(request, "ready_for_pickup", occurrence)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_the_committed_message(org, service, clerk, gateway, tmp_path):
    SmsTemplateFactory(event="ready_for_pickup")  # the migration's row, unless a flush removed it
    with celery_worker(gateway, tmp_path) as (worker, log):
        message = enqueue_ready(org, service, clerk, "worker")  # the commit nudges the worker
        reference = message.reference

        wait_for(lambda: gateway.answered_ok[reference] == 1, seconds=30, worker=worker, log=log)
        wait_for_status(message, SmsMessage.Status.SENT, worker, log, seconds=10)
        message.refresh_from_db()
        assert message.provider_message_id == gateway.ids[reference]
        assert message.subject.receipt_number in message.body
        assert gateway.posts_for(reference) == 1
        assert "notifications.tasks.deliver_pending" in log.read_text()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_after_the_gateway_answered_leads_to_one_resend_under_the_same_reference(
    org, service, clerk, gateway, tmp_path
):
    SmsTemplateFactory(event="ready_for_pickup")
    with celery_worker(gateway, tmp_path, SMS_BACKEND="tests.notifications.crash.SendThenDieBackend") as (
        worker,
        log,
    ):
        message = enqueue_ready(org, service, clerk, "crash")
        assert wait_for_exit(worker, log) == -9  # killed between the gateway's 200 and the commit
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sending", 1)  # the attempt counted before the call
    assert gateway.answered_ok[message.reference] == 1

    make_in_doubt()  # the in-doubt window passes
    with celery_worker(gateway, tmp_path) as (worker, log):
        deliver_pending.delay()  # the catch-up
        wait_for_status(message, SmsMessage.Status.SENT, worker, log, seconds=30)
    message.refresh_from_db()
    assert message.attempts == 2
    assert gateway.posts_for(message.reference) == 2  # exactly one resend, under the same reference
    assert gateway.on_air[message.reference] == 1  # which the de-duplicating gateway dropped
    assert message.provider_message_id == gateway.ids[message.reference]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_that_kills_every_worker_ends_failed_after_the_last_attempt(
    org, service, clerk, gateway, tmp_path
):
    SmsTemplateFactory(event="ready_for_pickup")
    poison = {"SMS_BACKEND": "tests.notifications.crash.DieBackend", "SMS_MAX_ATTEMPTS": "2"}
    message = enqueue_ready(org, service, clerk, "poison")  # no worker listens yet
    for attempt in (1, 2):
        with celery_worker(gateway, tmp_path, **poison) as (worker, log):
            deliver_pending.delay()
            assert wait_for_exit(worker, log) == -9
        assert SmsMessage.objects.get(pk=message.pk).attempts == attempt
        make_in_doubt()
    with celery_worker(gateway, tmp_path, **poison) as (worker, log):
        deliver_pending.delay()
        wait_for_status(message, SmsMessage.Status.FAILED, worker, log, seconds=30)
    message.refresh_from_db()
    assert message.attempts == 2 and "in doubt" in message.last_error
    assert gateway.posts == []
