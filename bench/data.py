"""The benchmark database, shared by run.py (in-process) and http.py (over HTTP): its own PostgreSQL
database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/citizen_services_bench)
holding the reference organisation, the catalog, the demo accounts and, generated with set-based SQL
the first time (later runs reuse them), a large table of requests."""

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
     rows AS (
       SELECT g, c.codes[1 + g %% array_length(c.ids, 1)] AS code,
              c.ids[1 + g %% array_length(c.ids, 1)] AS center,
              c.units[1 + g %% array_length(c.ids, 1)] AS unit,
              c.engineering[1 + g %% array_length(c.ids, 1)] AS engineering,
              g / array_length(c.ids, 1) + 1 AS seq, s.ids[1 + g %% array_length(s.ids, 1)] AS service,
              z.ids[1 + g %% array_length(z.ids, 1)] AS citizen,
              timestamp with time zone '2025-01-01 08:00+02' + (g * 25 || ' seconds')::interval AS submitted,
              g %% 10 < 3 AS open
       FROM generate_series(%(start)s, %(stop)s) g, centers c, services s, citizens z)
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
    existing = ServiceRequest.objects.filter(year=2025).count()
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
