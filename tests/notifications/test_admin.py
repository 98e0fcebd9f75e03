"""The outbox in the admin: read-only messages, filter and search, and "resend failed messages"."""

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_assign
from notifications.models import SmsMessage
from requests_app.services.notify import request_sms_enqueue
from tests.accounts.factories import UserFactory
from tests.notifications.factories import SmsMessageFactory, SmsOptOutFactory
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory()
    role_assign(user=user, role=Role.ADMINISTRATOR)
    client.force_login(user)
    return client


def test_failed_messages_are_resent_and_others_left(admin_client):
    failed = SmsMessageFactory(status="failed", attempts=6, last_error="HTTP 500")
    sent = SmsMessageFactory(status="sent", attempts=1)
    response = admin_client.post(
        reverse("admin:notifications_smsmessage_changelist"),
        {"action": "resend_failed", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == ("failed", 6)  # kept on record as it ended
    [copy] = failed.resends.all()  # sent again as a new message under a new reference
    assert (copy.status, copy.attempts, copy.body) == ("pending", 0, failed.body)
    assert copy.reference != failed.reference
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert not sent.resends.exists()
    assert len(list(response.context["messages"])) == 2


def test_the_list_filters_by_status_and_finds_by_receipt_or_phone(admin_client, org, service, clerk):
    request = submit(service, org.bnh, clerk, mobile="01055554444")
    with transaction.atomic():  # the message of a real request event: its reference names the receipt
        request_sms_enqueue(request, "ready_for_pickup", "1")
    request.sms_messages.filter(event="ready_for_pickup").update(status="failed")
    SmsMessageFactory(phone="+201099990000")
    url = reverse("admin:notifications_smsmessage_changelist")
    by_receipt = admin_client.get(url, {"q": request.receipt_number})
    assert "+201055554444" in by_receipt.content.decode()
    assert "+201099990000" not in by_receipt.content.decode()
    by_phone = admin_client.get(url, {"q": "+201099990000"})
    assert [m.phone for m in by_phone.context["cl"].result_list] == ["+201099990000"]
    failed = admin_client.get(url, {"status__exact": "failed"})
    assert [m.phone for m in failed.context["cl"].result_list] == ["+201055554444"]


def test_messages_are_read_only(admin_client):
    message = SmsMessageFactory()
    url = reverse("admin:notifications_smsmessage_change", args=[message.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"phone": "+201000000001", "status": "sent"})
    message.refresh_from_db()
    assert message.status == "pending"
    assert admin_client.get(reverse("admin:notifications_smsmessage_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:notifications_smsmessage_delete", args=[message.pk])).status_code
        == 403
    )
    assert SmsMessage.objects.filter(pk=message.pk).exists()


def test_opt_outs_are_listed_and_checked(admin_client):
    SmsOptOutFactory(phone="+201012340000")
    url = reverse("admin:notifications_smsoptout_changelist")
    assert "+201012340000" in admin_client.get(url).content.decode()
    response = admin_client.post(reverse("admin:notifications_smsoptout_add"), {"phone": "01012345678"})
    assert response.status_code == 200
    assert "phone" in response.context["adminform"].form.errors
