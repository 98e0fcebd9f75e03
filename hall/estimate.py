"""How long a citizen will wait: from the queue's recent service times and the windows open now.

The time a window spends on one ticket (from calling it to finishing it, no-shows included) is taken
from the queue's latest finished tickets — today's first, then the last two weeks', then the center's
other queues, then ``HALL_DEFAULT_SERVICE_MINUTES`` for a center with no history. The windows that
serve the queue split their time between its queues, so a window calling from two queues counts as
half a window for each. ``bench/hall_estimate.py`` measures the error against the real waits of a
simulated day."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from django.conf import settings
from django.db.models import DurationField, ExpressionWrapper, F

from hall.models import HallQueue, HallWindow, Ticket, TicketState

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


def open_window_shares(*, center_id: int) -> dict[int, float]:
    """Per queue: the open windows calling from it, each window's time split between its queues."""
    shares: dict[int, float] = {}
    windows = HallWindow.objects.filter(
        center_id=center_id, is_active=True, shifts__closed_at__isnull=True
    ).prefetch_related("queues")
    for window in windows:
        queue_ids = [q.pk for q in window.queues.all() if q.is_active]
        for queue_id in queue_ids:
            shares[queue_id] = shares.get(queue_id, 0.0) + 1 / len(queue_ids)
    return shares


def queue_pace(*, queue: HallQueue, now: datetime, shares: dict[int, float] | None = None) -> QueuePace:
    if shares is None:
        shares = open_window_shares(center_id=queue.center_id)
    return QueuePace(service_minutes=service_minutes(queue=queue, now=now), windows=shares.get(queue.pk, 0.0))
