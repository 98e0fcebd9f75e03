"""Dashboards benchmark (issue 17): the governorate, center and national dashboards over the history set
of data.py (10,000,000 requests over three years), rendered by gunicorn over HTTP, beside the same
figures computed by a straight aggregate over the requests table; the roll-up's cost per 1,000 events;
the roll-ups' full rebuild. Run on demand, never in CI (see bench/README.md, "Dashboards at 10,000,000"):

    .venv/bin/python bench/data.py --requests 10000000    # once: the history set (~21 min, ~21 GB)
    .venv/bin/python bench/dashboards.py                  # ~25 min; --help for the knobs

It first runs ``migrate`` on the benchmark database (BENCH_DATABASE_URL, as data.py), then rebuilds the
roll-ups if they are missing or stale: a roll-up table of the reports app is empty, the days' received
figures do not add up to the requests, or the reports app's migrations changed since the last rebuild
this script saw (a new roll-up table). Then, for each page and period (the page's default, the last 30
days, and the last 365 days):

- the page over HTTP: gunicorn with production settings (over_http.Server), signed in through the
  login form as the demo's governorate official (qlb.official), Benha's center manager (bnh.manager)
  and the national viewer (national.viewer); one client, requests one after another, warm-ups first;
  every answer must be a 200 page;
- the straight aggregate: one SQL statement over requests_app_servicerequest giving the page's period
  figures (received, decided, on time, delivered, cancelled, median and 90th percentile working days
  by percentile_cont, fees; for the period, the period before and the same days a year earlier; per
  center or governorate for the ranking; per service for the slowest services; the daily trend), plus
  the page's live figures (open and overdue per place; a center's intake today, fees today by item and
  open requests by department) as the same SQL; checked against the roll-ups' figures; and the page's
  other figures (time per department step, violation cases, documents, SMS, hall) each counted straight
  from its own table (straight_other.py) — the ratio is given against both;
- the page's own SQL statements in-process, slowest first (what to look at when a page is slow).

Then the roll-up's cost: real requests taken and carried through (intake, forward, approve, issue,
deliver) in transactions that are rolled back, with the roll-up receiver connected and disconnected,
and ``request_event_recorded`` timed alone on the same events; and ``rollups_rebuild()`` timed (and
``manage.py rollups_rebuild`` with --rebuild-command). The machine is shared: expect ±30 %.
"""

import argparse
import http.client
import logging
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import over_http  # noqa: E402  (sets the servers' SECRET_KEY before Django starts)
import straight_other  # noqa: E402
from data import ROOT, database_url, setup_django  # noqa: E402

PORT = 8653
HOST = over_http.HOST
CSRF = over_http.CSRF
GOVERNORATE, CENTER = "QLB", "BNH"
VIEWERS = {"governorate": "qlb.official", "center": "bnh.manager", "national": "national.viewer"}
TARGET_P95_MS, TARGET_RATIO, TARGET_EVENTS_PER_SECOND = 200.0, 50.0, 100.0
DECIDED = ("approved", "ready", "delivered", "rejected")
OPEN = ("submitted", "in_review", "awaiting_citizen")
NOT_ROLLUPS = {"ExportJob"}  # models of the reports app that the rebuild does not fill
# Each page twice: its period figures counted for the view (a first view, or one after the kept figures'
# slot ended) and as kept from the view before (reports.kept_figures; every later view of the slot).
WAYS = {"counted": "counted", "kept": "kept"}


def ms(seconds: float) -> float:
    return seconds * 1000


