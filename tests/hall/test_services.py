"""The hall's services: numbering, the order of calls, each action's history row, who may act, and
the citizen's SMS."""

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm import TransitionNotAllowed

from hall.models import HallDevice, Ticket, TicketEvent, TicketState, WindowShift
from hall.services import (
    HallError,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_no_show,
    ticket_recall,
    ticket_serve,
    ticket_transfer,
    window_shift_close,
    window_shift_open,
)
from notifications.models import SmsMessage
from tests.hall.conftest import at

pytestmark = pytest.mark.django_db


def issue(hall, queue, minute=0, mobile="", day=7):
    return ticket_issue(device=hall.kiosk, queue_id=queue.pk, mobile=mobile, now=at(9, minute, day=day))


def test_numbers_run_per_queue_and_restart_each_day(hall):
    first = [issue(hall, hall.permits, m).code for m in range(3)]
    other = issue(hall, hall.certificates, 5)
    next_day = issue(hall, hall.permits, 0, day=8)
    assert first == ["B-001", "B-002", "B-003"]
    assert other.code == "C-001"
    assert (next_day.code, next_day.number, next_day.day.isoformat()) == ("B-001", 1, "2026-12-08")
    assert TicketEvent.objects.filter(action=TicketEvent.Action.ISSUED).count() == 5


def test_a_ticket_knows_who_is_before_it_and_an_estimate(hall, clerks):
    for m in range(4):
        issue(hall, hall.permits, m)
    issue(hall, hall.certificates, 5)
    fifth = issue(hall, hall.permits, 10)
    assert fifth.ahead_at_issue == 4
    # No history yet: 6 minutes a ticket. Window 1 calls permits and the empty priority queue: all of
    # it; window 3 also certificates: five permits' worth of its time against one certificate's.
    assert fifth.estimate_minutes == round(4.5 * 6 / (1 + 5 / 6)) == 15


def test_bad_mobile_or_queue_changes_nothing(hall):
    with pytest.raises(HallError) as caught:
        ticket_issue(device=hall.kiosk, queue_id=hall.permits.pk, mobile="12345", now=at(9))
    assert "mobile" in caught.value.message_dict
    with pytest.raises(HallError):
        ticket_issue(device=hall.kiosk, queue_id=hall.hlp_queue.pk, now=at(9))
    with pytest.raises(HallError):
        ticket_issue(device=hall.kiosk, queue_id="x", now=at(9))
    assert Ticket.objects.count() == 0
    assert issue(hall, hall.permits).code == "B-001"  # the refused ones took no number


def test_a_screen_or_revoked_kiosk_issues_nothing(hall):
    with pytest.raises(PermissionDenied):
        ticket_issue(device=hall.screen, queue_id=hall.permits.pk, now=at(9))
    HallDevice.objects.filter(pk=hall.kiosk.pk).update(is_active=False)
    hall.kiosk.refresh_from_db()
    with pytest.raises(PermissionDenied):
        issue(hall, hall.permits)
    assert Ticket.objects.count() == 0


def test_calls_take_the_priority_queue_first_then_the_longest_waiting(hall, clerks, org):
    b1 = issue(hall, hall.permits, 0)
    c1 = issue(hall, hall.certificates, 1)
    b2 = issue(hall, hall.permits, 2)
    a1 = issue(hall, hall.priority, 3)
    assert ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 10)).pk == a1.pk
    assert ticket_call_next(clerk=clerks.two, center=org.bnh, now=at(9, 10)).pk == c1.pk
    called = ticket_call_next(clerk=clerks.three, center=org.bnh, now=at(9, 11))
    assert (called.pk, called.window.number, called.state) == (b1.pk, 3, TicketState.CALLED)
    assert Ticket.objects.get(pk=b2.pk).state == TicketState.WAITING
    event = TicketEvent.objects.get(ticket=called, action=TicketEvent.Action.CALLED)
    assert (event.actor, event.window, event.from_state, event.to_state) == (
        clerks.three,
        hall.w3,
        "waiting",
        "called",
    )


