"""The month twins of the roll-ups (``reports.spans``): a period splits into the months read whole
(less their days outside it) and its ragged ends, the month rows are kept with the day rows, and
reading months plus ends gives exactly what the day rows alone give, for any period, also for several
periods in one read."""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from organisation.models import Center
from reports import rollups
from reports.models import RequestDay, RequestDayDuration, RequestMonth, StepDay
from reports.spans import Split, serial_reads, split, summed
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("date_from", "date_to", "today", "expected"),
    [
        # inside one month, most of it: the month less the days around
        (
            date(2026, 11, 5),
            date(2026, 11, 20),
            None,
            Split(
                (),
                (date(2026, 11, 1),) * 2,
                ((date(2026, 11, 1), date(2026, 11, 4)), (date(2026, 11, 21), date(2026, 11, 30))),
            ),
        ),
        # inside one month, a few days of it: those days
        (date(2026, 11, 5), date(2026, 11, 9), None, Split(((date(2026, 11, 5), date(2026, 11, 9)),), None)),
        # one whole month: months only
        (date(2026, 2, 1), date(2026, 2, 28), None, Split((), (date(2026, 2, 1), date(2026, 2, 1)))),
        # a year from the 5th: December 2025 less its first four days, the last four days one by one
        (
            date(2025, 12, 5),
            date(2026, 12, 4),
            None,
            Split(
                ((date(2026, 12, 1), date(2026, 12, 4)),),
                (date(2025, 12, 1), date(2026, 11, 1)),
                ((date(2025, 12, 1), date(2025, 12, 4)),),
            ),
        ),
        # 30 days over a month's turn
        (
            date(2026, 11, 5),
            date(2026, 12, 4),
            None,
            Split(
                ((date(2026, 12, 1), date(2026, 12, 4)),),
                (date(2026, 11, 1),) * 2,
                ((date(2026, 11, 1), date(2026, 11, 4)),),
            ),
        ),
        # … up to today: the days after it hold no row, so the current month is read whole
        (
            date(2026, 11, 6),
            date(2026, 12, 5),
            date(2026, 12, 5),
            Split(
                (),
                (date(2026, 11, 1), date(2026, 12, 1)),
                ((date(2026, 11, 1), date(2026, 11, 5)), (date(2026, 12, 6), date(2026, 12, 31))),
            ),
        ),
        # a leap February's end, and a range starting on a first
        (
            date(2024, 1, 1),
            date(2024, 3, 15),
            None,
            Split(((date(2024, 3, 1), date(2024, 3, 15)),), (date(2024, 1, 1), date(2024, 2, 1))),
        ),
        (
            date(2024, 2, 10),
            date(2024, 2, 29),
            None,
            Split((), (date(2024, 2, 1),) * 2, ((date(2024, 2, 1), date(2024, 2, 9)),)),
        ),
        # reversed: nothing
        (date(2026, 3, 2), date(2026, 3, 1), None, Split((), None)),
    ],
)
def test_a_period_splits_into_months_read_whole_less_days_and_days(date_from, date_to, today, expected):
    assert split(date_from, date_to, today) == expected


@pytest.fixture
def scattered(org):
    """Day rows on 200 random days over two years and a half, two centers, kept as the events keep
    them (the month twins in the same statements)."""
    draw = random.Random(17)
    service = ServiceFactory()
    start = date(2024, 1, 1)
    for _ in range(200):
        day = start + timedelta(days=draw.randrange(900))
        center = draw.choice([org.bnh, org.van])
        rollups._add(
            RequestDay,
            {"day": day, "center_id": center.pk, "service_id": service.pk},
            {
                **dict.fromkeys(rollups.DAY_FIGURES, 0),
                "received": draw.randrange(1, 9),
                "approved": draw.randrange(5),
                "fees": Decimal(draw.randrange(100_000)) / 100,
            },
        )
    return org


def _from_days(date_from: date, date_to: date, rows: Q) -> dict:
    days = RequestDay.objects.filter(rows, day__gte=date_from, day__lte=date_to)
    return {
        "received": sum(row.received for row in days),
        "approved": sum(row.approved for row in days),
        "fees": sum((row.fees for row in days), Decimal("0")),
    }


def test_the_month_rows_are_the_sums_of_their_days(scattered):
    for month in RequestMonth.objects.all():
        days = RequestDay.objects.filter(
            center=month.center, service=month.service, day__year=month.day.year, day__month=month.day.month
        )
        assert month.received == sum(day.received for day in days) > 0
        assert month.fees == sum(day.fees for day in days)
    assert RequestMonth.objects.count() < RequestDay.objects.count()


def test_months_and_ends_give_what_the_days_give_for_any_periods(scattered):
    draw = random.Random(5)
    rows = Q(center=scattered.bnh)
    for _ in range(40):
        periods = []
        for _ in range(3):
            first = date(2023, 12, 1) + timedelta(days=draw.randrange(1000))
            periods.append((first, first + timedelta(days=draw.randrange(500))))
        with CaptureQueriesContext(connection) as queries:
            found = summed(RequestDay, periods=periods, figures=("received", "approved", "fees"), rows=rows)
        assert len(queries) <= 1  # one statement, whatever the periods
        for index, period in enumerate(periods):
            expected = _from_days(*period, rows)
            got = found[()][index] if () in found else {"received": 0, "approved": 0, "fees": 0}
            assert got == expected, period


