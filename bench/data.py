"""The benchmark database, shared by run.py (in-process) and over_http.py (over HTTP): its own PostgreSQL
database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/citizen_services_bench)
holding the reference organisation, the catalog, the demo accounts and, generated with set-based SQL
the first time (later runs reuse them), two sets of requests:

- ``ensure_data(n)``: run.py's and over_http.py's flat table (all of 2025, fixed centers, one service's
  terms, 70 % delivered / 30 % in review), unchanged since those benchmarks' figures were first taken;
- ``ensure_history(n)``: the dashboards' three years up to today across every demo center and service,
  with a realistic mix of outcomes, deadlines, pauses, deliveries and fees (issue 17). Made from the
  command line (see bench/README.md):

      .venv/bin/python bench/data.py --requests 10000000

Both live side by side (neither one's receipt numbers collide with the other's), but each benchmark
sees the other's rows: see bench/README.md before comparing figures.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/citizen_services_bench"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def ensure_database(url: str) -> None:
    import environ

    config = environ.Env.db_url_config(url)
    with _admin(config) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def _admin(settings: dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )


def scratch_copy(settings: dict, name: str) -> None:
    """A fresh copy of the database ``settings`` name (nothing may be connected to it meanwhile)."""
    with _admin(settings) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')


def drop_database(settings: dict, name: str) -> None:
    with _admin(settings) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def setup_django() -> None:
    """Point Django at the benchmark database (creating it if needed) and set it up."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("APP_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


# The name and mobile every row of ensure_data's set carries: with the year, how it is told apart (run.py's
# intakes use the name, and the demo's history a citizen with this mobile, but never both).
LEGACY_NAME, LEGACY_MOBILE = "مواطن للقياس", "+201000000000"

GENERATE_SQL = """
INSERT INTO requests_app_citizen (national_id, name_ar, mobile, address, created_at, updated_at)
SELECT '2900101140' || lpad(g::text, 4, '0'), 'مواطن ' || g, '+2010' || lpad(g::text, 8, '0'), '',
       now(), now()
FROM generate_series(1, 9999) g
ON CONFLICT (national_id) DO NOTHING;

WITH centers AS (
       SELECT array_agg(c.id ORDER BY c.id) ids, array_agg(c.code ORDER BY c.id) codes,
              array_agg(c.local_unit_id ORDER BY c.id) units, array_agg(d.id ORDER BY c.id) engineering
       FROM organisation_center c
       JOIN organisation_department d ON d.local_unit_id = c.local_unit_id
       JOIN organisation_departmenttype t ON t.id = d.department_type_id AND t.code = 'ENG'
       WHERE c.kind = 'fixed'),
     services AS (SELECT array_agg(id ORDER BY id) ids FROM services_service),
     citizens AS (SELECT array_agg(id ORDER BY id) ids FROM requests_app_citizen),
     picked AS (
       SELECT g, c.codes[1 + g %% array_length(c.ids, 1)] AS code,
              c.ids[1 + g %% array_length(c.ids, 1)] AS center,
              c.units[1 + g %% array_length(c.ids, 1)] AS unit,
              c.engineering[1 + g %% array_length(c.ids, 1)] AS engineering,
              s.ids[1 + g %% array_length(s.ids, 1)] AS service,
              z.ids[1 + g %% array_length(z.ids, 1)] AS citizen,
              timestamp with time zone '2025-01-01 08:00+02' + (g * 25 || ' seconds')::interval AS submitted,
              g %% 10 < 3 AS open
       FROM generate_series(%(start)s, %(stop)s) g, centers c, services s, citizens z),
     -- Each center's receipts go on from its last one of 2025 (index lookups): alone in the table this
     -- numbers them g / centers + 1 as before, and beside the history set they never collide with it.
     last AS (
       SELECT c.id, (SELECT coalesce(max(sequence), 0) FROM requests_app_servicerequest
                     WHERE center_id = c.id AND year = 2025) AS n
       FROM organisation_center c WHERE c.kind = 'fixed'),
     rows AS (
       SELECT p.*, last.n + row_number() OVER (PARTITION BY p.center ORDER BY p.g) AS seq
       FROM picked p JOIN last ON last.id = p.center)
INSERT INTO requests_app_servicerequest
  (receipt_number, center_id, local_unit_id, year, sequence, service_id, terms, applicant_id,
   applicant_name_ar, applicant_mobile, applicant_address, attorney_name_ar, state, version,
   current_department_id, step_due_at, step_risk_at, submitted_at, due_at, completed_at, paused_working_days,
   fees_total,
   payment_method, payment_reference, taken_by_id, tracking_token, intake_key)
SELECT code || '-2025-' || lpad(seq::text, 6, '0'), center, unit, 2025, seq, service, %(terms)s::jsonb,
       citizen, 'مواطن للقياس', '+201000000000', '', '',
       CASE WHEN open THEN 'in_review' ELSE 'delivered' END, 3,
       CASE WHEN open THEN engineering END,
       CASE WHEN open THEN submitted + interval '7 days' END,
       CASE WHEN open THEN submitted + interval '5 days' END,
       submitted, submitted + interval '14 days',
       CASE WHEN NOT open THEN submitted + interval '10 days' END, 0,
       500.50, 'cash', '', %(clerk)s, md5(random()::text) || md5(g::text), gen_random_uuid()
FROM rows;
"""


STEPS_SQL = """
INSERT INTO requests_app_requeststep
  (request_id, position, department_id, working_days, status, started_at, due_at, risk_at)
SELECT id, 1, current_department_id, 5, 'active', submitted_at, step_due_at, step_risk_at
FROM requests_app_servicerequest WHERE state = 'in_review' AND current_step_id IS NULL;

UPDATE requests_app_servicerequest r SET current_step_id = s.id
FROM requests_app_requeststep s
WHERE s.request_id = r.id AND r.state = 'in_review' AND r.current_step_id IS NULL;
"""


