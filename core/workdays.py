"""Shared constants of the working-day calendar; the calendar itself is backoffice.calendar.WorkCalendar."""

from zoneinfo import ZoneInfo

CAIRO = ZoneInfo("Africa/Cairo")
WEEKEND = {4, 5}  # Friday, Saturday (Monday is 0)
