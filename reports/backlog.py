"""The open requests — in progress, awaiting the citizen, open and overdue, open and at risk — and their
**aging** (working days since submission: 0–5, 6–10, 11–20, 21–40, more than 40), counted into a
periodic snapshot (``reports.models.BacklogCell``, one row per center × service × department holding
the request × state group) that the dashboards read.

**Why a snapshot while the flows are live.** The flows (received, decided, delivered …) change only
when something happens to a request, so ``reports.rollups`` adds each event to its day's row in the
event's own transaction and they are live. The backlog is not a sum of events: an open request's age
grows by one every working day and it becomes at risk or overdue when a moment passes, with no event
at all. Kept by events, every open request would have to be moved from bucket to bucket each night;
counted live, a governorate's screen would read all its open requests (the benchmark's 10 million
requests hold 1.7 million open ones, tens of thousands per center) on every view. So the backlog is
counted every ``REFRESH_MINUTES`` minutes (Celery beat "reports-backlog-refresh", ``manage.py
backlog_refresh``, the demo seed), and each screen says "as of" the count.

**The count** is one SQL aggregate over the open requests (the partial index ``request_open_backlog``
of migration ``reports.0005_backlog`` covers every column it reads: an index-only scan over the open
requests, never the 10 million rows — at 2 million requests, 341,000 open: 0.4 s for the aggregate,
1–1.7 s for the whole refresh, against 1.5 s for the aggregate alone over the table; the drill-down's
lists of open requests read ``request_open_newest`` in their order). The age buckets need no
per-request Python: the bucket bounds are turned, once per refresh, into submission moments per
working-day calendar (Sunday–Thursday, Egypt's public holidays, the administrators' closures; centers
whose calendars differ get their own cut-offs), so a request's bucket is a ``CASE`` on
``submitted_at``. Replacing the cells is atomic: one transaction deletes them, inserts the new ones
and stamps ``BacklogSnapshot.taken_at``; readers see the old count or the new one, never a mix. A
refresh that finds another one running leaves it to finish and changes nothing.

**The definitions** (the same here, in the count and in the drill-down's live lists):

- *open*: submitted, in review or awaiting the citizen; *in progress*: submitted or in review;
  *awaiting the citizen*: the clock stands still until the citizen brings what was asked;
- *open and overdue*: open and marked past the legal deadline by the deadline sweep (``overdue_since``);
- *open and at risk*: in review, not (yet) past the legal deadline, and its current step has used
  ``AT_RISK_SHARE`` of its working days or more (``step_risk_at`` has passed; a step running late
  counts too) — a request paused for the citizen is never at risk, its clock stands still;
- *age*: working days after the Cairo day of submission up to and including today, in the request's
  center's calendar (``WorkCalendar.working_days_between``). Time waiting for the citizen is not taken
  off: this is how long the citizen has been waiting for an answer.

Screens: the governorate, center and national dashboards read the snapshot for all of these, the
center's queue per department included (one busy center holds over a hundred thousand open requests at
10 million, and one count keeps the page's figures agreeing with each other); today's intake stays
live. The lists behind a figure (the drill-down) are live queries.
"""

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Center, Closure
from reports.models import BacklogCell, BacklogSnapshot
from requests_app.models import OPEN_STATES, RequestState, ServiceRequest

REFRESH_MINUTES = 5
# A count older than this says so on the screen: the beat or its worker is probably stopped.
STALE_AFTER = timedelta(minutes=3 * REFRESH_MINUTES)
IN_PROGRESS_STATES = (RequestState.SUBMITTED, RequestState.IN_REVIEW)


@dataclass(frozen=True)
class AgeBucket:
    """Open requests submitted ``first`` to ``last`` working days ago (``last`` None: or more)."""

    index: int
    first: int
    last: int | None
    field: str  # BacklogCell's column
    label: str
    short: str  # under a chart's column (an ASCII hyphen keeps "0-5" in order right to left)
    open_label: str  # the drill-down's name for its requests

    @property
    def kind(self) -> str:
        """The drill-down's kind for this bucket (``reports.dashboards.Kind``)."""
        return f"aged-{self.first}"


AGE_BUCKETS = (
    AgeBucket(0, 0, 5, "aged_0_5", _("0 to 5 working days"), "0-5", _("Open for 0 to 5 working days")),
    AgeBucket(1, 6, 10, "aged_6_10", _("6 to 10 working days"), "6-10", _("Open for 6 to 10 working days")),
    AgeBucket(
        2, 11, 20, "aged_11_20", _("11 to 20 working days"), "11-20", _("Open for 11 to 20 working days")
    ),
    AgeBucket(
        3, 21, 40, "aged_21_40", _("21 to 40 working days"), "21-40", _("Open for 21 to 40 working days")
    ),
    AgeBucket(
        4,
        41,
        None,
        "aged_over_40",
        _("More than 40 working days"),
        _("over 40"),
        _("Open for more than 40 working days"),
    ),
)
AGE_FIELDS = tuple(bucket.field for bucket in AGE_BUCKETS)
AGE_KINDS = {bucket.kind: bucket for bucket in AGE_BUCKETS}
# How far back a closure can still move a cut-off: 40 working days never span more than this.
CLOSURES_LOOK_BACK = timedelta(days=400)


