"""How long a citizen will wait: from the queue's recent service times and the windows open now.

The time a window spends on one ticket (from calling it to finishing it, no-shows included) is the mean
over the queue's latest finished tickets — today's first, then the last two weeks', then the center's
other queues, then ``HALL_DEFAULT_SERVICE_MINUTES`` for a center with no history. A window calls the
longest-waiting ticket of all its queues, so its time goes to them in proportion to the work waiting in
each (tickets × minutes a ticket): a window shared by a busy queue and an empty one serves the busy
one. The priority queue, called first, has the whole of every window it is on.

``bench/hall_estimate.py`` measures the error against the real waits of simulated days: splitting each
window equally between its queues (the near-empty priority queue taking half of every window) promised
waits 41 minutes too long on average. What is left is mostly the breaks: a window closed for one
counts as closed, so the estimate promises too long during a break and too short just before one."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from django.conf import settings
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Prefetch
from django.utils import timezone

from hall.models import HallQueue, HallWindow, Ticket, TicketState, WindowShift
from organisation.calendar import CAIRO

RECENT_TICKETS = 20  # enough to smooth one slow citizen out, few enough to follow the day's pace
HISTORY_DAYS = 14
MIN_SAMPLES = 3


@dataclass(frozen=True)
class QueuePace:
    service_minutes: float  # one ticket at one window
    windows: float  # open windows serving the queue, each counted by its share of its queues

    def wait_minutes(self, ahead: int) -> int | None:
        """Minutes until a ticket with ``ahead`` tickets before it is called; None with no window open."""
        if self.windows <= 0:
            return None
        return round((ahead + 0.5) * self.service_minutes / self.windows)


def _recent_minutes(tickets, limit: int = RECENT_TICKETS) -> list[float]:
    spans = (
        tickets.filter(state__in=[TicketState.DONE, TicketState.NO_SHOW])
        .annotate(
            span=ExpressionWrapper(F("finished_at") - F("first_called_at"), output_field=DurationField())
        )
        .order_by("-finished_at")
        .values_list("span", flat=True)[:limit]
    )
    return [span.total_seconds() / 60 for span in spans if span is not None]


def service_minutes(*, queue: HallQueue, now: datetime) -> float:
    since = now - timedelta(days=HISTORY_DAYS)
    for tickets in (
        Ticket.objects.filter(queue=queue, finished_at__gte=since),
        Ticket.objects.filter(center_id=queue.center_id, finished_at__gte=since),
    ):
        minutes = _recent_minutes(tickets)
        if len(minutes) >= MIN_SAMPLES:
            return fmean(minutes)
    return float(settings.HALL_DEFAULT_SERVICE_MINUTES)


def open_window_shares(*, center_id: int, now: datetime | None = None) -> dict[int, float]:
    """Per queue, for a ticket taken now: the open windows calling from it, each counted by the share
    of its time the queue gets (the new ticket counted in its own queue's work)."""
    now = now or timezone.now()
    windows = (
        HallWindow.objects.filter(center_id=center_id, is_active=True)
        .filter(Exists(WindowShift.objects.filter(window=OuterRef("pk"), closed_at__isnull=True)))
        .prefetch_related(Prefetch("queues", queryset=HallQueue.objects.filter(is_active=True)))
    )
    waiting = dict(
        Ticket.objects.filter(
            center_id=center_id, day=timezone.localdate(now, CAIRO), state=TicketState.WAITING
        )
        .values("queue_id")
        .annotate(n=Count("pk"))
        .values_list("queue_id", "n")
    )
    minutes: dict[int, float] = {}

    def work(queue: HallQueue, extra: int = 0) -> float:
        tickets = waiting.get(queue.pk, 0) + extra
        if tickets and queue.pk not in minutes:
            minutes[queue.pk] = service_minutes(queue=queue, now=now)
        return tickets * minutes[queue.pk] if tickets else 0.0

    shares: dict[int, float] = {}
    for window in windows:
        queues = list(window.queues.all())
        for queue in queues:
            if queue.is_priority:
                share = 1.0
            else:
                mine = work(queue, extra=1)
                share = mine / (mine + sum(work(other) for other in queues if other.pk != queue.pk))
            shares[queue.pk] = shares.get(queue.pk, 0.0) + share
    return shares


def queue_pace(*, queue: HallQueue, now: datetime, shares: dict[int, float] | None = None) -> QueuePace:
    if shares is None:
        shares = open_window_shares(center_id=queue.center_id, now=now)
    return QueuePace(service_minutes=service_minutes(queue=queue, now=now), windows=shares.get(queue.pk, 0.0))
