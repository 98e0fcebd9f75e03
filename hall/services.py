"""Every write on the hall: devices, windows opened and closed, tickets issued, called, recalled, served,
missed, moved to another queue, and linked to the request taken for them.

Each action is one transaction that locks the ticket, checks who may act (a clerk of the ticket's
center, at the window the ticket was called to), writes exactly one history row, raises the center's
board version (the screens' signal) and queues the citizen's SMS in the same commit."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.authz import can
from accounts.models import Role, User
from core.numbering import number_next
from hall import notify
from hall.estimate import queue_pace
from hall.live import board_changed
from hall.models import (
    ACTIVE_STATES,
    TICKETS_PER_QUEUE_AND_DAY,
    HallDevice,
    HallQueue,
    HallWindow,
    Ticket,
    TicketEvent,
    TicketState,
    WindowShift,
)
from notifications.phones import normalize_mobile
from organisation.calendar import CAIRO
from organisation.models import Center


class HallError(ValidationError):
    """The action was refused; nothing changed."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Devices -----------------------------------------------------------------------------------------


@transaction.atomic
def hall_device_issue(
    *, center: Center, kind: str, name: str, token: str | None = None
) -> tuple[HallDevice, str]:
    """A new kiosk or screen for ``center`` and its token, which is shown once and never stored (the
    demo passes its own, published token)."""
    if kind not in HallDevice.Kind.values:
        raise HallError({"kind": [_("Choose a kiosk or a screen.")]})
    token = token or secrets.token_urlsafe(24)
    device = HallDevice.objects.create(
        center=center, kind=kind, name=name.strip()[:100], token_digest=token_digest(token)
    )
    return device, token


def hall_device_seen(*, device: HallDevice, now: datetime | None = None) -> None:
    """When the device last showed itself (a minute's precision is enough to see a dead screen)."""
    now = _now(now)
    if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > 60:
        HallDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now


# Windows -----------------------------------------------------------------------------------------


def _check_clerk(clerk: User, center: Center) -> None:
    if not can(clerk, [Role.CLERK], center.org_place()):
        raise PermissionDenied(_("Only a clerk of this center can work at its windows."))


@transaction.atomic
def window_shift_open(*, clerk: User, window_id: int, now: datetime | None = None) -> WindowShift:
    """The clerk sits at the window (leaving any other window of theirs). A window still open from an
    earlier day was forgotten: it is closed first; one open today by a colleague is refused."""
    now = _now(now)
    window = HallWindow.objects.select_related("center").select_for_update(of=("self",)).get(pk=window_id)
    _check_clerk(clerk, window.center)
    if not window.is_active:
        raise HallError(_("Window %(number)d is not in use.") % {"number": window.number})
    today = timezone.localdate(now, CAIRO)
    mine = WindowShift.objects.select_for_update().filter(clerk=clerk, closed_at__isnull=True).first()
    if mine is not None and mine.window_id == window.pk:
        return mine
    if mine is not None:
        _shift_close(mine, now)
    taken = WindowShift.objects.filter(window=window, closed_at__isnull=True).select_related("clerk").first()
    if taken is not None:
        if timezone.localdate(taken.opened_at, CAIRO) == today:
            raise HallError(
                _("Window %(number)d is open for %(clerk)s; they must close it first.")
                % {"number": window.number, "clerk": taken.clerk}
            )
        _shift_close(taken, now)
    shift = WindowShift.objects.create(window=window, clerk=clerk, opened_at=now)
    board_changed(center_id=window.center_id)
    return shift


def _shift_close(shift: WindowShift, now: datetime) -> None:
    if Ticket.objects.filter(window_id=shift.window_id, state__in=ACTIVE_STATES).exists():
        raise HallError(_("Finish or send on the ticket at your window before leaving it."))
    shift.closed_at = now
    shift.save(update_fields=["closed_at"])


@transaction.atomic
def window_shift_close(*, clerk: User, now: datetime | None = None) -> None:
    shift = (
        WindowShift.objects.select_for_update()
        .select_related("window")
        .filter(clerk=clerk, closed_at__isnull=True)
        .first()
    )
    if shift is None:
        return
    _shift_close(shift, _now(now))
    board_changed(center_id=shift.window.center_id)


