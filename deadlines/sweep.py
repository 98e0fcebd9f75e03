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

- with ``escalate``, records an ``Escalation`` per level of ``ESCALATION_WORKING_DAYS`` (department
  head, center manager, governorate) once a running row is that many working days overdue — counted
  in its center's calendar, closures included;
- then sets, in one UPDATE per calendar group (one row version per row newly late), ``at_risk_mark``
  once on running rows whose ``risk`` moment passed, ``overdue_mark`` once on those whose ``due``
  moment passed, and the ``escalation_mark`` to the level reached; and hands the ids newly overdue
  to ``on_overdue`` (to queue an apology SMS, say — in the sweep's transaction).

``due`` and ``risk`` are fields of the kind's own model (the marks are set by comparing columns).

Everything is set-based SQL built from the kind's querysets, never a Python loop over the rows.
Running the sweep again, or twice at once, changes nothing the second time: marks are set only where
empty (rechecked under the row lock) and escalations insert ON CONFLICT DO NOTHING.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Center, Closure, Governorate


@dataclass(frozen=True)
class ClockKind:
    """Where one kind of tracked work keeps a running deadline clock. Lookups start from the rows of
    ``running()``; the marks are fields of that model."""

    key: str
    running: Callable[[], QuerySet]  # rows whose clock runs now (not paused, not stopped)
    # Lookup of the center whose working days count — or, for work that belongs to no center (an
    # office's letters), of the governorate whose calendar counts.
    center: str | None = None
    governorate: str | None = None
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
    center_groups = _calendar_groups(now)
    for kind in _KINDS.values():
        groups = center_groups if kind.center else _governorate_groups()
        result = report.kinds[kind.key] = KindReport()
        if kind.escalate:
            result.escalations = _escalate(kind, groups, now)
        if kind.escalation_mark:  # the level reached is counted in each center's calendar
            for calendar, centers in groups:
                _mark(kind, _in_group(kind, centers), now, _cutoffs(calendar, now), result)
        else:
            _mark(kind, kind.running(), now, {}, result)
        if result.overdue_ids:
            kind.on_overdue(result.overdue_ids)
    return report


@dataclass(frozen=True)
class _When:
    """Set a mark to ``value`` on rows where ``sql`` holds (``q`` is the same test, for the ORM)."""

    q: Q
    sql: str
    params: list
    value: object


def _mark(kind: ClockKind, rows: QuerySet, now: datetime, cutoffs: dict[int, datetime], result: KindReport):
    """Set every mark a row is due — at risk, overdue, the escalation level reached (never lowered) —
    in one UPDATE, so that a row newly late is written once; add what it marked to ``result``."""
    model, quote, at = rows.model, connection.ops.quote_name, connection.ops.adapt_datetimefield_value(now)
    whens = _whens(kind, model, now, cutoffs)
    every = [when for column in whens.values() for when in column]
    sets, params = [], []
    for column, column_whens in whens.items():
        cases = " ".join(f"WHEN {when.sql} THEN %s" for when in column_whens)
        sets.append(f"{column} = CASE {cases} ELSE {column} END")
        params += [param for when in column_whens for param in (*when.params, when.value)]
    due_now = rows.filter(reduce(or_, (when.q for when in every)))
    select, select_params = due_now.values("pk").query.sql_with_params()
    tests, test_params = " OR ".join(f"({when.sql})" for when in every), [p for w in every for p in w.params]
    pk, marked = quote(model._meta.pk.column), [_column(model, kind.overdue_mark)]
    if kind.risk:
        marked.append(_column(model, kind.at_risk_mark))
    with connection.cursor() as cursor:
        # The tests are made again outside the subquery, under the row lock: of two sweeps at once,
        # the second finds the row already marked and leaves it.
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {', '.join(sets)} "
            f"WHERE {pk} IN ({select}) AND ({tests}) "
            f"RETURNING {pk}, {', '.join(f'CASE WHEN {column} = %s THEN 1 ELSE 0 END' for column in marked)}",
            [*params, *select_params, *test_params, *[at] * len(marked)],
        )
        for row_id, became_overdue, *became_at_risk in cursor:
            result.overdue += became_overdue
            result.at_risk += sum(became_at_risk)
            if became_overdue and kind.on_overdue:
                result.overdue_ids.append(row_id)


def _whens(kind: ClockKind, model, now: datetime, cutoffs: dict[int, datetime]) -> dict[str, list[_When]]:
    """The marks' columns, each with when to set it to what: a time mark once, when its moment passed;
    the escalation level to the highest level reached, if higher than the one recorded."""
    at, due = connection.ops.adapt_datetimefield_value(now), _column(model, kind.due)
    moments = [(kind.overdue_mark, kind.due, "lt")]
    if kind.risk:
        moments.append((kind.at_risk_mark, kind.risk, "lte"))
    whens = {}
    for mark, moment, passed in moments:
        column = _column(model, mark)
        operator = "<" if passed == "lt" else "<="
        test = f"{column} IS NULL AND {_column(model, moment)} {operator} %s"
        whens[column] = [_When(Q(**{f"{moment}__{passed}": now, f"{mark}__isnull": True}), test, [at], at)]
    if cutoffs:
        level = _column(model, kind.escalation_mark)
        whens[level] = [
            _When(
                Q(**{f"{kind.due}__lt": cutoff, f"{kind.escalation_mark}__lt": reached}),
                f"{due} < %s AND {level} < %s",
                [connection.ops.adapt_datetimefield_value(cutoff), reached],
                reached,
            )
            for reached, cutoff in sorted(cutoffs.items(), reverse=True)
        ]
    return whens


def _column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _in_group(kind: ClockKind, places: dict) -> QuerySet:
    """The kind's running rows in one calendar group (of centers, or of governorates)."""
    path = kind.center or kind.governorate
    rows = kind.running()
    rows = rows.filter(**{f"{path}__in": places["only"]}) if "only" in places else rows
    if places.get("except"):
        rows = rows.exclude(**{f"{path}__in": places["except"]})
    return rows


def _cutoffs(calendar: WorkCalendar, now: datetime) -> dict[int, datetime]:
    return {
        level: _cutoff(calendar, now, days)
        for level, days in enumerate(settings.ESCALATION_WORKING_DAYS, start=1)
    }


def _escalate(kind: ClockKind, groups: list[tuple[WorkCalendar, dict]], now: datetime) -> dict[int, int]:
    """Record an ``Escalation`` per level reached and not yet recorded (before ``_mark`` raises the
    levels): one INSERT per calendar group and level."""
    subject_type = ContentType.objects.get_for_model(kind.running().model).pk
    counts = dict.fromkeys(range(1, len(settings.ESCALATION_WORKING_DAYS) + 1), 0)
    with connection.cursor() as cursor:
        for calendar, centers in groups:
            rows = _in_group(kind, centers)
            for level, cutoff in _cutoffs(calendar, now).items():
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
    return counts


def _cutoff(calendar: WorkCalendar, now: datetime, overdue_days: int) -> datetime:
    """Clocks due before this moment are at least ``overdue_days`` working days overdue now."""
    if overdue_days == 0:
        return now
    tomorrow = now.astimezone(CAIRO).date() + timedelta(days=1)
    return datetime.combine(calendar.subtract_working_days(tomorrow, overdue_days), time.min, tzinfo=CAIRO)


def _governorate_groups() -> list[tuple[WorkCalendar, dict]]:
    """One group per governorate, with its calendar (its own holidays by decree included)."""
    return [
        (WorkCalendar(governorate_id=pk), {"only": [pk]})
        for pk in Governorate.objects.values_list("pk", flat=True)
    ]


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