def test_a_window_calls_only_from_its_own_queues(hall, clerks, org):
    issue(hall, hall.certificates)
    with pytest.raises(HallError, match="لا يوجد أحد ينتظر"):
        ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 5))
    assert ticket_call_next(clerk=clerks.two, center=org.bnh, now=at(9, 5)).code == "C-001"


def test_calling_with_an_empty_queue_or_from_another_center_is_refused(hall, clerks, org):
    with pytest.raises(HallError):
        ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9))
    issue(hall, hall.permits)
    with pytest.raises(PermissionDenied):
        ticket_call_next(clerk=clerks.helwan, center=org.bnh, now=at(9))
    assert Ticket.objects.get().state == TicketState.WAITING
    assert TicketEvent.objects.count() == 1


def test_one_ticket_at_a_time_at_a_window(hall, clerks, org):
    issue(hall, hall.permits, 0)
    issue(hall, hall.permits, 1)
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 5))
    with pytest.raises(HallError, match="B-001"):
        ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 6))
    assert Ticket.objects.filter(state=TicketState.CALLED).count() == 1


def test_a_ticket_through_its_day_leaves_one_history_row_per_action(hall, clerks, org):
    ticket = issue(hall, hall.permits)
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 5))
    ticket_recall(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 6))
    with pytest.raises(HallError):  # not yet being served
        ticket_finish(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 6))
    ticket_serve(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 7))
    done = ticket_finish(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 15))
    assert (done.state, done.recalls, done.first_called_at, done.finished_at) == (
        TicketState.DONE,
        1,
        at(9, 5),
        at(9, 15),
    )
    actions = list(TicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True))
    assert actions == ["issued", "called", "recalled", "serving", "done"]
    with pytest.raises(HallError):
        ticket_recall(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 16))
    assert TicketEvent.objects.filter(ticket=ticket).count() == 5


def test_transitions_refuse_what_the_state_does_not_allow(hall):
    ticket = issue(hall, hall.permits)
    for move in (ticket.recall, ticket.serve, ticket.finish, ticket.miss):
        with pytest.raises(TransitionNotAllowed):
            move(at=at(9))


def test_absent_only_after_the_calls_again(hall, clerks, org, settings):
    settings.HALL_NO_SHOW_AFTER_RECALLS = 2
    ticket = issue(hall, hall.permits)
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 5))
    ticket_recall(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 6))
    with pytest.raises(HallError, match="2"):
        ticket_no_show(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 7))
    ticket_recall(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 7))
    missed = ticket_no_show(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 8))
    assert missed.state == TicketState.NO_SHOW
    assert ticket_call_next  # the window is free again
    issue(hall, hall.permits, 9)
    assert ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 9)).code == "B-002"


def test_only_the_window_holding_the_ticket_acts_on_it(hall, clerks, org):
    ticket = issue(hall, hall.permits)
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 5))
    with pytest.raises(HallError):
        ticket_serve(ticket_id=ticket.pk, clerk=clerks.three, center=org.bnh, now=at(9, 6))
    with pytest.raises(PermissionDenied):
        ticket_serve(ticket_id=ticket.pk, clerk=clerks.helwan, center=org.bnh, now=at(9, 6))
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.CALLED


def test_a_transferred_ticket_keeps_its_number_and_its_place(hall, clerks, org):
    early = issue(hall, hall.permits, 0)
    issue(hall, hall.certificates, 5)
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 10))
    moved = ticket_transfer(
        ticket_id=early.pk, clerk=clerks.one, center=org.bnh, queue_id=hall.certificates.pk, now=at(9, 12)
    )
    assert (moved.code, moved.queue, moved.state, moved.window) == (
        "B-001",
        hall.certificates,
        "waiting",
        None,
    )
    # It started waiting at 9:00, before C-001 (9:05): window 2 calls it first.
    assert ticket_call_next(clerk=clerks.two, center=org.bnh, now=at(9, 13)).code == "B-001"
    with pytest.raises(HallError):
        ticket_transfer(
            ticket_id=early.pk, clerk=clerks.two, center=org.bnh, queue_id=hall.hlp_queue.pk, now=at(9, 14)
        )