def ensure_data(total: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from demo.seed import demo_seed
    from requests_app.models import ServiceRequest
    from services.models import Service

    call_command("migrate", verbosity=0)
    demo_seed()
    with connection.cursor() as cursor:  # a history run stopped half-way may have left them dropped
        indexes_restore(cursor, log=print)
    # This set's rows only (its fixed name and mobile): the history set also holds requests of 2025.
    existing = ServiceRequest.objects.filter(
        year=2025, applicant_mobile=LEGACY_MOBILE, applicant_name_ar=LEGACY_NAME
    ).count()
    if existing >= total:
        print(f"reusing {existing:,} generated requests")
        return

    terms = json.dumps(Service.objects.get(code="OCC-ROAD").terms(), ensure_ascii=False)
    clerk = User.objects.get(username="bnh.clerk").pk
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for start in range(existing, total, 250_000):
            stop = min(start + 250_000, total) - 1
            cursor.execute(GENERATE_SQL, {"terms": terms, "clerk": clerk, "start": start, "stop": stop})
            print(f"  generated up to {stop + 1:,}")
        cursor.execute(STEPS_SQL)  # open requests get their current step, as real ones have
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load (Django autocommits here)
        cursor.execute("VACUUM ANALYZE")
    print(f"generated {total - existing:,} requests in {time.perf_counter() - started:.1f} s")


# ---------------------------------------------------------------------------------------------------
# The history set (issue 17): three years of requests up to today, for the dashboards' benchmark.
#
# Everything is drawn from hashes of the request's number g (0 … n-1), never from random(), so a run
# stopped half-way and resumed, or the same set made again elsewhere, gives the very same rows. Rows are
# numbered in time order (g grows with the submission time, within each day too): ids, and each center's
# gapless receipt numbers, follow the order of submission as the windows give them.

HISTORY_YEARS = 3
# The mix asked for (shares of all requests): the open ones are mostly the recent ones, a backlog that
# thins out with age (OPEN_HALF_LIFE_DAYS), plus a few stuck for years.
OPEN_SHARE, REJECTED_SHARE, CANCELLED_SHARE = 0.17, 0.10, 0.08
OPEN_HALF_LIFE_DAYS, OPEN_FLOOR = 85, 0.004
NEVER_COLLECTED = 0.03  # approved outputs nobody came for: they stay "ready"
PAUSED_BEFORE = 0.12  # decided requests that waited for the citizen once on the way
# Net working days to decide = legal deadline × exp(μ + σ·z): a skewed spread, ~85 % on time.
DECISION_MU, DECISION_SIGMA = -0.45, 0.55
# Relative demand; services not listed weigh 1.
SERVICE_WEIGHTS = {
    "UTIL-ELEC": 6, "UTIL-WATER": 5, "UTIL-GAS": 4, "UTIL-SEWER": 2.5, "GEN-RESIDENCE": 4, "GEN-COPY": 3,
    "PROP-STATUS": 3, "SHOP-RENEW": 3, "VIOL-RECON": 3, "BLD-COPY": 2, "SHOP-NEW": 2, "SHOP-CERT": 2,
    "BLD-NEW": 2, "VIOL-NONE": 2, "BLD-MOD": 1.5, "BLD-LINE": 1.5, "BLD-NUMBER": 1.5, "OCC-ROAD": 1.5,
    "CEM-BURIAL": 0.8, "HOUS-APPLY": 0.6, "HOUS-RESEARCH": 0.5, "HOUS-TRANSFER": 0.5, "HOUS-OWN": 0.5,
    "INV-PRELIM": 0.3, "INV-LAND": 0.2, "PROP-LEGALIZE": 0.6, "SHOP-PUBLIC": 0.5,
}  # fmt: skip
BUSY_CENTERS = {"BNH": 2.0, "SKA": 1.8, "NSE": 1.8, "MNW": 1.6, "HLP": 1.5, "SHB": 1.5}
MOBILE_CENTER_WEIGHT = 0.25
WEEKDAY_WEIGHTS = {6: 1.18, 0: 1.06, 1: 1.0, 2: 0.96, 3: 0.8}  # Sunday … Thursday (Monday is 0)
SLOTS = 4096  # weighted picks by array lookup: the weights quantised to 1/4096
FIRST_NAMES_M = ["محمد", "أحمد", "محمود", "مصطفى", "علي", "حسن", "إبراهيم", "عبدالله", "خالد", "عمرو",
    "يوسف", "طارق", "سامح", "هشام", "وليد", "كريم"]  # fmt: skip
FIRST_NAMES_F = ["فاطمة", "مريم", "نورا", "هبة", "سارة", "منى", "آية", "دينا", "ريهام", "إيمان", "سلمى",
    "نادية", "أمل", "هالة", "شيماء", "رانيا"]  # fmt: skip
FAMILY_NAMES = ["السيد", "عبدالرحمن", "سليمان", "عثمان", "الشافعي", "النجار", "الجمال", "فرج",
    "عبدالعزيز", "رمضان", "شحاتة", "منصور"]  # fmt: skip
CITIZEN_GOVERNORATES = ["14", "14", "14", "01", "01", "12", "12", "13", "21", "17"]


def _u(salt: int) -> str:
    """SQL for a uniform draw in [0, 1) from the row number g: the same g and salt, the same number."""
    return f"(((hashint8extended(g, {salt}) >> 11) & 9007199254740991)::float8 / 9007199254740992.0)"


def _at(day: str, seconds: str) -> str:
    """SQL for the moment ``seconds`` after midnight of the Cairo date ``day`` (daylight saving included)."""
    return f"(({day})::timestamp + make_interval(secs => {seconds})) AT TIME ZONE 'Africa/Cairo'"


def _closing(day: str, closing: str) -> str:
    """The calendar's end_of_day: a deadline falls at the center's closing time of its last day."""
    return f"(({day})::timestamp + {closing}) AT TIME ZONE 'Africa/Cairo'"


# The calendar as two arrays: cum[d - d0 + 1] counts the working days up to date d,
# wd[k] is the k-th working day. So WorkCalendar.add_working_days(d, n) is wd[cum(d) + n] and
# working_days_between(a, b) is cum(b) - cum(a): deadlines and working days are the application's own,
# Egypt's public holidays and nationwide closures included (per-center closures are not: the demo has
# none). Integer arrays without NULLs are indexed in constant time.
# They are bound as constants (parsed once per statement): read from a table row, a subscript would
# detoast the whole array every time.
def _cum(day: str) -> str:
    return f"(%(cum)s::int[])[({day}) - %(d0)s::date + 1]"


def _wd(ordinal: str) -> str:
    return f"(%(wd)s::date[])[{ordinal}]"


# Submitted between 08:30 and 15:00, busiest mid-morning (a triangular law, mode at 10:27), at the
# day's q-quantile: later rows of a day come later.
TIME_OF_DAY = "30600 + 23400 * CASE WHEN q < 0.3 THEN sqrt(q * 0.3) ELSE 1 - sqrt((1 - q) * 0.7) END"
NORMAL = "sqrt(-2 * ln(1 - u_z1)) * cos(2 * pi() * u_z2)"  # Box–Muller: a standard normal draw
# Working days already spent waiting for the citizen (the due date moved by as many).
PAUSED_SO_FAR = "CASE WHEN t.is_open THEN t.p_open_days WHEN t.outcome = 'cancelled' THEN 0 ELSE t.p_days END"
# A waiting request stopped on a working day between its current step's start and today.
PAUSED_DAY = "t.cur_start_w + floor(t.u_paused_at * (%(w_now)s - t.cur_start_w + 1))::int"

BATCH_SQL = f"""
-- Each step is fenced with OFFSET 0: flattened into the next one, every column it computes would be
-- computed again wherever it is used (several times per row, nested), which made this 10 × slower.
CREATE TEMP TABLE bench_h_batch ON COMMIT DROP AS
WITH picked AS (
  SELECT g, d.day, d.p_open, d.p_await, d.epay, (g - d.g0 + 0.5) / (d.g1 - d.g0) AS q,
         {_cum("d.day")} AS w0,
         c.id AS center_id, c.code, c.closing, extract(year FROM d.day)::int AS year,
         c.units[1 + floor({_u(4)} * array_length(c.units, 1))::int] AS local_unit_id,
         c.clerks[1 + floor({_u(19)} * array_length(c.clerks, 1))::int] AS taken_by_id,
         (%(citizens)s::int[])[1 + floor({_u(3)} * %(citizen_count)s)::int] AS applicant_id,
         s.id AS service_id, s.legal_days AS l, s.n_steps, s.offsets, s.step_days, s.step_types,
         s.has_fees, s.fees_total,
         {_u(5)} AS u_outcome, {_u(6)} AS u_open, {_u(7)} AS u_z1, {_u(8)} AS u_z2, {_u(9)} AS u_pause,
         {_u(10)} AS u_pause_days, {_u(11)} AS u_issue, {_u(12)} AS u_collect, {_u(13)} AS u_never,
         {_u(14)} AS u_time, {_u(15)} AS u_await, {_u(16)} AS u_paused_at, {_u(17)} AS u_pay,
         {_u(18)} AS u_cancel, {_u(20)} AS u_step
  FROM bench_h_day d
  CROSS JOIN LATERAL generate_series(greatest(d.g0, %(lo)s), least(d.g1, %(hi)s) - 1) AS g
  JOIN bench_h_center c ON c.idx = (%(center_slots)s::int[])[1 + floor({_u(1)} * {SLOTS})::int]
  JOIN bench_h_service s ON s.idx = (%(service_slots)s::int[])[1 + floor({_u(2)} * {SLOTS})::int]
  WHERE d.g1 > %(lo)s AND d.g0 < %(hi)s OFFSET 0),
drawn AS (
  SELECT p.*,
         {_at("p.day", TIME_OF_DAY)} AS submitted_at,
         CASE WHEN u_pause < {PAUSED_BEFORE} THEN 1 + least(floor(-ln(1 - u_pause_days) * 4)::int, 30)
              ELSE 0 END AS p_days,
         least(floor(l * exp({DECISION_MU} + {DECISION_SIGMA} * {NORMAL}))::int,
               4 * l + 10) AS d_days,
         floor(u_cancel * (least(l, 10) + 1))::int AS c_days,
         CASE WHEN u_outcome < %(rejected)s THEN 'rejected'
              WHEN u_outcome < %(rejected)s + %(cancelled)s THEN 'cancelled' ELSE 'approved' END AS outcome,
         floor(-ln(1 - u_issue) * 0.9)::int AS i_days,
         floor(-ln(1 - u_collect) * 4)::int AS k_days
  FROM picked p OFFSET 0),
decided AS (
  SELECT t.*,
         greatest({_at(_wd("t.w0 + t.d_days + t.p_days"), "32400 + 21600 * t.u_time")},
                  t.submitted_at + interval '20 minutes') AS decided_at,
         greatest({_at(_wd("t.w0 + t.c_days"), "32400 + 21600 * t.u_time")},
                  t.submitted_at + interval '20 minutes') AS cancelled_at
  FROM drawn t OFFSET 0),
outcome AS (
  SELECT t.*,
         u_open < p_open OR CASE WHEN outcome = 'cancelled' THEN cancelled_at ELSE decided_at END > %(now)s
           AS is_open,
         -- The output waits at the window after 0–2 working days; its owner comes some days later.
         greatest({_at(_wd("t.w0 + t.d_days + t.p_days + t.i_days"), "34200 + 19800 * t.u_time")},
                  t.decided_at + interval '10 minutes') AS ready_at
  FROM decided t OFFSET 0),
collected AS (
  SELECT t.*,
         CASE WHEN u_never >= {NEVER_COLLECTED} THEN
           greatest({_at(_wd("t.w0 + t.d_days + t.p_days + t.i_days + t.k_days"), "32400 + 21600 * t.u_pay")},
                    t.ready_at + interval '10 minutes') END AS delivered_at_if,
         -- An open request may have waited for the citizen before, if it is old enough to have.
         CASE WHEN %(w_now)s - t.w0 > t.p_days + 1 THEN t.p_days ELSE 0 END AS p_open_days
  FROM outcome t OFFSET 0),
progress AS (
  -- Where an open request stands on its route: the step its elapsed working days fall in (the route's
  -- steps share the legal deadline), the last step for those already late.
  SELECT t.*, 1 + width_bucket(least(greatest(%(w_now)s - t.w0 - t.p_open_days, 0), t.l - 1),
                               t.offsets[2:t.n_steps]) AS pos
  FROM collected t OFFSET 0),
stepped AS (
  SELECT t.*, t.w0 + t.offsets[t.pos] AS cur_start_w,
         CASE WHEN t.pos = 1 THEN t.submitted_at
              ELSE least({_at(_wd("t.w0 + t.offsets[t.pos]"), "36000 + 14400 * t.u_step")}, %(now)s) END
           AS cur_start
  FROM progress t OFFSET 0),
final AS (
  SELECT t.*,
         t.is_open AND t.u_await < t.p_await AS is_await,
         {_closing(_wd("t.cur_start_w + t.step_days[t.pos]"), "t.closing")} AS cur_due,
         {_closing(_wd("t.w0 + t.l + " + PAUSED_SO_FAR), "t.closing")}
           AS due_at,
         least(greatest({_at(_wd(PAUSED_DAY), "39600 + 10800 * t.u_time")},
                        t.cur_start + interval '10 minutes'), %(now)s) AS paused_if
  FROM stepped t OFFSET 0),
dressed AS (
  SELECT t.*,
         CASE WHEN t.is_open THEN CASE WHEN t.is_await THEN 'awaiting_citizen' ELSE 'in_review' END
              WHEN t.outcome <> 'approved' THEN t.outcome
              WHEN t.delivered_at_if <= %(now)s THEN 'delivered'
              WHEN t.ready_at <= %(now)s THEN 'ready' ELSE 'approved' END AS state,
         t.cur_start + (t.cur_due - t.cur_start) * %(risk_share)s AS cur_risk
  FROM final t OFFSET 0)
SELECT t.g, %(id_base)s + (t.g - %(lo)s) AS id, t.center_id, t.code, t.year, t.local_unit_id, t.service_id,
       t.applicant_id, z.name_ar AS applicant_name_ar, z.mobile AS applicant_mobile, t.taken_by_id,
       coalesce(ns.last_number, 0) + row_number() OVER (PARTITION BY t.center_id, t.year ORDER BY t.g)
         AS sequence,
       t.state, t.is_open, t.is_await, t.pos, t.n_steps, t.w0, t.u_step, t.closing, t.submitted_at, t.due_at,
       CASE WHEN t.is_open THEN dp.id END AS current_department_id,
       CASE WHEN t.is_open THEN t.cur_due END AS step_due_at,
       CASE WHEN t.is_open THEN t.cur_risk END AS step_risk_at,
       CASE WHEN t.is_await THEN t.paused_if END AS paused_at,
       CASE WHEN t.is_open THEN NULL WHEN t.outcome = 'cancelled' THEN t.cancelled_at ELSE t.decided_at END
         AS completed_at,
       CASE WHEN t.state = 'delivered' THEN t.delivered_at_if END AS delivered_at,
       CASE WHEN t.is_open THEN t.p_open_days WHEN t.outcome = 'cancelled' THEN 0 ELSE t.p_days END
         AS paused_working_days,
       CASE WHEN NOT t.is_open AND t.outcome <> 'cancelled' THEN t.decided_at <= t.due_at END AS on_time,
       -- The model's working_days_between(submitted, decided) - paused: the decision fell on working day
       -- w0 + d + p, so that is d (tests/bench/test_data.py checks it against WorkCalendar).
       CASE WHEN NOT t.is_open AND t.outcome <> 'cancelled' THEN t.d_days END AS working_days_taken,
       -- What the deadline sweep would have marked, with the moment itself rather than the sweep's
       -- next run: late decisions and cancellations, open requests past their deadline (a waiting
       -- one only if it was late before it stopped).
       CASE WHEN (NOT t.is_open
                  AND CASE WHEN t.outcome = 'cancelled' THEN t.cancelled_at ELSE t.decided_at END > t.due_at)
              OR (t.is_open AND NOT t.is_await AND t.due_at < %(now)s)
              OR (t.is_await AND t.due_at < t.paused_if) THEN t.due_at END AS overdue_since,
       -- Transitions so far: route, forwards, pauses and resumptions, decision, issue, delivery.
       CASE WHEN t.is_open THEN t.pos + 2 * (t.p_open_days > 0)::int + t.is_await::int
            WHEN t.outcome = 'cancelled' THEN 2
            ELSE t.n_steps + 1 + 2 * (t.p_days > 0)::int + (t.state IN ('ready', 'delivered'))::int
                 + (t.state = 'delivered')::int END AS version,
       t.fees_total,
       CASE WHEN NOT t.has_fees THEN '' WHEN t.u_pay < t.epay THEN 'epayment' ELSE 'cash' END
         AS payment_method,
       CASE WHEN t.has_fees AND t.u_pay < t.epay THEN 'EP' || lpad(t.g::text, 12, '0') ELSE '' END
         AS payment_reference,
       sum(CASE WHEN t.is_open THEN t.n_steps ELSE 0 END) OVER (ORDER BY t.g)
         - CASE WHEN t.is_open THEN t.n_steps ELSE 0 END AS step_off
FROM dressed t
JOIN requests_app_citizen z ON z.id = t.applicant_id
LEFT JOIN bench_h_dept dp
  ON t.is_open AND dp.local_unit_id = t.local_unit_id AND dp.type_id = t.step_types[t.pos]
LEFT JOIN core_numberseries ns ON ns.series = 'receipt:' || t.center_id AND ns.year = t.year
ORDER BY t.g
"""

HISTORY_REQUESTS_SQL = """
INSERT INTO requests_app_servicerequest
  (id, receipt_number, center_id, local_unit_id, year, sequence, service_id, terms, applicant_id,
   applicant_name_ar, applicant_mobile, applicant_address, attorney_name_ar, state, version, current_step_id,
   current_department_id, step_due_at, step_risk_at, paused_at, completed_at, delivered_at,
   paused_working_days, on_time, {working_days_column} overdue_since, submitted_at, due_at, fees_total,
   payment_method, payment_reference, taken_by_id, tracking_token, intake_key)
SELECT b.id, b.code || '-' || b.year || '-' || lpad(b.sequence::text, 6, '0'), b.center_id, b.local_unit_id,
       b.year, b.sequence, b.service_id, s.terms, b.applicant_id, b.applicant_name_ar, b.applicant_mobile,
       '', '', b.state, b.version,
       CASE WHEN b.is_open THEN %(step_base)s + b.step_off + b.pos - 1 END,
       b.current_department_id, b.step_due_at, b.step_risk_at, b.paused_at, b.completed_at, b.delivered_at,
       b.paused_working_days, b.on_time, {working_days_value} b.overdue_since, b.submitted_at, b.due_at,
       b.fees_total, b.payment_method, b.payment_reference, b.taken_by_id,
       -- shaped like new_tracking_token() (43 URL-safe characters), but reproducible
       translate(rtrim(encode(sha256(convert_to('bench-track-' || b.g, 'UTF8')), 'base64'), '='), '+/', '-_'),
       md5('bench-intake-' || b.g)::uuid
FROM bench_h_batch b JOIN bench_h_service s ON s.id = b.service_id
"""

# One row per fee item of the service's terms, as the intake writes them.
HISTORY_FEES_SQL = """
INSERT INTO requests_app_requestfee (request_id, position, name_ar, name_en, amount)
SELECT b.id, f.position, f.name_ar, f.name_en, f.amount
FROM bench_h_batch b JOIN bench_h_fee f ON f.service_id = b.service_id
"""


def _history_steps_sql(escalation_days: list[int]) -> str:
    """An open request's whole route, as the intake creates it: the steps behind it done, its current
    one running (or paused while the citizen owes something), the rest pending, with the marks the
    sweep would have set (at risk, overdue, the escalation level reached; its Escalation rows and the
    apology SMS are not made). Decided and cancelled requests get no steps, like ensure_data's."""
    late = _cum("(clock_end AT TIME ZONE 'Africa/Cairo')::date")
    levels = " + ".join(f"({late} - due_w >= {days})::int" for days in escalation_days) or "0"
    return f"""
WITH st AS (
  SELECT %(step_base)s + b.step_off + r.position - 1 AS id, b.id AS request_id, r.position,
         dp.id AS department_id,
         r.days, b.pos, b.is_await, b.paused_at, b.w0 + r.start_offset + r.days AS due_w,
         CASE WHEN r.position > b.pos THEN NULL WHEN r.position = 1 THEN b.submitted_at
              ELSE least({_at(_wd("b.w0 + r.start_offset"), "36000 + 14400 * b.u_step")}, %(now)s) END
           AS started_at,
         CASE WHEN r.position < b.pos
              THEN least({_at(_wd("b.w0 + r.start_offset + r.days"), "36000 + 14400 * b.u_step")}, %(now)s)
           END AS completed_at,
         CASE WHEN r.position <= b.pos THEN {_closing(_wd("b.w0 + r.start_offset + r.days"), "b.closing")} END
           AS due_at
  FROM bench_h_batch b
  JOIN bench_h_route r ON r.service_id = b.service_id
  JOIN bench_h_dept dp ON dp.local_unit_id = b.local_unit_id AND dp.type_id = r.type_id
  WHERE b.is_open
  OFFSET 0),  -- computed once per row, not once per use (see BATCH_SQL)
timed AS (
  SELECT st.*, started_at + (due_at - started_at) * %(risk_share)s AS risk_at,
         CASE WHEN position < pos THEN completed_at WHEN is_await THEN paused_at ELSE %(now)s END AS clock_end
  FROM st)
INSERT INTO requests_app_requeststep
  (id, request_id, position, department_id, working_days, status, started_at, due_at, risk_at, completed_at,
   at_risk_since, overdue_since, escalation_level)
SELECT id, request_id, position, department_id, days,
       CASE WHEN position < pos THEN 'done' WHEN position > pos THEN 'pending'
            WHEN is_await THEN 'paused' ELSE 'active' END,
       started_at, due_at, risk_at, completed_at,
       CASE WHEN risk_at <= clock_end THEN risk_at END,
       CASE WHEN due_at < clock_end THEN due_at END,
       CASE WHEN due_at < clock_end THEN {levels} ELSE 0 END
FROM timed
"""


# Receipt numbers stay gapless and the window's next intake goes on after them (core.numbering).
HISTORY_SERIES_SQL = """
INSERT INTO core_numberseries (series, year, last_number)
SELECT 'receipt:' || center_id, year, max(sequence) FROM {source} GROUP BY center_id, year
ON CONFLICT (series, year)
DO UPDATE SET last_number = greatest(core_numberseries.last_number, excluded.last_number)
"""

BENCH_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS bench_history (
  name text PRIMARY KEY, total bigint NOT NULL, as_of timestamptz NOT NULL, done bigint NOT NULL DEFAULT 0,
  finished_at timestamptz);
-- Indexes dropped for a bulk load, with what recreates them: whoever runs next (ensure_data too)
-- rebuilds them, should the load have stopped half-way.
CREATE TABLE IF NOT EXISTS bench_saved_index (
  name text PRIMARY KEY, table_name text NOT NULL, definition text NOT NULL, is_constraint boolean NOT NULL);
"""

HISTORY_LOOKUP_TABLES = [
    "bench_h_center",
    "bench_h_service",
    "bench_h_route",
    "bench_h_fee",
    "bench_h_day",
    "bench_h_dept",
]
BULK_TABLES = ["requests_app_servicerequest", "requests_app_requestfee", "requests_app_requeststep"]
BATCH_ROWS = 1_000_000


def indexes_drop(cursor, tables: list[str]) -> int:
    """Drop every index of ``tables`` but their primary keys (unique constraints included), saving their
    definitions: loading millions of rows and building each index once afterwards is several times
    faster than keeping ~30 indexes current row by row. Every foreign key points at a primary key."""
    cursor.execute(BENCH_TABLES_SQL)
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, c.conname,
               CASE WHEN c.oid IS NULL THEN pg_get_indexdef(i.indexrelid)
                    ELSE format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', i.indrelid::regclass,
                                c.conname, pg_get_constraintdef(c.oid)) END
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype = 'u'
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
        """,
        [tables],
    )
    found = cursor.fetchall()
    for index, table, constraint, definition in found:
        cursor.execute(
            "INSERT INTO bench_saved_index VALUES (%s, %s, %s, %s) ON CONFLICT (name) DO NOTHING",
            [constraint or index, table, definition, constraint is not None],
        )
        if constraint:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        else:
            cursor.execute(f"DROP INDEX {index}")
    return len(found)


