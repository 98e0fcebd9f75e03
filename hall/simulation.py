"""A simulated working day of a hall, to measure the waiting-time estimate against the real waits.

The day drives the real services (issue, call, call again, absent, serve, finish, windows opened and
closed) with a simulated clock: a heap of events, no sleeping. Citizens arrive at the kiosk from
08:00 to 14:30 with a morning peak; each window opens at 08:00 or late, closes once for a break
around noon, and at 15:00 serves whoever still waits, then closes. Service times are lognormal, with
a long tail of slow files. A ticket's wait is its first call minus its issue; the estimate is the one
printed on it. Nothing here is used by the pages: tests/hall/test_estimate.py and
bench/hall_estimate.py run it."""

import heapq
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import fmean, median, quantiles

from django.conf import settings

from accounts.models import User
from hall.models import HallDevice, HallQueue, HallWindow, Ticket
from hall.services import (
    HallError,
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
from organisation.calendar import CAIRO
from organisation.models import Center

OPENING = time(8, 0)
KIOSK_MINUTES = 390  # the kiosk gives tickets until 14:30
CLOSING_MINUTES = 420  # 15:00: the windows serve those still inside, then close
PEAK_MINUTE, PEAK_WIDTH = 120, 70  # the morning crowd, around 10:00
RECALL_GAP = 1.5  # minutes between two calls of a ticket whose citizen does not come
BASELINE_MINUTES = 6  # the naive estimate: this many minutes per ticket ahead, whatever the windows


@dataclass(frozen=True)
class QueueLoad:
    queue: HallQueue
    tickets: float  # expected tickets in the day
    service_minutes: float  # median time at the window, once the citizen stands there
    spread: float = 0.5  # sigma of the lognormal: a few files take three times the median
    no_show: float = 0.04


@dataclass(frozen=True)
class Waited:
    code: str
    letter: str
    issued_at: datetime
    ahead: int
    estimate: int | None  # None: no window of the queue was open when it was issued
    actual: float  # minutes from issue to first call


@dataclass(frozen=True)
class Accuracy:
    count: int
    mean_wait: float
    mae: float
    median_abs: float
    p90_abs: float
    bias: float  # mean of estimate − actual: positive when the ticket promised too long a wait
    within_5: float  # share within ±5 minutes
    within_25pct: float  # share within ±25 % of the actual wait


def accuracy(pairs: list[tuple[float, float]]) -> Accuracy:
    """Figures of (estimate, actual) pairs, in minutes."""
    errors = [estimate - actual for estimate, actual in pairs]
    absolute = sorted(abs(e) for e in errors)
    return Accuracy(
        count=len(pairs),
        mean_wait=fmean(actual for _, actual in pairs),
        mae=fmean(absolute),
        median_abs=median(absolute),
        p90_abs=quantiles(absolute, n=10, method="inclusive")[-1],
        bias=fmean(errors),
        within_5=fmean(abs(e) <= 5 for e in errors),
        within_25pct=fmean(abs(e) <= 0.25 * actual for e, (_, actual) in zip(errors, pairs, strict=True)),
    )


@dataclass
class DayResult:
    day: date
    waited: list[Waited]  # every called ticket, in the order issued
    no_shows: int
    last_call: datetime

    @property
    def estimated(self) -> list[Waited]:
        return [w for w in self.waited if w.estimate is not None]

    @property
    def estimate(self) -> Accuracy:
        return accuracy([(w.estimate, w.actual) for w in self.estimated])

    @property
    def baseline(self) -> Accuracy:
        """The same tickets against a constant: BASELINE_MINUTES per ticket ahead."""
        return accuracy([(BASELINE_MINUTES * w.ahead, w.actual) for w in self.estimated])


@dataclass
class _Window:
    window: HallWindow
    clerk: User
    queue_ids: set[int]
    opens: float
    break_at: float
    break_minutes: float
    open: bool = False
    idle: bool = False  # open, and found no one to call: an arrival wakes it
    ticket_id: int | None = None
    on_break_due: bool = False
    closing: bool = False


@dataclass
class _Day:
    center: Center
    kiosk: HallDevice
    loads: dict[int, QueueLoad]
    windows: list[_Window]
    rng: random.Random
    start: datetime
    events: list = field(default_factory=list)
    seq: int = 0
    no_shows: int = 0
    last_call: datetime | None = None

    def at(self, t: float) -> datetime:
        return self.start + timedelta(minutes=t)

    def push(self, t: float, handler, *args) -> None:
        self.seq += 1  # same-time events run in the order pushed: the day is reproducible
        heapq.heappush(self.events, (t, self.seq, handler, args))

    def run(self) -> None:
        while self.events:
            t, _, handler, args = heapq.heappop(self.events)
            handler(t, *args)

    # The kiosk.

    def arrive(self, t: float, queue_id: int) -> None:
        ticket_issue(device=self.kiosk, queue_id=queue_id, now=self.at(t))
        for w in self.windows:
            if w.idle and queue_id in w.queue_ids:
                self.call(t, w)
                break

    # The windows.

    def open(self, t: float, w: _Window) -> None:
        window_shift_open(clerk=w.clerk, window_id=w.window.pk, now=self.at(t))
        w.open, w.on_break_due = True, False
        self.call(t, w)

    def close(self, t: float, w: _Window) -> None:
        window_shift_close(clerk=w.clerk, now=self.at(t))
        w.open = w.idle = False
        if w.on_break_due:
            self.push(t + w.break_minutes, self.open, w)

    def take_break(self, t: float, w: _Window) -> None:
        w.on_break_due = True
        if w.idle:  # otherwise when the ticket at the window is done
            self.close(t, w)

    def close_the_day(self, t: float) -> None:
        for w in self.windows:
            w.closing = True
            if w.idle:
                self.close(t, w)

    def call(self, t: float, w: _Window) -> None:
        if w.on_break_due:
            self.close(t, w)
            return
        try:
            ticket = ticket_call_next(clerk=w.clerk, center=self.center, now=self.at(t))
        except HallError:
            w.idle = True
            if w.closing:
                self.close(t, w)
            return
        w.idle, w.ticket_id, self.last_call = False, ticket.pk, self.at(t)
        load = self.loads[ticket.queue_id]
        if self.rng.random() < load.no_show:
            self.push(t + RECALL_GAP, self.recall, w, 0)
        else:
            self.push(t + self.rng.uniform(0.3, 1.5), self.serve, w, load)  # the walk to the window

    def recall(self, t: float, w: _Window, recalls: int) -> None:
        if recalls < settings.HALL_NO_SHOW_AFTER_RECALLS:
            ticket_recall(ticket_id=w.ticket_id, clerk=w.clerk, center=self.center, now=self.at(t))
            self.push(t + RECALL_GAP, self.recall, w, recalls + 1)
            return
        ticket_no_show(ticket_id=w.ticket_id, clerk=w.clerk, center=self.center, now=self.at(t))
        self.no_shows += 1
        self.done(t, w)

    def serve(self, t: float, w: _Window, load: QueueLoad) -> None:
        ticket_serve(ticket_id=w.ticket_id, clerk=w.clerk, center=self.center, now=self.at(t))
        minutes = self.rng.lognormvariate(math.log(load.service_minutes), load.spread)
        self.push(t + minutes, self.finish, w)

    def finish(self, t: float, w: _Window) -> None:
        ticket_finish(ticket_id=w.ticket_id, clerk=w.clerk, center=self.center, now=self.at(t))
        self.done(t, w)

    def done(self, t: float, w: _Window) -> None:
        w.ticket_id = None
        if w.on_break_due:
            self.close(t, w)
        else:  # the file put away before the next call, time no ticket's span counts
            self.push(t + self.rng.uniform(0.1, 0.5), self.call, w)


def arrivals(rng: random.Random, expected: float) -> list[float]:
    """Minutes after opening at which citizens take a ticket: a Poisson process whose rate rises to a
    peak around 10:00 and ebbs in the early afternoon (thinning a constant-rate process)."""

    def shape(t: float) -> float:
        return 0.5 + 1.5 * math.exp(-(((t - PEAK_MINUTE) / PEAK_WIDTH) ** 2))

    mass = sum(shape(m + 0.5) for m in range(KIOSK_MINUTES))
    peak = expected * shape(PEAK_MINUTE) / mass
    times, t = [], 0.0
    while True:
        t += rng.expovariate(peak)
        if t >= KIOSK_MINUTES:
            return times
        if rng.random() < shape(t) / shape(PEAK_MINUTE):
            times.append(t)


def simulate_day(
    *,
    center: Center,
    kiosk: HallDevice,
    clerks_by_window: dict[HallWindow, User],
    queues: list[QueueLoad],
    seed: int,
    day: date,
) -> DayResult:
    """One working day of ``center``'s hall from an empty hall and closed windows; ``seed`` fixes it."""
    rng = random.Random(seed)
    start = datetime.combine(day, OPENING, tzinfo=CAIRO)
    windows = []
    for n, (window, clerk) in enumerate(sorted(clerks_by_window.items(), key=lambda wc: wc[0].number)):
        windows.append(
            _Window(
                window=window,
                clerk=clerk,
                queue_ids={q.pk for q in window.queues.filter(is_active=True)},
                opens=0.0 if rng.random() < 0.5 else rng.uniform(10, 50),
                # Staggered, so the hall never empties; the order of the windows changes with the seed.
                break_at=165 + 35 * ((n + seed) % len(clerks_by_window)) + rng.uniform(-5, 5),
                break_minutes=rng.uniform(20, 35),
            )
        )
    sim = _Day(
        center=center,
        kiosk=kiosk,
        loads={load.queue.pk: load for load in queues},
        windows=windows,
        rng=rng,
        start=start,
    )
    for load in queues:
        for t in arrivals(rng, load.tickets):
            sim.push(t, sim.arrive, load.queue.pk)
    for w in windows:
        sim.push(w.opens, sim.open, w)
        sim.push(w.break_at, sim.take_break, w)
    sim.push(CLOSING_MINUTES, sim.close_the_day)
    sim.run()

    tickets = (
        Ticket.objects.filter(center=center, day=day).select_related("issued_queue").order_by("issued_at")
    )
    left = [t.code for t in tickets if t.first_called_at is None]
    if left:
        raise RuntimeError(f"The simulated day ended with tickets never called: {left}")
    return DayResult(
        day=day,
        waited=[
            Waited(
                code=t.code,
                letter=t.issued_queue.letter,
                issued_at=t.issued_at,
                ahead=t.ahead_at_issue,
                estimate=t.estimate_minutes,
                actual=(t.first_called_at - t.issued_at).total_seconds() / 60,
            )
            for t in tickets
        ],
        no_shows=sim.no_shows,
        last_call=sim.last_call,
    )


def standard_hall(
    *, center: Center, clerks: list[User]
) -> tuple[HallDevice, dict[HallWindow, User], list[QueueLoad]]:
    """The hall the test and the benchmark simulate: permits (B, slow), certificates (C, quick) and the
    priority queue (A, a handful of tickets); window 1 calls permits, window 2 certificates, window 3
    both, window 4 permits; every window also calls the priority queue. Four clerks of ``center``."""
    permits = HallQueue.objects.create(center=center, letter="B", name_ar="التراخيص", position=1)
    certificates = HallQueue.objects.create(center=center, letter="C", name_ar="الشهادات", position=2)
    priority = HallQueue.objects.create(center=center, letter="A", name_ar="كبار السن", is_priority=True)
    layout = {1: [permits], 2: [certificates], 3: [permits, certificates], 4: [permits]}
    by_window = {}
    for (number, served), clerk in zip(layout.items(), clerks, strict=True):
        window = HallWindow.objects.create(center=center, number=number)
        window.queues.set([*served, priority])
        by_window[window] = clerk
    kiosk, _ = hall_device_issue(center=center, kind=HallDevice.Kind.KIOSK, name="kiosk")
    loads = [
        QueueLoad(queue=permits, tickets=70, service_minutes=8),
        QueueLoad(queue=certificates, tickets=110, service_minutes=3.5),
        QueueLoad(queue=priority, tickets=8, service_minutes=6),
    ]
    return kiosk, by_window, loads
