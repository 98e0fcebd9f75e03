"""The backlog snapshot (``reports.backlog``): known answers on a hand-built set, the refresh (atomic,
idempotent, one at a time, by the beat, the command), what the dashboards show of it, the requests
behind each figure, scope, and what the count costs.

Today is Monday 12 October 2026, 11:00; Thursday 8 October is a public holiday (Armed Forces Day,
observed). Service SHOP: 10 working days, route ENG (5) → LEGAL (5). At Benha (BNH), Qalyubia:
- A: taken today — 0 working days, in review at ENG;
- B: taken Sun 4 Oct — 5 working days (5, 6, 7, 11, 12: the holiday does not count, else it would be
  6), its ENG step (due today 15:00) has used more than 80 % of its time: **at risk**;
- C: taken Thu 1 Oct — 6 working days, forwarded to LEGAL yesterday (a fresh step: not at risk);
- D: taken Sun 13 Sep, documents asked on Tue 15 Sep: **awaiting the citizen** — exactly 20 working days;
- E: taken Sun 2 Aug, still at ENG: past its legal deadline, marked by the sweep: **open and overdue**,
  more than 40 working days;
- F: taken Sun 4 Oct and cancelled; G: taken Sun 4 Oct and approved — closed, never counted.
At the mobile center QLBM1 (Qalyubia, processed by Benha's departments): V, taken Wed 7 Oct — 2
working days (11, 12). At Heliopolis (HLP), Cairo: H, taken Thu 1 Oct — 6 working days, its ENG step
past due: at risk.
"""

import io
import threading
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse

from accounts.models import Role
from deadlines.sweep import deadline_sweep
from organisation.calendar import WorkCalendar
from organisation.models import Closure
from reports import backlog as counts
from reports.backlog import AGE_BUCKETS, Backlog, backlog_aging, backlog_by, backlog_refresh, backlog_total
from reports.dashboards import Kind
from reports.models import BacklogCell, BacklogSnapshot
from requests_app.models import ServiceRequest
from requests_app.services import (
    service_request_approve,
    service_request_cancel,
    service_request_forward,
    service_request_request_info,
)
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

CAIRO = ZoneInfo("Africa/Cairo")
TODAY = datetime(2026, 10, 12, 11, 0, tzinfo=CAIRO)
DASHBOARD = reverse("reports:dashboard")
NATIONAL = reverse("reports:dashboard_national")
REQUESTS = reverse("reports:dashboard_requests")


def at(month: int, day: int, hour: int = 10):
    return time_machine.travel(datetime(2026, month, day, hour, tzinfo=CAIRO), tick=False)


def center_url(code: str) -> str:
    return reverse("reports:dashboard_center", args=[code])


def the_set(org):
    """The hand-built requests (see the module's docstring), swept and counted as of TODAY."""
    from types import SimpleNamespace

    clerk, van_clerk = staff(Role.CLERK, center=org.bnh), staff(Role.CLERK, center=org.van)
    eng, legal = (
        staff(Role.BACKOFFICE, department=org.bnh_eng),
        staff(Role.BACKOFFICE, department=org.bnh_legal),
    )
    service = ServiceFactory(code="SHOP", legal_deadline_days=10)
    ids = iter(range(29001011401300, 29001011401400))

    def take(center=org.bnh, who=clerk, **extra):
        return submit(service, center, who, national_id=str(next(ids)), **extra)

    made = {}
    with at(8, 2):
        made["E"] = take()
    with at(9, 13):
        made["D"] = take()
    with at(9, 15):
        document = made["D"].terms["documents"][0]["code"]
        service_request_request_info(request_id=made["D"].pk, actor=eng, documents=[document], note="صورة")
    with at(10, 1):
        made["C"] = take()
        made["H"] = take(org.hlp, staff(Role.CLERK, center=org.hlp))
    with at(10, 4):
        made["B"], made["F"], made["G"] = take(), take(), take()
    with at(10, 5):
        service_request_cancel(request_id=made["F"].pk, clerk=clerk, reason="بناء على طلب المواطن")
        service_request_forward(request_id=made["G"].pk, actor=eng)
        service_request_approve(request_id=made["G"].pk, actor=legal, subject="محل رقم 7")
    with at(10, 7):
        made["V"] = take(org.van, van_clerk, local_unit_id=org.bnh.local_unit_id)
    with at(10, 11):
        service_request_forward(request_id=made["C"].pk, actor=eng)
    with at(10, 12, 9):
        made["A"] = take()
    with time_machine.travel(TODAY, tick=False):
        deadline_sweep()
        report = backlog_refresh()
    fresh = {name: ServiceRequest.objects.get(pk=r.pk) for name, r in made.items()}
    return SimpleNamespace(service=service, report=report, eng=eng, legal=legal, clerk=clerk, **fresh)