def p95(values: list[float]) -> float:
    """The 95th percentile (linear interpolation; with few values, close to the largest)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = 0.95 * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


# Preparing the database --------------------------------------------------------------------------------


def history_present() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_history') IS NOT NULL")
        if not cursor.fetchone()[0]:
            raise SystemExit(
                "No history set here: run .venv/bin/python bench/data.py --requests 10000000 first."
            )
        cursor.execute("SELECT total, as_of, done, finished_at FROM bench_history WHERE name = 'history'")
        row = cursor.fetchone()
    if row is None or row[2] < row[0] or row[3] is None:
        raise SystemExit("The history set is unfinished: run bench/data.py again with the same --requests.")
    return {"total": row[0], "as_of": row[1]}


def rollup_models() -> list:
    from django.apps import apps

    return [m for m in apps.get_app_config("reports").get_models() if m.__name__ not in NOT_ROLLUPS]


def rollups_state() -> tuple[str, list[str]]:
    """The reports app's applied migrations, and why the roll-ups would need a rebuild (empty: none)."""
    from django.db import connection
    from django.db.models import Sum

    from reports.models import RequestDay
    from requests_app.models import ServiceRequest

    reasons = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(name, ',' ORDER BY name) FROM django_migrations WHERE app = 'reports'"
        )
        migrations = cursor.fetchone()[0] or ""
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_rollups (name text PRIMARY KEY, migrations text NOT NULL,"
            " rebuilt_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute("SELECT migrations FROM bench_rollups WHERE name = 'rollups'")
        seen = cursor.fetchone()
    if seen is not None and seen[0] != migrations:
        reasons.append("the reports app's migrations changed since the last rebuild")
    for model in rollup_models():
        if not model.objects.exists():
            reasons.append(f"{model._meta.db_table} is empty")
    received = RequestDay.objects.aggregate(n=Sum("received"))["n"] or 0
    requests = ServiceRequest.objects.count()
    if received != requests:
        reasons.append(f"the roll-ups count {received:,} requests received, the table holds {requests:,}")
    return migrations, reasons


def rollups_mark(migrations: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_rollups (name, migrations) VALUES ('rollups', %s) ON CONFLICT (name) DO UPDATE"
            " SET migrations = excluded.migrations, rebuilt_at = now()",
            [migrations],
        )


def rebuild() -> tuple[float, float, dict]:
    """rollups_rebuild() as one transaction, then VACUUM ANALYZE of the roll-up tables (as data.py)."""

    from reports.rollups import rollups_rebuild

    began = time.perf_counter()
    rows = rollups_rebuild()
    took = time.perf_counter() - began
    return took, vacuum_rollups(), rows


def vacuum_rollups() -> float:
    """VACUUM ANALYZE of every roll-up table (autovacuum is off on some of our machines): index-only
    scans need the visibility map, and the planner the statistics, also of tables a migration filled."""
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        for model in rollup_models():
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return time.perf_counter() - began


def prepare_database(force_rebuild: bool) -> dict:
    from django.core.management import call_command

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - began:.1f} s", flush=True)
    history = history_present()
    print(
        f"history set: {history['total']:,} requests, as of {history['as_of']:%Y-%m-%d %H:%M %Z}", flush=True
    )
    migrations, reasons = rollups_state()
    figures = {}
    if reasons or force_rebuild:
        print(f"rebuilding the roll-ups ({'; '.join(reasons) or 'asked'}) …", flush=True)
        took, vacuum, rows = rebuild()
        figures["rebuild"] = (took, vacuum, rows)
        print(f"  rollups_rebuild(): {took:.1f} s, VACUUM ANALYZE {vacuum:.1f} s: {rows}", flush=True)
        migrations, still = rollups_state()
        for reason in still:
            print(f"  WARNING after the rebuild: {reason}", flush=True)
    else:
        print(f"VACUUM ANALYZE of the roll-ups: {vacuum_rollups():.1f} s", flush=True)
    rollups_mark(migrations)
    # The open requests' snapshot, as the beat task takes it every 5 minutes: the pages read it.
    from reports.backlog import backlog_refresh

    began = time.perf_counter()
    outcome = backlog_refresh()
    figures["backlog_refresh"] = time.perf_counter() - began
    print(f"backlog_refresh(): {figures['backlog_refresh']:.1f} s ({outcome})", flush=True)
    return figures


# The pages over HTTP -----------------------------------------------------------------------------------


def headers(cookie: str = "") -> dict:
    return {
        "X-Forwarded-Proto": "https",
        "Cookie": f"csrftoken={CSRF}{cookie}",
        "Origin": f"https://{HOST}:{PORT}",
    }


def sign_in(username: str) -> tuple[str, str]:
    """The session cookie of ``username`` signed in through the login form with the demo password;
    if that is refused (a password changed on this database), a session made in-process as
    over_http.py makes them. Returns the cookie and how it was had."""
    from accounts.demo import DEMO_PASSWORD

    connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
    body = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": CSRF, "next": "/"}
    )
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={**headers(), "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    for value in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        if name.strip() == "sessionid" and response.status == 302:
            return f"; sessionid={rest.split(';', 1)[0]}", "login form"
    return _session_in_process(username), f"in-process session (login answered {response.status})"


def _session_in_process(username: str) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"; sessionid={session.session_key}"


def fetch(path: str, cookie: str) -> tuple[float, int, bytes]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=300)
    began = time.perf_counter()
    connection.request("GET", path, headers=headers(cookie))
    response = connection.getresponse()
    body = response.read()
    took = time.perf_counter() - began
    connection.close()
    return took, response.status, body


@dataclass
class Period:
    key: str
    label: str
    date_from: date
    date_to: date
    query: dict  # what the page's URL carries (nothing: the page's own default)


@dataclass
class Page:
    key: str
    label: str
    viewer: str
    path: str
    query: dict = field(default_factory=dict)

    def url(self, period: Period) -> str:
        query = {**self.query, **period.query}
        return self.path + (f"?{urllib.parse.urlencode(query)}" if query else "")


