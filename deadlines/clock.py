"""Clock arithmetic for any tracked work, in working days of a center's calendar.

A clock starts with a number of working days (``clock_start``: when it runs out and when it becomes
at risk), stops while the citizen owes something (``clock_paused_days`` counts the working days spent
waiting when it resumes) and moves every deadline later by that much (``clock_shift``). These are pure
functions: models call them from their transitions, and the sweep (``deadlines.sweep``) watches the
results.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from organisation.calendar import WorkCalendar


@dataclass(frozen=True)
class ClockTimes:
    due_at: datetime
    risk_at: datetime


def clock_start(calendar: WorkCalendar, *, at: datetime, working_days: int) -> ClockTimes:
    """``working_days`` counted from ``at``: due at closing time of the last one; at risk once
    ``AT_RISK_SHARE`` of the time is used."""
    due_at = calendar.deadline(at, working_days)
    return ClockTimes(due_at=due_at, risk_at=at + (due_at - at) * settings.AT_RISK_SHARE)


def clock_paused_days(calendar: WorkCalendar, *, paused_at: datetime, resumed_at: datetime) -> int:
    """Working days the clock stood still: after the day it stopped, up to the day it restarts."""
    return calendar.working_days_between(paused_at, resumed_at)


def clock_shift(calendar: WorkCalendar, moment: datetime | None, days: int) -> datetime | None:
    """``moment`` moved ``days`` working days later (at the same time of day)."""
    return calendar.shift(moment, days) if moment is not None else None


def clock_working_days_used(
    calendar: WorkCalendar, *, due_at: datetime, working_days: int, at: datetime
) -> int:
    """Working days a clock of ``working_days`` had used when it stopped at ``at``, net of its pauses
    (each pause moved ``due_at`` later): the allowance less the working days still left before
    ``due_at``, or plus the working days past it."""
    if at <= due_at:
        return max(working_days - calendar.working_days_between(at, due_at), 0)
    return working_days + calendar.working_days_between(due_at, at)
