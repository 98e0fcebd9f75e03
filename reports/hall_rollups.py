"""Keeping the hall's roll-ups (``reports.models.HallTicketDay``, ``HallWaitDay`` and their aggregates)
current, and rebuilding them.

As for the requests (``reports.rollups``), in each act's own transaction: hall.services writes a history
row for every act on a ticket, and the same commit adds the ticket to the row of its day, center, the
queue it was issued in and the hour it was taken (Cairo time) — issued when taken; waited, with its
wait, at its first call (a later call, after a recall or a transfer, is not a first); served when
finished at a window; a no-show when it did not come. None of these is ever undone (a served or missed
ticket is closed), so the roll-ups only add. The wait is counted in whole seconds (of the wait rounded to
the millisecond, as the rebuild's SQL computes it) and, for the 90th percentile, in whole minutes.
"""

from datetime import datetime, timedelta

from django.db.models import Count, ExpressionWrapper, F, Func, IntegerField, Q, Sum
from django.db.models.functions import ExtractHour
from django.utils import timezone

from hall.models import Ticket, TicketEvent, TicketState
from organisation.calendar import CAIRO
from reports import rollups, spans
from reports.models import HallTicketDay, HallWaitDay

TICKET_FIGURES = spans.COLUMNS["HallTicketDay"][1]


def wait_seconds(issued_at: datetime, first_called_at: datetime) -> int:
    """Whole seconds from the ticket to its first call (of the wait rounded to the millisecond, half up)."""
    microseconds = (first_called_at - issued_at) // timedelta(microseconds=1)
    return (microseconds + 500) // 1000 // 1000


class WaitSeconds(Func):
    """``wait_seconds`` in SQL: from the second moment to the first."""

    arity = 2
    output_field = IntegerField()
    arg_joiner = " - "
    template = "CAST(FLOOR(ROUND(EXTRACT(EPOCH FROM (%(expressions)s)) * 1000) / 1000) AS integer)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(ROUND((JULIANDAY(%(expressions)s)) * 86400000) AS INTEGER) / 1000)",
            arg_joiner=") - JULIANDAY(",
            **extra_context,
        )


def _keys(ticket: Ticket) -> dict:
    return {
        "day": ticket.day,
        "center_id": ticket.center_id,
        "queue_id": ticket.issued_queue_id,
        "hour": timezone.localtime(ticket.issued_at, CAIRO).hour,
    }


def ticket_event_recorded(event: TicketEvent) -> None:
    """Called for each new history row of a ticket, inside its transaction (``reports.apps``)."""
    ticket = event.ticket
    figures = dict.fromkeys(TICKET_FIGURES, 0)
    if event.action == TicketEvent.Action.ISSUED:
        figures["issued"] = 1
    elif event.action == TicketEvent.Action.CALLED and ticket.first_called_at == event.at:
        seconds = wait_seconds(ticket.issued_at, ticket.first_called_at)
        figures |= {"waited": 1, "wait_seconds": seconds}
        rollups._add(HallWaitDay, {**_keys(ticket), "minutes": seconds // 60}, {"waited": 1})
    elif event.action == TicketEvent.Action.DONE:
        figures["served"] = 1
    elif event.action == TicketEvent.Action.NO_SHOW:
        figures["no_shows"] = 1
    else:
        return
    rollups._add(HallTicketDay, _keys(ticket), figures)


def hall_days_rebuild(ticket_model=Ticket, ticket_day_model=HallTicketDay, wait_day_model=HallWaitDay) -> int:
    """Every hall roll-up row again, from the tickets alone (inside the caller's transaction, which has
    locked the tables; the models are a migration's historical ones there)."""
    tickets = ticket_model.objects.annotate(
        hour=ExtractHour("issued_at", tzinfo=CAIRO), seconds=WaitSeconds("first_called_at", "issued_at")
    ).order_by()
    keys = ("day", "center_id", "issued_queue_id", "hour")

    def row_keys(line: dict) -> dict:
        return {
            "day": line["day"],
            "center_id": line["center_id"],
            "queue_id": line["issued_queue_id"],
            "hour": line["hour"],
        }

    called = Q(first_called_at__isnull=False)
    lines = tickets.values(*keys).annotate(
        issued=Count("pk"),
        waited=Count("pk", filter=called),
        wait_seconds=Sum("seconds", filter=called, default=0),
        served=Count("pk", filter=Q(state=TicketState.DONE)),
        no_shows=Count("pk", filter=Q(state=TicketState.NO_SHOW)),
    )
    made = spans.rows_replace(
        ticket_day_model,
        (
            ticket_day_model(**row_keys(line), **{name: line[name] for name in TICKET_FIGURES})
            for line in lines
        ),
    )
    minutes = ExpressionWrapper(F("seconds") / 60, output_field=IntegerField())
    waits = tickets.filter(called).annotate(minutes=minutes).values(*keys, "minutes").annotate(n=Count("pk"))
    spans.rows_replace(
        wait_day_model,
        (wait_day_model(**row_keys(line), minutes=line["minutes"], waited=line["n"]) for line in waits),
    )
    return made