PAGES = [
    Page(
        "governorate",
        f"governorate ({GOVERNORATE})",
        VIEWERS["governorate"],
        "/reports/dashboard/",
        {"governorate": GOVERNORATE},
    ),
    Page("center", f"center ({CENTER})", VIEWERS["center"], f"/reports/dashboard/center/{CENTER}/"),
    Page("national", "national", VIEWERS["national"], "/reports/dashboard/national/"),
]


def periods(today: date) -> list[Period]:
    year_from = today - timedelta(days=364)
    return [
        Period("30", "last 30 days (default)", today - timedelta(days=29), today, {}),
        Period(
            "365",
            "last 365 days",
            year_from,
            today,
            {"date_from": year_from.isoformat(), "date_to": today.isoformat()},
        ),
    ]


def counted_anew(url: str) -> str:
    """``url`` with a parameter no page reads but the kept figures' key holds (reports.kept_figures): the
    page counts its period figures as at a first view, not as kept."""
    return f"{url}{'&' if '?' in url else '?'}bench-view={uuid.uuid4().hex}"


def measure_page(page: Page, period: Period, cookie: str, rounds: int, warmups: int, kept: bool) -> dict:
    url = page.url(period)
    timings, sizes = [], set()
    for n in range(warmups + rounds):
        took, status, body = fetch(url if kept else counted_anew(url), cookie)
        if status != 200 or b'dir="rtl"' not in body:
            # e.g. a 500 when the page outlasts gunicorn's 30 s worker timeout: said, and the next page
            print(f"  FAILED: GET {url} as {page.viewer}: {status} after {took:.1f} s\n{body[:300]!r}")
            return {
                "url": url,
                "failed": f"{status} after {took:.1f} s",
                "median": ms(took),
                "p95": ms(took),
                "max": ms(took),
                "bytes": len(body),
                "n": 0,
            }
        sizes.add(len(body))
        if n >= warmups:
            timings.append(took)
    return {
        "url": url,
        "median": ms(statistics.median(timings)),
        "p95": ms(p95(timings)),
        "max": ms(max(timings)),
        "bytes": max(sizes),
        "n": len(timings),
    }


# The straight aggregate ----------------------------------------------------------------------------------


@dataclass
class Scope:
    """Which requests a page covers, and what its ranking is per (None: no ranking)."""

    where: str
    params: dict
    place: str | None  # the ranking's key, over ``r`` and ``c`` (the request's center)
    centers: straight_other.Place  # the same centers, on any table's center column


def scopes() -> dict[str, Scope]:
    from organisation.models import Center, Governorate

    governorate = Governorate.objects.get(code=GOVERNORATE)
    centers = list(Center.objects.filter(governorate=governorate).values_list("pk", flat=True))
    return {
        "governorate": Scope(
            "r.center_id = ANY(%(centers)s)",
            {"centers": centers},
            "r.center_id",
            straight_other.Place("{col} = ANY(%(centers)s)"),
        ),
        "center": Scope(
            "r.center_id = %(center)s",
            {"center": Center.objects.get(code=CENTER).pk},
            None,
            straight_other.Place("{col} = %(center)s"),
        ),
        "national": Scope("TRUE", {}, "c.governorate_id", straight_other.Place("TRUE")),
    }


def _a_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    from reports.dashboards import day_bounds

    return day_bounds(date_from, date_to)


KPI_COLUMNS = """
  count(*) FILTER (WHERE rec) AS received,
  count(*) FILTER (WHERE dec) AS decided,
  count(*) FILTER (WHERE dec AND on_time) AS on_time,
  count(*) FILTER (WHERE del) AS delivered,
  count(*) FILTER (WHERE can) AS cancelled,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY wd) FILTER (WHERE dec) AS median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY wd) FILTER (WHERE dec) AS p90,
  coalesce(sum(fees_total) FILTER (WHERE rec), 0) AS fees"""


