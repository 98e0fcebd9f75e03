"""Benchmark: intake and public status lookups with a large request table (default 1,000,000 rows).

Run on demand, never in CI:  .venv/bin/python bench/run.py [--requests 1000000]

It uses the benchmark database of data.py, then drives the real views in-process with Django's test
client and prints requests per second. http.py measures the same paths over HTTP under gunicorn.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["TRACKING_RATE"] = "1000000000/s"  # measure the lookup, not the limiter

from data import STEPS_SQL, drop_database, ensure_data, scratch_copy, setup_django  # noqa: E402

setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def rate(label: str, timings: list[float]) -> None:
    total = sum(timings)
    p95 = statistics.quantiles(timings, n=20)[-1] * 1000
    print(
        f"{label:<38} {len(timings) / total:8.1f} req/s   median {statistics.median(timings) * 1000:6.1f} ms"
        f"   p95 {p95:6.1f} ms   ({len(timings)} requests)"
    )


def bench_intake(rounds: int) -> None:
    from accounts.models import User
    from services.models import Service

    client = Client()
    client.force_login(User.objects.get(username="bnh.clerk"))
    service = Service.objects.get(code="OCC-ROAD")
    url = reverse("window:intake", args=["BNH", service.code])
    documents = {f"doc_{d.document_type.code}": "on" for d in service.documents.filter(is_required=True)}
    timings = []
    for n in range(rounds):
        data = {
            "intake_key": str(uuid.uuid4()),
            "applicant_national_id": f"2900101140{n % 9000 + 1:04d}",
            "applicant_name_ar": "مواطن للقياس",
            "applicant_mobile": "01012345678",
            "payment_method": "cash",
            **documents,
        }
        began = time.perf_counter()
        response = client.post(url, data)
        timings.append(time.perf_counter() - began)
        assert response.status_code == 302, response.content[:500]
    rate("intake POST (form → receipt redirect)", timings)


def bench_status(rounds: int) -> None:
    from requests_app.models import ServiceRequest

    sample = (
        list(
            ServiceRequest.objects.filter(year=2025)
            .order_by("?")[:rounds]
            .values_list("tracking_token", "receipt_number", "applicant__national_id")
        )
        if rounds <= 2000
        else []
    )
    client = Client()
    by_token, by_receipt = [], []
    for token, receipt, national_id in sample:
        began = time.perf_counter()
        response = client.get(reverse("track:status", args=[token]))
        by_token.append(time.perf_counter() - began)
        assert response.status_code == 200
        began = time.perf_counter()
        response = client.post(
            reverse("track:lookup"), {"receipt_number": receipt, "national_id_last4": national_id[-4:]}
        )
        by_receipt.append(time.perf_counter() - began)
        assert response.status_code == 200
    rate("status page by QR token (GET)", by_token)
    rate("status by receipt + 4 digits (POST)", by_receipt)


def bench_queue(rounds: int) -> None:
    from accounts.models import User
    from organisation.models import Department
    from requests_app.services import service_request_take_next

    engineering = Department.objects.get(local_unit__code="BNH", department_type__code="ENG")
    employee = User.objects.get(username="bnh.eng")
    client = Client()
    client.force_login(employee)
    url = reverse("office:queue", args=[engineering.pk])
    for label, query in (
        ("queue page, first 25 by due date", {}),
        ("queue page, overdue filter", {"urgency": "overdue"}),
        ("queue page, page 40", {"page": 40}),
    ):
        timings = []
        for _ in range(rounds):
            began = time.perf_counter()
            response = client.get(url, query)
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200
        rate(label, timings)
    timings = []
    for _ in range(rounds):
        began = time.perf_counter()
        taken = service_request_take_next(department_id=engineering.pk, actor=employee)
        timings.append(time.perf_counter() - began)
        assert taken is not None
    rate("take next (service call)", timings)
    from requests_app.models import ServiceRequest

    print(
        f"open requests in BNH engineering's queue: "
        f"{ServiceRequest.objects.filter(current_department=engineering).count():,}"
    )


OPEN_EVERYTHING_SQL = """
UPDATE requests_app_servicerequest r
SET state = 'in_review', completed_at = NULL, current_department_id = d.id,
    step_due_at = r.submitted_at + interval '7 days', step_risk_at = r.submitted_at + interval '5 days'
FROM organisation_department d
JOIN organisation_departmenttype t ON t.id = d.department_type_id AND t.code = 'ENG'
WHERE r.year = 2025 AND r.state = 'delivered' AND d.local_unit_id = r.local_unit_id;
-- Every step is late (the worst case for the ladder); one request in a thousand passes its legal
-- deadline now, as on a busy day, so the apologies are a realistic batch rather than a million.
UPDATE requests_app_servicerequest SET overdue_since = NULL,
    due_at = CASE WHEN id % 1000 = 0 THEN now() - interval '1 hour' ELSE now() + interval '10 days' END
