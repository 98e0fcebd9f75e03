"""A hall day with known figures, played through the hall's services (imported by test_hall.py, with
the hall's own fixtures)."""

from types import SimpleNamespace

import pytest
from django.conf import settings

from hall.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_no_show,
    ticket_recall,
    ticket_serve,
    ticket_transfer,
)
from tests.hall.conftest import at, clerks, hall  # noqa: F401 — fixtures for the tests importing these


@pytest.fixture
def hall_day(org, hall, clerks):  # noqa: F811
    """Benha on Monday 7 December 2026 (waits from the ticket to its first call, in minutes):

    ======  ======  =========  ====  ===========================================
    ticket  issued  1st call   wait  then
    ======  ======  =========  ====  ===========================================
    B-001   9:00    9:10 (w1)  10    served
    B-002   9:05    9:30 (w1)  25    called again, then did not come
    C-001   9:20    9:24 (w2)   4    served
    A-001   10:00   10:02 (w3)  2    served (the priority queue)
    C-002   10:30   —           —    still waiting
    B-003   10:40   10:50 (w1) 10    being served, then sent on to certificates
    ======  ======  =========  ====  ===========================================

    Besides: Benha's B-001 of Tuesday the 8th, called after 6 minutes, and a Helwan ticket of the 7th
    called after 40."""
    bnh = org.bnh

    def issue(queue, hour, minute, day=7, kiosk=hall.kiosk):
        return ticket_issue(device=kiosk, queue_id=queue.pk, now=at(hour, minute, day=day))

    def call(clerk, hour, minute, day=7, center=bnh):
        return ticket_call_next(clerk=clerk, center=center, now=at(hour, minute, day=day))

    def serve(ticket, clerk, start, end=None):
        ticket_serve(ticket_id=ticket.pk, clerk=clerk, center=bnh, now=at(*start))
        if end:
            ticket_finish(ticket_id=ticket.pk, clerk=clerk, center=bnh, now=at(*end))

    b1, b2 = issue(hall.permits, 9, 0), issue(hall.permits, 9, 5)
    serve(call(clerks.one, 9, 10), clerks.one, (9, 11), (9, 20))
    c1 = issue(hall.certificates, 9, 20)
    serve(call(clerks.two, 9, 24), clerks.two, (9, 25), (9, 30))
    missed = call(clerks.one, 9, 30)
    for minute in range(settings.HALL_NO_SHOW_AFTER_RECALLS):
        ticket_recall(ticket_id=missed.pk, clerk=clerks.one, center=bnh, now=at(9, 31 + minute))
    ticket_no_show(ticket_id=missed.pk, clerk=clerks.one, center=bnh, now=at(9, 40))
    a1 = issue(hall.priority, 10, 0)
    serve(call(clerks.three, 10, 2), clerks.three, (10, 3), (10, 10))
    c2, b3 = issue(hall.certificates, 10, 30), issue(hall.permits, 10, 40)
    serve(call(clerks.one, 10, 50), clerks.one, (10, 51))
    ticket_transfer(
        ticket_id=b3.pk, clerk=clerks.one, center=bnh, queue_id=hall.certificates.pk, now=at(10, 55)
    )

    next_day = issue(hall.permits, 9, 0, day=8)
    call(clerks.one, 9, 6, day=8)
    helwan = issue(hall.hlp_queue, 9, 0, kiosk=hall.hlp_kiosk)
    call(clerks.helwan, 9, 40, center=org.hlp)
    return SimpleNamespace(b1=b1, b2=b2, c1=c1, a1=a1, c2=c2, b3=b3, next_day=next_day, helwan=helwan)
