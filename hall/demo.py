"""The demo's hall at the Benha center: five queues, four windows, a kiosk and a screen with published
tokens, the last working days' tickets played through the services (so the waiting estimate and the
report have history), and a few tickets waiting today, with one clerk at a window."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from hall.models import HallDevice, HallQueue, HallWindow, Ticket, TicketState
from hall.services import (
    hall_device_issue,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_no_show,
    ticket_recall,
    ticket_serve,
    window_shift_close,
    window_shift_open,
)
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Center
from services.models import Service

DEMO_CENTER = "BNH"
KIOSK_TOKEN = "demo-bnh-kiosk"  # published in the README: the demo's devices are paired with these
SCREEN_TOKEN = "demo-bnh-screen"


@dataclass(frozen=True)
class DemoQueue:
    letter: str
    name_ar: str
    name_en: str
    share: float  # of the day's tickets
    minutes: tuple[int, int]  # at the window, shortest and longest
    priority: bool = False
    services: tuple[str, ...] = ()  # catalog codes


DEMO_QUEUES = [
    DemoQueue(
        "A", "كبار السن وذوو الهمم", "Elderly and people with disabilities", 0.10, (4, 10), priority=True
    ),
    DemoQueue(
        "B",
        "التراخيص",
        "Permits",
        0.30,
        (6, 12),
        services=(
            "BLD-NEW", "BLD-VERT", "BLD-MOD", "BLD-DEMO", "BLD-RENEW", "BLD-FACADE", "UTIL-DIG",
            "SHOP-NEW", "SHOP-PUBLIC", "SHOP-RENEW", "SHOP-KIOSK", "OCC-ROAD", "OCC-SIGN",
        ),
    ),
    DemoQueue(
        "C",
        "الشهادات والمستخرجات",
        "Certificates",
        0.33,
        (3, 7),
        services=(
            "BLD-OCCUP", "BLD-SITE", "BLD-LINE", "BLD-COPY", "BLD-NUMBER", "SHOP-CERT", "PROP-STATUS",
            "PROP-NOOBJ", "VIOL-NONE", "GEN-RESIDENCE", "GEN-COPY",
        ),
    ),
    DemoQueue("D", "تسليم المستندات", "Delivery of documents", 0.15, (2, 4)),
    DemoQueue("E", "الشكاوى", "Complaints", 0.12, (5, 9)),
]  # fmt: skip
DEMO_WINDOWS = {1: "AB", 2: "AC", 3: "BCD", 4: "DE"}
# The two demo clerks share the windows: together they call from every queue.
DEMO_CLERKS = {"bnh.clerk": (1, 3), "bnh.clerk2": (2, 4)}
HISTORY_DAYS = 2
# Tickets taken in each half hour from 8:30 to 14:00 (about 60 a day, busiest mid-morning).
ARRIVALS = [3, 6, 8, 9, 8, 7, 6, 5, 4, 3, 2]
NO_SHOW_SHARE = 0.08
# Today, minutes ago: tickets taken (queue, mobile), and bnh.clerk2 at window 3 (permits, certificates,
# delivery): two served, the third called; the rest wait, with an estimate. The mobile's SMS go to
# var/sms/sms.log when its ticket is called.
TODAY = [
    (40, "issue", "B", ""),
    (39, "open"),
    (38, "call"),
    (37, "serve"),
    (36, "issue", "C", ""),
    (32, "finish"),
    (31, "call"),
    (30, "issue", "C", ""),
    (30, "serve"),
    (24, "finish"),
    (22, "issue", "A", ""),
    (20, "call"),
    (15, "issue", "B", ""),
    (11, "issue", "D", ""),
    (7, "issue", "C", "01001112233"),
    (3, "issue", "E", ""),
]


@transaction.atomic
def hall_seed_demo(*, now: datetime | None = None) -> None:
    """Idempotent: Benha's hall is set up, and its tickets played, only while it has no queue."""
    center = Center.objects.get(code=DEMO_CENTER)
    if HallQueue.objects.filter(center=center).exists():
        return
    queues = _queues(center)
    windows = {}
    for number, letters in DEMO_WINDOWS.items():
        window = HallWindow.objects.create(center=center, number=number)
        window.queues.set([queues[letter] for letter in letters])
        windows[number] = window, {queues[letter].pk for letter in letters}
    kiosk, _ = hall_device_issue(center=center, kind=HallDevice.Kind.KIOSK, name="المدخل", token=KIOSK_TOKEN)
    hall_device_issue(center=center, kind=HallDevice.Kind.SCREEN, name="صالة الانتظار", token=SCREEN_TOKEN)
    clerks = [
        _Clerk(user=User.objects.get(username=name), windows=dict(windows[number] for number in numbers))
        for name, numbers in DEMO_CLERKS.items()
    ]
    now = now or timezone.now()
    today = timezone.localdate(now, CAIRO)
    rng = random.Random(2026)  # the same demo every time
    calendar = WorkCalendar(center)
    for back in range(HISTORY_DAYS, 0, -1):
        _play_day(center, kiosk, queues, clerks, calendar.subtract_working_days(today, back), rng)
    _today(center, kiosk, queues, now)