WHERE year = 2025;
"""


def bench_sweep() -> tuple[float, float]:
    """The deadline sweep over every generated request open at once (about 1,000,000), in a transaction
    rolled back afterwards so the data set stays as generated."""
    from django.db import transaction

    from deadlines.sweep import deadline_sweep
    from requests_app.models import ServiceRequest

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(OPEN_EVERYTHING_SQL)
                cursor.execute(STEPS_SQL)
                cursor.execute("ANALYZE requests_app_servicerequest")
                cursor.execute("ANALYZE requests_app_requeststep")
            open_now = ServiceRequest.objects.filter(state="in_review").count()
            took = []
            for label in ("first sweep (everything newly late)", "second sweep (nothing new)"):
                began = time.perf_counter()
                report = deadline_sweep()
                took.append(time.perf_counter() - began)
                steps, requests = report["request_step"], report["request"]
                print(
                    f"{label:<38} {took[-1]:8.2f} s over {open_now:,} open requests: "
                    f"{steps.at_risk:,} at risk, "
                    f"{steps.overdue:,} steps overdue, {sum(steps.escalations.values()):,} escalations, "
                    f"{requests.overdue:,} apologies"
                )
            raise Rollback
    except Rollback:
        pass
    with (
        connection.cursor() as cursor
    ):  # the rolled-back rows leave dead index entries: clear them, as autovacuum would
        cursor.execute("VACUUM ANALYZE requests_app_servicerequest")
        cursor.execute("VACUUM ANALYZE requests_app_requeststep")
        cursor.execute("VACUUM ANALYZE deadlines_escalation")
    return took[0], took[1]


def bench_sweep_committed() -> tuple[float, float]:
    """The sweep as production meets it: every generated request opened and committed in a scratch copy
    of the benchmark database, vacuumed (as autovacuum would), swept once (everything newly late),
    vacuumed, swept again (nothing new). Rolled back inside one transaction instead, as bench_sweep
    does, the second sweep also wades through the first one's dead index entries. Takes ~10 minutes."""
    from django.db import connections

    from deadlines.sweep import deadline_sweep

    settings = connections["default"].settings_dict
    source, scratch = settings["NAME"], f"{settings['NAME']}_sweep"
    connection.close()
    scratch_copy(settings, scratch)
    settings["NAME"] = scratch
    try:
        with connection.cursor() as cursor:
            cursor.execute(OPEN_EVERYTHING_SQL)
            cursor.execute(STEPS_SQL)
            cursor.execute("VACUUM ANALYZE")
        took = []
        for label in ("first sweep, committed", "second sweep, committed (nothing new)"):
            began = time.perf_counter()
            report = deadline_sweep()
            took.append(time.perf_counter() - began)
            steps = report["request_step"]
            print(
                f"{label:<38} {took[-1]:8.2f} s: {steps.overdue:,} steps overdue, "
                f"{sum(steps.escalations.values()):,} escalations, {report['request'].overdue:,} apologies"
            )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()
        settings["NAME"] = source
        drop_database(settings, scratch)
    return took[0], took[1]


def bench_broker_down(rounds: int) -> None:
    """Commits that queue an SMS while the broker is down (nothing listens on the port): the nudge
    after the commit must fail fast, since a clerk waits for it. The old publish with retries beside."""
    from django.db import transaction

    from config.celery import app
    from notifications import tasks
    from notifications.models import SmsMessage
    from requests_app.models import ServiceRequest
    from requests_app.services.notify import request_sms_enqueue

    request = ServiceRequest.objects.filter(year=2025).select_related("applicant", "center").first()
    logging.getLogger("notifications.tasks").setLevel(logging.ERROR)  # one warning per commit, expected
    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    publish_now = tasks.deliver_pending.apply_async
    try:
        for label, publish in (
            ("commit + SMS, broker down (no retries)", publish_now),
            ("same, publishing with retries (before)", lambda **_: publish_now()),
        ):
            app._pool = app.amqp._producer_pool = None
            tasks.deliver_pending.apply_async = publish
            timings = []
            for _ in range(rounds):
                began = time.perf_counter()
                with transaction.atomic():
                    request_sms_enqueue(request, "delivered", f"bench-{uuid.uuid4().hex}")
                timings.append(time.perf_counter() - began)
            rate(label, timings)
    finally:
        tasks.deliver_pending.apply_async = publish_now
        app.conf.broker_url = saved
        app._pool = app.amqp._producer_pool = None
        SmsMessage.objects.filter(idempotency_key__contains=":bench-").delete()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--requests", type=int, default=1_000_000, help="requests in the table before measuring"
    )
    parser.add_argument("--intakes", type=int, default=300)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--queue-rounds", type=int, default=200)
    parser.add_argument("--broker-down-rounds", type=int, default=50)
    parser.add_argument("--no-sweep", dest="sweep", action="store_false", help="skip the sweep over 1M open")
    parser.add_argument("--only-sweep", action="store_true", help="measure the deadline sweep only")
    parser.add_argument(
        "--sweep-committed", action="store_true", help="also sweep committed data in a scratch copy (~10 min)"
    )
    parser.add_argument("--only-broker-down", action="store_true", help="commits with the broker down only")
    args = parser.parse_args()
    setup_test_environment()
    ensure_data(args.requests)
    from requests_app.models import ServiceRequest

    print(f"requests in the database: {ServiceRequest.objects.count():,}")
    random.seed(1)
    if args.only_broker_down:
        bench_broker_down(args.broker_down_rounds)
        return
    if not args.only_sweep:
        bench_intake(args.intakes)
        bench_status(args.lookups)
        bench_queue(args.queue_rounds)
        bench_broker_down(args.broker_down_rounds)
    if args.sweep:
        bench_sweep()
    if args.sweep_committed:
        bench_sweep_committed()


if __name__ == "__main__":
    main()