@pytest.fixture
def counted(org):
    return the_set(org)


@pytest.fixture
def people(org):
    return {
        "manager": staff(Role.CENTER_MANAGER, center=org.bnh),
        "other_manager": staff(Role.CENTER_MANAGER, center=org.hlp),
        "official": staff(Role.GOVERNORATE_OFFICIAL, governorate=org.qlb),
        "other_official": staff(Role.GOVERNORATE_OFFICIAL, governorate=org.cai),
        "national": staff(Role.NATIONAL_VIEWER),
    }


def get(client, user, url: str):
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        return client.get(url)


def receipts(*requests) -> set[str]:
    return {r.receipt_number for r in requests}


# Known answers ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_hand_built_set_is_counted_as_known(counted, org):
    assert (counted.E.overdue_since is not None, counted.B.overdue_since) == (True, None)
    qalyubia = backlog_total(rows=Q(center__governorate=org.qlb))
    assert qalyubia == Backlog(
        in_progress=5,  # A, B, C, E, V
        awaiting_citizen=1,  # D
        overdue=1,  # E
        at_risk=1,  # B
        aged_in_progress=(3, 1, 0, 0, 1),  # A, B, V | C | — | — | E
        aged_awaiting=(0, 0, 1, 0, 0),  # D: 20 working days, the last day of 11–20
    )
    assert backlog_total(rows=Q(center__governorate=org.cai)) == Backlog(
        in_progress=1, at_risk=1, aged_in_progress=(0, 1, 0, 0, 0)
    )
    by_center = {key[0]: b for key, b in backlog_by(by=("center",), rows=Q()).items()}
    assert {pk: (b.open, b.overdue) for pk, b in by_center.items()} == {
        org.bnh.pk: (5, 1),
        org.van.pk: (1, 0),
        org.hlp.pk: (1, 0),
    }
    assert counted.report.open == 7 and counted.report.taken_at == TODAY
    assert BacklogSnapshot.objects.get().taken_at == TODAY


@pytest.mark.django_db
def test_each_age_is_the_calendars_working_days_since_submission(counted, org):
    """The cut-offs give every open request the bucket its own calendar's working days give it."""
    names = {
        "A": 0,
        "B": 5,  # not 6: Thursday 8 October is a holiday
        "C": 6,
        "D": 20,
        "V": 2,
        "H": 6,
    }
    for name, days in names.items():
        request = getattr(counted, name)
        assert WorkCalendar(request.center).working_days_between(request.submitted_at, TODAY) == days, name
    buckets = _buckets_by_drill_down(org)
    for name, days in names.items():
        expected = next(b for b in AGE_BUCKETS if b.first <= days and (b.last is None or days <= b.last))
        assert getattr(counted, name).receipt_number in buckets[expected.kind], name
    assert counted.E.receipt_number in buckets["aged-41"]


def _buckets_by_drill_down(org) -> dict[str, set[str]]:
    with time_machine.travel(TODAY, tick=False):
        return {
            b.kind: set(
                ServiceRequest.objects.filter(counts.aged_q(b, today=TODAY.date())).values_list(
                    "receipt_number", flat=True
                )
            )
            for b in AGE_BUCKETS
        }


