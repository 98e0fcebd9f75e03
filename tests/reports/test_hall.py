"""The hall's figures: tickets issued, called, served and missed, and the mean and 90th-percentile wait,
by queue, by hour of the day and by center, on a day played through the services; the reach of each
role (editing the URL reveals nothing); the CSV export; bad periods; a fixed number of queries."""

import codecs
import csv
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import Role, User
from reports.hall_rollups import hall_days_rebuild
from reports.kpis import histogram_percentile
from reports.models import HallTicketDay, HallWaitDay
from reports.rollups import rollup_snapshot
from reports.selectors import HallFigures, hall_figures
from reports.spans import aggregates_rebuild
from tests.accounts.factories import RoleAssignmentFactory, staff
from tests.reports import conftest_hall

pytestmark = pytest.mark.django_db

hall, clerks, hall_day = conftest_hall.hall, conftest_hall.clerks, conftest_hall.hall_day
URL = reverse("reports:hall")
MONDAY = {"date_from": "2026-12-07", "date_to": "2026-12-07"}
MONDAYS = (date(2026, 12, 7), date(2026, 12, 7))


def figures(line: HallFigures) -> tuple:
    return (line.label, line.issued, line.waited, line.served, line.no_shows, line.mean_wait, line.p90_wait)


def report(user, center=None, day_to=7):
    return hall_figures(user=user, date_from=date(2026, 12, 7), date_to=date(2026, 12, day_to), center=center)


def test_a_centers_figures_by_queue_and_by_hour_as_defined(hall_day, org, hall):
    found = report(staff(Role.CENTER_MANAGER, center=org.bnh), org.bnh)
    assert [figures(line) for line in found.by_queue] == [
        ("A — كبار السن وذوو الهمم", 1, 1, 1, 0, pytest.approx(2), pytest.approx(2)),
        # 10, 25 and 10 minutes: B-003 stays under permits, where it was taken, after it was sent on
        ("B — التراخيص", 3, 3, 1, 1, pytest.approx(15), pytest.approx(10 + 0.8 * 15)),
        ("C — الشهادات", 2, 1, 1, 0, pytest.approx(4), pytest.approx(4)),
    ]
    # Hours of the day in Cairo (UTC+2): the tickets of 9:xx and of 10:xx.
    assert [figures(line) for line in found.by_hour] == [
        ("09:00–10:00", 3, 3, 2, 1, pytest.approx(13), pytest.approx(10 + 0.8 * 15)),
        ("10:00–11:00", 3, 2, 1, 0, pytest.approx(6), pytest.approx(2 + 0.9 * 8)),
    ]
    total = found.total
    assert figures(total)[1:] == (6, 5, 3, 1, pytest.approx(51 / 5), pytest.approx(10 + 0.6 * 15))
    assert found.by_center == []


def test_the_period_counts_the_days_tickets_were_taken(hall_day, org):
    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    two_days = report(manager, org.bnh, day_to=8).total  # Tuesday's B-001, called after 6 minutes
    assert (two_days.issued, two_days.waited, two_days.mean_wait) == (7, 6, pytest.approx(57 / 6))
    assert two_days.p90_wait == pytest.approx(10 + 0.5 * 15)
    later = hall_figures(
        user=manager, date_from=date(2026, 12, 9), date_to=date(2026, 12, 31), center=org.bnh
    )
    assert (later.by_queue, later.by_hour, later.total.issued, later.total.mean_wait) == ([], [], 0, None)


def test_the_period_before_comes_with_the_total_and_counts_as_its_own_report(hall_day, org):
    manager = staff(Role.CENTER_MANAGER, center=org.bnh)
    tuesday = hall_figures(
        user=manager, date_from=date(2026, 12, 8), date_to=date(2026, 12, 8), center=org.bnh, previous=MONDAYS
    )
    monday = report(manager, org.bnh).total
    assert (
        figures(tuesday.previous)[1:]
        == figures(monday)[1:]
        == (6, 5, 3, 1, pytest.approx(51 / 5), pytest.approx(19))
    )
    assert figures(tuesday.total)[1:] == (1, 1, 0, 0, pytest.approx(6), pytest.approx(6))
    assert [line.key for line in tuesday.by_queue] == ["B"]  # the lines are the period's own
    assert report(manager, org.bnh).previous is None