def test_leaving_a_window_with_a_ticket_at_it_is_refused(hall, clerks, org):
    issue(hall, hall.permits)
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 5))
    with pytest.raises(HallError):
        window_shift_close(clerk=clerks.one, now=at(9, 6))
    with pytest.raises(HallError, match="1"):
        window_shift_open(clerk=clerks.three, window_id=hall.w1.pk, now=at(9, 6))
    assert WindowShift.objects.filter(closed_at__isnull=True).count() == 4


def test_a_window_left_open_yesterday_is_taken_over(hall, clerks, org):
    window_shift_open(clerk=clerks.two, window_id=hall.w1.pk, now=at(8, day=8))
    assert WindowShift.objects.get(window=hall.w1, closed_at__isnull=True).clerk == clerks.two
    with pytest.raises(PermissionDenied):
        window_shift_open(clerk=clerks.helwan, window_id=hall.w3.pk, now=at(8, day=8))


def sms(event):
    return list(SmsMessage.objects.filter(event=event).order_by("pk"))


def test_sms_when_called_exactly_once(hall, clerks, org):
    ticket = issue(hall, hall.permits, mobile="01012345678")
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 5))
    ticket_recall(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, now=at(9, 6))
    ticket_transfer(ticket_id=ticket.pk, clerk=clerks.one, center=org.bnh, queue_id=hall.certificates.pk)
    ticket_call_next(clerk=clerks.two, center=org.bnh, now=at(9, 8))
    [called] = sms("hall_ticket_called")
    assert called.phone == "+201012345678"
    assert "ب-001" in called.body and "1" in called.body


def test_sms_when_three_are_left_before_exactly_once(hall, clerks, org):
    for m in range(5):
        issue(hall, hall.permits, m)
    watched = issue(hall, hall.permits, 10, mobile="01012345678")  # five before it
    close = issue(hall, hall.permits, 11, mobile="01112345678")  # six before, told later
    near = issue(hall, hall.certificates, 12, mobile="01212345678")  # none before: no SMS
    ticket_call_next(clerk=clerks.one, center=org.bnh, now=at(9, 20))  # four before "watched"
    assert sms("hall_ticket_near") == []
    ticket_call_next(clerk=clerks.three, center=org.bnh, now=at(9, 21))  # three before it
    [told] = sms("hall_ticket_near")
    assert (told.phone, told.object_id if hasattr(told, "object_id") else told.subject_id) == (
        "+201012345678",
        watched.pk,
    )
    assert "3" in told.body and "ب-006" in told.body
    ticket_call_next(clerk=clerks.two, center=org.bnh, now=at(9, 22))  # takes C-001 (near)
    assert len(sms("hall_ticket_near")) == 1
    for clerk, minute in ((clerks.one, 30), (clerks.three, 31)):
        current = Ticket.objects.get(window__shifts__clerk=clerk, state=TicketState.CALLED)
        ticket_serve(ticket_id=current.pk, clerk=clerk, center=org.bnh, now=at(9, minute))
        ticket_finish(ticket_id=current.pk, clerk=clerk, center=org.bnh, now=at(9, minute + 1))
        ticket_call_next(clerk=clerk, center=org.bnh, now=at(9, minute + 2))
    phones = [m.phone for m in sms("hall_ticket_near")]
    assert phones == ["+201012345678", "+201112345678"]
    assert Ticket.objects.get(pk=close.pk).near_sms_at is not None
    assert Ticket.objects.get(pk=near.pk).near_sms_at is None