def test_rows_after_today_are_still_subtracted(scattered, monkeypatch):
    """Which way a month is read only weighs the cost (days after today are free to subtract); the sums
    stay exact when rows lie after "today" all the same (a clock set back, a roll-up dated ahead)."""
    monkeypatch.setattr("reports.spans.timezone.localdate", lambda: date(2024, 6, 10))
    rows = Q(center=scattered.bnh)
    periods = [(date(2024, 5, 3), date(2024, 6, 20)), (date(2024, 6, 2), date(2024, 6, 30))]
    found = summed(RequestDay, periods=periods, figures=("received", "approved", "fees"), rows=rows)
    for index, period in enumerate(periods):
        expected = _from_days(*period, rows)
        assert found.get((), [dict.fromkeys(expected, 0)] * 2)[index] == expected, period


def test_grouped_sums_read_whole_months_from_the_month_rows(scattered):
    year = (date(2025, 1, 1), date(2025, 12, 31))
    with CaptureQueriesContext(connection) as queries:
        found = summed(RequestDay, periods=[year], figures=("received",), by=("center_id",))
    # by center: the centers' month sums of all services
    assert len(queries) == 1 and 'FROM "reports_centerrequestmonth"' in queries[0]["sql"]
    for (center_id,), (figures,) in found.items():
        assert figures == {"received": _from_days(*year, Q(center_id=center_id))["received"]}
    days_only = summed(RequestDay, periods=[year], figures=("received",), by=("center_id",), months=False)
    assert days_only == found


def test_a_read_takes_the_smallest_table_that_holds_what_it_names(scattered):
    tables = {
        # (day roll-up, by, rows): the table of the whole months, the table of the ragged ends
        (RequestDay, ("center_id",), Q()): ("centerrequestmonth", "centerrequestday"),
        (RequestDay, (), Q(center__governorate=scattered.bnh.governorate)): (
            "centerrequestmonth",
            "centerrequestday",
        ),
        (RequestDay, ("service",), Q(center=scattered.bnh)): ("requestmonth", "requestday"),
        (RequestDayDuration, ("working_days",), Q(center_id__in=[scattered.bnh.pk])): (
            "centermonthduration",
            "centerdayduration",
        ),
        (RequestDayDuration, ("service", "working_days"), Q()): (
            "servicemonthduration",
            "servicedayduration",
        ),
        (RequestDayDuration, ("service", "working_days"), Q(center=scattered.bnh)): (
            "requestmonthduration",
            "requestdayduration",
        ),
    }
    # Steps: per department of a center for the dashboards, per employee for a department's head.
    tables[(StepDay, ("department__department_type",), Q(center_id__in=[scattered.bnh.pk]))] = (
        "departmentstepmonth",
        "departmentstepday",
    )
    tables[(StepDay, ("employee",), Q(department=scattered.bnh_eng))] = ("stepmonth", "stepday")
    # A filter no aggregate can answer (another field, an expression): the day rows alone.
    tables[(RequestDay, (), Q(pk__gt=0))] = (None, "requestday")
    tables[(RequestDay, (), Q(Exists(RequestDay.objects.filter(pk=OuterRef("pk")))))] = (None, "requestday")
    period = (date(2024, 12, 5), date(2025, 12, 4))
    for (model, by, rows), (months, days) in tables.items():
        with CaptureQueriesContext(connection) as queries:
            figure = {RequestDay: "received", RequestDayDuration: "decided", StepDay: "steps_done"}[model]
            summed(model, periods=[period], figures=(figure,), by=by, rows=rows)
        assert len(queries) == 1  # the ragged ends' table and the months' in one statement
        read = set(re.findall(r'FROM "(reports_[a-z]+)"', queries[0]["sql"]))
        assert read == {f"reports_{days}", *([f"reports_{months}"] if months else [])}, (model, by)


def test_whole_governorates_are_read_from_their_aggregates(scattered):
    """The same rows named by a governorate (all its centers) read its aggregates, kept by the writer
    from the rows' centers, and give what the centers' rows give."""
    governorate = scattered.bnh.governorate
    centers = list(Center.objects.filter(governorate=governorate).values_list("pk", flat=True))
    rows, places = Q(center_id__in=centers), Q(governorate_id=governorate.pk)
    periods = [(date(2024, 3, 5), date(2025, 2, 20)), (date(2023, 3, 5), date(2024, 2, 20))]
    figures = ("received", "approved", "fees")
    with CaptureQueriesContext(connection) as queries:
        found = summed(
            RequestDay, periods=periods, figures=figures, by=("service_id",), rows=rows, places=places
        )
    assert len(queries) == 1
    assert 'FROM "reports_governoraterequestmonth"' in queries[0]["sql"]
    assert 'FROM "reports_governoraterequestday"' in queries[0]["sql"]
    assert found == summed(RequestDay, periods=periods, figures=figures, by=("service_id",), rows=rows)
    assert found[(RequestDay.objects.first().service_id,)][0]["received"] > 0
    # (a read by center still needs the centers' tables, whatever else names the rows)
    with CaptureQueriesContext(connection) as queries:
        summed(RequestDay, periods=periods, figures=figures, by=("center_id",), rows=rows, places=places)
    assert 'FROM "reports_centerrequestmonth"' in queries[0]["sql"]


def test_serial_reads_start_no_parallel_worker_and_leave_the_setting_as_it_was():
    def workers() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            return cursor.fetchone()[0]

    before = workers()
    with serial_reads():
        inside = workers()
    assert (before, inside, workers()) == ("2", "0", "2")
