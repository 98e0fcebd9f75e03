"""sms_enqueue writes the message in the caller's transaction: rendered in Arabic, counted in parts,
never twice for one occurrence, never for an opted-out phone unless essential, gone on rollback."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from notifications.models import SmsMessage, SmsTemplate
from notifications.services import sms_enqueue
from requests_app.services.notify import request_sms_values
from tests.notifications.factories import SmsOptOutFactory, SmsTemplateFactory
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db
PHONE = "+201012345678"


@pytest.fixture
def request_(service, org, clerk, settings):
    settings.PUBLIC_BASE_URL = "https://csc.example.gov.eg"
    return submit(service, org.bnh, clerk)


def enqueue(request, event="receipt_issued", key="k1", phone=PHONE, **context):
    return sms_enqueue(
        event=event,
        phone=phone,
        context={**request_sms_values(request), **context},
        idempotency_key=f"{event}:{request.pk}:{key}",
        subject=request,
    )


def test_the_message_is_rendered_in_arabic_and_counted(request_):
    message = enqueue(request_)
    assert message.idempotency_key == f"receipt_issued:{request_.pk}:k1"
    assert message.body == (
        f"استلمنا طلبكم {request_.receipt_number} بمركز بنها: "
        f"https://csc.example.gov.eg/t/{request_.tracking_token}/"
    )
    assert (message.encoding, message.status, message.attempts) == ("ucs2", "pending", 0)
    assert message.parts == -(-len(message.body) // 67)
    assert message.parts == 2
    assert (message.subject, message.phone, message.event) == (request_, PHONE, "receipt_issued")


def test_the_caller_supplies_the_event_fields(request_):
    message = enqueue(request_, "documents_requested", documents="صورة عقد الإيجار")
    assert "لحين تقديم: صورة عقد الإيجار. قدموها بمركز بنها." in message.body
    SmsTemplate.objects.filter(event="overdue_apology").update(
        body_ar="موعد طلبكم {receipt} الجديد {due_date}"
    )
    late = enqueue(request_, "overdue_apology", due_date="01/03/2026")
    assert late.body == f"موعد طلبكم {request_.receipt_number} الجديد 01/03/2026"


def test_a_short_latin_text_is_one_gsm7_part(request_):
    SmsTemplate.objects.filter(event="delivered").update(body_ar="Request {receipt} delivered.")
    message = enqueue(request_, "delivered")
    assert (message.encoding, message.parts) == ("gsm7", 1)


def test_the_same_occurrence_is_queued_once(request_):
    first = enqueue(request_, key="event-41")
    again = enqueue(request_, key="event-41")
    other = enqueue(request_, key="event-42")
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert (
        SmsMessage.objects.filter(idempotency_key__startswith=f"receipt_issued:{request_.pk}:event-4").count()
        == 2
    )


def test_opted_out_phones_get_essential_messages_only(request_):
    SmsOptOutFactory(phone=PHONE)
    assert enqueue(request_, "receipt_issued") is None
    assert enqueue(request_, "ready_for_pickup") is None
    assert enqueue(request_, "documents_requested", documents="الرسم الهندسي") is not None
    assert enqueue(request_, "rejected", reason="مخالفة خط التنظيم") is not None
    assert set(
        SmsMessage.objects.filter(idempotency_key__endswith=":k1").values_list("event", flat=True)
    ) == {
        "documents_requested",
        "rejected",
    }
    assert enqueue(request_, "receipt_issued", phone="+201099999999") is not None


def test_a_missing_or_inactive_template_queues_nothing_and_says_so(request_, caplog):
    SmsTemplate.objects.filter(event="ready_for_pickup").update(is_active=False)
    SmsTemplate.objects.filter(event="delivered").delete()
    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        assert enqueue(request_, "ready_for_pickup") is None
        assert enqueue(request_, "delivered") is None
    assert "No active SMS template for ready_for_pickup" in caplog.text
    assert "No active SMS template for delivered" in caplog.text
    assert not SmsMessage.objects.filter(idempotency_key__endswith=":k1").exists()


def test_a_rolled_back_event_leaves_no_message(request_):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(request_, key="doomed")
        raise RuntimeError("the event failed after the SMS was queued")
    assert not SmsMessage.objects.filter(idempotency_key__endswith=":doomed").exists()


def test_delivery_is_scheduled_only_after_commit(request_, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue(request_, key="scheduled")
    assert [callback.__name__ for callback in callbacks] == ["_schedule_delivery"]


def test_caller_mistakes_are_refused(request_):
    with pytest.raises(ValueError, match="reson"):
        enqueue(request_, "rejected", reson="typo")
    with pytest.raises(ValueError, match="undeclared_event"):
        enqueue(request_, "undeclared_event")
    with pytest.raises(ValidationError):
        enqueue(request_, phone="01012345678")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_refuses_to_run_outside_a_transaction(org, service, clerk):
    SmsTemplateFactory()
    request = submit(service, org.bnh, clerk)
    with pytest.raises(transaction.TransactionManagementError):
        enqueue(request)
    assert not SmsMessage.objects.filter(idempotency_key__endswith=":k1").exists()