@pytest.mark.django_db
def test_the_closures_of_a_center_or_a_governorate_move_only_their_cut_offs(counted, org):
    Closure.objects.create(
        starts_on=date(2026, 10, 7), ends_on=date(2026, 10, 7), center=org.bnh, reason="صيانة"
    )
    Closure.objects.create(
        starts_on=date(2026, 10, 11), ends_on=date(2026, 10, 11), governorate=org.cai, reason="قرار"
    )
    with time_machine.travel(TODAY, tick=False):
        backlog_refresh()
    # C (Benha) loses Wednesday 7 October: 5 working days; V (the van, Qalyubia) keeps it: still 2.
    bnh = backlog_total(rows=Q(center=org.bnh))
    assert bnh.aged_in_progress == (3, 0, 0, 0, 1)  # A, B, C | — | — | — | E
    assert backlog_total(rows=Q(center=org.van)).aged_in_progress == (1, 0, 0, 0, 0)
    # H (Heliopolis, Cairo) loses Sunday 11 October: 5 working days.
    assert backlog_total(rows=Q(center=org.hlp)).aged_in_progress == (1, 0, 0, 0, 0)
    buckets = _buckets_by_drill_down(org)
    assert receipts(counted.A, counted.B, counted.C, counted.V, counted.H) == buckets["aged-0"]
    assert buckets["aged-6"] == set()


# The refresh ----------------------------------------------------------------------------------------


def cells() -> list[tuple]:
    fields = ("center", "service", "department", "waiting", "open", "overdue", "at_risk", *counts.AGE_FIELDS)
    return sorted(BacklogCell.objects.values_list(*fields))


@pytest.mark.django_db
def test_a_refresh_replaces_the_count_and_again_changes_nothing(counted, org):
    before = cells()
    with time_machine.travel(TODAY, tick=False):
        again = backlog_refresh()
    assert cells() == before and again.open == 7 and again.cells == len(before)
    # A request closes: the next count no longer holds it, and says when it was taken.
    with time_machine.travel(TODAY, tick=False):
        service_request_cancel(request_id=counted.A.pk, clerk=counted.clerk, reason="بناء على طلب المواطن")
    later = datetime(2026, 10, 12, 11, 5, tzinfo=CAIRO)
    with time_machine.travel(later, tick=False):
        backlog_refresh()
    assert backlog_total(rows=Q(center=org.bnh)).in_progress == 3
    assert BacklogSnapshot.objects.get().taken_at == later and BacklogSnapshot.objects.count() == 1


@pytest.mark.django_db
def test_a_refresh_that_fails_leaves_the_previous_count_whole(counted, monkeypatch):
    before, taken = cells(), counts.as_of()

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(BacklogCell.objects, "bulk_create", broken)
    with (
        time_machine.travel(datetime(2026, 10, 12, 12, tzinfo=CAIRO), tick=False),
        pytest.raises(RuntimeError),
    ):
        backlog_refresh()
    assert cells() == before and counts.as_of() == taken == TODAY


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refresh_finding_another_one_running_leaves_it_to_finish(org):
    """The second refresh neither waits nor counts twice: the one holding the lock gives the count."""
    backlog_refresh()
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                BacklogSnapshot.objects.select_for_update().get(pk=1)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        report = backlog_refresh()
        assert report.skipped and time.monotonic() - started < 5
    finally:
        release.set()
        thread.join()
    assert not backlog_refresh().skipped


@pytest.mark.django_db
def test_the_beat_counts_every_five_minutes_and_the_command_now(counted):
    from django_celery_beat.models import PeriodicTask

    from reports.tasks import refresh_backlog

    task = PeriodicTask.objects.get(name="reports-backlog-refresh")
    assert (task.task, task.interval.every, task.interval.period, task.enabled) == (
        "reports.backlog_refresh",
        5,
        "minutes",
        True,
    )
    assert task.expire_seconds == 300
    BacklogCell.objects.all().delete()
    later = datetime(2026, 10, 12, 11, 10, tzinfo=CAIRO)
    with time_machine.travel(later, tick=False):
        assert refresh_backlog.name == task.task and refresh_backlog.apply().get() == 7
    assert counts.as_of() == later and sum(c.open for c in BacklogCell.objects.all()) == 7
    out = io.StringIO()
    call_command("backlog_refresh", stdout=out)
    assert out.getvalue().startswith("Counted 7 open requests into ")


# The dashboards -------------------------------------------------------------------------------------


