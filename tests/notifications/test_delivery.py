"""Delivery through the HTTP backend against a fake gateway in this process: outages, timeouts and
refusals end with every message delivered exactly once, or failed with its reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from notifications.models import SmsMessage
from notifications.services import sms_reference, sms_resend
from notifications.tasks import deliver_pending
from tests.notifications.factories import SmsMessageFactory, make_due
from tests.notifications.gateway import FAIL, HANG, OK, REFUSE

pytestmark = pytest.mark.django_db


def db_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")  # what Now() reads on PostgreSQL
        return cursor.fetchone()[0]


def states(messages):
    return [
        (m.status, m.attempts)
        for m in SmsMessage.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk")
    ]


def test_outage_then_lost_answers_then_recovery_deliver_each_message_once(gateway):
    messages = SmsMessageFactory.create_batch(5)
    references = [m.reference for m in messages]

    gateway.mode = FAIL
    assert deliver_pending() == 5
    assert states(messages) == [("pending", 1)] * 5
    assert all("HTTP 500" in m.last_error for m in SmsMessage.objects.all())
    assert deliver_pending() == 0  # backing off: nothing is due yet
    assert len(gateway.posts) == 5

    make_due()
    gateway.mode = HANG  # the gateway takes each message but answers after the client gave up
    assert deliver_pending() == 5
    assert states(messages) == [("pending", 2)] * 5
    assert all("timeout" in m.last_error for m in SmsMessage.objects.all())

    make_due()
    gateway.mode = OK
    assert deliver_pending() == 5
    for message in SmsMessage.objects.all():
        assert (message.status, message.attempts) == ("sent", 3)
        assert message.provider_message_id == gateway.ids[message.reference]
        assert message.sent_at is not None

    make_due()
    assert deliver_pending() == 0
    assert [gateway.posts_for(reference) for reference in references] == [3] * 5
    # Each retry carried the same reference, so the gateway put each message on the air once; and no
    # message was posted again after the gateway had answered it.
    assert [gateway.on_air[reference] for reference in references] == [1] * 5
    assert [gateway.answered_ok[reference] for reference in references] == [1] * 5


def test_the_gateway_gets_number_sender_text_and_reference(gateway, settings):
    settings.SMS_SENDER_NAME = "CSC-QLB"
    message = SmsMessageFactory(phone="+201011112222", body="طلبكم جاهز")
    deliver_pending()
    assert gateway.posts == [
        {"to": "+201011112222", "from": "CSC-QLB", "text": "طلبكم جاهز", "reference": message.reference}
    ]


def test_a_refused_message_fails_at_once_with_the_reason(gateway):
    message = SmsMessageFactory()
    gateway.mode = REFUSE
    assert deliver_pending() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert "HTTP 400" in message.last_error and "invalid destination" in message.last_error
    make_due()
    assert deliver_pending() == 0
    assert len(gateway.posts) == 1


def test_retries_back_off_exponentially_and_stop_at_the_limit(gateway, settings):
    settings.SMS_MAX_ATTEMPTS = 3
    message = SmsMessageFactory()
    gateway.mode = FAIL
    for attempt, wait in [(1, 30), (2, 60)]:
        before = db_now()
        assert deliver_pending() == 1
        after = db_now()
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("pending", attempt)
        assert before + timedelta(seconds=wait) <= message.next_attempt_at <= after + timedelta(seconds=wait)
        make_due()
    assert deliver_pending() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert "HTTP 500" in message.last_error
    make_due()
    assert deliver_pending() == 0
    assert len(gateway.posts) == 3


def test_an_unreachable_gateway_is_retried(gateway, settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/messages"
    message = SmsMessageFactory()
    assert deliver_pending() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "unreachable" in message.last_error


def test_wrong_credentials_are_a_permanent_failure(gateway, settings):
    settings.SMS_GATEWAY_PASSWORD = "wrong"
    message = SmsMessageFactory()
    deliver_pending()
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", 'HTTP 401: {"error": "bad credentials"}')


def test_a_failed_message_is_sent_again_under_a_new_reference_linked_to_the_first(gateway):
    message = SmsMessageFactory()
    gateway.mode = REFUSE
    deliver_pending()
    gateway.mode = OK
    copy = sms_resend(message_id=message.pk)
    assert (copy.status, copy.attempts, copy.resend_of) == ("pending", 0, message)
    assert (copy.phone, copy.body, copy.event) == (message.phone, message.body, message.event)
    assert copy.reference == f"{message.reference}:resend-1"
    assert deliver_pending() == 1
    copy.refresh_from_db()
    message.refresh_from_db()
    assert (copy.status, copy.attempts) == ("sent", 1)
    assert message.status == "failed"  # the first stays on record as it ended
    # A gateway that de-duplicates by reference would have dropped the old one: the copy went on air.
    assert gateway.on_air[copy.reference] == 1
    with pytest.raises(ValidationError):
        sms_resend(message_id=copy.pk)  # not failed
    with pytest.raises(ValidationError):
        sms_resend(message_id=message.pk)  # already sent again: resend the newest copy


def test_references_carry_the_installation_id(settings):
    settings.INSTALLATION_ID = "QLB"
    assert sms_reference("receipt_issued:BNH-2026-000001:7") == "QLB:receipt_issued:BNH-2026-000001:7"


def test_messages_go_in_order_of_due_time(gateway):
    late, early = SmsMessageFactory(), SmsMessageFactory()
    SmsMessage.objects.filter(pk=late.pk).update(next_attempt_at=db_now() - timedelta(minutes=1))
    SmsMessage.objects.filter(pk=early.pk).update(next_attempt_at=db_now() - timedelta(minutes=5))
    deliver_pending()
    assert [post["reference"] for post in gateway.posts] == [early.reference, late.reference]