def straight_kpis_sql(scope: Scope) -> str:
    """One statement, one pass over the requests: the period's figures (and the period before, and a
    year earlier) overall, per ranked place and per service, and the trend by day of the act."""
    place = scope.place or "NULL::integer"
    in_period = "({col} >= p.a AND {col} < p.b)"
    acts = " OR ".join(
        in_period.format(col=c) for c in ("b.submitted_at", "b.completed_at", "b.delivered_at")
    )
    since = " OR ".join(f"r.{c} >= %(lo)s" for c in ("submitted_at", "completed_at", "delivered_at"))
    return f"""
WITH periods (name, a, b) AS (
  VALUES ('current', %(a0)s::timestamptz, %(b0)s::timestamptz),
         ('previous', %(a1)s::timestamptz, %(b1)s::timestamptz),
         ('last_year', %(a2)s::timestamptz, %(b2)s::timestamptz)),
base AS MATERIALIZED (
  SELECT {place} AS place, r.service_id, r.state, r.on_time, coalesce(r.working_days_taken, 0) AS wd,
         r.fees_total, r.submitted_at, r.completed_at, r.delivered_at
  FROM requests_app_servicerequest r JOIN organisation_center c ON c.id = r.center_id
  WHERE {scope.where} AND ({since})),
flagged AS (
  SELECT p.name AS period, b.place, b.service_id, b.on_time, b.wd, b.fees_total,
         {in_period.format(col="b.submitted_at")} AS rec,
         (b.state IN {DECIDED} AND {in_period.format(col="b.completed_at")}) AS dec,
         {in_period.format(col="b.delivered_at")} AS del,
         (b.state = 'cancelled' AND {in_period.format(col="b.completed_at")}) AS can
  FROM base b JOIN periods p ON {acts})
SELECT 'headline' AS kind, period, NULL::text AS key, {KPI_COLUMNS} FROM flagged GROUP BY period
UNION ALL
SELECT CASE WHEN GROUPING(place) = 0 THEN 'place' ELSE 'service' END, period,
       coalesce(place::text, service_id::text), {KPI_COLUMNS}
FROM flagged WHERE period = 'current'
GROUP BY GROUPING SETS ((period, place), (period, service_id))
UNION ALL
SELECT 'trend', 'current', day::text, sum(rec), sum(dec), 0, 0, 0, NULL, NULL, 0
FROM (SELECT (submitted_at AT TIME ZONE 'Africa/Cairo')::date AS day, 1 AS rec, 0 AS dec FROM base
      WHERE submitted_at >= %(a0)s AND submitted_at < %(b0)s
      UNION ALL
      SELECT (completed_at AT TIME ZONE 'Africa/Cairo')::date, 0, 1 FROM base
      WHERE state IN {DECIDED} AND completed_at >= %(a0)s AND completed_at < %(b0)s) acts
GROUP BY day"""


def straight_live_sql(page: str, scope: Scope) -> list[tuple[str, str]]:
    """The page's live figures, as the page reads them (the same on both sides)."""
    overdue = f"r.state IN {OPEN} AND r.overdue_since IS NOT NULL"
    statements = []
    if scope.place:
        statements.append(
            (
                "open overdue per place",
                f"SELECT {scope.place}, count(*) FROM requests_app_servicerequest r"
                " JOIN organisation_center c ON c.id = r.center_id"
                f" WHERE {scope.where} AND {overdue} GROUP BY 1",
            )
        )
    if page == "center":
        today = "r.submitted_at >= %(t0)s AND r.submitted_at < %(t1)s"
        statements += [
            (
                "open overdue",
                f"SELECT count(*) FROM requests_app_servicerequest r WHERE {scope.where} AND {overdue}",
            ),
            (
                "intake today by hour",
                "SELECT extract(hour FROM r.submitted_at AT TIME ZONE 'Africa/Cairo'), count(*)"
                f" FROM requests_app_servicerequest r WHERE {scope.where} AND {today} GROUP BY 1",
            ),
            (
                "intake today by clerk",
                "SELECT u.full_name, count(*), sum(r.fees_total) FROM requests_app_servicerequest r"
                " LEFT JOIN accounts_user u ON u.id = r.taken_by_id"
                f" WHERE {scope.where} AND {today} GROUP BY 1",
            ),
            (
                "fees today by item",
                "SELECT f.name_ar, r.payment_method, count(*), sum(f.amount) FROM requests_app_requestfee f"
                " JOIN requests_app_servicerequest r ON r.id = f.request_id"
                f" WHERE {scope.where} AND {today} GROUP BY 1, 2",
            ),
            (
                "open by department",
                "SELECT r.current_department_id, count(*),"
                " count(*) FILTER (WHERE r.state = 'awaiting_citizen'),"
                " count(*) FILTER (WHERE r.overdue_since IS NOT NULL) FROM requests_app_servicerequest r"
                f" WHERE {scope.where} AND r.state IN {OPEN} AND r.current_department_id IS NOT NULL"
                " GROUP BY 1",
            ),
        ]
    return statements