# What each figure counts: the snapshot's aggregate and the drill-down's lists use these same filters.


def open_q() -> Q:
    return Q(state__in=OPEN_STATES)


def in_progress_q() -> Q:
    return Q(state__in=IN_PROGRESS_STATES)


def awaiting_citizen_q() -> Q:
    return Q(state=RequestState.AWAITING_CITIZEN)


def overdue_q() -> Q:
    return open_q() & Q(overdue_since__isnull=False)


def at_risk_q(now: datetime) -> Q:
    return Q(state=RequestState.IN_REVIEW, overdue_since__isnull=True, step_risk_at__lte=now)


# Working days since submission, as cut-offs on submitted_at --------------------------------------------


@dataclass(frozen=True)
class AgeCutoffs:
    """For one calendar: the first moment of the earliest submission day whose age is at most 5, 10,
    20 and 40 working days (so ``submitted_at >= starts[i]`` ⟺ age ≤ the ``i``-th bucket's last day).
    ``center_ids`` None: every center not named by another calendar."""

    center_ids: frozenset[int] | None
    starts: tuple[datetime, ...]


def _starts(calendar: WorkCalendar, today: date) -> tuple[datetime, ...]:
    """Walk back from today: a request submitted on day ``d`` has the age of day ``d + 1`` plus one
    when ``d + 1`` is a working day (the age counts the working days after submission, today's too)."""
    starts, day, age = [], today, 0
    for bucket in AGE_BUCKETS[:-1]:
        while age + calendar.is_working_day(day) <= bucket.last:
            age += calendar.is_working_day(day)
            day -= timedelta(days=1)
        starts.append(datetime.combine(day, clock_time.min, tzinfo=CAIRO))
    return tuple(starts)


def age_cutoffs(today: date) -> list[AgeCutoffs]:
    """The cut-offs of every calendar in use: one for the centers under nationwide closures only (the
    usual case), one per governorate or center with closures of its own in the last months."""
    recent = list(
        Closure.objects.filter(ends_on__gte=today - CLOSURES_LOOK_BACK).values_list(
            "starts_on", "ends_on", "governorate_id", "center_id"
        )
    )
    closed: dict[tuple[str, int | None], set[date]] = defaultdict(set)
    for starts_on, ends_on, governorate_id, center_id in recent:
        key = ("center", center_id) if center_id else ("governorate", governorate_id)
        closed[key].update(starts_on + timedelta(days=n) for n in range((ends_on - starts_on).days + 1))
    nationwide = frozenset(closed.pop(("governorate", None), set()))
    special: dict[frozenset[date], set[int]] = defaultdict(set)
    if closed:
        governorates = {key for kind, key in closed if kind == "governorate"}
        centers = {key for kind, key in closed if kind == "center"}
        for center_id, governorate_id in Center.objects.filter(
            Q(governorate_id__in=governorates) | Q(pk__in=centers)
        ).values_list("pk", "governorate_id"):
            days = nationwide | closed.get(("governorate", governorate_id), set())
            special[frozenset(days | closed.get(("center", center_id), set()))].add(center_id)
    return [
        *(
            AgeCutoffs(frozenset(ids), _starts(WorkCalendar(closed_days=days), today))
            for days, ids in special.items()
        ),
        AgeCutoffs(None, _starts(WorkCalendar(closed_days=nationwide), today)),
    ]


def _named(cutoffs: list[AgeCutoffs]) -> frozenset[int]:
    return frozenset().union(*(c.center_ids for c in cutoffs if c.center_ids is not None))


def age_bucket_case(cutoffs: list[AgeCutoffs]) -> Case:
    """The bucket index (0–4) of a request, as one ``CASE`` on its center and ``submitted_at``."""
    whens = []
    for calendar in cutoffs:
        if calendar.center_ids is None:
            continue
        in_calendar = Q(center_id__in=sorted(calendar.center_ids))
        whens += [
            When(in_calendar & Q(submitted_at__gte=s), then=Value(i)) for i, s in enumerate(calendar.starts)
        ]
        whens.append(When(in_calendar, then=Value(len(calendar.starts))))
    usual = next(c for c in cutoffs if c.center_ids is None)
    whens += [When(submitted_at__gte=s, then=Value(i)) for i, s in enumerate(usual.starts)]
    return Case(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())


