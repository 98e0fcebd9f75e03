"""Which request events send the citizen an SMS, and what they say. Called inside the event's
transaction: the outbox row exists exactly when the event does (notifications.services.sms_enqueue)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.events import register_sms_event
from notifications.services import sms_enqueue
from organisation.calendar import WorkCalendar
from requests_app.models import RequestEvent, ServiceRequest

# What every request message may say; each event adds its own (documents, reason …).
_REQUEST_FIELDS = ("receipt", "service", "center", "tracking_url", "due_date")
SMS_EVENTS = {
    "receipt_issued": (_("Receipt issued"), ()),
    "documents_requested": (_("Documents requested"), ("documents",)),
    "ready_for_pickup": (_("Ready for pickup"), ()),
    "rejected": (_("Rejected"), ("reason", "appeal_url")),
    "overdue_apology": (_("Apology for a delay"), ()),
    "delivered": (_("Delivered"), ()),
}


def register_request_sms_events() -> None:
    for key, (label, extra) in SMS_EVENTS.items():
        register_sms_event(key, label, placeholders=_REQUEST_FIELDS + extra)


def tracking_url(request: ServiceRequest) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('track:status', args=[request.tracking_token])}"


def request_sms_values(request: ServiceRequest) -> dict[str, str]:
    return {
        "receipt": request.receipt_number,
        "service": request.terms["name_ar"],
        "center": request.center.short_name_ar,
        "tracking_url": tracking_url(request),
        "due_date": timezone.localtime(request.due_at).strftime("%d/%m/%Y"),
    }


def request_sms_enqueue(request: ServiceRequest, event: str, occurrence, **context: str):
    """Queue ``event``'s SMS to the applicant, once per ``occurrence`` (e.g. the history row's id)."""
    return sms_enqueue(
        event=event,
        phone=request.applicant_mobile,
        context={**request_sms_values(request), **context},
        idempotency_key=f"{event}:{request.receipt_number}:{occurrence}",
        subject=request,
    )


def notify_receipt_issued(request: ServiceRequest, event: RequestEvent) -> None:
    request_sms_enqueue(request, "receipt_issued", event.pk)


def documents_requested_sms_text(event: RequestEvent) -> str:
    """The documents asked for, by their Arabic names, then the employee's note if any."""
    names = "، ".join(document["name_ar"] for document in event.documents)
    return f"{names} — {event.public_note}" if event.public_note else names


def notify_documents_requested(request: ServiceRequest, event: RequestEvent) -> None:
    request_sms_enqueue(
        request, "documents_requested", event.pk, documents=documents_requested_sms_text(event)
    )


def notify_rejected(request: ServiceRequest, event: RequestEvent) -> None:
    request_sms_enqueue(
        request, "rejected", event.pk, reason=event.public_note, appeal_url=tracking_url(request)
    )


def notify_ready(request: ServiceRequest, event: RequestEvent) -> None:
    request_sms_enqueue(request, "ready_for_pickup", event.pk)


def notify_delivered(request: ServiceRequest, event: RequestEvent) -> None:
    request_sms_enqueue(request, "delivered", event.pk)


def notify_overdue(request: ServiceRequest) -> None:
    """The apology when the legal deadline passes, with a new expected date: the working days the
    remaining steps still have, counted from now. Sent once per request (the sweep marks it)."""
    remaining = (
        sum(step["working_days"] for step in request.terms["route"][request.current_step.position - 1 :])
        if request.current_step_id
        else 1
    )
    new_date = WorkCalendar(request.center).deadline(timezone.now(), remaining)
    request_sms_enqueue(
        request, "overdue_apology", "1", due_date=timezone.localtime(new_date).strftime("%d/%m/%Y")
    )
