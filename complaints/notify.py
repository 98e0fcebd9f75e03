"""The complainant's SMS: on filing, on the answer (with the reply), on a rejection (with the reason),
and a reminder to rate. Queued in the event's transaction (notifications.services.sms_enqueue); those
whose complaints were merged into this one are told too."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintEvent
from notifications.events import register_sms_event
from notifications.services import sms_enqueue

_FIELDS = ("number", "category", "tracking_url")
SMS_EVENTS = {
    "complaint_received": (_("Complaint received"), ()),
    "complaint_resolved": (_("Complaint resolved"), ("reply",)),
    "complaint_rejected": (_("Complaint rejected"), ("reason",)),
    "complaint_rating_reminder": (_("Reminder to rate a complaint's answer"), ()),
}


def register_complaint_sms_events() -> None:
    for key, (label, extra) in SMS_EVENTS.items():
        register_sms_event(key, label, placeholders=_FIELDS + extra)


def complaint_tracking_url(complaint: Complaint) -> str:
    path = reverse("complaints:track", args=[complaint.tracking_token])
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def _send(complaint: Complaint, event: str, occurrence, **context) -> None:
    if not complaint.complainant_mobile:
        return
    sms_enqueue(
        event=event,
        phone=complaint.complainant_mobile,
        context={
            "number": complaint.number,
            "category": complaint.category.name_ar,
            "tracking_url": complaint_tracking_url(complaint),
            **context,
        },
        idempotency_key=f"{event}:{complaint.number}:{occurrence}",
        subject=complaint,
    )


def _with_merged(complaint: Complaint) -> list[Complaint]:
    """The complaint and every complaint merged into it, at any depth."""
    found, frontier = [complaint], [complaint.pk]
    while frontier:
        merged = list(Complaint.objects.filter(merged_into__in=frontier).select_related("category"))
        found += merged
        frontier = [c.pk for c in merged]
    return found


def complaint_received(complaint: Complaint, event: ComplaintEvent) -> None:
    _send(complaint, "complaint_received", event.pk)


def complaint_resolved(complaint: Complaint, event: ComplaintEvent) -> None:
    for each in _with_merged(complaint):
        _send(each, "complaint_resolved", event.pk, reply=event.public_note)


def complaint_rejected(complaint: Complaint, event: ComplaintEvent) -> None:
    for each in _with_merged(complaint):
        _send(each, "complaint_rejected", event.pk, reason=event.public_note)


def complaint_rating_reminder(complaint: Complaint) -> None:
    _send(complaint, "complaint_rating_reminder", "1")