def aged_q(bucket: AgeBucket, *, today: date, cutoffs: list[AgeCutoffs] | None = None) -> Q:
    """The open requests of ``bucket`` today: the same cut-offs as the snapshot's count."""
    cutoffs = cutoffs if cutoffs is not None else age_cutoffs(today)
    any_calendar = Q(pk__in=[])
    for calendar in cutoffs:
        if calendar.center_ids is None:
            named = _named(cutoffs)
            where = ~Q(center_id__in=sorted(named)) if named else Q()
        else:
            where = Q(center_id__in=sorted(calendar.center_ids))
        if bucket.index < len(calendar.starts):
            where &= Q(submitted_at__gte=calendar.starts[bucket.index])
        if bucket.index > 0:
            where &= Q(submitted_at__lt=calendar.starts[bucket.index - 1])
        any_calendar |= where
    return open_q() & any_calendar


# The refresh -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshReport:
    taken_at: datetime | None
    open: int = 0
    cells: int = 0
    seconds: float = 0.0
    skipped: bool = False  # another refresh was running: it gives the count


def count_query(now: datetime):
    """The refresh's one aggregate: the open requests grouped by center, service, department, state
    and age bucket (counting no column outside the index, so that the index alone answers)."""
    return (
        ServiceRequest.objects.filter(open_q())
        .annotate(age=age_bucket_case(age_cutoffs(timezone.localdate(now, CAIRO))))
        .values("center_id", "service_id", "current_department_id", "state", "age")
        .annotate(
            n=Count("*"),
            overdue=Count("overdue_since"),  # the marked ones (COUNT skips NULL)
            at_risk=Count("center", filter=at_risk_q(now)),
        )
        .order_by()
    )


def _counted(now: datetime) -> list[BacklogCell]:
    """The count, folded into cells (one per center, service, department and state group)."""
    cells: dict[tuple, BacklogCell] = {}
    for line in count_query(now):
        waiting = line["state"] == RequestState.AWAITING_CITIZEN
        key = (line["center_id"], line["service_id"], line["current_department_id"], waiting)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = BacklogCell(
                center_id=key[0], service_id=key[1], department_id=key[2], waiting=waiting
            )
        cell.open += line["n"]
        cell.overdue += line["overdue"]
        cell.at_risk += line["at_risk"]
        age_field = AGE_FIELDS[line["age"]]
        setattr(cell, age_field, getattr(cell, age_field) + line["n"])
    return list(cells.values())


def backlog_refresh(*, now: datetime | None = None) -> RefreshReport:
    """Count the open requests again and replace the snapshot with the count, in one transaction."""
    started = time.monotonic()
    with transaction.atomic():
        BacklogSnapshot.objects.get_or_create(pk=1)
        if BacklogSnapshot.objects.select_for_update(skip_locked=True).filter(pk=1).first() is None:
            return RefreshReport(taken_at=None, skipped=True)
        now = now or timezone.now()  # taken once the lock is held: a later refresh counts later
        cells = _counted(now)
        BacklogCell.objects.all().delete()
        BacklogCell.objects.bulk_create(cells, batch_size=2000)
        open_total = sum(cell.open for cell in cells)
        seconds = time.monotonic() - started
        BacklogSnapshot.objects.filter(pk=1).update(
            taken_at=now, open=open_total, cells=len(cells), seconds=seconds
        )
    return RefreshReport(taken_at=now, open=open_total, cells=len(cells), seconds=seconds)


# Reading it ------------------------------------------------------------------------------------------


def as_of() -> datetime | None:
    """When the snapshot was counted (None: never yet)."""
    return BacklogSnapshot.objects.filter(pk=1).values_list("taken_at", flat=True).first()


def is_stale(taken_at: datetime | None, *, now: datetime | None = None) -> bool:
    return taken_at is None or (now or timezone.now()) - taken_at > STALE_AFTER


ZERO_AGES = (0,) * len(AGE_BUCKETS)


