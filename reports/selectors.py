"""KPIs, each defined once. Issued documents: the governorate's licensing statistics. Complaints:
how many came in and how they were answered, by category, center or department. The hall: tickets
issued, called, served and missed, and how long citizens waited, by center, queue and hour."""

from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.authz import CENTER_PATHS, scope_q
from accounts.models import OVERSIGHT_ROLES, User
from accounts.scope import NOTHING
from complaints.models import Complaint, ComplaintState
from complaints.selectors import COMPLAINT_PATHS, NATIONAL_ROLES
from core.models import in_language
from hall.models import HallQueue
from organisation.models import Center
from organisation.places import OrgPaths
from reports import spans
from reports.document_rollups import DOCUMENT_FIGURES
from reports.hall_rollups import TICKET_FIGURES
from reports.kpis import centers_named, histogram_percentile
from reports.models import DocumentDay, HallTicketDay, HallWaitDay
from services.models import OutputKind

REPORT_ROLES = OVERSIGHT_ROLES


@dataclass(frozen=True)
class DocumentFigures:
    month: date
    center_code: str
    center_name: str
    kind: str
    issued: int
    revoked: int

    @property
    def kind_label(self) -> str:
        return OutputKind(self.kind).label


def _document_rows(user: User, centers: Q | None) -> Q:
    """The document roll-up's rows in ``user``'s reach, narrowed by ``centers`` (a filter on centers)."""
    return centers_named(user, REPORT_ROLES, centers)


def documents_issued_and_revoked(
    *, user: User, date_from: date, date_to: date, centers: Q | None = None
) -> list[DocumentFigures]:
    """Per month, center and kind, within the user's reach (narrowed by ``centers``, e.g. one
    governorate's): the documents issued in the period (by their issue date) and the revocations made in
    it (by the revocation's date, whenever the document was issued); from the roll-up."""
    months = spans.months_of(date_from, date_to)
    found = spans.summed(
        DocumentDay,
        periods=months,
        figures=DOCUMENT_FIGURES,
        by=("center_id", "kind"),
        rows=_document_rows(user, centers),
    )
    names = {center.pk: center for center in Center.objects.filter(pk__in={key[0] for key in found})}
    lines = [
        DocumentFigures(
            month=spans.month_start(first),
            center_code=names[center_id].code,
            center_name=names[center_id].name,
            kind=kind,
            issued=figures["issued"],
            revoked=figures["revoked"],
        )
        for (center_id, kind), in_months in found.items()
        for (first, _), figures in zip(months, in_months, strict=True)
        if figures["issued"] or figures["revoked"]
    ]
    return sorted(lines, key=lambda line: (line.month, line.center_code, line.kind))


def documents_by_kind(
    *, user: User, periods: list[tuple[date, date]], centers: Q | None = None
) -> dict[str, list[tuple[int, int]]]:
    """Per kind, for each period (first and last days), the documents issued and revoked in it as
    ``documents_issued_and_revoked`` counts them, in one statement; kinds with none in any period are
    left out."""
    rows = _document_rows(user, centers)
    found = spans.summed(DocumentDay, periods=periods, figures=DOCUMENT_FIGURES, by=("kind",), rows=rows)
    return {
        kind: [(figures["issued"], figures["revoked"]) for figures in in_periods]
        for (kind,), in_periods in sorted(found.items())
    }


# Complaints.


class ComplaintGrouping(models.TextChoices):
    CATEGORY = "category", gettext_lazy("Category")
    CENTER = "center", gettext_lazy("Center")
    DEPARTMENT = "department", gettext_lazy("Department")


@dataclass(frozen=True)
class ComplaintFigures:
    """One line of the complaints report (or its total). Sums and counts are kept, not means, so that
    the total's means are those of all its complaints, not a mean of the lines' means."""

    label: str
    received: int = 0
    resolved: int = 0
    rejected: int = 0
    merged: int = 0
    on_time: int = 0
    reopened: int = 0
    timed: int = 0  # answered with a stored working_days_to_answer
    working_days: int = 0  # their sum
    rated: int = 0
    rating_sum: int = 0

    @property
    def answered(self) -> int:
        return self.resolved + self.rejected

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.answered if self.answered else None

    @property
    def on_time_percent(self) -> float | None:
        return None if self.on_time_rate is None else self.on_time_rate * 100

    @property
    def reopen_percent(self) -> float | None:
        return None if self.reopen_rate is None else self.reopen_rate * 100

    @property
    def mean_working_days(self) -> float | None:
        return self.working_days / self.timed if self.timed else None

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None

    def __add__(self, other: "ComplaintFigures") -> "ComplaintFigures":
        counts = {name: getattr(self, name) + getattr(other, name) for name in _COMPLAINT_COUNTS}
        return ComplaintFigures(label=self.label, **counts)


