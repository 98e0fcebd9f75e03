"""Windows calling at the same instant, each on its own database connection (as on separate web
servers), never get the same ticket, and none waits for another's transaction to end."""

import threading

import pytest
from django.db import connection

from hall import services
from hall.models import Ticket, TicketEvent, TicketState
from tests.hall.conftest import at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_window_skips_the_ticket_another_window_is_taking(hall, clerks, org, monkeypatch):
    """Window 1 holds the first ticket locked inside its transaction; window 3, calling meanwhile,
    gets the second one at once instead of waiting or taking the same ticket."""
    first = services.ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk, now=at(9, 0))
    second = services.ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk, now=at(9, 1))
    window_one_holds_it, window_three_done = threading.Event(), threading.Event()
    three_finished_meanwhile: list[bool] = []
    real_create = TicketEvent.objects.create

    def create_and_hold(*args, **kwargs):
        # Held before the history row: from there to the commit, acts of one center take turns on the
        # rows they all raise (the board's version, the hall's roll-ups), which is not what this tests.
        if threading.current_thread().name == "window-1":
            window_one_holds_it.set()
            # True only if window 3 finished while this transaction still held the first ticket.
            three_finished_meanwhile.append(window_three_done.wait(timeout=30))
        return real_create(*args, **kwargs)

    monkeypatch.setattr(TicketEvent.objects, "create", create_and_hold)
    called, errors = {}, []

    def call(name, clerk):
        try:
            called[name] = services.ticket_call_next(clerk=clerk, center=org.bnh, now=at(9, 5)).pk
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(repr(exc))
        finally:
            if name == "window-3":
                window_three_done.set()
            connection.close()

    one = threading.Thread(target=call, args=("window-1", clerks.one), name="window-1")
    one.start()
    assert window_one_holds_it.wait(timeout=30)
    three = threading.Thread(target=call, args=("window-3", clerks.three), name="window-3")
    three.start()
    three.join(timeout=60)
    one.join(timeout=60)
    assert errors == []
    assert three_finished_meanwhile == [True]
    assert called == {"window-1": first.pk, "window-3": second.pk}
    assert not one.is_alive() and not three.is_alive()


def test_many_calls_at_once_call_every_ticket_exactly_once(hall, clerks, org):
    tickets = [
        services.ticket_issue(device=hall.kiosk, queue_id=queue.pk, now=at(9, minute))
        for minute, queue in enumerate([hall.permits, hall.certificates, hall.priority] * 8)
    ]
    start = threading.Barrier(3)
    taken: dict[str, list[int]] = {"one": [], "two": [], "three": []}
    errors: list[str] = []

    def work(name):
        clerk = getattr(clerks, name)
        try:
            start.wait()
            window = clerk.hall_shifts.get(closed_at__isnull=True).window
            for n in range(len(tickets)):
                try:
                    ticket = services.ticket_call_next(clerk=clerk, center=org.bnh, now=at(10, n))
                except services.HallError:
                    # Nothing to take now: the rest of its queues is being called by the other windows.
                    waiting = Ticket.objects.filter(state=TicketState.WAITING, queue__windows=window)
                    if not waiting.exists():
                        break
                    continue
                taken[name].append(ticket.pk)
                services.ticket_serve(ticket_id=ticket.pk, clerk=clerk, center=org.bnh, now=at(10, n))
                services.ticket_finish(ticket_id=ticket.pk, clerk=clerk, center=org.bnh, now=at(10, n, 30))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(name,)) for name in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    every_call = [pk for calls in taken.values() for pk in calls]
    assert len(every_call) == len(set(every_call)) == len(tickets)
    assert Ticket.objects.filter(state=TicketState.DONE).count() == len(tickets)
    assert TicketEvent.objects.filter(action=TicketEvent.Action.CALLED).count() == len(tickets)
