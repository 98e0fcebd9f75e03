"""The dashboards: who opens which (role, then scope, URL editing included), the figures they show
against ``reports.kpis`` on the hand-built month of ``test_kpis``, bad periods, the requests behind a
figure, today's intake, and a query count that does not grow with the requests."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reports.backlog import backlog_refresh
from reports.charts import Series, column_chart, line_chart, nice_ceiling
from reports.kept_figures import forget_kept_figures
from reports.kpis import Slice, fees_by_item, request_kpis
from reports.views_dashboards import headline
from requests_app.models import ServiceRequest
from tests.accounts.factories import staff
from tests.reports import test_kpis
from tests.reports.test_kpis import CAIRO, at
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db
played = test_kpis.played  # the hand-built October and November of test_kpis, with known answers
DASHBOARD = reverse("reports:dashboard")
NATIONAL = reverse("reports:dashboard_national")
REQUESTS = reverse("reports:dashboard_requests")
OCTOBER = "date_from=2026-10-01&date_to=2026-10-31"
NOVEMBER = "date_from=2026-11-01&date_to=2026-11-30"


def center_url(code: str) -> str:
    return reverse("reports:dashboard_center", args=[code])


@pytest.fixture
def people(org):
    return {
        "clerk": staff(Role.CLERK, center=org.bnh),
        "manager": staff(Role.CENTER_MANAGER, center=org.bnh),
        "other_manager": staff(Role.CENTER_MANAGER, center=org.hlp),
        "official": staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        "other_official": staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai),
        "national": staff(Role.NATIONAL_VIEWER),
    }


def get(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def figures(response) -> dict[str, str]:
    return {figure.key: figure.value for figure in response.context["figures"]}


# Who opens what ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, org):
    for url in (DASHBOARD, center_url("BNH"), NATIONAL, REQUESTS):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_clerk_is_refused(client, people, org):
    for url in (DASHBOARD, center_url("BNH"), NATIONAL, REQUESTS):
        assert get(client, people["clerk"], url).status_code == 403


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("official", DASHBOARD, 200),
        ("official", f"{DASHBOARD}?governorate=QLB", 200),
        ("official", f"{DASHBOARD}?governorate=CAI", 404),
        ("official", f"{DASHBOARD}?governorate=NOPE", 404),
        ("official", "/reports/dashboard/center/BNH/", 200),
        ("official", "/reports/dashboard/center/QLBM1/", 200),
        ("official", "/reports/dashboard/center/HLP/", 404),
        ("official", NATIONAL, 403),
        ("other_official", f"{DASHBOARD}?governorate=QLB", 404),
        ("other_official", "/reports/dashboard/center/BNH/", 404),
        ("manager", "/reports/dashboard/center/BNH/", 200),
        ("manager", f"{DASHBOARD}?governorate=QLB", 404),
        ("other_manager", "/reports/dashboard/center/BNH/", 404),
        ("national", f"{DASHBOARD}?governorate=QLB", 200),
        ("national", f"{DASHBOARD}?governorate=CAI", 200),
        ("national", "/reports/dashboard/center/HLP/", 200),
        ("national", NATIONAL, 200),
    ],
)
def test_each_role_reaches_its_own_places_only(client, people, who, url, status):
    assert get(client, people[who], url).status_code == status


def test_each_one_lands_on_their_own_dashboard(client, people):
    assert get(client, people["manager"], DASHBOARD).url == center_url("BNH")
    assert get(client, people["national"], DASHBOARD).url == NATIONAL
    home = get(client, people["official"], reverse("staff:home")).content.decode()
    assert f'href="{DASHBOARD}?governorate=QLB"' in home
    home = get(client, people["manager"], reverse("staff:home")).content.decode()
    assert f'href="{center_url("BNH")}"' in home


# The figures are reports.kpis' -------------------------------------------------------------------


def test_the_governorate_dashboard_shows_the_kpis(client, people, played, org):
    response = get(client, people["official"], f"{DASHBOARD}?{OCTOBER}")
    assert response.status_code == 200
    shown = figures(response)
    assert shown == {
        "received": "4",
        "decided": "3",
        "on_time": "100.0%",
        "delivered": "1",
        "cancelled": "0",
        "median": "3.0",
        "p90": "4.6",
        "fees": "2,002.00",
    }
    # The same as reports.kpis, and each beside the month before and the year before.
    kpis = request_kpis(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    assert (shown["received"], shown["fees"]) == (str(kpis.received), f"{kpis.fees:,}")
    received = next(f for f in response.context["figures"] if f.key == "received")
    assert [(c.value, c.change) for c in received.comparisons] == [("0", ""), ("0", "")]
    html = response.content.decode()
    assert "2,002.00" in html and 'role="img"' in html
    ranking = response.context["ranking"]
    assert [row.place.code for row, _ in ranking][0] == "BNH"
    assert {row.place.code for row, _ in ranking} == {"BNH", "QLBM1"}  # not Cairo's
    assert [s.code for s in response.context["slowest"]] == [played.service.code]


def test_a_change_is_shown_against_the_previous_period(client, people, played):
    response = get(client, people["official"], f"{DASHBOARD}?{NOVEMBER}")
    shown = figures(response)
    assert (shown["received"], shown["on_time"], shown["cancelled"]) == ("1", "0.0%", "1")
    on_time = next(f for f in response.context["figures"] if f.key == "on_time")
    previous = on_time.comparisons[0]  # 2 – 31 October: every decision on time
    assert (previous.value, previous.change, previous.tone) == ("100.0%", "-100.0 نقطة", "bad")


def test_the_trend_and_its_table_hold_the_days(client, people, played):
    response = get(client, people["official"], f"{DASHBOARD}?{OCTOBER}")
    chart = response.context["trend"]
    rows = dict(chart.rows)
    assert len(rows) == 31
    assert rows["04/10"] == [4, 0] and rows["05/10"] == [0, 1] and rows["08/10"] == [0, 1]
    assert sum(v[0] for v in rows.values()) == 4 and sum(v[1] for v in rows.values()) == 3
    assert 'aria-label="' in chart.svg and "<polyline" in chart.svg


def test_the_viewer_chooses_the_trend_by_week_or_month(client, people, played):
    weekly = get(client, people["official"], f"{DASHBOARD}?{OCTOBER}&grain=week").context["trend"]
    rows = dict(weekly.rows)  # weeks from Saturday: 26/09 (its 1–2 October) … 31/10
    assert list(rows) == ["26/09", "03/10", "10/10", "17/10", "24/10", "31/10"]
    assert rows["03/10"] == [4, 2] and rows["10/10"] == [0, 1]
    monthly = get(
        client, people["official"], f"{DASHBOARD}?date_from=2026-09-15&date_to=2026-11-30&grain=month"
    )
    assert dict(monthly.context["trend"].rows) == {"09/2026": [0, 0], "10/2026": [4, 3], "11/2026": [1, 1]}
    refused = get(client, people["official"], f"{DASHBOARD}?{OCTOBER}&grain=hour")
    assert refused.status_code == 400 and "trend" not in refused.context


def test_the_center_dashboard_shows_its_kpis(client, people, played, org):
    response = get(client, people["manager"], f"{center_url('BNH')}?{OCTOBER}")
    assert figures(response)["received"] == "4"
    assert figures(get(client, people["official"], f"{center_url('QLBM1')}?{OCTOBER}"))["received"] == "0"


def test_the_national_view_puts_the_governorates_side_by_side(client, people, played):
    response = get(client, people["national"], f"{NATIONAL}?{OCTOBER}")
    rows = {row.place.code: row.kpis for row, _ in response.context["ranking"]}
    assert set(rows) == {"QLB", "CAI"}
    assert (rows["QLB"].received, rows["QLB"].decided, rows["CAI"].received) == (4, 3, 0)
    assert (
        rows["QLB"].median_working_days
        == request_kpis(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31)).median_working_days
    )
    assert figures(response)["received"] == "4"


def test_today_at_the_center(client, people, played, org):
    clerk = staff(Role.CLERK, center=org.bnh)
    with time_machine.travel(datetime(2026, 12, 3, 9, 30, tzinfo=CAIRO), tick=False):
        submit(played.service, org.bnh, clerk, national_id="29001011401240")
    with time_machine.travel(datetime(2026, 12, 3, 11, 5, tzinfo=CAIRO), tick=False):
        submit(played.service, org.bnh, clerk, national_id="29001011401241")
        submit(played.service, org.hlp, staff(Role.CLERK, center=org.hlp), national_id="29001011401242")
        response = get(client, people["manager"], center_url("BNH"))
        today = timezone.localdate()
    assert response.status_code == 200
    by_hour = dict(response.context["intake"].by_hour)
    assert (by_hour[9], by_hour[10], by_hour[11]) == (1, 0, 1)
    assert response.context["intake"].by_clerk == [
        {"name": clerk.full_name, "requests": 2, "fees": Decimal("1001.00")}
    ]
    slice_ = Slice(Q(center=org.bnh))
    lines = fees_by_item(date_from=today, date_to=today, slice_=slice_)
    assert [
        {k: v for k, v in line.items() if k != "payment"} for line in response.context["fees_today"]
    ] == lines
    assert [line["count"] for line in response.context["fees_today"]] == [2, 2]
    assert clerk.full_name in response.content.decode()


# Bad periods ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-10-31&date_to=2026-10-01", "تنتهي الفترة قبل أن تبدأ."),
        ("date_from=2016-01-01&date_to=2026-01-01", "اختر فترة لا تزيد على 366 يومًا."),
        ("date_from=0001-01-01&date_to=0001-01-02", ""),
        ("date_from=2026-13-45&date_to=2026-10-01", ""),
        ("date_from=&date_to=", ""),
    ],
)
def test_a_bad_period_is_explained_never_a_500(client, people, query, message):
    for user, url in (
        (people["official"], DASHBOARD),
        (people["manager"], center_url("BNH")),
        (people["national"], NATIONAL),
        (people["official"], REQUESTS),
    ):
        response = get(client, user, f"{url}?{query}")
        assert response.status_code == 400
        assert response.context["form"].errors
        assert 'class="error-summary"' in response.content.decode()
        if message:
            assert message in response.content.decode()


# The requests behind a figure ------------------------------------------------------------------------


def receipts(response) -> set[str]:
    return {r.receipt_number for r in response.context["page_obj"]}


def test_the_requests_behind_each_figure(client, people, played):
    official = people["official"]
    by_name = {name: getattr(played, name).receipt_number for name in "ABCDE"}

    def behind(kind: str, period: str = OCTOBER, place: str = "governorate=QLB") -> set[str]:
        return receipts(get(client, official, f"{REQUESTS}?{place}&kind={kind}&{period}"))

    assert behind("received") == {by_name[n] for n in "ABCD"}
    assert behind("decided") == {by_name[n] for n in "ABC"}
    assert behind("delivered") == {by_name["A"]}
    assert behind("late") == set()
    assert behind("late", NOVEMBER) == {by_name["D"]}
    assert behind("cancelled", NOVEMBER, "center=BNH") == {by_name["E"]}
    assert behind("received", OCTOBER, f"center=BNH&service={played.service.code}") == {
        by_name[n] for n in "ABCD"
    }


def test_a_figure_links_to_its_requests_and_on_to_a_request_file(client, people, played):
    official = people["official"]
    dashboard = get(client, official, f"{DASHBOARD}?{OCTOBER}")
    decided = next(f for f in dashboard.context["figures"] if f.key == "decided")
    assert decided.url == f"{REQUESTS}?governorate=QLB&kind=decided&{OCTOBER}"
    listing = get(client, official, decided.url)
    file_url = reverse("office:request", args=[played.A.receipt_number])
    assert f'href="{file_url}"' in listing.content.decode()
    assert get(client, official, file_url).status_code == 200


def test_open_and_overdue_now(client, people, played, org):
    clerk = staff(Role.CLERK, center=org.bnh)
    late = submit(played.service, org.bnh, clerk, national_id="29001011401243")
    ServiceRequest.objects.filter(pk=late.pk).update(overdue_since=timezone.now())
    # The dashboard reads the backlog's count (every 5 minutes); the list behind it is live.
    assert get(client, people["official"], f"{DASHBOARD}?{OCTOBER}").context["open_overdue"] == 0
    backlog_refresh()
    response = get(client, people["official"], f"{DASHBOARD}?{OCTOBER}")
    assert response.context["open_overdue"] == 1
    listing = get(client, people["official"], response.context["overdue_url"])
    assert receipts(listing) == {late.receipt_number}
    assert (
        get(client, people["manager"], f"{REQUESTS}?kind=open-overdue").context["page_obj"].paginator.count
        == 1
    )
    assert (
        get(client, people["other_manager"], f"{REQUESTS}?kind=open-overdue")
        .context["page_obj"]
        .paginator.count
        == 0
    )


def test_an_edited_url_shows_nothing_of_another_scope(client, people, played):
    for who, query in [
        ("other_official", "governorate=QLB"),
        ("other_official", "center=BNH"),
        ("official", "center=HLP"),
        ("official", "governorate=CAI"),
        ("other_manager", "center=BNH"),
        ("manager", "governorate=QLB"),
        ("official", "service=NO-SUCH"),
    ]:
        assert get(client, people[who], f"{REQUESTS}?{query}&kind=received&{OCTOBER}").status_code == 404
    # Without a place: only what the viewer reaches.
    for who in ("other_official", "other_manager"):
        assert receipts(get(client, people[who], f"{REQUESTS}?kind=received&{OCTOBER}")) == set()
    assert len(receipts(get(client, people["manager"], f"{REQUESTS}?kind=received&{OCTOBER}"))) == 4
    assert get(client, people["official"], f"{REQUESTS}?kind=unknown&{OCTOBER}").status_code == 400


def test_the_list_is_paginated(client, people, played, monkeypatch):
    monkeypatch.setattr("reports.views_dashboards.PAGE_SIZE", 3)
    first = get(client, people["official"], f"{REQUESTS}?kind=received&{OCTOBER}")
    second = get(client, people["official"], f"{REQUESTS}?kind=received&{OCTOBER}&page=2")
    assert len(receipts(first)) == 3 and len(receipts(second)) == 1
    assert not receipts(first) & receipts(second)
    assert f"kind=received&amp;{OCTOBER.replace('&', '&amp;')}&amp;page=2" in first.content.decode()


# Cost -------------------------------------------------------------------------------------------------


def test_the_cost_does_not_grow_with_the_requests(client, people, played, org, django_assert_num_queries):
    url = f"{DASHBOARD}?{OCTOBER}"
    client.force_login(people["official"])
    client.get(url)  # the first page of a session also reads what it then keeps (the site's identity)
    forget_kept_figures()  # the page as counted, not as kept
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    clerk = staff(Role.CLERK, center=org.bnh)
    with at(10, 20):
        for n in range(6):
            submit(played.service, org.bnh, clerk, national_id=f"2900101140130{n}")
            van = staff(Role.CLERK, center=org.van)
            submit(
                played.service,
                org.van,
                van,
                national_id=f"2900101140131{n}",
                local_unit_id=org.bnh.local_unit_id,
            )
    forget_kept_figures()
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert figures(response)["received"] == "16"
    # (The backlog reads two: its count's time and its cells — no open request is counted live.)
    # (The other work and the escalations read 13 of them here, without violation services or escalations
    # — see reports.other_work and tests/reports/test_other_work.py.)
    # (The period's reads go without parallel workers: a savepoint here, the setting and its return, the
    # savepoint's release.)
    assert len(before.captured_queries) == 35


def test_headline_marks_no_basis_when_the_period_before_is_empty():
    from reports.kpis import Compared, RequestKpis

    empty = RequestKpis()
    shown = headline(Compared(RequestKpis(received=3), empty, empty), lambda kind: f"/{kind}")
    assert shown[0].comparisons[0].change == "" and shown[0].url == "/received"


def test_the_charts_run_right_to_left_and_escape_their_labels():
    labels = ["01/10", "02/10", "<b>"]
    series = [Series("مستلم", [1, 5, 9]), Series("Decided", [0, 2, 3])]
    rtl, ltr = (
        line_chart(title="T", labels=labels, series=series, rtl=True),
        line_chart(title="T", labels=labels, series=series, rtl=False),
    )
    assert x_of(rtl.svg, "01/10") > x_of(rtl.svg, "02/10") and x_of(ltr.svg, "01/10") < x_of(ltr.svg, "02/10")
    assert "<b>" not in rtl.svg and "&lt;b&gt;" in rtl.svg
    assert rtl.rows == [("01/10", [1, 0]), ("02/10", [5, 2]), ("<b>", [9, 3])]
    assert [nice_ceiling(v) for v in (0, 3, 5, 9, 41, 130)] == [4, 4, 8, 20, 80, 200]
    hours = column_chart(title="H", labels=["08:00", "09:00"], series=Series("n", [2, 0]), rtl=True)
    assert hours.svg.count("<rect") == 2 and 'role="img"' in hours.svg and 'aria-label="H"' in hours.svg


def x_of(svg: str, label: str) -> float:
    return float(re.search(rf'<text x="([0-9.]+)"[^>]*>{re.escape(label)}</text>', svg).group(1))
