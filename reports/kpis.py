"""The request KPIs, defined once: every dashboard, export and test reads them from here, over the
roll-ups (``reports.models``), for any period and slice, with the period before and the same period a
year earlier beside them.

- received, approved, rejected, decided (= approved + rejected), delivered, cancelled — counted on the
  day of the act (Cairo time);
- on-time rate = decided within the legal deadline, net of the citizen's paused time ÷ decided;
- processing time in working days (submission to decision, net of the citizen's paused time): mean,
  median and 90th percentile — percentiles interpolated between neighbours like PostgreSQL's
  ``percentile_cont``, over the per-day histogram;
- fees: the fees of the requests received in the period.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from accounts.authz import scope_q
from accounts.models import OVERSIGHT_ROLES, User
from organisation.places import OrgPaths
from reports.models import FeeDay, RequestDay, RequestDayDuration

COUNTS = ("received", "approved", "rejected", "decided_on_time", "delivered", "cancelled", "working_days")


@dataclass(frozen=True)
class Slice:
    """Which roll-up rows a figure covers: a filter on the rows' center and service (the viewer's scope
    already folded in by the caller)."""

    rows: Q = field(default_factory=Q)


@dataclass(frozen=True)
class RequestKpis:
    received: int = 0
    approved: int = 0
    rejected: int = 0
    decided_on_time: int = 0
    delivered: int = 0
    cancelled: int = 0
    working_days: int = 0
    fees: Decimal = Decimal("0")
    durations: tuple[tuple[int, int], ...] = ()  # (working days, decisions), ascending

    @property
    def decided(self) -> int:
        return self.approved + self.rejected

    @property
    def on_time_rate(self) -> float | None:
        return self.decided_on_time / self.decided if self.decided else None

    @property
    def mean_working_days(self) -> float | None:
        return self.working_days / self.decided if self.decided else None

    @property
    def median_working_days(self) -> float | None:
        return self.percentile(0.5)

    @property
    def p90_working_days(self) -> float | None:
        return self.percentile(0.9)

    def percentile(self, fraction: float) -> float | None:
        total = sum(count for _, count in self.durations)
        if not total:
            return None
        position = fraction * (total - 1)
        below = int(position)
        return _value_at(self.durations, below) + (position - below) * (
            _value_at(self.durations, min(below + 1, total - 1)) - _value_at(self.durations, below)
        )


def _value_at(histogram: tuple[tuple[int, int], ...], index: int) -> int:
    """The ``index``-th value (from 0) of the sorted values the histogram counts."""
    seen = 0
    for value, count in histogram:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def request_kpis(*, date_from: date, date_to: date, slice_: Slice | None = None) -> RequestKpis:
    """The KPIs of the days ``date_from`` to ``date_to`` (both included): three small aggregate queries
    over the roll-ups, however many requests there are."""
    period = Q(day__gte=date_from, day__lte=date_to) & (slice_ or Slice()).rows
    sums = RequestDay.objects.filter(period).aggregate(
        **{name: Sum(name) for name in COUNTS}, fees=Sum("fees")
    )
    durations = (
        RequestDayDuration.objects.filter(period)
        .values_list("working_days")
        .annotate(n=Sum("decided"))
        .order_by("working_days")
    )
    return RequestKpis(
        **{name: sums[name] or 0 for name in COUNTS},
        fees=sums["fees"] or Decimal("0"),
        durations=tuple((days, n) for days, n in durations if n),
    )


@dataclass(frozen=True)
class Compared:
    """A period's KPIs with the period just before (same length) and the same days a year earlier."""

    current: RequestKpis
    previous: RequestKpis
    last_year: RequestKpis


def _a_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def request_kpis_compared(*, date_from: date, date_to: date, slice_: Slice | None = None) -> Compared:
    length = (date_to - date_from).days + 1
    return Compared(
        current=request_kpis(date_from=date_from, date_to=date_to, slice_=slice_),
        previous=request_kpis(
            date_from=date_from - timedelta(days=length), date_to=date_from - timedelta(days=1), slice_=slice_
        ),
        last_year=request_kpis(
            date_from=_a_year_earlier(date_from), date_to=_a_year_earlier(date_to), slice_=slice_
        ),
    )


def fees_by_item(*, date_from: date, date_to: date, slice_: Slice | None = None) -> list[dict]:
    """The treasury's lines: each fee item's count and amount, by way of payment."""
    return list(
        FeeDay.objects.filter(Q(day__gte=date_from, day__lte=date_to) & (slice_ or Slice()).rows)
        .values("fee_name_ar", "payment_method")
        .annotate(count=Sum("count"), amount=Sum("amount"))
        .order_by("fee_name_ar", "payment_method")
    )


# Who sees which rows: the oversight roles, each over its own part of the organisation.
ROLLUP_PATHS = OrgPaths(governorate="center__governorate", local_unit="center__local_unit", center="center")


def slice_in_reach(user: User, *, rows: Q | None = None) -> Slice:
    """The roll-up rows ``user`` may see (a center manager their center, an official their
    governorate, a national viewer everything), narrowed by ``rows``; nothing for anyone else."""
    return Slice(rows=scope_q(user, OVERSIGHT_ROLES, ROLLUP_PATHS) & (rows or Q()))