def test_every_center_within_reach_without_a_center(hall_day, org):
    national = report(staff(Role.NATIONAL_VIEWER))
    assert [figures(line) for line in national.by_center] == [
        (org.bnh.name_ar, 6, 5, 3, 1, pytest.approx(10.2), pytest.approx(19)),
        (org.hlp.name_ar, 1, 1, 0, 0, pytest.approx(40), pytest.approx(40)),
    ]
    assert figures(national.total)[1:] == (7, 6, 3, 1, pytest.approx(91 / 6), pytest.approx(25 + 0.5 * 15))
    qalyubia = report(staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb))
    assert [line.key for line in qalyubia.by_center] == ["BNH"] and qalyubia.total.issued == 6
    # Another scope's center named to the selector gives nothing of it.
    assert report(staff(Role.CENTER_MANAGER, center=org.hlp), org.bnh).total.issued == 0


def test_a_fixed_number_of_queries_however_many_tickets(hall_day, org, django_assert_num_queries):
    manager = User.objects.get(pk=staff(Role.CENTER_MANAGER, center=org.bnh).pk)
    manager.active_assignments  # noqa: B018 — loaded once per request, before the report
    # The centers in reach, the tickets' figures and the waits' histogram by line (a center's by queue,
    # then by hour), each for both periods, and the queues' or the centers' names.
    with django_assert_num_queries(5):
        report(manager, org.bnh)
    with django_assert_num_queries(4):
        report(manager)
    with django_assert_num_queries(5):
        hall_figures(
            user=manager,
            date_from=date(2026, 12, 8),
            date_to=date(2026, 12, 8),
            center=org.bnh,
            previous=MONDAYS,
        )


def test_the_histograms_percentile_is_postgresqls():
    """The waits' 90th percentile is read from their histogram, interpolated as ``percentile_cont``."""
    for values, expected in (([10, 25, 10], 22.0), ([2, 10], 9.2), ([7], 7.0), ([], None)):
        assert histogram_percentile(tuple(sorted(Counter(values).items())), 0.9) == pytest.approx(expected)


def test_the_acts_build_the_roll_ups_a_rebuild_makes_from_the_tickets(hall_day):
    built = rollup_snapshot()
    assert built["HallTicketDay"] and built["HallWaitDay"] and built["CenterHallWaitMonth"]
    hall_days_rebuild()
    for day_model in (HallTicketDay, HallWaitDay):
        aggregates_rebuild(day_model)
    assert rollup_snapshot() == built


def test_who_may_open_the_page_and_what_each_sees(client, hall_day, org):
    assert client.get(URL).url.startswith(reverse("accounts:login"))
    for refused in (
        staff(Role.CLERK, center=org.bnh),
        staff(Role.BACKOFFICE, department=org.bnh_eng),
        staff(Role.DEPARTMENT_HEAD, department=org.bnh_eng),
    ):
        client.force_login(refused)
        assert client.get(URL, MONDAY).status_code == 403

    client.force_login(staff(Role.CENTER_MANAGER, center=org.bnh))  # their center at once
    page = client.get(URL, MONDAY)
    html = page.content.decode()
    assert page.status_code == 200 and page.context["report"].center == org.bnh
    assert "B — التراخيص" in html and "09:00–10:00" in html and "22.0" in html
    assert client.get(URL, {**MONDAY, "center": "HLP"}).status_code == 404
    assert client.get(URL, {**MONDAY, "center": "NOPE"}).status_code == 404

    client.force_login(staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb))  # Benha and the van
    page = client.get(URL, MONDAY)
    html = page.content.decode()
    assert page.context["report"].center is None and [r.key for r in page.context["report"].by_center] == [
        "BNH"
    ]
    assert "?center=BNH&amp;date_from=2026-12-07&amp;date_to=2026-12-07" in html
    assert org.hlp.name_ar not in html
    assert client.get(URL, {**MONDAY, "center": "BNH"}).context["report"].total.issued == 6
    assert client.get(URL, {**MONDAY, "center": "HLP"}).status_code == 404

    # A clerk's role at Benha adds nothing to a Heliopolis manager's report.
    hlp_manager = staff(Role.CENTER_MANAGER, center=org.hlp)
    RoleAssignmentFactory(user=hlp_manager, role=Role.CLERK, center=org.bnh)
    client.force_login(hlp_manager)
    assert client.get(URL, {**MONDAY, "center": "BNH"}).status_code == 404
    page = client.get(URL, MONDAY)
    assert page.context["report"].center == org.hlp and page.context["report"].total.issued == 1

    client.force_login(staff(Role.NATIONAL_VIEWER))
    html = client.get(URL, MONDAY).content.decode()
    assert org.bnh.name_ar in html and org.hlp.name_ar in html


