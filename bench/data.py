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


# The mobile number every row of ensure_data's set carries (and no other request): how it is told apart.
LEGACY_MOBILE = "+201000000000"

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
        indexes_restore(cursor)
    # This set's rows only (its fixed mobile number): the history set also holds requests of 2025.
    existing = ServiceRequest.objects.filter(year=2025, applicant_mobile=LEGACY_MOBILE).count()
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
# Net working days to decide = legal deadline × exp(μ + σ·z): a skewed spread, about 80 % on time.
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
FIRST_NAMES_M = "محمد أحمد محمود مصطفى علي حسن إبراهيم عبدالله خالد عمرو يوسف طارق سامح هشام وليد كريم".split()
FIRST_NAMES_F = "فاطمة مريم نورا هبة سارة منى آية دينا ريهام إيمان سلمى نادية أمل هالة شيماء رانيا".split()
FAMILY_NAMES = "السيد عبدالرحمن سليمان عثمان الشافعي النجار الجمال فرج عبدالعزيز رمضان شحاتة منصور".split()
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


# The calendar as two arrays (bench_h_cal): cum[d - d0 + 1] counts the working days up to date d,
# wd[k] is the k-th working day. So WorkCalendar.add_working_days(d, n) is wd[cum(d) + n] and
# working_days_between(a, b) is cum(b) - cum(a): deadlines and working days are the application's own,
# Egypt's public holidays and nationwide closures included (per-center closures are not: the demo has
# none). Integer arrays without NULLs are indexed in constant time.
def _cum(day: str) -> str:
    return f"cal.cum[({day}) - cal.d0 + 1]"