def _queues(center: Center) -> dict[str, HallQueue]:
    made = {}
    for position, demo in enumerate(DEMO_QUEUES):
        queue = HallQueue.objects.create(
            center=center,
            letter=demo.letter,
            name_ar=demo.name_ar,
            name_en=demo.name_en,
            is_priority=demo.priority,
            position=position,
        )
        queue.services.set(Service.objects.filter(code__in=demo.services))
        made[demo.letter] = queue
    return made


@dataclass(eq=False)
class _Clerk:
    user: User
    windows: dict[HallWindow, set[int]]  # the windows they may sit at, and the queues each calls
    at: HallWindow | None = None


def _play_day(center, kiosk, queues, clerks: list[_Clerk], day: date, rng) -> None:
    """A working day: citizens take tickets from 8:30; each clerk, whenever free, calls the first ticket
    in line at any of their windows, until no one is left."""
    opening = datetime.combine(day, time(8, 30), tzinfo=CAIRO)
    shares = [demo.share for demo in DEMO_QUEUES]
    arrivals = sorted(
        (opening + timedelta(minutes=30 * slot + rng.uniform(0, 30)), rng.choices(DEMO_QUEUES, shares)[0])
        for slot, count in enumerate(ARRIVALS)
        for _ in range(count + rng.randint(-1, 1))
    )
    free = dict.fromkeys(clerks, opening)
    taken = 0
    while free:
        clerk, moment = min(free.items(), key=lambda item: item[1])
        while taken < len(arrivals) and arrivals[taken][0] <= moment:
            at, demo = arrivals[taken]
            ticket_issue(device=kiosk, queue_id=queues[demo.letter].pk, now=at)
            taken += 1
        ticket = _call(center, clerk, moment)
        if ticket is not None:
            free[clerk] = _attend(center, ticket, clerk.user, moment, rng)
        elif taken < len(arrivals):
            free[clerk] = arrivals[taken][0]  # wait for the next citizen
        else:
            window_shift_close(clerk=clerk.user, now=moment)
            clerk.at = None
            del free[clerk]


def _call(center, clerk: _Clerk, moment: datetime) -> Ticket | None:
    """The first ticket in line (priority first) at any of the clerk's windows: called from the window
    they sit at if it calls that queue, else from one that does."""
    queue_ids = set().union(*clerk.windows.values())
    first = (
        Ticket.objects.filter(
            center=center,
            day=timezone.localdate(moment, CAIRO),
            state=TicketState.WAITING,
            queue__in=queue_ids,
        )
        .order_by("-priority", "waiting_since", "pk")
        .values_list("queue_id", flat=True)
        .first()
    )
    if first is None:
        return None
    if clerk.at is None or first not in clerk.windows[clerk.at]:
        clerk.at = next(window for window, calls in clerk.windows.items() if first in calls)
        window_shift_open(clerk=clerk.user, window_id=clerk.at.pk, now=moment)
    return ticket_call_next(clerk=clerk.user, center=center, now=moment)


def _attend(center, ticket: Ticket, clerk: User, called: datetime, rng) -> datetime:
    """Served for the queue's usual time, or called again and marked absent; when the clerk is free."""
    step = timedelta(minutes=1)
    if rng.random() < NO_SHOW_SHARE:
        for again in range(1, settings.HALL_NO_SHOW_AFTER_RECALLS + 1):
            ticket_recall(ticket_id=ticket.pk, clerk=clerk, center=center, now=called + again * step)
        gone = called + (settings.HALL_NO_SHOW_AFTER_RECALLS + 1) * step
        ticket_no_show(ticket_id=ticket.pk, clerk=clerk, center=center, now=gone)
        return gone
    shortest, longest = next(q.minutes for q in DEMO_QUEUES if q.letter == ticket.code[0])
    started = called + rng.uniform(0.3, 1.5) * step
    finished = started + rng.uniform(shortest, longest) * step
    ticket_serve(ticket_id=ticket.pk, clerk=clerk, center=center, now=started)
    ticket_finish(ticket_id=ticket.pk, clerk=clerk, center=center, now=finished)
    return finished + rng.uniform(0.2, 1) * step


def _today(center, kiosk, queues, now: datetime) -> None:
    """``TODAY``, never before midnight (a demo set up just after it has its tickets at 0:00)."""
    midnight = datetime.combine(timezone.localdate(now, CAIRO), time.min, tzinfo=CAIRO)
    clerk = User.objects.get(username="bnh.clerk2")
    ticket = None
    for ago, action, *issue in TODAY:
        at = max(now - timedelta(minutes=ago), midnight)
        if action == "issue":
            letter, mobile = issue
            ticket_issue(device=kiosk, queue_id=queues[letter].pk, mobile=mobile, now=at)
        elif action == "open":
            window = HallWindow.objects.get(center=center, number=3)
            window_shift_open(clerk=clerk, window_id=window.pk, now=at)
        elif action == "call":
            ticket = ticket_call_next(clerk=clerk, center=center, now=at)
        else:
            step = ticket_serve if action == "serve" else ticket_finish
            step(ticket_id=ticket.pk, clerk=clerk, center=center, now=at)