def shown(response) -> dict[str, str]:
    return {f.key: f.value for f in response.context["backlog"].figures}


@pytest.mark.django_db
def test_the_governorate_dashboard_shows_the_backlog_as_of_its_count(client, counted, people, org):
    response = get(client, people["official"], DASHBOARD)
    assert response.status_code == 200
    assert shown(response) == {
        "open_overdue": "1",
        "at_risk": "1",
        "in_progress": "5",
        "awaiting_citizen": "1",
    }
    panel = response.context["backlog"]
    assert "11:00" in panel.as_of_label and not panel.stale
    assert [(a.in_progress, a.awaiting_citizen, a.open) for a in panel.aging] == [
        (3, 0, 3),
        (1, 0, 1),
        (0, 1, 1),
        (0, 0, 0),
        (1, 0, 1),
    ]
    assert panel.chart.series[0].values == [3, 1, 1, 0, 1]
    # Centers ranked by overdue backlog: Benha (1 overdue) before the van (none); nothing of Cairo's.
    assert [(r.place.code, r.backlog.open, r.backlog.overdue) for r in panel.ranking] == [
        ("BNH", 5, 1),
        ("QLBM1", 1, 0),
    ]
    # The on-time ranking's "open and overdue" comes from the same count.
    assert {row.place.code: row.open_overdue for row, _ in response.context["ranking"]} == {
        "BNH": 1,
        "QLBM1": 0,
    }
    assert response.context["open_overdue"] == 1
    html = response.content.decode()
    assert 'data-figure="open_overdue"' in html and 'data-figure="at_risk"' in html
    assert "table=aging" in html and "table=backlog_ranking" in html
    tables = response.context["tables"]
    assert tables["aging"].rows[-1][1:4] == [5, 1, 6]
    assert [row[:4] for row in tables["backlog_ranking"].rows] == [
        [1, org.bnh.name, 5, 1],
        [2, org.van.name, 1, 0],
    ]
    csv = get(client, people["official"], f"{DASHBOARD}?table=aging&format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")


@pytest.mark.django_db
def test_the_center_and_national_dashboards_read_the_same_count(client, counted, people, org):
    center = get(client, people["manager"], center_url("BNH"))
    assert shown(center) == {"open_overdue": "1", "at_risk": "1", "in_progress": "4", "awaiting_citizen": "1"}
    assert center.context["backlog"].ranking is None
    departments = {d["current_department"]: d for d in center.context["departments"]}
    assert {pk: (d["open"], d["waiting"], d["overdue"], d["at_risk"]) for pk, d in departments.items()} == {
        org.bnh_eng.pk: (4, 1, 1, 1),  # A, B, E, and D waiting at ENG
        org.bnh_legal.pk: (1, 0, 0, 0),  # C
    }
    assert "table=aging" in center.content.decode()
    national = get(client, people["national"], NATIONAL)
    assert shown(national) == {
        "open_overdue": "1",
        "at_risk": "2",
        "in_progress": "6",
        "awaiting_citizen": "1",
    }
    ranking = national.context["backlog"].ranking
    assert [(r.place.code, r.backlog.open, r.backlog.overdue) for r in ranking] == [
        ("QLB", 6, 1),
        ("CAI", 1, 0),
    ]


@pytest.mark.django_db
def test_before_any_count_the_screen_says_so(client, people, org):
    response = get(client, people["official"], DASHBOARD)
    panel = response.context["backlog"]
    assert panel.as_of is None and panel.stale and panel.backlog == Backlog()
    assert 'class="banner banner--warning"' in response.content.decode()


@pytest.mark.django_db
def test_a_department_reads_its_own_aging(counted, org):
    with time_machine.travel(TODAY, tick=False):
        eng = backlog_aging(rows=Q(department=org.bnh_eng))
    assert eng.as_of == TODAY
    assert [(row.in_progress, row.awaiting_citizen) for row in eng.rows] == [
        (3, 0),
        (0, 0),
        (0, 1),
        (0, 0),
        (1, 0),
    ]
    assert (eng.backlog.open, eng.backlog.overdue, eng.backlog.at_risk) == (5, 1, 1)  # A, B, V, E + D
    legal = backlog_aging(rows=Q(department=org.bnh_legal))
    assert [row.open for row in legal.rows] == [0, 1, 0, 0, 0]