_COMPLAINT_COUNTS = tuple(f.name for f in fields(ComplaintFigures) if f.name != "label")


@dataclass(frozen=True)
class ComplaintReport:
    rows: list[ComplaintFigures]
    total: ComplaintFigures
    previous: ComplaintFigures | None = None  # the total of the period asked for beside it


# The suffix of another period's figures in a statement that counts two periods at once.
BEFORE = "_before"


@dataclass(frozen=True)
class _Grouping:
    key: str
    names: tuple[tuple[str, str], ...]  # (Arabic, English) lookups, joined with a dash
    order: tuple  # over the key, the names and ``extra``
    extra: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.key, *(name for pair in self.names for name in pair), *self.extra)

    def label(self, line: dict) -> str:
        if line[self.key] is None:  # only a complaint about staff conduct has no department
            return _("Center management (staff conduct)")
        return " — ".join(in_language(line[arabic], line[english]) for arabic, english in self.names)


_GROUPINGS = {
    ComplaintGrouping.CATEGORY: _Grouping(
        key="category_id",
        names=(("category__name_ar", "category__name_en"),),
        extra=("category__position",),
        order=("category__position", "category__name_ar", "category_id"),
    ),
    ComplaintGrouping.CENTER: _Grouping(
        key="center_id",
        names=(("center__name_ar", "center__name_en"),),
        extra=("center__code",),
        order=("center__code",),
    ),
    ComplaintGrouping.DEPARTMENT: _Grouping(
        key="department_id",
        names=(
            ("department__department_type__name_ar", "department__department_type__name_en"),
            ("department__local_unit__name_ar", "department__local_unit__name_en"),
        ),
        order=(
            F("department__local_unit__name_ar").asc(nulls_last=True),
            "department__department_type__name_ar",
            "department_id",
        ),
    ),
}

ANSWERED_STATES = (ComplaintState.RESOLVED, ComplaintState.CLOSED, ComplaintState.REJECTED)


def complaints_in_report_reach(*, user: User) -> QuerySet[Complaint]:
    """The complaints a report shows ``user``: center managers and governorate officials read every
    complaint in their scope; national roles never read those about staff conduct, not even as
    numbers (as in ``complaints.selectors.complaints_visible``, but through the report roles only: a
    back-office role held besides adds nothing to a report)."""
    local_roles = [role for role in REPORT_ROLES if role not in NATIONAL_ROLES]
    national_roles = [role for role in REPORT_ROLES if role in NATIONAL_ROLES]
    local = scope_q(user, local_roles, COMPLAINT_PATHS)  # never empty: no local role is national
    national = Q(confidential=False) if user.has_role(*national_roles) else NOTHING
    return Complaint.objects.filter(local | national)


