"""Working days of a center: Sunday–Thursday, minus Egypt's public holidays (the ``holidays`` package,
Islamic holidays included) and the closures administrators declare (nationwide, per governorate, per
center). Deadlines fall at the center's closing time on their last working day, Cairo time (daylight
saving included: the offset comes from the zone database for that very day)."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q

from organisation.models import Center, Closure

CAIRO = ZoneInfo("Africa/Cairo")
WEEKEND = {4, 5}  # Friday, Saturday (Monday is 0)
DEFAULT_CLOSING = time(15, 0)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("EG", years=year))


class WorkCalendar:
    """One center's calendar (or a governorate's, or the country's). Closures are read once, lazily."""

    def __init__(
        self,
        center: Center | None = None,
        *,
        governorate_id: int | None = None,
        closed_days: frozenset[date] | None = None,
    ):
        self.center = center
        self.governorate_id = center.governorate_id if center is not None else governorate_id
        self.closing = center.closing_time if center is not None else DEFAULT_CLOSING
        self._closed = closed_days  # given: no closures are read (pure computations, tests)

    @property
    def closed_days(self) -> frozenset[date]:
        if self._closed is None:
            scope = Q(governorate__isnull=True, center__isnull=True)
            if self.governorate_id is not None:
                scope |= Q(governorate_id=self.governorate_id)
            if self.center is not None:
                scope |= Q(center_id=self.center.pk)
            days = set()
            for starts, ends in Closure.objects.filter(scope).values_list("starts_on", "ends_on"):
                days.update(starts + timedelta(days=n) for n in range((ends - starts).days + 1))
            self._closed = frozenset(days)
        return self._closed

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() not in WEEKEND
            and day not in _public_holidays(day.year)
            and day not in self.closed_days
        )

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
        day, remaining = start, days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract_working_days(self, end: date, days: int) -> date:
        """The day ``days`` working days before ``end``: the inverse of ``add_working_days``."""
        day, remaining = end, days
        while remaining > 0:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days after ``start``'s day up to and including ``end``'s day (Cairo dates).

        Counted by arithmetic, not day by day: every seven days hold five weekdays, less the holidays
        and closures on weekdays in the span (the queue shows this for every row, however late)."""
        first, last = _local_date(start), _local_date(end)
        if last <= first:
            return 0
        weeks, extra = divmod((last - first).days, 7)
        weekdays = weeks * (7 - len(WEEKEND)) + sum(
            1 for n in range(1, extra + 1) if (first + timedelta(days=n)).weekday() not in WEEKEND
        )
        holidays_in_span = set().union(*(_public_holidays(year) for year in range(first.year, last.year + 1)))
        days_off = {
            day
            for day in holidays_in_span | self.closed_days
            if first < day <= last and day.weekday() not in WEEKEND
        }
        return weekdays - len(days_off)

    def end_of_day(self, day: date) -> datetime:
        return datetime.combine(day, self.closing, tzinfo=CAIRO)

    def deadline(self, moment: datetime, days: int) -> datetime:
        """When ``days`` working days counted from ``moment`` run out."""
        return self.end_of_day(self.add_working_days(_local_date(moment), days))

    def shift(self, moment: datetime, days: int) -> datetime:
        """``moment`` moved ``days`` working days later, at the same time of day."""
        local = moment.astimezone(CAIRO)
        return datetime.combine(self.add_working_days(local.date(), days), local.time(), tzinfo=CAIRO)


def _local_date(moment: datetime) -> date:
    return moment.astimezone(CAIRO).date()