def straight_params(scope: Scope, period: Period, today: date) -> dict:
    length = (period.date_to - period.date_from).days + 1
    current = bounds(period.date_from, period.date_to)
    previous = bounds(period.date_from - timedelta(days=length), period.date_from - timedelta(days=1))
    last_year = bounds(_a_year_earlier(period.date_from), _a_year_earlier(period.date_to))
    today_bounds = bounds(today, today)
    return {
        **scope.params,
        "a0": current[0],
        "b0": current[1],
        "a1": previous[0],
        "b1": previous[1],
        "a2": last_year[0],
        "b2": last_year[1],
        "lo": min(current[0], previous[0], last_year[0]),
        "t0": today_bounds[0],
        "t1": today_bounds[1],
        # the periods as days (documents, tickets): the period and the one before
        "d0": period.date_from,
        "e0": period.date_to,
        "d1": period.date_from - timedelta(days=length),
        "e1": period.date_from - timedelta(days=1),
        **straight_other.params(),
    }


def run_straight(page: str, scope: Scope, params: dict) -> tuple[float, list, dict, dict]:
    """The KPIs' statement's time and rows, and each live and other statement's time."""
    from django.db import connection

    def timed(statements) -> dict[str, float]:
        parts = {}
        for label, sql in statements:
            mark = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            parts[label] = time.perf_counter() - mark
        return parts

    with connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute(straight_kpis_sql(scope), params)
        rows = cursor.fetchall()
        kpis = time.perf_counter() - began
        live_parts = timed(straight_live_sql(page, scope))
        other_parts = timed(straight_other.statements(page, scope.centers))
    return kpis, rows, live_parts, other_parts


def measure_straight(page: str, scope: Scope, period: Period, today: date, rounds: int, warmups: int) -> dict:
    params = straight_params(scope, period, today)
    kpi_times, live_times, other_times, parts, other = [], [], [], {}, {}
    rows = []
    for n in range(warmups + rounds):
        kpis, rows, live_parts, other_parts = run_straight(page, scope, params)
        if n >= warmups:
            kpi_times.append(kpis)
            live_times.append(sum(live_parts.values()))
            other_times.append(sum(other_parts.values()))
            for into, measured in ((parts, live_parts), (other, other_parts)):
                for label, took in measured.items():
                    into.setdefault(label, []).append(took)
    totals = [k + v for k, v in zip(kpi_times, live_times, strict=True)]
    everything = [t + o for t, o in zip(totals, other_times, strict=True)]
    return {
        "kpis_median": ms(statistics.median(kpi_times)),
        "live_median": ms(statistics.median(live_times)),
        "other_median": ms(statistics.median(other_times)),
        "median": ms(statistics.median(totals)),
        "p95": ms(p95(totals)),
        "all_median": ms(statistics.median(everything)),
        "n": len(totals),
        "rows": rows,
        "live_parts": {label: ms(statistics.median(t)) for label, t in parts.items()},
        "other_parts": {label: ms(statistics.median(t)) for label, t in other.items()},
    }


def check_against_rollups(page: str, period: Period, rows: list) -> str:
    """The straight figures of the period must be the roll-ups' (reports.kpis.request_kpis)."""
    from django.db.models import Q

    from organisation.models import Center
    from reports.kpis import Slice, request_kpis

    where = {
        "governorate": Q(center__governorate__code=GOVERNORATE),
        "center": Q(center=Center.objects.get(code=CENTER)),
        "national": Q(),
    }[page]
    kpis = request_kpis(date_from=period.date_from, date_to=period.date_to, slice_=Slice(rows=where))
    line = next(r for r in rows if r[0] == "headline" and r[1] == "current")
    straight = dict(
        zip(
            ("received", "decided", "on_time", "delivered", "cancelled", "median", "p90", "fees"),
            line[3:],
            strict=True,
        )
    )
    rolled = {
        "received": kpis.received,
        "decided": kpis.decided,
        "on_time": kpis.decided_on_time,
        "delivered": kpis.delivered,
        "cancelled": kpis.cancelled,
        "median": kpis.median_working_days,
        "p90": kpis.p90_working_days,
        "fees": kpis.fees,
    }
    differing = []
    for name, value in straight.items():
        other = rolled[name]
        same = (value is None and other is None) or (
            value is not None and other is not None and abs(float(value) - float(other)) < 1e-6
        )
        if not same:
            differing.append(f"{name} straight {value} / roll-ups {other}")
    summary = (
        f"received {straight['received']:,}, decided {straight['decided']:,}, median {straight['median']}"
    )
    return ("same as the roll-ups: " + summary) if not differing else "DIFFERS: " + "; ".join(differing)


# The pages' own SQL, in-process ---------------------------------------------------------------------------


