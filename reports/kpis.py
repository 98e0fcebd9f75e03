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

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from accounts.authz import CENTER_PATHS, scope_q
from accounts.models import OVERSIGHT_ROLES, User
from organisation.models import Center
from reports import spans
from reports.models import FeeDay, RequestDay, RequestDayDuration
from reports.spans import Period

COUNTS = ("received", "approved", "rejected", "decided_on_time", "delivered", "cancelled", "working_days")


@dataclass(frozen=True)
class Slice:
    """Which roll-up rows a figure covers: a filter on the rows' center and service (the viewer's scope
    already folded in by the caller)."""

    rows: Q = field(default_factory=Q)
    # The same rows named by governorates, when they are whole governorates (read from their aggregates).
    places: Q | None = None


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
        return histogram_percentile(self.durations, fraction)


def histogram_percentile(histogram: tuple[tuple[int, int], ...], fraction: float) -> float | None:
    """The percentile of the values a sorted histogram ``((value, count), …)`` counts, interpolated
    between neighbours like PostgreSQL's ``percentile_cont``; None when it counts nothing."""
    total = sum(count for _, count in histogram)
    if not total:
        return None
    position = fraction * (total - 1)
    below = int(position)
    return _value_at(histogram, below) + (position - below) * (
        _value_at(histogram, min(below + 1, total - 1)) - _value_at(histogram, below)
    )


def combined(parts: Iterable[RequestKpis]) -> RequestKpis:
    """The KPIs of several slices together (their histograms merged)."""
    parts = list(parts)
    durations: Counter = Counter()
    for kpis in parts:
        durations.update(dict(kpis.durations))
    return RequestKpis(
        **{name: sum(getattr(kpis, name) for kpis in parts) for name in COUNTS},
        fees=sum((kpis.fees for kpis in parts), Decimal("0")),
        durations=tuple(sorted(durations.items())),
    )


def _value_at(histogram: tuple[tuple[int, int], ...], index: int) -> int:
    """The ``index``-th value (from 0) of the sorted values the histogram counts."""
    seen = 0
    for value, count in histogram:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def _a_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def compared_periods(date_from: date, date_to: date) -> tuple[Period, Period, Period]:
    """The period, the one just before it (same length) and the same days a year earlier."""
    length = (date_to - date_from).days + 1
    return (
        (date_from, date_to),
        (date_from - timedelta(days=length), date_from - timedelta(days=1)),
        (_a_year_earlier(date_from), _a_year_earlier(date_to)),
    )


def kpis_of(
    periods: Sequence[Period], *, rows: Q, by: Sequence[str] = (), places: Q | None = None
) -> dict[tuple, list[RequestKpis]]:
    """The KPIs of each value of ``by`` in each period (a value without a row in any period is missing):
    two statements, each over a day table and a month table (``reports.spans``), however many periods.
    ``places``: the same rows named by governorates, when they are whole governorates."""
    sums = spans.summed(
        RequestDay, periods=periods, figures=(*COUNTS, "fees"), by=by, rows=rows, places=places
    )
    decided = spans.summed(
        RequestDayDuration,
        periods=periods,
        figures=("decided",),
        by=(*by, "working_days"),
        rows=rows,
        places=places,
    )
    histograms: dict[tuple, list[list[tuple[int, int]]]] = defaultdict(lambda: [[] for _ in periods])
    for (*key, days), per_period in sorted(decided.items(), key=lambda item: item[0][-1]):
        for index, figures in enumerate(per_period):
            if figures["decided"]:
                histograms[tuple(key)][index].append((days, figures["decided"]))
    return {
        key: [
            RequestKpis(
                **{name: figures[name] for name in COUNTS},
                fees=Decimal(figures["fees"]),
                durations=tuple(histograms[key][index]) if key in histograms else (),
            )
            for index, figures in enumerate(per_period)
        ]
        for key, per_period in sums.items()
    }


def request_kpis(*, date_from: date, date_to: date, slice_: Slice | None = None) -> RequestKpis:
    """The KPIs of the days ``date_from`` to ``date_to`` (both included), over the roll-ups: a few small
    aggregate queries, however many requests there are."""
    slice_ = slice_ or Slice()
    return kpis_of([(date_from, date_to)], rows=slice_.rows, places=slice_.places).get((), [RequestKpis()])[0]


@dataclass(frozen=True)
class Compared:
    """A period's KPIs with the period just before (same length) and the same days a year earlier."""

    current: RequestKpis
    previous: RequestKpis
    last_year: RequestKpis


def request_kpis_compared(*, date_from: date, date_to: date, slice_: Slice | None = None) -> Compared:
    slice_ = slice_ or Slice()
    found = kpis_of(compared_periods(date_from, date_to), rows=slice_.rows, places=slice_.places)
    return Compared(*found.get((), [RequestKpis()] * 3))


def fees_by_item(*, date_from: date, date_to: date, slice_: Slice | None = None) -> list[dict]:
    """The treasury's lines: each fee item's count and amount, by way of payment."""
    lines = spans.summed(
        FeeDay,
        periods=[(date_from, date_to)],
        figures=("count", "amount"),
        by=("fee_name_ar", "payment_method"),
        rows=(slice_ or Slice()).rows,
    )
    return [
        {
            "fee_name_ar": name,
            "payment_method": method,
            "count": figures["count"],
            "amount": Decimal(figures["amount"]),
        }
        for (name, method), (figures,) in sorted(lines.items())
    ]


def centers_named(user: User, roles, centers: Q | None = None) -> Q:
    """The roll-up rows of the centers ``user`` reaches through ``roles`` (a center manager their center,
    an official their governorate, a national viewer everything; nothing for anyone else) that match
    ``centers`` (a filter on the centers). Named as the centers' ids, so that each roll-up is read on
    its center index (a join to the centers would read every center's days); the empty filter when
    that is every center."""
    reach = scope_q(user, roles, CENTER_PATHS) & (centers or Q())
    if not reach:
        return Q()
    return Q(center_id__in=list(Center.objects.filter(reach).values_list("pk", flat=True)))


def slice_in_reach(user: User, *, rows: Q | None = None, places: Q | None = None) -> Slice:
    """The roll-up rows ``user`` may see as oversight (``centers_named``), narrowed by ``rows``; ``places``
    names the same rows by governorates (the caller knows they are whole governorates in reach)."""
    return Slice(rows=centers_named(user, OVERSIGHT_ROLES) & (rows or Q()), places=places)