def _plus(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class Backlog:
    """The open requests of some cells, as counted by the last refresh."""

    in_progress: int = 0
    awaiting_citizen: int = 0
    overdue: int = 0
    at_risk: int = 0
    aged_in_progress: tuple[int, ...] = ZERO_AGES  # per AGE_BUCKETS
    aged_awaiting: tuple[int, ...] = ZERO_AGES

    @property
    def open(self) -> int:
        return self.in_progress + self.awaiting_citizen

    @property
    def aged(self) -> tuple[int, ...]:
        return _plus(self.aged_in_progress, self.aged_awaiting)

    @property
    def overdue_share(self) -> float | None:
        return self.overdue / self.open if self.open else None

    def __add__(self, other: "Backlog") -> "Backlog":
        return Backlog(
            self.in_progress + other.in_progress,
            self.awaiting_citizen + other.awaiting_citizen,
            self.overdue + other.overdue,
            self.at_risk + other.at_risk,
            _plus(self.aged_in_progress, other.aged_in_progress),
            _plus(self.aged_awaiting, other.aged_awaiting),
        )


SUMS = ("open", "overdue", "at_risk", *AGE_FIELDS)


def _of_line(line: dict) -> Backlog:
    ages = tuple(line[name] or 0 for name in AGE_FIELDS)
    if line["waiting"]:
        return Backlog(awaiting_citizen=line["open"] or 0, aged_awaiting=ages, **_marks(line))
    return Backlog(in_progress=line["open"] or 0, aged_in_progress=ages, **_marks(line))


def _marks(line: dict) -> dict:
    return {"overdue": line["overdue"] or 0, "at_risk": line["at_risk"] or 0}


def backlog_by(*, by: Sequence[str] = (), rows: Q) -> dict[tuple, Backlog]:
    """The snapshot's cells matching ``rows`` (a filter on BacklogCell: ``center``, ``service``,
    ``department`` and their relations; the caller folds in the viewer's scope, e.g. ``Slice.rows``),
    summed per value of the ``by`` fields (a key is the tuple of their values; no ``by``: one key,
    ``()``). One query over the cells, however many requests there are."""
    totals: dict[tuple, Backlog] = defaultdict(Backlog)
    for line in (
        BacklogCell.objects.filter(rows)
        .values(*by, "waiting")
        .annotate(**{name: Sum(name) for name in SUMS})
        .order_by()
    ):
        key = tuple(line[name] for name in by)
        totals[key] = totals[key] + _of_line(line)
    return dict(totals)


def backlog_total(*, rows: Q) -> Backlog:
    return backlog_by(rows=rows).get((), Backlog())


@dataclass(frozen=True)
class AgingRow:
    bucket: AgeBucket
    in_progress: int
    awaiting_citizen: int

    @property
    def open(self) -> int:
        return self.in_progress + self.awaiting_citizen


@dataclass(frozen=True)
class Aging:
    """What an aging table shows: the totals, each bucket split by state group, and the count's time."""

    as_of: datetime | None
    backlog: Backlog = field(default_factory=Backlog)

    @property
    def rows(self) -> list[AgingRow]:
        b = self.backlog
        return [AgingRow(k, b.aged_in_progress[k.index], b.aged_awaiting[k.index]) for k in AGE_BUCKETS]


def backlog_aging(*, rows: Q) -> Aging:
    """The backlog aging of the cells matching ``rows`` — for any screen, e.g. a department's view:
    ``backlog_aging(rows=Q(department=department))`` (add ``& Q(service=…)`` or a center to narrow it).
    ``rows`` filters ``BacklogCell`` and must already hold the viewer's scope. Two small queries (the
    count's time and the cells), whatever the number of requests; ``Aging.as_of`` is what the screen
    shows as "as of" (None: never counted yet). The live list behind a bucket is the drill-down kind
    ``AgeBucket.kind`` (``aged-0``, ``aged-6``, ``aged-11``, ``aged-21``, ``aged-41``)."""
    return Aging(as_of=as_of(), backlog=backlog_total(rows=rows))


def open_by_department(*, rows: Q) -> list[dict]:
    """The open requests of the matching cells by the department holding them (as counted), with how
    many wait for the citizen, are overdue and at risk: the most overdue first."""
    names = ("department", "department__department_type__name_ar", "department__department_type__name_en")
    by_department = backlog_by(by=names, rows=rows & Q(department__isnull=False))
    lines = [
        {
            "current_department": department,
            "current_department__department_type__name_ar": name_ar,
            "current_department__department_type__name_en": name_en,
            "open": backlog.open,
            "waiting": backlog.awaiting_citizen,
            "overdue": backlog.overdue,
            "at_risk": backlog.at_risk,
        }
        for (department, name_ar, name_en), backlog in by_department.items()
    ]
    return sorted(
        lines, key=lambda d: (-d["overdue"], -d["open"], d["current_department__department_type__name_ar"])
    )


def ranked_by_overdue(places: Iterable, backlogs: dict[int, Backlog]) -> list[tuple]:
    """Every place (center or governorate) with its backlog, the most open and overdue first (then
    the larger overdue share, then the larger backlog)."""
    rows = [(place, backlogs.get(place.pk, Backlog())) for place in places]
    return sorted(rows, key=lambda r: (-r[1].overdue, -(r[1].overdue_share or 0), -r[1].open, r[0].code))