BATCH_SQL = f"""
CREATE TEMP TABLE bench_h_batch ON COMMIT DROP AS
WITH picked AS (
  SELECT g, d.day, d.p_open, d.p_await, d.epay, (g - d.g0 + 0.5) / (d.g1 - d.g0) AS q,
         {_cum("d.day")} AS w0,
         c.id AS center_id, c.code, c.closing, extract(year FROM d.day)::int AS year,
         c.units[1 + floor({_u(4)} * array_length(c.units, 1))::int] AS local_unit_id,
         c.clerks[1 + floor({_u(19)} * array_length(c.clerks, 1))::int] AS taken_by_id,
         sl.citizens[1 + floor({_u(3)} * array_length(sl.citizens, 1))::int] AS applicant_id,
         s.id AS service_id, s.legal_days AS l, s.n_steps, s.offsets, s.step_days, s.step_types,
         s.has_fees, s.fees_total,
         {_u(5)} AS u_outcome, {_u(6)} AS u_open, {_u(7)} AS u_z1, {_u(8)} AS u_z2, {_u(9)} AS u_pause,
         {_u(10)} AS u_pause_days, {_u(11)} AS u_issue, {_u(12)} AS u_collect, {_u(13)} AS u_never,
         {_u(14)} AS u_time, {_u(15)} AS u_await, {_u(16)} AS u_paused_at, {_u(17)} AS u_pay,
         {_u(18)} AS u_cancel, {_u(20)} AS u_step
  FROM bench_h_day d
  CROSS JOIN LATERAL generate_series(greatest(d.g0, %(lo)s), least(d.g1, %(hi)s) - 1) AS g
  CROSS JOIN bench_h_slots sl
  CROSS JOIN bench_h_cal cal
  JOIN bench_h_center c ON c.idx = sl.center_slots[1 + floor({_u(1)} * {SLOTS})::int]
  JOIN bench_h_service s ON s.idx = sl.service_slots[1 + floor({_u(2)} * {SLOTS})::int]
  WHERE d.g1 > %(lo)s AND d.g0 < %(hi)s),
drawn AS (
  SELECT p.*,
         -- Submitted between 08:30 and 15:00, busiest mid-morning (a triangular law, mode at 10:27),
         -- at the day's q-quantile: later rows of the day come later.
         {_at("p.day", "30600 + 23400 * CASE WHEN q < 0.3 THEN sqrt(q * 0.3) ELSE 1 - sqrt((1 - q) * 0.7) END")}
           AS submitted_at,
         CASE WHEN u_pause < {PAUSED_BEFORE} THEN 1 + least(floor(-ln(1 - u_pause_days) * 4)::int, 30)
              ELSE 0 END AS p_days,
         least(floor(l * exp({DECISION_MU} + {DECISION_SIGMA} * sqrt(-2 * ln(1 - u_z1)) * cos(2 * pi() * u_z2)))::int,
               4 * l + 10) AS d_days,
         floor(u_cancel * (least(l, 10) + 1))::int AS c_days,
         CASE WHEN u_outcome < %(rejected)s THEN 'rejected'
              WHEN u_outcome < %(rejected)s + %(cancelled)s THEN 'cancelled' ELSE 'approved' END AS outcome,
         floor(-ln(1 - u_issue) * 0.9)::int AS i_days,
         floor(-ln(1 - u_collect) * 4)::int AS k_days
  FROM picked p),
decided AS (
  SELECT t.*,
         greatest({_at("cal.wd[t.w0 + t.d_days + t.p_days]", "32400 + 21600 * t.u_time")},
                  t.submitted_at + interval '20 minutes') AS decided_at,
         greatest({_at("cal.wd[t.w0 + t.c_days]", "32400 + 21600 * t.u_time")},
                  t.submitted_at + interval '20 minutes') AS cancelled_at
  FROM drawn t CROSS JOIN bench_h_cal cal),
outcome AS (
  SELECT t.*,
         u_open < p_open OR CASE WHEN outcome = 'cancelled' THEN cancelled_at ELSE decided_at END > %(now)s
           AS is_open,
         -- The output waits at the window after 0–2 working days; its owner comes some days later.
         greatest({_at("cal.wd[t.w0 + t.d_days + t.p_days + t.i_days]", "34200 + 19800 * t.u_time")},
                  t.decided_at + interval '10 minutes') AS ready_at
  FROM decided t CROSS JOIN bench_h_cal cal),
collected AS (
  SELECT t.*,
         CASE WHEN u_never >= {NEVER_COLLECTED} THEN
           greatest({_at("cal.wd[t.w0 + t.d_days + t.p_days + t.i_days + t.k_days]", "32400 + 21600 * t.u_pay")},
                    t.ready_at + interval '10 minutes') END AS delivered_at_if,
         -- An open request may have waited for the citizen before, if it is old enough to have.
         CASE WHEN %(w_now)s - t.w0 > t.p_days + 1 THEN t.p_days ELSE 0 END AS p_open_days
  FROM outcome t),
progress AS (
  -- Where an open request stands on its route: the step its elapsed working days fall in (the route's
  -- steps share the legal deadline), the last step for those already late.
  SELECT t.*, 1 + width_bucket(least(greatest(%(w_now)s - t.w0 - t.p_open_days, 0), t.l - 1),
                               t.offsets[2:t.n_steps]) AS pos
  FROM collected t),
stepped AS (
  SELECT t.*, t.w0 + t.offsets[t.pos] AS cur_start_w,
         CASE WHEN t.pos = 1 THEN t.submitted_at
              ELSE least({_at("cal.wd[t.w0 + t.offsets[t.pos]]", "36000 + 14400 * t.u_step")}, %(now)s) END
           AS cur_start
  FROM progress t CROSS JOIN bench_h_cal cal),
final AS (
  SELECT t.*,
         t.is_open AND t.u_await < t.p_await AS is_await,
         {_closing("cal.wd[t.cur_start_w + t.step_days[t.pos]]", "t.closing")} AS cur_due,
         {_closing("cal.wd[t.w0 + t.l + CASE WHEN t.is_open THEN t.p_open_days WHEN t.outcome = 'cancelled' THEN 0 ELSE t.p_days END]", "t.closing")}
           AS due_at,
         least(greatest({_at("cal.wd[t.cur_start_w + floor(t.u_paused_at * (%(w_now)s - t.cur_start_w + 1))::int]", "39600 + 10800 * t.u_time")},
                        t.cur_start + interval '10 minutes'), %(now)s) AS paused_if
  FROM stepped t CROSS JOIN bench_h_cal cal),
dressed AS (
  SELECT t.*,
         CASE WHEN t.is_open THEN CASE WHEN t.is_await THEN 'awaiting_citizen' ELSE 'in_review' END
              WHEN t.outcome <> 'approved' THEN t.outcome
              WHEN t.delivered_at_if <= %(now)s THEN 'delivered'
              WHEN t.ready_at <= %(now)s THEN 'ready' ELSE 'approved' END AS state,
         t.cur_start + (t.cur_due - t.cur_start) * %(risk_share)s AS cur_risk
  FROM final t)
SELECT t.g, %(id_base)s + (t.g - %(lo)s) AS id, t.center_id, t.code, t.year, t.local_unit_id, t.service_id,
       t.applicant_id, z.name_ar AS applicant_name_ar, z.mobile AS applicant_mobile, t.taken_by_id,
       coalesce(ns.last_number, 0) + row_number() OVER (PARTITION BY t.center_id, t.year ORDER BY t.g) AS sequence,
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
       CASE WHEN (NOT t.is_open AND CASE WHEN t.outcome = 'cancelled' THEN t.cancelled_at ELSE t.decided_at END > t.due_at)
              OR (t.is_open AND NOT t.is_await AND t.due_at < %(now)s)
              OR (t.is_await AND t.due_at < t.paused_if) THEN t.due_at END AS overdue_since,
       -- Transitions so far: route, forwards, pauses and resumptions, decision, issue, delivery.
       CASE WHEN t.is_open THEN t.pos + 2 * (t.p_open_days > 0)::int + t.is_await::int
            WHEN t.outcome = 'cancelled' THEN 2
            ELSE t.n_steps + 1 + 2 * (t.p_days > 0)::int + (t.state IN ('ready', 'delivered'))::int
                 + (t.state = 'delivered')::int END AS version,
       t.fees_total,
       CASE WHEN NOT t.has_fees THEN '' WHEN t.u_pay < t.epay THEN 'epayment' ELSE 'cash' END AS payment_method,
       CASE WHEN t.has_fees AND t.u_pay < t.epay THEN 'EP' || lpad(t.g::text, 12, '0') ELSE '' END
         AS payment_reference,
       sum(CASE WHEN t.is_open THEN t.n_steps ELSE 0 END) OVER (ORDER BY t.g)
         - CASE WHEN t.is_open THEN t.n_steps ELSE 0 END AS step_off
FROM dressed t
JOIN requests_app_citizen z ON z.id = t.applicant_id
LEFT JOIN bench_h_dept dp ON t.is_open AND dp.local_unit_id = t.local_unit_id AND dp.type_id = t.step_types[t.pos]
LEFT JOIN core_numberseries ns ON ns.series = 'receipt:' || t.center_id AND ns.year = t.year
ORDER BY t.g
"""