def test_csv_export(client, hall_day, org):
    client.force_login(staff(Role.NATIONAL_VIEWER))
    response = client.get(URL, {**MONDAY, "center": "BNH", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="hall-BNH-2026-12-07-2026-12-07.csv"'
    body = response.content
    assert body.startswith(codecs.BOM_UTF8)
    header, *rows = list(csv.reader(body.decode("utf-8-sig").splitlines()))
    assert header[:4] == [
        gettext("Center"),
        gettext("Hall queue"),
        gettext("Hour"),
        gettext("Tickets issued"),
    ]
    name = org.bnh.name_ar
    assert rows == [
        [name, "A — كبار السن وذوو الهمم", "", "1", "1", "1", "0", "2.0", "2.0"],
        [name, "B — التراخيص", "", "3", "3", "1", "1", "15.0", "22.0"],
        [name, "C — الشهادات", "", "2", "1", "1", "0", "4.0", "4.0"],
        [name, "", "09:00–10:00", "3", "3", "2", "1", "13.0", "22.0"],
        [name, "", "10:00–11:00", "3", "2", "1", "0", "6.0", "9.2"],
        [name, gettext("Total"), "", "6", "5", "3", "1", "10.2", "19.0"],
    ]
    every = client.get(URL, {**MONDAY, "format": "csv"})
    assert 'filename="hall-all-2026-12-07-2026-12-07.csv"' in every["Content-Disposition"]
    _, *rows = list(csv.reader(every.content.decode("utf-8-sig").splitlines()))
    assert [row[:4] for row in rows] == [
        [org.bnh.name_ar, "", "", "6"],
        [org.hlp.name_ar, "", "", "1"],
        [gettext("Total"), "", "", "7"],
    ]


@pytest.mark.parametrize(
    "period, message",
    [
        ({"date_from": "2026-12-08", "date_to": "2026-12-07"}, "The period ends before it starts."),
        ({"date_from": "0001-01-01", "date_to": "9999-12-31"}, "Choose a period of at most %(days)d days."),
        ({"date_from": "2025-01-01", "date_to": "2026-12-07"}, "Choose a period of at most %(days)d days."),
        ({"date_from": "2026-13-45", "date_to": "2026-12-07"}, "Enter a valid date."),
        ({"date_from": "", "date_to": "2026-12-07"}, "This field is required."),
    ],
)
def test_a_bad_period_is_explained_never_an_error(client, hall_day, org, period, message):
    client.force_login(staff(Role.NATIONAL_VIEWER))
    for asked in (period, {**period, "format": "csv"}):
        response = client.get(URL, {**asked, "center": "BNH"})
        assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
        text = gettext(message)
        assert (text % {"days": 366} if "%(days)d" in text else text) in response.content.decode()
        assert "report" not in response.context


def test_the_far_ends_of_the_calendar_are_no_error(client, hall_day, org):
    client.force_login(staff(Role.NATIONAL_VIEWER))
    for period in (("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-12-31")):
        response = client.get(URL, {"date_from": period[0], "date_to": period[1], "center": "BNH"})
        assert response.status_code == 200 and response.context["report"].total.issued == 0