def page_queries(page: Page, period: Period, top: int) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=page.viewer))
    client.get(counted_anew(page.url(period)))  # warm
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        response = client.get(counted_anew(page.url(period)))  # counted, not kept
        took = time.perf_counter() - began
    assert response.status_code == 200, response.status_code
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    total_sql = sum(float(q["time"]) for q in queries)
    lines = [
        f"{page.label}, {period.label}: {took * 1000:.0f} ms in-process, {len(queries)} queries,"
        f" {total_sql * 1000:.0f} ms of SQL; slowest:"
    ]
    for q in queries[:top]:
        lines.append(f"    {float(q['time']) * 1000:7.1f} ms  {' '.join(q['sql'].split())[:220]}")
    return lines


# The roll-up's cost ----------------------------------------------------------------------------------------


class Rollback(Exception):
    pass


def hooked() -> bool:
    """Whether reports.apps' roll-up receiver listens to new history rows."""
    from django.db.models.signals import post_save

    return any(lookup[0] == "reports.rollups" for lookup, *_ in post_save.receivers)


def _life_cycle(requests: int, hook: bool, seed: int) -> dict:
    """``requests`` requests of Benha carried from intake to delivery (UTIL-ELEC: engineering, then
    legal), in one transaction rolled back at the end; the roll-up receivers connected or not (those of
    the requests, the documents and the SMS; ``hook_alone`` times the requests' alone)."""
    from django.db import transaction
    from django.db.models.signals import post_save

    from accounts.models import User
    from documents.models import DocumentEvent
    from notifications.signals import sms_status_changed
    from organisation.models import Center
    from reports.rollups import request_event_recorded
    from requests_app.models import Citizen, RequestEvent
    from requests_app.services import (
        CitizenInput,
        IntakeInput,
        service_request_approve,
        service_request_deliver,
        service_request_forward,
        service_request_issue,
        service_request_submit,
    )
    from services.models import Service

    center = Center.objects.get(code=CENTER)
    clerk, eng, legal = (User.objects.get(username=u) for u in ("bnh.clerk", "bnh.eng", "bnh.legal"))
    service = Service.objects.get(code="UTIL-ELEC")
    terms = service.terms()
    documents = {d["code"] for d in terms["documents"] if d["required"]}
    citizens = list(
        Citizen.objects.filter(pk__gt=seed).order_by("pk").values_list("national_id", "name_ar")[:requests]
    )
    assert hooked(), "the roll-up receiver (reports.apps) is not connected"
    figures = {}
    try:
        with transaction.atomic():
            if not hook:  # every roll-up of the life cycle: the request's, its document's, its SMS'
                assert post_save.disconnect(sender=RequestEvent, dispatch_uid="reports.rollups")
                assert post_save.disconnect(sender=DocumentEvent, dispatch_uid="reports.document_rollups")
                assert sms_status_changed.disconnect(dispatch_uid="reports.sms_rollups")
            first_event = RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            began = time.perf_counter()
            for national_id, name in citizens:
                request = service_request_submit(
                    center=center,
                    clerk=clerk,
                    service=service,
                    intake=IntakeInput(
                        applicant=CitizenInput(national_id, name, "01012345678"),
                        received_documents=documents,
                        payment_method="cash",
                    ),
                    intake_key=uuid.uuid4(),
                )
                service_request_forward(request_id=request.pk, actor=eng)
                service_request_approve(
                    request_id=request.pk, actor=legal, subject="عقار رقم 1، شارع الجمهورية"
                )
                service_request_issue(request_id=request.pk, actor=legal)
                service_request_deliver(request_id=request.pk, actor=clerk)
            figures["seconds"] = time.perf_counter() - began
            events = list(RequestEvent.objects.filter(pk__gt=first_event).select_related("request"))
            figures["events"] = len(events)
            action = RequestEvent.Action
            acted = {action.SUBMITTED, action.APPROVED, action.REJECTED, action.DELIVERED, action.CANCELLED}
            figures["acts"] = sum(1 for e in events if e.action in acted)
            if not hook:  # the receiver's work alone, on the same events, in the same transaction
                began = time.perf_counter()
                for event in events:
                    request_event_recorded(event)
                figures["hook_alone"] = time.perf_counter() - began
            raise Rollback
    except Rollback:
        pass
    finally:
        if not hook:
            from django.apps import apps

            apps.get_app_config("reports").ready()  # connects it again (same dispatch_uid: once)
    assert hooked()
    return figures


