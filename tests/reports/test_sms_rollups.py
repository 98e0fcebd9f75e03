"""The SMS roll-up kept by the outbox's own changes (``reports.sms_rollups``): queued by the services,
sent by the delivery pass, settled by delivery reports, sent again — each change in its own
transaction, the rows always those a rebuild makes from the messages."""

import pytest

from accounts.models import Role
from notifications.models import SmsMessage
from notifications.services import _claim_next, sms_record_delivery_report, sms_resend
from notifications.tasks import deliver_pending
from reports.models import SmsDay, SmsMonth
from reports.rollups import rollup_snapshot
from reports.sms_rollups import sms_days_rebuild
from reports.spans import aggregates_rebuild
from requests_app.services.notify import request_sms_enqueue
from tests.accounts.factories import staff
from tests.complaints.conftest import conduct, lighting  # noqa: F401 — fixtures
from tests.complaints.factories import file
from tests.notifications.conftest import _locmem_sms  # noqa: F401 — an autouse fixture: the in-memory gateway
from tests.notifications.factories import SmsMessageFactory, make_in_doubt
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def rows(model):
    return sorted(
        (row.center.code, row.subject, row.confidential, row.queued, row.sent, row.parts, row.failed)
        for row in model.objects.all()
    )


def parts(queryset) -> int:
    return sum(message.parts for message in queryset)


def test_every_change_of_the_outbox_moves_the_roll_up_as_a_rebuild_counts_it(org, lighting, conduct):  # noqa: F811
    clerk = staff(Role.CLERK, center=org.bnh)
    request = submit(ServiceFactory(code="SHOP-CERT"), org.bnh, clerk)  # its receipt is queued
    with_occurrences = [request_sms_enqueue(request, "delivered", n) for n in (1, 2)]
    request_sms_enqueue(request, "delivered", 1)  # the same occurrence again: one message
    lighting_complaint = file(lighting, org.bnh)
    conduct_complaint = file(conduct, org.hlp, description="الموظف رفض استلام الطلب دون سبب")
    SmsMessageFactory(subject_type=None, subject_id=None)  # about nothing: no place counts it
    about_request = SmsMessage.objects.filter(subject_id=request.pk, subject_type__model="servicerequest")
    queued_now = rows(SmsDay)
    assert [row[:4] for row in queued_now] == [
        ("BNH", "complaints.complaint", False, 1),
        ("BNH", "requests_app.servicerequest", False, 3),
        ("HLP", "complaints.complaint", True, 1),
    ]
    assert all(row[4:] == (0, 0, 0) for row in queued_now)

    assert deliver_pending() == 6
    first, second = with_occurrences
    sms_record_delivery_report(
        provider_message_id=SmsMessage.objects.get(pk=first.pk).provider_message_id, status="delivered"
    )
    sms_record_delivery_report(
        provider_message_id=SmsMessage.objects.get(pk=second.pk).provider_message_id, status="failed"
    )
    copy = sms_resend(message_id=second.pk)  # a new message, queued on its own day
    sent = about_request.filter(status__in=("sent", "delivered"))
    complaint_parts = {
        center: parts(
            SmsMessage.objects.filter(subject_type__model="complaint", phone__isnull=False, subject_id=pk)
        )
        for center, pk in (("BNH", lighting_complaint.pk), ("HLP", conduct_complaint.pk))
    }
    assert rows(SmsDay) == [
        ("BNH", "complaints.complaint", False, 1, 1, complaint_parts["BNH"], 0),
        ("BNH", "requests_app.servicerequest", False, 4, 2, parts(sent), 1),  # the copy still waits
        ("HLP", "complaints.complaint", True, 1, 1, complaint_parts["HLP"], 0),
    ]
    assert sent.count() == 2 and all(message.parts for message in sent)
    assert copy.status == "pending"
    month = rows(SmsMonth)
    built = rollup_snapshot()
    sms_days_rebuild()
    aggregates_rebuild(SmsDay)
    assert rollup_snapshot() == built and rows(SmsMonth) == month


def test_a_message_given_up_in_doubt_counts_as_failed(org, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    request = submit(ServiceFactory(code="SHOP-CERT"), org.bnh, staff(Role.CLERK, center=org.bnh))
    for _ in range(2):  # a worker dies during the gateway call, twice
        assert _claim_next().send
        make_in_doubt()
    assert not _claim_next().send  # given up
    assert SmsMessage.objects.get(subject_id=request.pk).status == "failed"
    assert rows(SmsDay) == [("BNH", "requests_app.servicerequest", False, 1, 0, 0, 1)]