def _shift_of(clerk: User, center: Center) -> WindowShift:
    _check_clerk(clerk, center)
    shift = (
        WindowShift.objects.select_related("window")
        .filter(clerk=clerk, closed_at__isnull=True, window__center=center)
        .first()
    )
    if shift is None:
        raise HallError(_("Open your window first: choose its number."))
    return shift


# Tickets -----------------------------------------------------------------------------------------


def _record(ticket: Ticket, action: str, *, at, actor=None, from_state="", note="") -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        at=at,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=ticket.state,
        window=ticket.window,
        queue=ticket.queue,
        note=note[:200],
    )


def waiting_ahead(ticket: Ticket) -> int:
    """Tickets of the same queue that started waiting before this one and are still waiting."""
    return Ticket.objects.filter(
        queue_id=ticket.queue_id,
        day=ticket.day,
        state=TicketState.WAITING,
        waiting_since__lt=ticket.waiting_since,
    ).count()


@transaction.atomic
def ticket_issue(
    *, device: HallDevice, queue_id: int | str, mobile: str = "", now: datetime | None = None
) -> Ticket:
    """A ticket from the kiosk: the next number of the queue's day (gapless, from 1 each morning)."""
    now = _now(now)
    if device.kind != HallDevice.Kind.KIOSK or not device.is_active:
        raise PermissionDenied(_("This device does not issue tickets."))
    queue = HallQueue.objects.filter(
        pk=_int_or_none(queue_id), center_id=device.center_id, is_active=True
    ).first()
    errors: dict[str, list[str]] = {}
    if queue is None:
        errors["queue"] = [_("Choose what you came for.")]
    phone = ""
    if mobile.strip():
        try:
            phone = normalize_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if errors:
        raise HallError(errors)
    day = timezone.localdate(now, CAIRO)
    number = number_next(series=f"hall:{queue.pk}:{day:%m%d}", year=day.year)
    if number > TICKETS_PER_QUEUE_AND_DAY:
        raise HallError({"queue": [_("This queue has given all its tickets for today.")]})
    ticket = Ticket(
        center_id=device.center_id,
        issued_queue=queue,
        queue=queue,
        day=day,
        number=number,
        code=f"{queue.letter}-{number:03d}",
        priority=queue.is_priority,
        issued_at=now,
        waiting_since=now,
        kiosk=device,
        mobile=phone,
    )
    ticket.ahead_at_issue = waiting_ahead(ticket)
    ticket.estimate_minutes = queue_pace(queue=queue, now=now).wait_minutes(ticket.ahead_at_issue)
    ticket.save()
    _record(ticket, TicketEvent.Action.ISSUED, at=now)
    board_changed(center_id=ticket.center_id)
    return ticket


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _next_waiting(window: HallWindow, day) -> Ticket | None:
    """The next ticket for the window — priority queues first, then by the time it started waiting —
    locked, skipping tickets another window is taking at this very moment (on any web server)."""
    return (
        Ticket.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            center_id=window.center_id,
            day=day,
            state=TicketState.WAITING,
            queue__in=window.queues.filter(is_active=True),
        )
        .order_by("-priority", "waiting_since", "pk")
        .first()
    )


@transaction.atomic
def ticket_call_next(*, clerk: User, center: Center, now: datetime | None = None) -> Ticket:
    now = _now(now)
    window = _shift_of(clerk, center).window
    current = Ticket.objects.filter(window=window, state__in=ACTIVE_STATES).first()
    if current is not None:
        raise HallError(
            _("Ticket %(code)s is still at your window: finish it, send it on or mark it absent first.")
            % {"code": current.code}
        )
    ticket = _next_waiting(window, timezone.localdate(now, CAIRO))
    if ticket is None:
        raise HallError(
            _("No one is waiting in the queues of window %(number)d.") % {"number": window.number}
        )
    ticket.call(window=window, clerk=clerk, at=now)
    ticket.version += 1
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError:  # the window's other clerk called at the same instant
        raise HallError(_("Another ticket was just called to this window.")) from None
    _record(ticket, TicketEvent.Action.CALLED, at=now, actor=clerk, from_state=TicketState.WAITING)
    notify.ticket_called(ticket)
    notify.tickets_near(queue_id=ticket.queue_id, day=ticket.day, at=now)
    board_changed(center_id=ticket.center_id)
    return ticket


