"""What the hall's pages read: the devices by token, each queue's line and expected wait, the screen's
state, a ticket's place, and a clerk's window."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from hall.estimate import open_window_shares, queue_pace
from hall.models import ACTIVE_STATES, HallDevice, HallQueue, HallWindow, Ticket, TicketState, WindowShift
from hall.services import token_digest, waiting_ahead
from hall.speech import announcement
from organisation.calendar import CAIRO
from organisation.models import Center

SCREEN_CALLS = 6  # the last calls a screen lists; the first is the one being announced


def device_for_token(*, token: str, kind: str) -> HallDevice | None:
    if not token or len(token) > 100:
        return None
    return (
        HallDevice.objects.select_related("center", "center__governorate")
        .filter(token_digest=token_digest(token), kind=kind, is_active=True, center__is_active=True)
        .first()
    )


@dataclass(frozen=True)
class QueueFigures:
    queue: HallQueue
    waiting: int
    oldest_since: datetime | None
    windows: float
    service_minutes: float
    next_wait_minutes: int | None  # for a ticket taken now


def queue_figures(*, center: Center, now: datetime | None = None, queue_ids=None) -> list[QueueFigures]:
    now = now or timezone.now()
    day = timezone.localdate(now, CAIRO)
    queues = HallQueue.objects.filter(center=center, is_active=True)
    if queue_ids is not None:
        queues = queues.filter(pk__in=queue_ids)
    # Spelled out: Meta.ordering does not apply to a query with aggregates.
    queues = queues.order_by("-is_priority", "position", "letter").annotate(
        waiting=Count("tickets", filter=Q(tickets__day=day, tickets__state=TicketState.WAITING)),
        oldest_since=Min(
            "tickets__waiting_since", filter=Q(tickets__day=day, tickets__state=TicketState.WAITING)
        ),
    )
    shares = open_window_shares(center_id=center.pk, now=now)
    figures = []
    for queue in queues:
        pace = queue_pace(queue=queue, now=now, shares=shares)
        figures.append(
            QueueFigures(
                queue=queue,
                waiting=queue.waiting,
                oldest_since=queue.oldest_since,
                windows=pace.windows,
                service_minutes=pace.service_minutes,
                next_wait_minutes=pace.wait_minutes(queue.waiting),
            )
        )
    return figures


def _call_json(ticket: Ticket) -> dict:
    spoken = announcement(letter=ticket.code[0], number=ticket.number, window=ticket.window.number)
    return {
        # Changes with every call again, so the screen announces a recall too.
        "key": f"{ticket.pk}:{ticket.recalls}",
        "code": ticket.code,
        "code_ar": ticket.code_ar,
        "window": ticket.window.number,
        "at": ticket.called_at.isoformat(),
        "announcement": {"text": spoken.text, "clips": list(spoken.clips)},
    }


def screen_state(*, center: Center, version: int, now: datetime | None = None) -> dict:
    """Everything a hall screen shows, as JSON: the latest calls (tickets still at a window, newest
    call first) and each queue's line and expected wait."""
    now = now or timezone.now()
    day = timezone.localdate(now, CAIRO)
    calls = (
        Ticket.objects.filter(center=center, day=day, called_at__isnull=False, window__isnull=False)
        .exclude(state=TicketState.WAITING)
        .select_related("window")
        .order_by("-called_at", "-pk")[:SCREEN_CALLS]
    )
    return {
        "version": version,
        "calls": [_call_json(t) for t in calls],
        "queues": [
            {
                "letter": f.queue.letter,
                "letter_ar": f.queue.letter_ar,
                "name_ar": f.queue.name_ar,
                "name_en": f.queue.name_en or f.queue.name_ar,
                "waiting": f.waiting,
                "wait_minutes": f.next_wait_minutes,
            }
            for f in queue_figures(center=center, now=now)
        ],
    }


@dataclass(frozen=True)
class TicketPlace:
    ticket: Ticket
    ahead: int | None  # while waiting
    wait_minutes: int | None


def ticket_place(*, ticket: Ticket, now: datetime | None = None) -> TicketPlace:
    now = now or timezone.now()
    if ticket.state != TicketState.WAITING or ticket.day != timezone.localdate(now, CAIRO):
        return TicketPlace(ticket=ticket, ahead=None, wait_minutes=None)
    ahead = waiting_ahead(ticket)
    return TicketPlace(
        ticket=ticket, ahead=ahead, wait_minutes=queue_pace(queue=ticket.queue, now=now).wait_minutes(ahead)
    )


def ticket_by_token(*, token: str) -> Ticket | None:
    if not token or len(token) > 32:
        return None
    return Ticket.objects.select_related("queue", "window", "center").filter(token=token).first()


TICKET_CODE = re.compile(r"^\s*([A-Za-z])\s*-?\s*0*(\d{1,3})\s*$")


def ticket_by_code(*, center: Center, code: str, now: datetime | None = None) -> Ticket | None:
    """Today's ticket of the center typed as printed: B-042, b42, B 042."""
    match = TICKET_CODE.match(code or "")
    if match is None:
        return None
    day = timezone.localdate(now or timezone.now(), CAIRO)
    return (
        Ticket.objects.select_related("queue", "window", "center")
        .filter(center=center, day=day, issued_queue__letter=match[1].upper(), number=int(match[2]))
        .first()
    )


@dataclass(frozen=True)
class WindowPanel:
    shift: WindowShift | None
    windows: list[HallWindow]
    current: Ticket | None
    figures: list[QueueFigures]
    transfer_queues: list[HallQueue]


def window_panel(*, clerk, center: Center, now: datetime | None = None) -> WindowPanel | None:
    """The hall part of a clerk's window page; None where the center has no hall set up."""
    windows = list(HallWindow.objects.filter(center=center, is_active=True).prefetch_related("queues"))
    if not windows:
        return None
    shift = (
        WindowShift.objects.select_related("window")
        .filter(clerk=clerk, closed_at__isnull=True, window__center=center)
        .first()
    )
    current = None
    figures: list[QueueFigures] = []
    transfer_queues: list[HallQueue] = []
    if shift is not None:
        current = (
            Ticket.objects.select_related("queue")
            .filter(window=shift.window, state__in=ACTIVE_STATES)
            .first()
        )
        queue_ids = [q.pk for q in shift.window.queues.all()]
        figures = queue_figures(center=center, now=now, queue_ids=queue_ids)
        if current is not None:
            transfer_queues = list(
                HallQueue.objects.filter(center=center, is_active=True).exclude(pk=current.queue_id)
            )
    return WindowPanel(
        shift=shift, windows=windows, current=current, figures=figures, transfer_queues=transfer_queues
    )


def window_ticket(*, clerk, center: Center, ticket_id) -> Ticket | None:
    """The ticket at the clerk's open window, if ``ticket_id`` names it (the intake taken for it)."""
    try:
        ticket_id = int(ticket_id)
    except (TypeError, ValueError):
        return None
    return Ticket.objects.filter(
        pk=ticket_id,
        center=center,
        state__in=ACTIVE_STATES,
        window__shifts__clerk=clerk,
        window__shifts__closed_at__isnull=True,
    ).first()
