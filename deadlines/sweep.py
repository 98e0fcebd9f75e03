"""The deadline sweep (Celery beat, every few minutes) for every kind of tracked work.

A kind of tracked work plugs in by declaring where its running clocks are (``ClockKind``) — usually
from its ``AppConfig.ready``. A request's current step, for example::

    register_clock(ClockKind(
        key="request_step",
        running=lambda: RequestStep.objects.filter(status=RequestStep.Status.ACTIVE),
        center="request__center",     # whose working-day calendar counts
        risk="risk_at",               # at risk from this moment: set at_risk_since once
        escalate=True,                # climb the ladder while overdue
        escalation_mark="escalation_level",  # the level reached, so that a quiet sweep reads nothing
    ))

and the sweep, for each kind, in one transaction:

- sets ``at_risk_mark`` once on running rows whose ``risk`` moment passed;
- sets ``overdue_mark`` once on running rows whose ``due`` moment passed, and hands the ids newly
  marked to ``on_overdue`` (to queue an apology SMS, say — in the sweep's transaction);
- with ``escalate``, records an ``Escalation`` per level of ``ESCALATION_WORKING_DAYS`` (department
  head, center manager, governorate) once a running row is that many working days overdue — counted
  in its center's calendar, closures included.

Everything is set-based SQL built from the kind's querysets, never a Python loop over the rows.
Running the sweep again, or twice at once, changes nothing the second time: marks are set only where
empty (rechecked under the row lock) and escalations insert ON CONFLICT DO NOTHING.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Center, Closure


@dataclass(frozen=True)
class ClockKind:
    """Where one kind of tracked work keeps a running deadline clock. Lookups start from the rows of
    ``running()``; the marks are fields of that model."""

    key: str
    running: Callable[[], QuerySet]  # rows whose clock runs now (not paused, not stopped)
    center: str  # lookup of the center whose working days count
    due: str = "due_at"
    overdue_mark: str = "overdue_since"
    risk: str | None = None  # None: the kind has no at-risk mark
    at_risk_mark: str = "at_risk_since"
    escalate: bool = False
    # A small integer field holding the highest level recorded: rows at the top are not read again.
    # Without one, every late row is offered to every level each time (and skipped by the unique key).
    escalation_mark: str | None = None
    on_overdue: Callable[[list[int]], None] | None = None


@dataclass
class KindReport:
    at_risk: int = 0
    overdue: int = 0
    overdue_ids: list[int] = field(default_factory=list)  # only for kinds with an on_overdue hook
    escalations: dict[int, int] = field(default_factory=dict)


@dataclass
class SweepReport:
    kinds: dict[str, KindReport] = field(default_factory=dict)

    def __getitem__(self, key: str) -> KindReport:
        return self.kinds[key]


_KINDS: dict[str, ClockKind] = {}


def register_clock(kind: ClockKind) -> None:
    _KINDS[kind.key] = kind


def registered_clocks() -> list[ClockKind]:
    return list(_KINDS.values())


@transaction.atomic
def deadline_sweep(*, now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    groups = _calendar_groups(now)
    for kind in _KINDS.values():
        result = report.kinds[kind.key] = KindReport()
        if kind.risk:
            result.at_risk = _mark(kind, kind.at_risk_mark, {f"{kind.risk}__lte": now}, now)
        if kind.on_overdue:
            result.overdue_ids = _mark_returning(kind, kind.overdue_mark, {f"{kind.due}__lt": now}, now)
            result.overdue = len(result.overdue_ids)
        else:
            result.overdue = _mark(kind, kind.overdue_mark, {f"{kind.due}__lt": now}, now)
        if kind.escalate:
            result.escalations = _escalate(kind, groups, now)
        if result.overdue_ids:
            kind.on_overdue(result.overdue_ids)
    return report


def _mark(kind: ClockKind, mark: str, passed: dict, now: datetime) -> int:
    """Set ``mark`` to now on running rows where it is empty and the moment passed; how many. One
    UPDATE (Django's own, with no subquery when the kind's rows need no join)."""
    return kind.running().filter(**passed, **{f"{mark}__isnull": True}).update(**{mark: now})


def _mark_returning(kind: ClockKind, mark: str, passed: dict, now: datetime) -> list[int]:
    """``_mark``, for kinds that act on what became overdue: the ids of the rows it marked."""
    rows = kind.running().filter(**passed, **{f"{mark}__isnull": True})
    model = rows.model
    table, pk = model._meta.db_table, model._meta.pk.column
    column = model._meta.get_field(mark).column
    select, params = rows.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # The IS NULL test is evaluated again under the row lock: a concurrent sweep marks nothing twice.
        cursor.execute(
            f'UPDATE "{table}" SET "{column}" = %s WHERE "{pk}" IN ({select}) AND "{column}" IS NULL '
            f'RETURNING "{pk}"',
            [now, *params],
        )
        return [row[0] for row in cursor.fetchall()]


def _escalate(kind: ClockKind, groups: list[tuple[WorkCalendar, dict]], now: datetime) -> dict[int, int]:
    subject_type = ContentType.objects.get_for_model(kind.running().model).pk
    levels = list(enumerate(settings.ESCALATION_WORKING_DAYS, start=1))
    counts = dict.fromkeys((level for level, _ in levels), 0)
    with connection.cursor() as cursor:
        for calendar, centers in groups:
            rows = kind.running()
            rows = rows.filter(**{f"{kind.center}__in": centers["only"]}) if "only" in centers else rows
            if centers.get("except"):
                rows = rows.exclude(**{f"{kind.center}__in": centers["except"]})
            cutoffs = {level: _cutoff(calendar, now, days) for level, days in levels}
            for level, cutoff in cutoffs.items():
                late = rows.filter(**{f"{kind.due}__lt": cutoff})
                if kind.escalation_mark:
                    late = late.filter(**{f"{kind.escalation_mark}__lt": level})
                select, params = late.values(escalated=F("pk")).query.sql_with_params()
                cursor.execute(
                    "INSERT INTO deadlines_escalation (subject_type_id, subject_id, level, created_at) "
                    # WHERE true: SQLite (the demo) would read ON CONFLICT as a join's ON without it.
                    f"SELECT %s, late.escalated, %s, %s FROM ({select}) late WHERE true "
                    "ON CONFLICT (subject_type_id, subject_id, level) DO NOTHING",
                    [subject_type, level, now, *params],
                )
                counts[level] += cursor.rowcount
            if kind.escalation_mark:
                _raise_marks(kind, rows, cutoffs)
    return counts


def _raise_marks(kind: ClockKind, rows: QuerySet, cutoffs: dict[int, datetime]) -> None:
    """Record on each row the highest level it has now reached (one UPDATE; never lowers a level)."""
    due, mark = kind.due, kind.escalation_mark
    behind = Q()
    for level, cutoff in cutoffs.items():
        behind |= Q(**{f"{due}__lt": cutoff, f"{mark}__lt": level})
    reached = Case(
        *(
            When(**{f"{due}__lt": cutoff}, then=Value(level))
            for level, cutoff in sorted(cutoffs.items())[::-1]
        ),
        default=F(mark),
        output_field=rows.model._meta.get_field(mark),
    )
    rows.filter(behind).update(**{mark: reached})


def _cutoff(calendar: WorkCalendar, now: datetime, overdue_days: int) -> datetime:
    """Clocks due before this moment are at least ``overdue_days`` working days overdue now."""
    if overdue_days == 0:
        return now
    tomorrow = now.astimezone(CAIRO).date() + timedelta(days=1)
    return datetime.combine(calendar.subtract_working_days(tomorrow, overdue_days), time.min, tzinfo=CAIRO)


def _calendar_groups(now: datetime) -> list[tuple[WorkCalendar, dict]]:
    """The national calendar for every center, except centers whose own or governorate's closures
    changed the recent working days: those are swept with their own calendar (a handful at most)."""
    recent = Closure.objects.filter(ends_on__gte=(now - timedelta(days=60)).date(), starts_on__lte=now.date())
    special = set(recent.exclude(center=None).values_list("center_id", flat=True))
    special |= set(Center.objects.filter(governorate__closures__in=recent).values_list("pk", flat=True))
    groups = [(WorkCalendar(), {"except": sorted(special)})]
    for center in Center.objects.filter(pk__in=special):
        groups.append((WorkCalendar(center), {"only": [center.pk]}))
    return groups
