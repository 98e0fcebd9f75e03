"""What the dashboards read: the places a viewer reaches, the request KPIs grouped by center, service or
governorate (over the roll-ups, defined by ``reports.kpis.RequestKpis``), the daily trend, the live
figures of one center today, and the requests behind any figure. (The open requests — overdue, at
risk, by department, by age — are ``reports.backlog``'s count.)

Every function takes the viewer's ``Slice`` (``slice_in_reach``) or the viewer, so nothing leaves
their scope. The roll-up queries cost what centers × services × days cost, whatever the number of
requests; the live ones are bounded by one day of one center."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour
from django.utils import timezone

from accounts.authz import CENTER_PATHS, scope_q
from accounts.models import OVERSIGHT_ROLES, Role, User
from organisation.calendar import CAIRO
from organisation.models import Center, Governorate
from organisation.places import OrgPaths
from reports import backlog, spans
from reports.kpis import RequestKpis, Slice, kpis_of
from reports.models import RequestDay
from reports.rollups import DECIDED_STATES
from requests_app.models import RequestState, ServiceRequest
from services.models import Service

GOVERNORATE_VIEWERS = (Role.GOVERNORATE_OFFICIAL, Role.NATIONAL_VIEWER, Role.ADMINISTRATOR)
NATIONAL_VIEWERS = (Role.NATIONAL_VIEWER, Role.ADMINISTRATOR)
REQUEST_PATHS = OrgPaths(governorate="center__governorate", local_unit="local_unit", center="center")


def governorates_in_reach(user: User) -> QuerySet[Governorate]:
    """The governorates whose whole dashboard ``user`` may open (an official's own, all for national)."""
    return Governorate.objects.filter(scope_q(user, GOVERNORATE_VIEWERS, OrgPaths(governorate="pk")))


def centers_in_reach(user: User) -> QuerySet[Center]:
    return Center.objects.filter(scope_q(user, OVERSIGHT_ROLES, CENTER_PATHS)).select_related("governorate")


def whole_governorate(user: User, governorate: Governorate | None) -> Q | None:
    """The governorate as a filter of the roll-ups' governorate aggregates (``Slice.places``) when
    ``user`` reaches every center of it — its officials and the national roles; else None."""
    if governorate is None:
        return None
    official = any(
        assignment.governorate_id == governorate.pk
        for assignment in user.assignments_for([Role.GOVERNORATE_OFFICIAL])
    )
    return Q(governorate_id=governorate.pk) if official or user.has_role(*NATIONAL_VIEWERS) else None


# The KPIs grouped ------------------------------------------------------------------------------------


def kpis_by(*, by: str, date_from: date, date_to: date, slice_: Slice) -> dict[int, RequestKpis]:
    """The KPIs of each ``by`` (``center``, ``service``, ``center__governorate``) with rows in the period:
    grouped queries over the roll-ups, the same definitions as ``reports.kpis.request_kpis``."""
    found = kpis_of([(date_from, date_to)], rows=slice_.rows, by=(by,), places=slice_.places)
    return {key: kpis for (key,), (kpis,) in found.items()}


@dataclass(frozen=True)
class Ranked:
    place: Center | Governorate
    kpis: RequestKpis
    open_overdue: int


def ranked(places, kpis: dict[int, RequestKpis], overdue: dict[int, int]) -> list[Ranked]:
    """Every place with its figures, the best on-time rate first (no decision yet: last)."""
    rows = [Ranked(p, kpis.get(p.pk, RequestKpis()), overdue.get(p.pk, 0)) for p in places]
    return sorted(rows, key=lambda r: (r.kpis.on_time_rate is None, -(r.kpis.on_time_rate or 0)))


@dataclass(frozen=True)
class SlowService:
    service_id: int
    name: str
    code: str
    kpis: RequestKpis


def slowest_services(*, date_from: date, date_to: date, slice_: Slice, limit: int = 10) -> list[SlowService]:
    """The services that took longest to decide (median working days, then 90th percentile)."""
    kpis = kpis_by(by="service", date_from=date_from, date_to=date_to, slice_=slice_)
    decided = {pk: k for pk, k in kpis.items() if k.decided}
    services = Service.objects.in_bulk(list(decided))
    rows = [SlowService(pk, services[pk].name, services[pk].code, k) for pk, k in decided.items()]
    rows.sort(key=lambda r: (-r.kpis.median_working_days, -r.kpis.p90_working_days, r.code))
    return rows[:limit]


# The trend -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    grain: str  # "day", "week" or "month"
    starts: list[date]
    received: list[int]
    decided: list[int]


def _bucket(day: date, grain: str) -> date:
    if grain == "month":
        return day.replace(day=1)
    if grain == "week":  # weeks start on Saturday, as Egyptian offices count them
        return day - timedelta(days=(day.weekday() - 5) % 7)
    return day


def trend(*, date_from: date, date_to: date, slice_: Slice, grain: str | None = None) -> Trend:
    """Received and decided per ``grain`` (day, week or month); without one, per day for a period up to
    two months, per week up to half a year, else per month."""
    length = (date_to - date_from).days + 1
    grain = grain or ("day" if length <= 62 else "week" if length <= 190 else "month")
    starts = sorted({_bucket(date_from + timedelta(days=i), grain) for i in range(length)})
    received, decided = dict.fromkeys(starts, 0), dict.fromkeys(starts, 0)
    # Month rows (dated the month's first day) only for a monthly trend: their buckets are months.
    by_day = spans.summed(
        RequestDay,
        periods=[(date_from, date_to)],
        figures=("received", "approved", "rejected"),
        by=("day",),
        rows=slice_.rows,
        months=grain == "month",
    )
    for (day,), (figures,) in by_day.items():
        start = _bucket(day, grain)
        received[start] += figures["received"]
        decided[start] += figures["approved"] + figures["rejected"]
    return Trend(grain, starts, [received[s] for s in starts], [decided[s] for s in starts])


# Live: one center today -----------------------------------------------------------------------------


def day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """From the start of ``date_from`` to the start of the day after ``date_to``, Cairo time."""
    return datetime.combine(date_from, time.min, tzinfo=CAIRO), datetime.combine(
        date_to + timedelta(days=1), time.min, tzinfo=CAIRO
    )


@dataclass(frozen=True)
class Intake:
    by_hour: list[tuple[int, int]]  # (hour, requests), every hour from the first to the last busy one
    by_clerk: list[dict]  # name, requests, fees


def today_intake(*, center: Center, today: date) -> Intake:
    start, end = day_bounds(today, today)
    taken = ServiceRequest.objects.filter(center=center, submitted_at__gte=start, submitted_at__lt=end)
    hours = dict(
        taken.annotate(hour=ExtractHour("submitted_at", tzinfo=CAIRO))
        .values_list("hour")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("hour", "n")
    )
    first, last = min([8, *hours]), max([15, *hours])
    clerks = (
        taken.values("taken_by", "taken_by__full_name", "taken_by__username")
        .annotate(requests=Count("pk"), fees=Sum("fees_total"))
        .order_by("-requests", "taken_by__full_name")
    )
    return Intake(
        by_hour=[(hour, hours.get(hour, 0)) for hour in range(first, last + 1)],
        by_clerk=[
            {
                "name": c["taken_by__full_name"] or c["taken_by__username"],
                "requests": c["requests"],
                "fees": c["fees"] or Decimal("0"),
            }
            for c in clerks
        ],
    )


# The requests behind a figure ------------------------------------------------------------------------


class Kind:
    RECEIVED, DECIDED, LATE, DELIVERED, CANCELLED, OPEN_OVERDUE = (
        "received",
        "decided",
        "late",
        "delivered",
        "cancelled",
        "open-overdue",
    )
    # The open requests now, whatever the period (``reports.backlog`` defines each, as its count does).
    IN_PROGRESS, AWAITING_CITIZEN, AT_RISK = "in-progress", "awaiting-citizen", "at-risk"
    AGED = tuple(bucket.kind for bucket in backlog.AGE_BUCKETS)  # aged-0, aged-6, aged-11, aged-21, aged-41
    OPEN = (OPEN_OVERDUE, IN_PROGRESS, AWAITING_CITIZEN, AT_RISK, *AGED)
    ALL = (RECEIVED, DECIDED, LATE, DELIVERED, CANCELLED, *OPEN)


def requests_in_reach(user: User) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(scope_q(user, OVERSIGHT_ROLES, REQUEST_PATHS))


def requests_behind(*, user: User, kind: str, date_from: date, date_to: date, where: Q) -> QuerySet:
    """The requests a figure counts, the same acts on the same Cairo days as the roll-ups count them;
    the open kinds (``Kind.OPEN``) are live (now), whatever the period. Always inside ``user``'s reach."""
    start, end = day_bounds(date_from, date_to)
    now = timezone.now()
    decided = Q(state__in=DECIDED_STATES, completed_at__gte=start, completed_at__lt=end)
    filters = {
        Kind.RECEIVED: Q(submitted_at__gte=start, submitted_at__lt=end),
        Kind.DECIDED: decided,
        Kind.LATE: decided & Q(on_time=False),
        Kind.DELIVERED: Q(delivered_at__gte=start, delivered_at__lt=end),
        Kind.CANCELLED: Q(state=RequestState.CANCELLED, completed_at__gte=start, completed_at__lt=end),
        Kind.OPEN_OVERDUE: backlog.overdue_q(),
        Kind.IN_PROGRESS: backlog.in_progress_q(),
        Kind.AWAITING_CITIZEN: backlog.awaiting_citizen_q(),
        Kind.AT_RISK: backlog.at_risk_q(now),
    }
    if bucket := backlog.AGE_KINDS.get(kind):
        filters[kind] = backlog.aged_q(bucket, today=timezone.localdate(now, CAIRO))
    return (
        requests_in_reach(user)
        .filter(filters[kind] & where)
        .select_related("service", "center")
        .order_by("-submitted_at", "-pk")
    )
