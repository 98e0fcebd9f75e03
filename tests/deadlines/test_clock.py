"""The clock arithmetic every kind of tracked work uses: start, pause, shift."""

from datetime import datetime

from deadlines.clock import clock_paused_days, clock_shift, clock_start
from organisation.calendar import CAIRO, WorkCalendar

NATIONAL = WorkCalendar(closed_days=frozenset())


def test_a_clock_runs_out_at_closing_time_and_is_at_risk_at_the_configured_share(settings):
    settings.AT_RISK_SHARE = 0.5
    started = datetime(2026, 11, 26, 10, tzinfo=CAIRO)  # Thursday
    times = clock_start(NATIONAL, at=started, working_days=2)
    assert times.due_at == datetime(2026, 11, 30, 15, tzinfo=CAIRO)  # Sunday, Monday (weekend skipped)
    assert times.risk_at == started + (times.due_at - started) / 2


def test_a_pause_counts_working_days_and_moves_deadlines_later():
    paused = datetime(2026, 11, 26, 11, tzinfo=CAIRO)  # Thursday
    resumed = datetime(2026, 12, 1, 9, tzinfo=CAIRO)  # Tuesday: Sunday, Monday, Tuesday
    days = clock_paused_days(NATIONAL, paused_at=paused, resumed_at=resumed)
    assert days == 3
    due = datetime(2026, 12, 3, 15, tzinfo=CAIRO)  # Thursday
    assert clock_shift(NATIONAL, due, days) == datetime(2026, 12, 8, 15, tzinfo=CAIRO)
    assert clock_shift(NATIONAL, None, days) is None  # a clock without that moment keeps none
