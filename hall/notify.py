"""The SMS of a ticket that came with a mobile number: when three tickets are left before it, and when
it is called. Each is queued once per ticket (the outbox's idempotency key), in the call's transaction;
the number itself is never shown to staff."""

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hall.models import Ticket, TicketState
from notifications.events import register_sms_event
from notifications.services import sms_enqueue

NEAR_AHEAD = 3  # "three tickets before yours": time to come back from the café across the street

SMS_EVENTS = {
    "hall_ticket_near": (_("Hall ticket: three before it"), ("ticket", "center", "ahead", "url")),
    "hall_ticket_called": (_("Hall ticket called to a window"), ("ticket", "center", "window")),
}


def register_hall_sms_events() -> None:
    for key, (label, placeholders) in SMS_EVENTS.items():
        register_sms_event(key, label, placeholders=placeholders)


def ticket_url(ticket: Ticket) -> str:
    path = reverse("hall:ticket", args=[ticket.token])
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def ticket_called(ticket: Ticket) -> None:
    if not ticket.mobile:
        return
    sms_enqueue(
        event="hall_ticket_called",
        phone=ticket.mobile,
        context={
            "ticket": ticket.code_ar,
            "center": ticket.center.short_name_ar,
            "window": str(ticket.window.number),
        },
        idempotency_key=f"hall_ticket_called:{ticket.pk}",
        subject=ticket,
    )


def tickets_near(*, queue_id: int, day, at) -> None:
    """After a call: the waiting tickets now with three or fewer before them, told once. Tickets issued
    that close read it on their printed ticket; those another window is locking are skipped (they are
    being called)."""
    line = list(
        Ticket.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("center")
        .filter(queue_id=queue_id, day=day, state=TicketState.WAITING)
        .order_by("waiting_since", "pk")[: NEAR_AHEAD + 1]
    )
    for ahead, ticket in enumerate(line):
        if not ticket.mobile or ticket.near_sms_at is not None or ticket.ahead_at_issue <= NEAR_AHEAD:
            continue
        Ticket.objects.filter(pk=ticket.pk).update(near_sms_at=at, version=F("version") + 1)
        sms_enqueue(
            event="hall_ticket_near",
            phone=ticket.mobile,
            context={
                "ticket": ticket.code_ar,
                "center": ticket.center.short_name_ar,
                "ahead": str(ahead),
                "url": ticket_url(ticket),
            },
            idempotency_key=f"hall_ticket_near:{ticket.pk}",
            subject=ticket,
        )
