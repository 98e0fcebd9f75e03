"""Working days: Sunday–Thursday, minus Egypt's public holidays (the ``holidays`` package, which
includes the Islamic holidays that move every year). The SLA work refines this per center."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

CAIRO = ZoneInfo("Africa/Cairo")
WEEKEND = {4, 5}  # Friday, Saturday (Monday is 0)


@lru_cache(maxsize=64)
def _egypt_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("EG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() not in WEEKEND and day not in _egypt_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def end_of_working_day(day: date) -> datetime:
    """When a deadline falling on ``day`` expires: the centers' closing time, Cairo time."""
    closing = time.fromisoformat(settings.CENTER_CLOSING_TIME)
    return datetime.combine(day, closing, tzinfo=CAIRO)


def due_after_working_days(moment: datetime, days: int) -> datetime:
    return end_of_working_day(add_working_days(moment.astimezone(CAIRO).date(), days))


def working_days_between(start: datetime, end: datetime) -> int:
    """Working days after ``start``'s day up to and including ``end``'s day (Cairo dates)."""
    first, last = start.astimezone(CAIRO).date(), end.astimezone(CAIRO).date()
    return sum(1 for n in range(1, (last - first).days + 1) if is_working_day(first + timedelta(days=n)))


def shift_by_working_days(moment: datetime, days: int) -> datetime:
    """``moment`` moved ``days`` working days later, at the same time of day."""
    local = moment.astimezone(CAIRO)
    return datetime.combine(add_working_days(local.date(), days), local.timetz())
