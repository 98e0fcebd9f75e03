"""Which request events send the citizen an SMS. Called inside the event's transaction: the outbox
row exists exactly when the event does (notifications.services.sms_enqueue)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from backoffice.calendar import WorkCalendar
from notifications.services import sms_enqueue
from requests_app.models import RequestEvent, ServiceRequest


def _send(request: ServiceRequest, event: str, key, **context) -> None:
    sms_enqueue(event=event, request=request, phone=request.applicant.mobile, context=context, key=str(key))


def notify_receipt_issued(request: ServiceRequest, event: RequestEvent) -> None:
    _send(request, "receipt_issued", event.pk)


def notify_documents_requested(request: ServiceRequest, event: RequestEvent) -> None:
    _send(request, "documents_requested", event.pk, documents=event.public_note)


def notify_rejected(request: ServiceRequest, event: RequestEvent) -> None:
    appeal = f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('track:status', args=[request.tracking_token])}"
    _send(request, "rejected", event.pk, reason=event.public_note, appeal_url=appeal)


def notify_ready(request: ServiceRequest, event: RequestEvent) -> None:
    _send(request, "ready_for_pickup", event.pk)


def notify_delivered(request: ServiceRequest, event: RequestEvent) -> None:
    _send(request, "delivered", event.pk)


def notify_overdue(request: ServiceRequest) -> None:
    """The apology when the legal deadline passes, with a new expected date: the working days the
    remaining steps still have, counted from now. Sent once per request (the sweep marks it)."""
    remaining = (
        sum(step["working_days"] for step in request.terms["route"][request.current_step.position - 1 :])
        if request.current_step_id
        else 1
    )
    new_date = WorkCalendar(request.center).deadline(timezone.now(), remaining)
    _send(request, "overdue_apology", "1", due_date=timezone.localtime(new_date).strftime("%d/%m/%Y"))