def measure_rollup_cost(requests: int, rounds: int) -> dict:
    from requests_app.models import Citizen

    _life_cycle(min(requests, 20), True, 0)  # warm (imports, caches, plans)
    seed = Citizen.objects.order_by("pk").values_list("pk", flat=True)[1000]
    on, off, alone = [], [], []
    for n in range(rounds):
        for hook in (True, False) if n % 2 == 0 else (False, True):
            figures = _life_cycle(requests, hook, seed)
            per_event = figures["seconds"] / figures["events"]
            (on if hook else off).append(per_event)
            if not hook:
                alone.append(figures["hook_alone"] / figures["events"])
            print(
                f"  {'with' if hook else 'without'} the roll-up: {figures['events']} events"
                f" ({figures['acts']} counted by the roll-ups) in {figures['seconds']:.2f} s"
                + (f"; the receiver alone on them {figures['hook_alone'] * 1000:.0f} ms" if not hook else ""),
                flush=True,
            )
    events, acts = figures["events"], figures["acts"]
    with_hook, without = statistics.median(on), statistics.median(off)
    hook_alone = statistics.median(alone)
    return {
        "events_per_request": events / requests,
        "acts_per_event": acts / events,
        "with_ms_per_1000": with_hook * 1e6,
        "without_ms_per_1000": without * 1e6,
        "difference_ms_per_1000": (with_hook - without) * 1e6,
        "alone_ms_per_1000": hook_alone * 1e6,
        "alone_ms_per_1000_acts": hook_alone * 1e6 * events / acts,
        "ceiling_events_per_second": 1 / hook_alone if hook_alone > 0 else float("inf"),
        "whole_events_per_second": 1 / with_hook,
    }


def time_rebuild_command() -> float:
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    began = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "rollups_rebuild"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - began


# Reporting ------------------------------------------------------------------------------------------------


