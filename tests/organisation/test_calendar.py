"""The working-day calendar: weekends, Egypt's holidays (Islamic ones included), closures declared by
administrators, the center's closing time and daylight saving; add/between consistency by property."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Closure

NATIONAL = WorkCalendar(closed_days=frozenset())  # weekends and public holidays only


def test_friday_and_saturday_are_the_weekend():
    assert NATIONAL.is_working_day(date(2026, 11, 22))  # Sunday
    assert NATIONAL.is_working_day(date(2026, 11, 26))  # Thursday
    assert not NATIONAL.is_working_day(date(2026, 11, 27))  # Friday
    assert not NATIONAL.is_working_day(date(2026, 11, 28))  # Saturday


@pytest.mark.parametrize(
    "holiday",
    [
        date(2026, 3, 20),
        date(2026, 5, 27),
        date(2027, 3, 9),
        date(2027, 5, 17),
        date(2026, 1, 7),
        date(2026, 7, 23),
    ],
    ids=[
        "eid-al-fitr-2026",
        "eid-al-adha-2026",
        "eid-al-fitr-2027",
        "eid-al-adha-2027",
        "coptic-christmas",
        "revolution-day",
    ],
)
def test_public_holidays_from_the_package_are_not_working_days(holiday):
    assert not NATIONAL.is_working_day(holiday)


def test_eid_al_adha_2026_pushes_a_deadline_past_the_holiday():
    # Sunday 24 May 2026: working days are Mon 25; Tue 26 (Arafah) to Fri 29 are holidays; then Sun 31.
    assert NATIONAL.add_working_days(date(2026, 5, 24), 2) == date(2026, 5, 31)


@pytest.mark.django_db
def test_closures_apply_to_their_scope_only(org):
    Closure.objects.create(
        starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2), center=org.bnh, reason="صيانة"
    )
    Closure.objects.create(
        starts_on=date(2026, 12, 6), ends_on=date(2026, 12, 6), governorate=org.cai, reason="قرار المحافظ"
    )
    Closure.objects.create(starts_on=date(2026, 12, 9), ends_on=date(2026, 12, 9), reason="قرار رئيس الوزراء")
    benha, heliopolis = WorkCalendar(org.bnh), WorkCalendar(org.hlp)
    assert not benha.is_working_day(date(2026, 12, 1)) and heliopolis.is_working_day(date(2026, 12, 1))
    assert benha.is_working_day(date(2026, 12, 6)) and not heliopolis.is_working_day(date(2026, 12, 6))
    assert not benha.is_working_day(date(2026, 12, 9)) and not heliopolis.is_working_day(date(2026, 12, 9))
    # Sunday 29 Nov + 3 working days: Mon 30 Nov, (Tue 1 and Wed 2 closed), Thu 3, Sun 6.
    assert benha.add_working_days(date(2026, 11, 29), 3) == date(2026, 12, 6)


@pytest.mark.django_db
def test_closures_are_read_once_per_calendar(org, django_assert_num_queries):
    calendar = WorkCalendar(org.bnh)
    with django_assert_num_queries(1):
        for n in range(60):
            calendar.is_working_day(date(2026, 1, 1) + timedelta(days=n))


@pytest.mark.django_db
def test_deadline_falls_at_the_centers_closing_time(org):
    org.bnh.closing_time = time(14, 30)
    calendar = WorkCalendar(org.bnh)
    due = calendar.deadline(datetime(2026, 11, 22, 9, 0, tzinfo=CAIRO), 1)
    assert due == datetime(2026, 11, 23, 14, 30, tzinfo=CAIRO)


def test_daylight_saving_is_respected():
    # Egypt's summer time 2026 starts on the last Friday of April (24 April): +02:00 before, +03:00 after.
    before = NATIONAL.deadline(datetime(2026, 4, 20, 10, tzinfo=CAIRO), 1)
    after = NATIONAL.deadline(datetime(2026, 4, 22, 10, tzinfo=CAIRO), 2)  # Thu 23, then Sun 26
    assert before.utcoffset() == timedelta(hours=2)
    assert after.date() == date(2026, 4, 26) and after.utcoffset() == timedelta(hours=3)
    assert (after.hour, after.minute) == (15, 0)


def test_paused_time_is_counted_in_working_days():
    thursday = datetime(2026, 11, 26, 11, tzinfo=CAIRO)
    sunday = datetime(2026, 11, 29, 9, tzinfo=CAIRO)
    assert NATIONAL.working_days_between(thursday, sunday) == 1  # the weekend does not count
    due = datetime(2026, 12, 3, 15, tzinfo=CAIRO)  # Thursday
    assert NATIONAL.shift(due, 1) == datetime(2026, 12, 6, 15, tzinfo=CAIRO)  # to Sunday


DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=DAYS, days=st.integers(min_value=0, max_value=80))
def test_adding_then_counting_gives_back_the_days(start, days):
    end = NATIONAL.add_working_days(start, days)
    begin = datetime.combine(start, time(10), tzinfo=CAIRO)
    assert NATIONAL.working_days_between(begin, datetime.combine(end, time(10), tzinfo=CAIRO)) == days
    assert days == 0 or NATIONAL.is_working_day(end)
    assert NATIONAL.subtract_working_days(end, days) <= start


@settings(max_examples=200, deadline=None)
@given(start=DAYS, first=st.integers(0, 40), second=st.integers(0, 40))
def test_adding_is_additive(start, first, second):
    assert NATIONAL.add_working_days(
        NATIONAL.add_working_days(start, first), second
    ) == NATIONAL.add_working_days(start, first + second)


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    span=st.integers(min_value=-10, max_value=800),
    hour=st.integers(min_value=0, max_value=23),
    closed=st.sets(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), max_size=20),
)
def test_working_days_between_counts_what_a_day_by_day_walk_counts(start, span, hour, closed):
    calendar = WorkCalendar(closed_days=frozenset(closed))
    begin = datetime.combine(start, time(hour), tzinfo=CAIRO)
    end = begin + timedelta(days=span)
    first, last = begin.date(), end.date()
    walked = sum(
        1 for n in range(1, (last - first).days + 1) if calendar.is_working_day(first + timedelta(days=n))
    )
    assert calendar.working_days_between(begin, end) == walked