def _at_my_window(ticket_id: int, clerk: User, center: Center) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("window", "queue")
        .filter(pk=ticket_id, center=center)
        .first()
    )
    window = _shift_of(clerk, center).window
    if ticket is None or ticket.window_id != window.pk or not ticket.is_active:
        raise HallError(_("This ticket is not at your window any more."))
    return ticket


def _act(ticket: Ticket, action: str, clerk: User, at, *, note: str = "") -> Ticket:
    ticket.version += 1
    ticket.save()
    _record(ticket, action, at=at, actor=clerk, from_state=ticket._from_state, note=note)
    board_changed(center_id=ticket.center_id)
    return ticket


def _begin(ticket_id, clerk, center, now, expected: TicketState) -> tuple[Ticket, datetime]:
    ticket = _at_my_window(ticket_id, clerk, center)
    if ticket.state != expected:
        raise HallError(
            _("Ticket %(code)s is %(state)s.") % {"code": ticket.code, "state": ticket.get_state_display()}
        )
    ticket._from_state = ticket.state
    return ticket, _now(now)


@transaction.atomic
def ticket_recall(*, ticket_id: int, clerk: User, center: Center, now: datetime | None = None) -> Ticket:
    ticket, now = _begin(ticket_id, clerk, center, now, TicketState.CALLED)
    ticket.recall(at=now)
    return _act(ticket, TicketEvent.Action.RECALLED, clerk, now)


@transaction.atomic
def ticket_no_show(*, ticket_id: int, clerk: User, center: Center, now: datetime | None = None) -> Ticket:
    ticket, now = _begin(ticket_id, clerk, center, now, TicketState.CALLED)
    needed = settings.HALL_NO_SHOW_AFTER_RECALLS
    if ticket.recalls < needed:
        raise HallError(
            _("Call ticket %(code)s again first: it can be marked absent after %(count)d calls again.")
            % {"code": ticket.code, "count": needed}
        )
    ticket.miss(at=now)
    return _act(ticket, TicketEvent.Action.NO_SHOW, clerk, now)


@transaction.atomic
def ticket_serve(*, ticket_id: int, clerk: User, center: Center, now: datetime | None = None) -> Ticket:
    ticket, now = _begin(ticket_id, clerk, center, now, TicketState.CALLED)
    ticket.serve(at=now)
    return _act(ticket, TicketEvent.Action.SERVING, clerk, now)


@transaction.atomic
def ticket_finish(*, ticket_id: int, clerk: User, center: Center, now: datetime | None = None) -> Ticket:
    ticket, now = _begin(ticket_id, clerk, center, now, TicketState.SERVING)
    ticket.finish(at=now)
    return _act(ticket, TicketEvent.Action.DONE, clerk, now)


@transaction.atomic
def ticket_transfer(
    *, ticket_id: int, clerk: User, center: Center, queue_id: int | str, now: datetime | None = None
) -> Ticket:
    ticket = _at_my_window(ticket_id, clerk, center)
    queue = HallQueue.objects.filter(pk=_int_or_none(queue_id), center=center, is_active=True).first()
    if queue is None or queue.pk == ticket.queue_id:
        raise HallError({"queue": [_("Choose another queue of this center.")]})
    ticket._from_state = ticket.state
    now = _now(now)
    ticket.transfer(queue=queue)
    return _act(ticket, TicketEvent.Action.TRANSFERRED, clerk, now)


def ticket_request_taken(
    *, ticket_id: int, clerk: User, center: Center, receipt_number: str, now: datetime | None = None
) -> Ticket:
    """Inside the intake's transaction: the request taken for the ticket at the clerk's window (a
    called ticket starts being served). Refused, it undoes the intake with it."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("ticket_request_taken runs inside the intake.")
    try:
        ticket = _at_my_window(ticket_id, clerk, center)
    except HallError:
        raise HallError(
            {"hall_ticket": [_("The ticket is no longer at your window; take the request without it.")]}
        ) from None
    now = _now(now)
    ticket._from_state = ticket.state
    if ticket.state == TicketState.CALLED:
        ticket.serve(at=now)
    return _act(ticket, TicketEvent.Action.REQUEST_TAKEN, clerk, now, note=receipt_number)