def report(pages: dict, straight: dict, cost: dict | None, rebuild: dict) -> None:
    print(
        "\n| page | period | HTTP median | HTTP p95 | straight: KPIs | + live | = median (p95) |"
        " ratio (medians) | ratio (straight median / page p95) | + other figures | ratio, all figures"
        " (medians) | p95 < 200 ms | ≥ 50× (KPIs and live ÷ page p95) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (page_key, period_key, way), figures in pages.items():
        if figures.get("failed"):
            empty = " |" * 9
            print(f"| {page_key} | {period_key} days | FAILED: {figures['failed']}{empty} NO | NO |")
            continue
        s = straight.get((page_key, period_key))
        page = next(p for p in PAGES if p.key == page_key)
        label = {"30": "30 days", "365": "365 days"}[period_key] + f", {WAYS[way]}"
        if s:
            ratio, ratio_p95 = s["median"] / figures["median"], s["median"] / figures["p95"]
            straight_cells = (
                f"{s['kpis_median']:,.0f} ms | {s['live_median']:,.0f} ms | {s['median']:,.0f} ms"
                f" ({s['p95']:,.0f}) | {ratio:,.1f}× | {ratio_p95:,.1f}× | {s['other_median']:,.0f} ms |"
                f" {s['all_median'] / figures['median']:,.1f}× | "
            )
            ratio_ok = "yes" if ratio_p95 >= TARGET_RATIO else "NO"
        else:
            straight_cells, ratio_ok = "— | — | — | — | — | — | — | ", "—"
        print(
            f"| {page.label} | {label} | {figures['median']:.0f} ms | {figures['p95']:.0f} ms | "
            f"{straight_cells}"
            f"{'yes' if figures['p95'] < TARGET_P95_MS else 'NO'} | {ratio_ok} |"
        )
    if cost:
        print(
            f"\nroll-up cost: {cost['events_per_request']:.0f} events a request,"
            f" {cost['acts_per_event'] * 100:.0f} %"
            f" of them counted; carried through with the roll-up {cost['with_ms_per_1000']:,.0f} ms per 1,000"
            f" events, without {cost['without_ms_per_1000']:,.0f} ms"
            f" (difference {cost['difference_ms_per_1000']:,.0f}"
            f" ms); the receiver alone {cost['alone_ms_per_1000']:,.0f} ms per 1,000 events"
            f" ({cost['alone_ms_per_1000_acts']:,.0f} ms per 1,000 counted acts) → ceiling"
            f" {cost['ceiling_events_per_second']:,.0f} events/s for the roll-up alone (target"
            f" {TARGET_EVENTS_PER_SECOND:.0f}/s); the whole acts, one at a time:"
            f" {cost['whole_events_per_second']:,.0f}"
            " events/s"
        )
    for label, (took, vacuum, rows) in rebuild.items():
        print(f"{label}: {took:.1f} s (+ VACUUM ANALYZE {vacuum:.1f} s): {rows}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30, help="timed requests per page and period (30)")
    parser.add_argument("--warmups", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument(
        "--sql-rounds", type=int, default=3, help="timed straight aggregates (3; each a scan)"
    )
    parser.add_argument("--sql-warmups", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--only", nargs="*", choices=[p.key for p in PAGES], help="pages (all)")
    parser.add_argument("--periods", nargs="*", default=["30", "365"], choices=["30", "365"])
    parser.add_argument("--no-straight", dest="straight", action="store_false")
    parser.add_argument("--no-queries", dest="queries", action="store_false", help="skip the SQL breakdown")
    parser.add_argument(
        "--cost-requests",
        type=int,
        default=170,
        help="requests carried through per round of the roll-up's cost (170: 1,020 events)",
    )
    parser.add_argument("--cost-rounds", type=int, default=2)
    parser.add_argument("--no-cost", dest="cost", action="store_false")
    parser.add_argument(
        "--no-rebuild",
        dest="rebuild",
        action="store_false",
        help="do not time rollups_rebuild() at the end (stale roll-ups are rebuilt, and timed,"
        " before measuring in any case)",
    )
    parser.add_argument(
        "--rebuild-command",
        action="store_true",
        help="also time `manage.py rollups_rebuild` (it snapshots every roll-up row before and after)",
    )
    args = parser.parse_args()

    setup_django()
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()  # the in-process client's host
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per in-process sign-in otherwise
    rebuilds = {}
    prepared = prepare_database(force_rebuild=False)
    if "rebuild" in prepared:
        rebuilds["rollups_rebuild() (stale roll-ups, before measuring)"] = prepared["rebuild"]
    today = timezone.localdate()
    chosen = [p for p in PAGES if not args.only or p.key in args.only]
    chosen_periods = [p for p in periods(today) if p.key in args.periods]

    if args.queries:
        print("\nThe pages' SQL, in-process (one render after a warm one):", flush=True)
        for page in chosen:
            for period in chosen_periods:
                print("\n".join(page_queries(page, period, top=6)), flush=True)

    print(
        f"\nThe pages over HTTP (gunicorn, {args.workers} sync workers, production settings; one client,"
        f" {args.warmups} warm-ups then {args.rounds} requests):",
        flush=True,
    )
    over_http.collect_static()
    server = over_http.Server("config.settings", PORT, args.workers, "sync", {})
    results = {}
    try:
        cookies = {}
        for page in chosen:
            if page.viewer not in cookies:
                cookies[page.viewer], how = sign_in(page.viewer)
                print(f"  signed in as {page.viewer} ({how})", flush=True)
            for period, way in ((period, way) for period in chosen_periods for way in WAYS):
                figures = measure_page(
                    page, period, cookies[page.viewer], args.rounds, args.warmups, kept=way == "kept"
                )
                results[(page.key, period.key, way)] = figures
                print(
                    f"  {page.label:<18} {period.label:<24} {way:<8} median {figures['median']:7.1f} ms   p95"
                    f" {figures['p95']:7.1f} ms   max {figures['max']:7.1f} ms   ({figures['bytes']:,} bytes)"
                    f"   GET {figures['url']}",
                    flush=True,
                )
    finally:
        server.stop()

    straight = {}
    if args.straight:
        print(
            f"\nThe straight aggregate over the requests table ({args.sql_warmups} warm-up, {args.sql_rounds}"
            " timed; one statement for the period's figures, then the live ones):",
            flush=True,
        )
        all_scopes = scopes()
        for page in chosen:
            for period in chosen_periods:
                s = measure_straight(
                    page.key, all_scopes[page.key], period, today, args.sql_rounds, args.sql_warmups
                )
                straight[(page.key, period.key)] = s
                live = ", ".join(f"{k} {v:.0f} ms" for k, v in s["live_parts"].items())
                other = ", ".join(f"{k} {v:,.0f} ms" for k, v in s["other_parts"].items())
                print(
                    f"  {page.label:<18} {period.label:<24} KPIs {s['kpis_median']:9,.0f} ms   live"
                    f" {s['live_median']:7,.0f} ms ({live})   total median {s['median']:9,.0f} ms"
                    f"   p95 {s['p95']:9,.0f} ms\n    other figures {s['other_median']:9,.0f} ms ({other})",
                    flush=True,
                )
                print(f"    {check_against_rollups(page.key, period, s['rows'])}", flush=True)

    cost = None
    if args.cost:
        print(
            f"\nThe roll-up's cost: {args.cost_requests} requests of {CENTER} from intake to delivery"
            " per round,"
            " rolled back, with and without the receiver:",
            flush=True,
        )
        cost = measure_rollup_cost(args.cost_requests, args.cost_rounds)

    if args.rebuild and not rebuilds:
        print("\nTiming rollups_rebuild() …", flush=True)
        rebuilds["rollups_rebuild()"] = rebuild()
    if args.rebuild_command:
        print("\nTiming manage.py rollups_rebuild …", flush=True)
        took = time_rebuild_command()
        rebuilds["manage.py rollups_rebuild (with its two snapshots)"] = (took, 0.0, {})
    report(results, straight, cost, rebuilds)


if __name__ == "__main__":
    main()