# The requests behind each figure ---------------------------------------------------------------------


def listed(client, user, query: str) -> set[str]:
    response = get(client, user, f"{REQUESTS}?{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    return {r.receipt_number for r in response.context["page_obj"]}


@pytest.mark.django_db
def test_each_figure_lists_exactly_the_requests_it_counts(client, counted, people, org):
    c = counted
    expected = {
        Kind.OPEN_OVERDUE: receipts(c.E),
        Kind.AT_RISK: receipts(c.B),
        Kind.IN_PROGRESS: receipts(c.A, c.B, c.C, c.E, c.V),
        Kind.AWAITING_CITIZEN: receipts(c.D),
        "aged-0": receipts(c.A, c.B, c.V),
        "aged-6": receipts(c.C),
        "aged-11": receipts(c.D),
        "aged-21": set(),
        "aged-41": receipts(c.E),
    }
    assert set(expected) == set(Kind.OPEN)
    panel = get(client, people["official"], DASHBOARD).context["backlog"]
    links = {f.key: f.url for f in panel.figures} | {
        b.kind: line.url for b, line in zip(AGE_BUCKETS, panel.aging, strict=True)
    }
    counted_here = {f.key: int(f.value) for f in panel.figures} | {
        b.kind: line.open for b, line in zip(AGE_BUCKETS, panel.aging, strict=True)
    }
    keys = {"open-overdue": "open_overdue", "at-risk": "at_risk", "in-progress": "in_progress"}
    keys["awaiting-citizen"] = "awaiting_citizen"
    for kind, requests in expected.items():
        key = keys.get(kind, kind)
        assert f"kind={kind}" in links[key] and "governorate=QLB" in links[key]
        assert listed(client, people["official"], links[key].split("?", 1)[1]) == requests, kind
        assert counted_here[key] == len(requests), kind
    # From the ranking: one center's overdue requests.
    bnh = panel.ranking[0]
    assert listed(client, people["official"], bnh.overdue_url.split("?", 1)[1]) == receipts(c.E)
    # Cairo's official sees Cairo's at-risk request only, whatever the period.
    assert listed(
        client, people["other_official"], "kind=at-risk&date_from=2020-01-01&date_to=2020-01-31"
    ) == (receipts(c.H))


@pytest.mark.django_db
def test_scope_holds_for_the_backlog_and_its_lists(client, counted, people, org):
    # Each viewer's count holds only their places.
    manager = get(client, people["manager"], center_url("BNH"))
    assert shown(manager)["in_progress"] == "4"
    cairo = get(client, people["other_official"], DASHBOARD)
    assert shown(cairo) == {"open_overdue": "0", "at_risk": "1", "in_progress": "1", "awaiting_citizen": "0"}
    assert [r.place.code for r in cairo.context["backlog"].ranking] == ["HLP"]
    # An edited URL to another place is a 404, for the dashboards and for the lists behind them.
    for who, url in [
        ("official", f"{DASHBOARD}?governorate=CAI"),
        ("official", center_url("HLP")),
        ("other_manager", center_url("BNH")),
        ("manager", f"{DASHBOARD}?governorate=QLB"),
        ("official", f"{REQUESTS}?center=HLP&kind=at-risk"),
        ("other_official", f"{REQUESTS}?governorate=QLB&kind=open-overdue"),
        ("other_manager", f"{REQUESTS}?center=BNH&kind=aged-41"),
    ]:
        assert get(client, people[who], url).status_code == 404, (who, url)
    # Without a place: only what the viewer reaches.
    assert listed(client, people["manager"], "kind=in-progress") == receipts(
        counted.A, counted.B, counted.C, counted.E
    )
    assert listed(client, people["other_manager"], "kind=aged-41") == set()
    assert get(client, people["official"], f"{REQUESTS}?kind=aged-7").status_code == 400


# Cost -----------------------------------------------------------------------------------------------


def _more_requests(template: ServiceRequest, n: int) -> int:
    """``n`` copies of an open request taken over five months: 12 % in review and 5 % waiting for the
    citizen (one in seven of those overdue), the rest delivered — about the benchmark's mix (set-based
    SQL: thousands of rows in a blink). Returns how many are open."""
    varied = {
        "id",
        "receipt_number",
        "sequence",
        "tracking_token",
        "intake_key",
        "submitted_at",
        "state",
        "current_department_id",
        "current_step_id",
        "overdue_since",
        "step_risk_at",
        "step_due_at",
        "assignee_id",
    }
    columns = [f.column for f in ServiceRequest._meta.concrete_fields if f.column not in varied]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO requests_app_servicerequest
              ({", ".join(columns)}, receipt_number, sequence, tracking_token, intake_key, submitted_at,
               state, current_department_id, current_step_id, overdue_since, step_risk_at, step_due_at)
            SELECT {", ".join(columns)}, receipt_number || '-' || g, 500000 + g, md5(random()::text || g),
                   gen_random_uuid(), submitted_at - (g %% 150) * interval '1 day',
                   CASE WHEN g %% 100 < 12 THEN 'in_review' WHEN g %% 100 < 17 THEN 'awaiting_citizen'
                        ELSE 'delivered' END,
                   CASE WHEN g %% 100 < 17 THEN current_department_id END,
                   CASE WHEN g %% 100 < 17 THEN current_step_id END,
                   CASE WHEN g %% 100 < 17 AND g %% 7 = 0 THEN %s::timestamptz END,
                   CASE WHEN g %% 100 < 17 THEN step_risk_at - (g %% 10) * interval '1 day' END,
                   CASE WHEN g %% 100 < 17 THEN step_due_at END
            FROM requests_app_servicerequest, generate_series(1, %s) g
            WHERE id = %s
            """,
            [TODAY, n, template.pk],
        )
        cursor.execute("ANALYZE requests_app_servicerequest")
    return sum(1 for g in range(1, n + 1) if g % 100 < 17)


@pytest.mark.django_db
def test_the_count_reads_the_open_requests_index_and_its_time_is_printed(counted, org):
    """Measured, not asserted: the refresh's time over a few thousand open requests, and its plan."""
    opened = _more_requests(counted.A, 6000)
    with time_machine.travel(TODAY, tick=False):
        started = time.perf_counter()
        report = backlog_refresh()
        seconds = time.perf_counter() - started
        plan = counts.count_query(TODAY).explain(analyze=True, buffers=True)
    assert report.open == 7 + opened == ServiceRequest.objects.filter(counts.open_q()).count()
    assert sum(backlog_total(rows=Q()).aged) == report.open
    total = ServiceRequest.objects.count()
    print(
        f"\nbacklog_refresh: {report.open} open of {total} requests, {report.cells} cells,"
        f" {seconds * 1000:.1f} ms"
    )
    print(plan)


@pytest.mark.django_db
def test_the_migration_makes_the_partial_indexes_of_the_open_requests():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'requests_app_servicerequest' "
            "AND indexname IN ('request_open_backlog', 'request_open_newest') ORDER BY indexname"
        )
        found = dict(cursor.fetchall())
    assert list(found) == ["request_open_backlog", "request_open_newest"]
    for definition in found.values():
        assert "WHERE ((state)::text = ANY" in definition and "awaiting_citizen" in definition


@pytest.mark.django_db
def test_the_dashboards_cost_does_not_grow_with_the_open_requests(
    client, counted, people, org, django_assert_num_queries
):
    from django.test.utils import CaptureQueriesContext

    from reports.kept_figures import forget_kept_figures

    client.force_login(people["official"])
    with time_machine.travel(TODAY, tick=False):
        client.get(DASHBOARD)
        forget_kept_figures()  # the page as counted, not as kept
        with CaptureQueriesContext(connection) as before:
            assert client.get(DASHBOARD).status_code == 200
        opened = _more_requests(counted.B, 600)
        backlog_refresh()
        forget_kept_figures()  # (the clock stands still: the count's time has not changed)
        with django_assert_num_queries(len(before.captured_queries)):
            response = client.get(DASHBOARD)
    assert int(shown(response)["in_progress"]) + int(shown(response)["awaiting_citizen"]) == 6 + opened