def _day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """From the first day's midnight to the midnight after the last, in the installation's time zone."""
    zone = timezone.get_default_timezone()
    last = min(date_to, date.max - timedelta(days=1))  # the last representable day has no "after"
    return (
        datetime.combine(date_from, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def _complaint_counts(date_from: date, date_to: date, suffix: str = "") -> tuple[Q, dict]:
    """The complaints one of the period's figures counts, and the figures (named with ``suffix``)."""
    period = _day_bounds(date_from, date_to)
    received = Q(submitted_at__gte=period[0], submitted_at__lt=period[1])
    answered = Q(answered_at__gte=period[0], answered_at__lt=period[1], state__in=ANSWERED_STATES)
    resolved = answered & Q(state__in=[ComplaintState.RESOLVED, ComplaintState.CLOSED])
    rejected = answered & Q(state=ComplaintState.REJECTED)
    merged = Q(closed_at__gte=period[0], closed_at__lt=period[1], state=ComplaintState.MERGED)
    rated = Q(rated_at__gte=period[0], rated_at__lt=period[1], rating__isnull=False)
    timed = answered & Q(working_days_to_answer__isnull=False)
    counts = {
        "received": Count("pk", filter=received),
        "resolved": Count("pk", filter=resolved),
        "rejected": Count("pk", filter=rejected),
        "merged": Count("pk", filter=merged),
        "on_time": Count("pk", filter=answered & Q(on_time=True)),
        "reopened": Count("pk", filter=answered & Q(reopen_count__gt=0)),
        "timed": Count("pk", filter=timed),
        "working_days": Sum("working_days_to_answer", filter=timed, default=0),
        "rated": Count("pk", filter=rated),
        "rating_sum": Sum("rating", filter=rated, default=0),
    }
    # (named apart from the complaints' own fields, which the other period's filters read)
    named = {f"n_{name}{suffix}": count for name, count in counts.items()}
    return received | answered | merged | rated, named


def complaint_figures(
    *,
    user: User,
    date_from: date,
    date_to: date,
    group_by: ComplaintGrouping,
    where: Q | None = None,
    previous: tuple[date, date] | None = None,
) -> ComplaintReport:
    """The complaint KPIs for the period (both days included), one line per category, center or
    department, within the user's reach (``complaints_in_report_reach``, narrowed by ``where``, e.g. one
    governorate); with ``previous`` (another period's first and last days), that period's total too. One
    SQL query, reading the columns the services store when things happen — never the history rows. The
    definitions:

    - received: filed in the period (``submitted_at``);
    - resolved: answered in the period (``answered_at``) and resolved, or closed since;
    - rejected: answered in the period with a rejection (``answered_at``, state rejected);
    - answered: resolved + rejected;
    - merged: merged into another complaint in the period (``closed_at``, state merged);
    - on time: answered in the period within the deadline (the stored ``on_time``); the on-time rate
      is on time ÷ answered;
    - mean resolution time: the mean of the stored ``working_days_to_answer`` of those answered in the
      period, in working days of their center's calendar;
    - reopen rate: those answered in the period that had been reopened at least once
      (``reopen_count`` > 0) ÷ answered (a complaint reopened and not answered again is not answered);
    - satisfaction: the mean rating (1–5) of the complaints rated in the period (``rated_at``), and
      how many were rated.

    A reopened complaint's earlier answer is forgotten (the services clear ``answered_at``): it counts
    as answered in the period of its last answer.
    """
    grouping = _GROUPINGS[ComplaintGrouping(group_by)]
    counted, counts = _complaint_counts(date_from, date_to)
    if previous is not None:
        counted_before, counts_before = _complaint_counts(*previous, suffix=BEFORE)
        counted, counts = counted | counted_before, {**counts, **counts_before}
    lines = (
        complaints_in_report_reach(user=user)
        .filter(counted & (where or Q()))
        .values(*grouping.fields)
        .annotate(**counts)
        .order_by(*grouping.order)
    )
    rows, before = [], None if previous is None else ComplaintFigures(label=_("Previous period"))
    for line in lines:
        figures = {name: line[f"n_{name}"] for name in _COMPLAINT_COUNTS}
        if any(figures.values()):  # (a line of the previous period only is not one of this period's)
            rows.append(ComplaintFigures(label=grouping.label(line), **figures))
        if before is not None:
            before += ComplaintFigures(
                label="", **{name: line[f"n_{name}{BEFORE}"] for name in _COMPLAINT_COUNTS}
            )
    total = sum(rows, ComplaintFigures(label=_("Total")))
    return ComplaintReport(rows=rows, total=total, previous=before)


# The hall.

HALL_TICKET_PATHS = OrgPaths(governorate="center__governorate", center="center")


def hall_report_centers(*, user: User) -> QuerySet[Center]:
    """The centers whose hall figures ``user`` reads, through the report roles only."""
    reach = scope_q(user, REPORT_ROLES, CENTER_PATHS)
    return Center.objects.filter(reach).select_related("governorate").order_by("governorate__code", "code")


@dataclass(frozen=True)
class HallFigures:
    """One line of the hall report: a center, a queue, an hour of the day, or the total."""

    label: str
    key: str  # the center's code, the queue's letter or the hour
    issued: int = 0
    waited: int = 0  # called at least once
    served: int = 0
    no_shows: int = 0
    mean_wait: float | None = None  # minutes from the ticket to its first call
    p90_wait: float | None = None


@dataclass(frozen=True)
class HallReport:
    center: Center | None
    by_center: list[HallFigures]  # without a center: every center within reach that issued tickets
    by_queue: list[HallFigures]  # with a center: by the queue the ticket was issued in
    by_hour: list[HallFigures]  # with a center: by the hour it was issued (Cairo time)
    total: HallFigures
    previous: HallFigures | None = None  # the total of the period asked for beside it


class _Tally:
    """A line's sums over the roll-ups: the tickets' figures, and the waits' histogram by minute."""

    def __init__(self) -> None:
        self.figures = dict.fromkeys(TICKET_FIGURES, 0)
        self.waits: Counter = Counter()

    def as_line(self, label: str, key: str) -> HallFigures:
        waited = self.figures["waited"]
        return HallFigures(
            label=label,
            key=key,
            issued=self.figures["issued"],
            waited=waited,
            served=self.figures["served"],
            no_shows=self.figures["no_shows"],
            mean_wait=self.figures["wait_seconds"] / 60 / waited if waited else None,
            p90_wait=histogram_percentile(tuple(sorted(self.waits.items())), 0.9),
        )


def _tallied(tickets: spans.Sums, waits: spans.Sums, period: int, line: int | None) -> dict:
    """The ``period``-th period's tallies per value of the ``line``-th key of ``tickets`` and the first
    key of ``waits`` (whose last key is the minutes; None: one tally, the total)."""
    tallies: dict = defaultdict(_Tally)
    for key, sums in tickets.items():
        tally = tallies[None if line is None else key[line]]
        for name, value in sums[period].items():
            tally.figures[name] += value
    for key, sums in waits.items():
        tallies[None if line is None else key[0]].waits[key[-1]] += sums[period]["waited"]
    return tallies


def hall_figures(
    *,
    user: User,
    date_from: date,
    date_to: date,
    center: Center | None = None,
    centers: Q | None = None,
    lines: bool = True,
    previous: tuple[date, date] | None = None,
) -> HallReport:
    """The hall's figures for the days of the period (both included), within the user's reach (narrowed
    by ``centers``, a filter on centers, e.g. one governorate's): for one center by queue and by hour of
    the day, or without a center one line per center (``lines=False``: the total alone), and the total,
    with the period before's total beside it when asked. From the roll-ups (``reports.hall_rollups``):
    the tickets' figures, and the waits' histogram per line (a center's: per queue and per hour), each
    statement for both periods. The definitions, per ticket taken at a kiosk in the period:

    - issued: every ticket, under the queue it was issued in (sent on to another queue, it stays there);
    - waited: called to a window at least once;
    - served: its service finished (done), wherever it ended;
    - no-shows: marked as not come after being called;
    - waiting time: minutes from the ticket to its first call, of the tickets called: the mean (of the
      whole seconds) and the 90th percentile of the whole minutes (interpolated between neighbours, as
      PostgreSQL's ``percentile_cont``).
    """
    rows = centers_named(user, REPORT_ROLES, centers)
    if center is not None:
        rows &= Q(center_id=center.pk)
    keys: tuple[str, ...] = ()
    if lines:
        keys = ("center_id",) if center is None else ("queue_id", "hour")
    periods = [(date_from, date_to), *([previous] if previous is not None else [])]

    def histogram(*by: str) -> spans.Sums:
        return spans.summed(HallWaitDay, periods=periods, figures=("waited",), by=(*by, "minutes"), rows=rows)

    tickets = spans.summed(HallTicketDay, periods=periods, figures=TICKET_FIGURES, by=keys, rows=rows)
    waits = histogram(*keys[:1])  # (every ticket has one queue or center: their sum is the total's)
    total = _tallied(tickets, waits, 0, None)[None].as_line(_("Total"), "")
    before = None
    if previous is not None:
        before = _tallied(tickets, waits, 1, None)[None].as_line(_("Previous period"), "")
    by_center: list[HallFigures] = []
    by_queue: list[HallFigures] = []
    by_hour: list[HallFigures] = []
    if lines and center is None:
        tallies = _tallied(tickets, waits, 0, 0)
        named = Center.objects.filter(pk__in=tallies).order_by("code")
        by_center = [
            tallies[place.pk].as_line(place.name, place.code) for place in named if _any(tallies[place.pk])
        ]
    elif lines:
        queues = _tallied(tickets, waits, 0, 0)
        named = HallQueue.objects.filter(pk__in=queues).order_by("-is_priority", "position", "letter")
        by_queue = [
            queues[queue.pk].as_line(f"{queue.letter} — {queue.name}", queue.letter)
            for queue in named
            if _any(queues[queue.pk])
        ]
        hours = _tallied(tickets, histogram("hour"), 0, 1)
        by_hour = [
            hours[hour].as_line(_hour_label(hour), str(hour)) for hour in sorted(hours) if _any(hours[hour])
        ]
    return HallReport(
        center=center, by_center=by_center, by_queue=by_queue, by_hour=by_hour, total=total, previous=before
    )


def _any(tally: _Tally) -> bool:
    """Tickets taken in the period (a line of the period before only is left out)."""
    return tally.figures["issued"] > 0


def _hour_label(hour: int) -> str:
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"