def indexes_restore(cursor, log=None) -> int:
    """Build again whatever ``indexes_drop`` saved (unique constraints first), each in its own
    transaction with the removal of its saved row, so that a run stopped half-way resumes cleanly."""
    from django.db import transaction

    cursor.execute(BENCH_TABLES_SQL)
    cursor.execute("SELECT name, definition FROM bench_saved_index ORDER BY is_constraint DESC, name")
    saved = cursor.fetchall()
    if saved:
        cursor.execute("SET maintenance_work_mem = '1GB'")  # this session's index builds sort in memory
    for name, definition in saved:
        began = time.perf_counter()
        with transaction.atomic():
            cursor.execute(definition)
            cursor.execute("DELETE FROM bench_saved_index WHERE name = %s", [name])
        if log:
            log(f"    index {name}: {time.perf_counter() - began:.1f} s")
    return len(saved)


def _reserve_ids(cursor, table: str, count: int) -> int:
    """The first of ``count`` consecutive ids taken from ``table``'s identity sequence (nothing else
    writes to the benchmark database meanwhile)."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute("SELECT nextval(%s)", [sequence])
    first = cursor.fetchone()[0]
    if count > 1:
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def _history_days(first, last, calendar) -> list[tuple]:
    """(day, weight) from ``first`` to ``last``: the share of the requests each day gets. Nothing on
    the weekend and public holidays (the centers are closed); Sundays busiest and Thursdays quietest;
    a yearly swell (busiest in March, quiet in August, renewals early in January), Ramadan's short
    hours, a rush after each long closure (the Eids), ~13 % growth a year and some day-to-day noise."""
    import math
    import random
    from datetime import timedelta

    import holidays

    eids = holidays.country_holidays("EG", years=range(first.year, last.year + 1), language="en_US")
    fitr = {}
    for day, name in eids.items():
        if name.startswith("Eid al-Fitr"):
            fitr[day.year] = min(day, fitr.get(day.year, day))
    ramadan = {eid - timedelta(days=n) for eid in fitr.values() for n in range(1, 30)}
    days, previous_open, day = [], None, first
    while day <= last:
        weight = 0.0
        if calendar.is_working_day(day):
            weight = WEEKDAY_WEIGHTS[day.weekday()]
            weight *= 1 + 0.12 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 75) / 365.25)
            weight *= 0.85 if day.month == 8 else 1.15 if (day.month, day.day) <= (1, 15) else 1
            weight *= 0.72 if day in ramadan else 1
            weight *= 1.25 if previous_open and (day - previous_open).days >= 4 else 1
            weight *= 1.13 ** ((day - first).days / 365.25)
            weight *= 1 + 0.16 * (random.Random(day.toordinal()).random() - 0.5)
            previous_open = day
        days.append((day, weight))
        day += timedelta(days=1)
    return days


def history_plan(total: int, as_of) -> dict:
    """Everything the batches read, worked out from the set's size and moment alone: the days and the
    rows each one gets, the calendar arrays, and the chance that a request of a given age is still open
    (fitted so that OPEN_SHARE of all are)."""
    import math
    from datetime import time as clock
    from datetime import timedelta

    from organisation.calendar import CAIRO, WorkCalendar

    local = as_of.astimezone(CAIRO)
    last = local.date() if local.time() >= clock(15, 0) else local.date() - timedelta(days=1)
    first = last - timedelta(days=round(365.25 * HISTORY_YEARS)) + timedelta(days=1)
    calendar = WorkCalendar(governorate_id=None)  # the country's holidays and nationwide closures
    weighted = _history_days(first, last, calendar)
    whole = sum(weight for _, weight in weighted)
    days, running = [], 0.0
    for day, weight in weighted:
        g0 = round(total * running / whole)
        running += weight
        g1 = round(total * running / whole)
        if g1 > g0:
            days.append({"day": day, "g0": g0, "g1": g1, "age": (last - day).days})

    def open_chance(scale: float, age: int) -> float:
        return min(0.97, scale * math.exp(-age * math.log(2) / OPEN_HALF_LIFE_DAYS)) + OPEN_FLOOR

    def open_share(scale: float) -> float:
        return sum((d["g1"] - d["g0"]) * open_chance(scale, d["age"]) for d in days) / total

    low, high = 0.0, 1000.0
    for _ in range(60):
        low, high = (
            ((low + high) / 2, high) if open_share((low + high) / 2) < OPEN_SHARE else (low, (low + high) / 2)
        )
    span = max((last - first).days, 1)
    for d in days:
        d["p_open"] = open_chance(low, d["age"])
        # Old open requests mostly wait for the citizen; recent ones are mostly in review.
        d["p_await"] = 0.15 + 0.35 * (1 - math.exp(-d["age"] / 90))
        d["epay"] = 0.08 + 0.32 * (d["day"] - first).days / span  # e-payment grows from 8 % to 40 %
    # Far enough ahead for the latest deadline, delivery or step of a request taken on the last day.
    d0, end = first - timedelta(days=14), last + timedelta(days=800)
    cum, working, count, day = [], [], 0, d0
    while day <= end:
        if calendar.is_working_day(day):
            count += 1
            working.append(day)
        cum.append(count)
        day += timedelta(days=1)
    return {
        "first": first,
        "last": last,
        "days": days,
        "d0": d0,
        "cum": cum,
        "wd": working,
        "today_w": cum[(local.date() - d0).days],
    }


def _history_clerks() -> dict[int, list[int]]:
    """Two window clerks per active center (bench.hist.<code>.1 and .2, no usable password): whoever
    takes a center's requests, for the per-clerk figures."""
    from accounts.models import Role, User
    from accounts.services import role_assign
    from organisation.models import Center

    clerks = {}
    for center in Center.objects.filter(is_active=True).order_by("pk"):
        clerks[center.pk] = []
        for n in (1, 2):
            user, created = User.objects.get_or_create(
                username=f"bench.hist.{center.code.lower()}.{n}",
                defaults={"full_name": f"موظف شباك {center.short_name_ar} {n}"},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            role_assign(user=user, role=Role.CLERK, center=center)
            clerks[center.pk].append(user.pk)
    return clerks


def _slots(weights: list[float]) -> list[int]:
    """SLOTS array entries naming 1-based positions in ``weights`` in proportion to them (largest
    remainders), so that a uniform draw picks position p with probability weights[p] / sum."""
    whole = sum(weights)
    exact = [w * SLOTS / whole for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)[
        : SLOTS - sum(counts)
    ]:
        counts[i] += 1
    return [i + 1 for i, n in enumerate(counts) for _ in range(n)]


# Citizen k of the set (k = 0 … n-1): a national ID that passes the window's checks (birth 1955–2006,
# a real governorate code, the gender digit matching the name), unique by construction (the birth date
# runs through a permutation of k mod 19,000, the serial NNNN = 5000 + 2·(k div 19,000) + gender), and a
# mobile on 011/012/015. NNNN starting with 5 is how the set's citizens are found again; ensure_data's
# and the demo's start with 0.
HISTORY_CITIZENS_SQL = """
INSERT INTO requests_app_citizen (national_id, name_ar, mobile, address, created_at, updated_at)
SELECT CASE WHEN born >= date '2000-01-01' THEN '3' ELSE '2' END || to_char(born, 'YYMMDD')
         || (%(governorates)s::text[])[1 + (k * 31) %% array_length(%(governorates)s::text[], 1)]
         || (5000 + 2 * (k / 19000) + male)::text || (k %% 10)::text,
       CASE WHEN male = 1 THEN (%(men)s::text[])[1 + k %% array_length(%(men)s::text[], 1)]
            ELSE (%(women)s::text[])[1 + k %% array_length(%(women)s::text[], 1)] END
         || ' ' || (%(men)s::text[])[1 + (k / 7) %% array_length(%(men)s::text[], 1)]
         || ' ' || (%(families)s::text[])[1 + (k / 3) %% array_length(%(families)s::text[], 1)],
       '+201' || (ARRAY['1', '2', '5'])[1 + k %% 3]
         || lpad(((k * 48271 + 1234567) %% 100000000)::text, 8, '0'),
       '', %(at)s, %(at)s
FROM (SELECT k, date '1955-01-01' + ((k %% 19000) * 7919 %% 19000)::int AS born, ((k / 5) %% 2)::int AS male
      FROM generate_series(0::bigint, %(count)s - 1) k) c
ON CONFLICT (national_id) DO NOTHING
"""


def _history_prepare(cursor, plan: dict, total: int, as_of) -> dict:
    """The set's citizens and clerks, the session's lookup tables (centers, services, routes, fees,
    departments, days) and the constants the batches are given (calendar, weighted picks, citizens)."""
    import json

    from organisation.models import Center, Department, LocalUnit
    from services.models import Service

    cursor.execute(
        HISTORY_CITIZENS_SQL,
        {
            "count": max(20_000, total // 8),  # applicants come back: ~8 requests each over three years
            "governorates": CITIZEN_GOVERNORATES,
            "men": FIRST_NAMES_M,
            "women": FIRST_NAMES_F,
            "families": FAMILY_NAMES,
            "at": plan["first"],
        },
    )
    clerks = _history_clerks()
    units_of = {}
    for unit in LocalUnit.objects.order_by("pk"):
        units_of.setdefault(unit.governorate_id, []).append(unit.pk)
    centers = list(Center.objects.filter(is_active=True).order_by("pk"))
    center_rows = [
        {
            "idx": i,
            "id": c.pk,
            "code": c.code,
            "closing": c.closing_time.isoformat(),
            # A mobile center has its requests processed by one of its governorate's local units.
            "units": [c.local_unit_id] if c.local_unit_id else units_of[c.governorate_id],
            "clerks": clerks[c.pk],
        }
        for i, c in enumerate(centers, start=1)
    ]
    center_weights = [
        MOBILE_CENTER_WEIGHT
        if c.kind == Center.Kind.MOBILE
        else BUSY_CENTERS.get(c.code, 0.6 + (sum(map(ord, c.code)) % 7) / 10)
        for c in centers
    ]
    types = dict(Department.objects.values_list("department_type__code", "department_type_id").distinct())
    service_rows, route_rows, fee_rows, service_weights = [], [], [], []
    # Restrictions of a service to some centers are not modelled (the demo's services are offered at
    # every center).
    for service in Service.objects.filter(is_active=True).order_by("pk"):
        terms = service.terms()
        if not terms["route"]:
            continue  # the window refuses a service without a route
        offsets = [0]
        for step in terms["route"][:-1]:
            offsets.append(offsets[-1] + step["working_days"])
        service_rows.append(
            {
                "idx": len(service_rows) + 1,
                "id": service.pk,
                "legal_days": terms["legal_deadline_days"],
                "n_steps": len(terms["route"]),
                "offsets": offsets,
                "step_days": [step["working_days"] for step in terms["route"]],
                "step_types": [types[step["department"]] for step in terms["route"]],
                "has_fees": bool(terms["fees"]),
                "fees_total": terms["fees_total"],
                "terms": terms,
            }
        )
        service_weights.append(SERVICE_WEIGHTS.get(service.code, 1))
        route_rows += [
            {
                "service_id": service.pk,
                "position": i,
                "type_id": types[step["department"]],
                "days": step["working_days"],
                "start_offset": offsets[i - 1],
            }
            for i, step in enumerate(terms["route"], start=1)
        ]
        fee_rows += [
            {
                "service_id": service.pk,
                "position": i,
                "name_ar": f["name_ar"],
                "name_en": f.get("name_en", ""),
                "amount": f["amount"],
            }
            for i, f in enumerate(terms["fees"], start=1)
        ]

    def table(name: str, columns: str, rows: list[dict]) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TEMP TABLE {name} AS SELECT * FROM jsonb_to_recordset(%s::jsonb) AS x({columns})",
            [json.dumps(rows, default=str, ensure_ascii=False)],
        )
        cursor.execute(f"ANALYZE {name}")

    table(
        "bench_h_center",
        "idx int, id int, code text, closing time, units int[], clerks int[]",
        center_rows,
    )
    table(
        "bench_h_service",
        "idx int, id int, legal_days int, n_steps int, offsets int[], step_days int[], step_types int[], "
        "has_fees boolean, fees_total numeric(12, 2), terms jsonb",
        service_rows,
    )
    table(
        "bench_h_route", "service_id int, position int, type_id int, days int, start_offset int", route_rows
    )
    table(
        "bench_h_fee",
        "service_id int, position int, name_ar text, name_en text, amount numeric(12, 2)",
        fee_rows,
    )
    table(
        "bench_h_day",
        "day date, g0 bigint, g1 bigint, p_open float8, p_await float8, epay float8",
        plan["days"],
    )
    cursor.execute("DROP TABLE IF EXISTS bench_h_dept")
    cursor.execute(
        "CREATE TEMP TABLE bench_h_dept AS "
        "SELECT local_unit_id, department_type_id AS type_id, min(id) AS id "
        "FROM organisation_department GROUP BY 1, 2"
    )
    cursor.execute(
        "SELECT array_agg(id ORDER BY national_id) FROM requests_app_citizen "
        "WHERE substr(national_id, 10, 1) = '5'"
    )
    citizens = cursor.fetchone()[0]
    # The batches' constants (see _cum).
    constants = {
        "d0": plan["d0"],
        "cum": plan["cum"],
        "wd": plan["wd"],
        "center_slots": _slots(center_weights),
        "service_slots": _slots(service_weights),
        "citizens": citizens,
        "citizen_count": len(citizens),
    }
    # Every center's receipt counter at least at its highest number in the table (the demo's requests,
    # ensure_data's), so that the set's numbers go on from there.
    cursor.execute(HISTORY_SERIES_SQL.format(source="requests_app_servicerequest"))
    return constants


def _is_superuser(cursor) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


def ensure_history(
    total: int, *, batch_rows: int = BATCH_ROWS, as_of=None, prepare: bool = True, log=print
) -> dict:
    """The history set of ``total`` requests, made once: a second call with the same total finds it
    (and finishes it if a run stopped half-way, from the batch where it stopped, with the moment and
    plan it began with). Another total is refused: drop the database to make a set of another size.

    Each batch is one transaction (its requests, their fees and open ones' steps, the receipt
    counters and the progress row), loaded with the indexes dropped and foreign-key triggers off
    (session_replication_role: the rows are made from existing ids); the indexes are built once at
    the end, then VACUUM ANALYZE, and the roll-ups are rebuilt. Returns the timings."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from requests_app.models import ServiceRequest

    if prepare:
        from demo.seed import demo_seed

        call_command("migrate", verbosity=0)
        demo_seed()
    figures = {
        "generated": 0,
        "load_seconds": 0.0,
        "index_seconds": 0.0,
        "analyze_seconds": 0.0,
        "rollups_seconds": 0.0,
    }
    with connection.cursor() as cursor:
        cursor.execute(BENCH_TABLES_SQL)
        cursor.execute("SELECT total, as_of, done FROM bench_history WHERE name = 'history'")
        found = cursor.fetchone()
        if found is None:
            as_of, done = as_of or timezone.now(), 0
            cursor.execute(
                "INSERT INTO bench_history (name, total, as_of) VALUES ('history', %s, %s)", [total, as_of]
            )
        elif found[0] != total:
            raise SystemExit(
                f"This database already holds a history set of {found[0]:,} requests (asked: {total:,}). "
                f"Drop it (dropdb {connection.settings_dict['NAME']}) to make one of another size."
            )
        else:
            as_of, done = found[1], found[2]
        figures["as_of"] = as_of
        if done < total:
            began = time.perf_counter()
            plan = history_plan(total, as_of)
            log(
                f"history set: {total:,} requests from {plan['first']} to {plan['last']} "
                f"(as of {as_of:%Y-%m-%d %H:%M %Z}), {done:,} already made"
            )
            constants = _history_prepare(cursor, plan, total, as_of)
            log(f"  citizens, clerks and lookup tables: {time.perf_counter() - began:.1f} s")
            log(f"  dropped {indexes_drop(cursor, BULK_TABLES)} indexes for the load")
            replica = _is_superuser(cursor)
            if not replica:
                log("  not a superuser: foreign keys are checked row by row (slower)")
            has_working_days = any(f.name == "working_days_taken" for f in ServiceRequest._meta.get_fields())
            requests_sql = HISTORY_REQUESTS_SQL.format(
                working_days_column="working_days_taken," if has_working_days else "",
                working_days_value="b.working_days_taken," if has_working_days else "",
            )
            from django.conf import settings

            steps_sql = _history_steps_sql(list(settings.ESCALATION_WORKING_DAYS))
            shares = {
                "rejected": REJECTED_SHARE / (1 - OPEN_SHARE),
                "cancelled": CANCELLED_SHARE / (1 - OPEN_SHARE),
            }
            load_began = time.perf_counter()
            for lo in range(done, total, batch_rows):
                hi = min(lo + batch_rows, total)
                began = time.perf_counter()
                with transaction.atomic():
                    if replica:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                    cursor.execute("SET LOCAL work_mem = '256MB'")  # the batch's sorts and hashes in memory
                    params = {
                        "lo": lo,
                        "hi": hi,
                        "now": as_of,
                        "w_now": plan["today_w"],
                        "risk_share": settings.AT_RISK_SHARE,
                        "id_base": _reserve_ids(cursor, "requests_app_servicerequest", hi - lo),
                        **shares,
                        **constants,
                    }
                    parts = []

                    def run(sql, args=None, parts=parts):
                        mark = time.perf_counter()
                        cursor.execute(sql, args)
                        parts.append(time.perf_counter() - mark)

                    run(BATCH_SQL, params)
                    cursor.execute(
                        "SELECT coalesce(sum(n_steps) FILTER (WHERE is_open), 0) FROM bench_h_batch"
                    )
                    params["step_base"] = _reserve_ids(
                        cursor, "requests_app_requeststep", cursor.fetchone()[0]
                    )
                    run(requests_sql, params)
                    run(HISTORY_FEES_SQL)
                    run(steps_sql, params)
                    cursor.execute(HISTORY_SERIES_SQL.format(source="bench_h_batch"))
                    cursor.execute("UPDATE bench_history SET done = %s WHERE name = 'history'", [hi])
                    mark = time.perf_counter()
                parts.append(time.perf_counter() - mark)
                took = time.perf_counter() - began
                log(
                    f"  {hi:>12,} / {total:,}   {took:6.1f} s   {(hi - lo) / took:9,.0f} requests/s"
                    f"   (draw {parts[0]:.1f}, requests {parts[1]:.1f}, fees {parts[2]:.1f},"
                    f" steps {parts[3]:.1f}, commit {parts[4]:.1f} s)"
                )
            figures["generated"] = total - done
            figures["load_seconds"] = time.perf_counter() - load_began
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(HISTORY_LOOKUP_TABLES)}")
        began = time.perf_counter()
        if indexes_restore(cursor, log=log):
            figures["index_seconds"] = time.perf_counter() - began
            log(f"  indexes built in {figures['index_seconds']:.1f} s")
            began = time.perf_counter()
            # Autovacuum would set hint bits and the visibility map (index-only scans) and gather the
            # statistics; it is off on some machines, and would come at a random moment anyway.
            for table in [*BULK_TABLES, "requests_app_citizen", "core_numberseries"]:
                cursor.execute(f"VACUUM ANALYZE {table}")
            figures["analyze_seconds"] = time.perf_counter() - began
            log(f"  VACUUM ANALYZE in {figures['analyze_seconds']:.1f} s")
            cursor.execute("UPDATE bench_history SET finished_at = now() WHERE name = 'history'")
        if figures["generated"]:
            # Written in bulk, not act by act: the dashboards' roll-ups are made from the requests at
            # once, as the demo does for its past (demo_seed ran before the load).
            from reports.rollups import rollups_rebuild

            began = time.perf_counter()
            rows = rollups_rebuild()
            from reports.models import FeeDay, RequestDay, RequestDayDuration

            for model in (RequestDay, RequestDayDuration, FeeDay):  # the rebuild deleted every old row
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
            figures["rollups_seconds"] = time.perf_counter() - began
            log(f"  roll-ups rebuilt in {figures['rollups_seconds']:.1f} s: {rows}")
        cursor.execute("SELECT pg_database_size(current_database())")
        figures["database_bytes"] = cursor.fetchone()[0]
    if not figures["generated"]:
        log(f"reusing the history set of {total:,} requests")
    return figures


def history_report(log=print) -> None:
    """What the set holds: requests per state, per year, and the database's size."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT state, count(*), round(100.0 * count(*) / sum(count(*)) OVER (), 1) "
            "FROM requests_app_servicerequest GROUP BY state ORDER BY 2 DESC"
        )
        for state, count, share in cursor.fetchall():
            log(f"  {state:<18} {count:>12,}  {share:5.1f} %")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        log(f"  database size: {cursor.fetchone()[0]}")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="Make the dashboards' history set (issue 17) in the benchmark database "
        "(BENCH_DATABASE_URL): three years up to today, every demo center and service. Idempotent.",
    )
    parser.add_argument("--requests", type=int, default=10_000_000, help="requests in the set (10,000,000)")
    parser.add_argument("--batch", type=int, default=BATCH_ROWS, help="requests per transaction")
    args = parser.parse_args()
    setup_django()
    began = time.perf_counter()
    ensure_history(args.requests, batch_rows=args.batch)
    print(f"done in {time.perf_counter() - began:.1f} s")
    history_report()


if __name__ == "__main__":
    main()
