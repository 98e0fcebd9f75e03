"""The history set's issued documents, SMS and hall tickets (issue 17): what 10,000,000 requests leave
behind besides their own rows, so that the dashboards' other figures are measured at the scale of the
requests'.

    .venv/bin/python bench/outputs.py        # after data.py; ~10 min at 10,000,000 requests

Made from the history set's requests (data.py's ``ensure_history``; run.py's 2025 set is left out), with
set-based SQL, in batches of ids, once (``bench_history`` keeps the name ``outputs``):

- **Issued documents**: one per approved request (approved, ready or delivered), as the approval issues
  it — of the service's kind of output, issued by the request's center on the day it was decided; 0.4 %
  of them revoked 1–120 days later (a reason, an administrator's note). Numbers, serials and the status
  list's indexes are unique; the signature fields hold placeholders (no key signs them, nothing verifies
  them here). No ``DocumentEvent`` rows: as for the requests, the roll-ups are rebuilt from the
  documents' own columns.
- **SMS**: those the request's events queue, as ``requests_app.services.notify`` words them — the
  receipt at submission, "ready for pickup" or "rejected" at the decision, "delivered" at delivery — each
  an Arabic text of two UCS-2 parts about its request. 90 % delivered, 7.5 % sent without a delivery
  report, 2.5 % failed; those of the last ten minutes still waiting.
- **Hall tickets** at the centers with a hall (the demo's Benha): one per visit to a window — the
  intake, and the collection of the output — as ``TICKETS_SQL`` describes.

The SMS table's and the documents table's secondary indexes are dropped for the load and built once
afterwards (data.py's ``indexes_drop``/``indexes_restore``); then ``VACUUM ANALYZE`` and a rebuild of
the roll-ups that read these tables (documents and SMS).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import BENCH_TABLES_SQL, LEGACY_MOBILE, indexes_drop, indexes_restore, setup_django  # noqa: E402

NAME = "outputs"
BATCH_IDS = 1_000_000
STATUS_INDEX_BASE = 100_000_000  # above any index the demo's issuing takes
TABLES = ["documents_issueddocument", "notifications_smsmessage"]

# Cairo's date of a moment, and a reproducible draw in [0, 1) from a request's id and a salt.
LOCAL_DAY = "(({at}) AT TIME ZONE 'Africa/Cairo')::date"
DRAW = "(('x' || substr(md5('{salt}' || r.id), 1, 8))::bit(32)::bigint / 4294967296.0)"

DOCUMENTS_SQL = f"""
INSERT INTO documents_issueddocument
  (number, issuer_code, kind, serial, title_ar, title_en, holder_name, holder_national_id, subject, terms,
   issued_on, valid_until, center_id, issuer_names, source_reference, carries_qr, salt, holder_digest, kid,
   status_index, payload, check_code, issued_by_id, issued_at, revoked_at, revoked_by_id, revocation_reason,
   revocation_note)
SELECT c.code || '-' || s.output_kind || '-' || extract(year FROM {LOCAL_DAY.format(at="r.completed_at")})
         || '-B' || r.id,
       c.code, s.output_kind, r.id, s.name_ar, s.name_en, r.applicant_name_ar,
       '2' || lpad((r.applicant_id %% 10000000000000)::text, 13, '0'), s.name_ar, '[]'::jsonb,
       {LOCAL_DAY.format(at="r.completed_at")}, NULL, r.center_id, '{{}}'::jsonb, r.receipt_number, true,
       '\\x00'::bytea, '\\x00'::bytea, 'bench', %(status_base)s + r.id, '\\x00'::bytea, 'BENCH',
       NULL, r.completed_at,
       CASE WHEN {DRAW.format(salt="revoked")} < 0.004
            THEN r.completed_at + (1 + floor({DRAW.format(salt="revoked-after")} * 120)) * interval '1 day'
       END,
       NULL,
       CASE WHEN {DRAW.format(salt="revoked")} < 0.004 THEN 'issued_in_error' ELSE '' END,
       CASE WHEN {DRAW.format(salt="revoked")} < 0.004 THEN 'bench' ELSE '' END
FROM requests_app_servicerequest r
JOIN services_service s ON s.id = r.service_id
JOIN organisation_center c ON c.id = r.center_id
WHERE r.id >= %(first)s AND r.id < %(last)s AND r.applicant_mobile <> %(legacy)s
  AND r.state IN ('approved', 'ready', 'delivered') AND r.completed_at IS NOT NULL
"""
# (a revocation after "now" is left unrevoked: it has not happened yet)
DOCUMENTS_FUTURE_SQL = """
UPDATE documents_issueddocument SET revoked_at = NULL, revocation_reason = '', revocation_note = ''
WHERE revoked_at > now()
"""

SMS_BODY = (
    "مركز خدمة المواطنين: تم استلام طلبكم رقم {receipt} وسيتم إخطاركم عند جاهزيته. "
    "تابعوا الطلب من الرابط المرسل"
)
SMS_SQL = f"""
INSERT INTO notifications_smsmessage
  (idempotency_key, reference, resend_of_id, event, subject_type_id, subject_id, phone, body, encoding, parts,
   status, attempts, next_attempt_at, attempt_started_at, last_error, provider_message_id, created_at,
   sent_at, delivered_at)
SELECT x.event || ':' || x.receipt || ':bench', 'bench:' || x.event || ':' || x.receipt, NULL, x.event,
       %(request_type)s, x.id, x.phone, replace(%(body)s, '{{receipt}}', x.receipt), 'ucs2', 2,
       CASE WHEN x.waiting THEN 'pending' WHEN x.draw < 0.025 THEN 'failed' WHEN x.draw < 0.1 THEN 'sent'
            ELSE 'delivered' END,
       CASE WHEN x.waiting THEN 0 ELSE 1 END, x.at, CASE WHEN NOT x.waiting THEN x.at END,
       CASE WHEN NOT x.waiting AND x.draw < 0.025 THEN 'bench: refused' ELSE '' END, '', x.at,
       CASE WHEN NOT x.waiting AND x.draw >= 0.025 THEN x.at + interval '4 seconds' END,
       CASE WHEN NOT x.waiting AND x.draw >= 0.1 THEN x.at + interval '21 seconds' END
FROM (
  SELECT r.id, r.receipt_number AS receipt, r.applicant_mobile AS phone, m.event, m.at, m.draw,
         m.at > now() - interval '10 minutes' AS waiting
  FROM requests_app_servicerequest r
  CROSS JOIN LATERAL (VALUES
      ('receipt_issued', r.submitted_at, {DRAW.format(salt="sms-receipt")}),
      (CASE WHEN r.state = 'rejected' THEN 'rejected' ELSE 'ready_for_pickup' END,
       CASE WHEN r.state IN ('approved', 'ready', 'delivered', 'rejected') THEN r.completed_at END,
       {DRAW.format(salt="sms-decision")}),
      ('delivered', r.delivered_at, {DRAW.format(salt="sms-delivered")})
  ) AS m(event, at, draw)
  WHERE r.id >= %(first)s AND r.id < %(last)s AND r.applicant_mobile <> %(legacy)s AND m.at IS NOT NULL
) AS x
"""


# The hall's tickets at the centers that have a hall (the demo's Benha): one for each visit to a window —
# the request's intake and its output's collection — taken 2 minutes to an hour or so before the call
# (exponential, ~16 minutes on average), in one of the center's queues (a tenth in the kiosk's first,
# the priority queue in the demo);
# 5 % not come when called, the rest served in about nine minutes. Numbered from 1 per queue and day in
# the order they were taken; a queue's day stops at its last number, as the kiosk does.
TICKETS_SQL = f"""
INSERT INTO hall_ticket
  (day, number, code, state, version, token, issued_at, priority, waiting_since, mobile, ahead_at_issue,
   estimate_minutes, near_sms_at, first_called_at, called_at, recalls, serving_at, finished_at, center_id,
   clerk_id, issued_queue_id, kiosk_id, queue_id, window_id)
SELECT v.day, v.number, q.letter || '-' || lpad(v.number::text, 3, '0'), v.state, 0,
       md5('bench-ticket-' || v.visit), v.issued_at, q.is_priority, v.issued_at, '', 0, NULL, NULL,
       v.called_at, v.called_at, 0,
       CASE WHEN v.state = 'done' THEN v.called_at + interval '1 minute' END,
       v.called_at + CASE WHEN v.state = 'done' THEN interval '9 minutes' ELSE interval '3 minutes' END,
       v.center_id, NULL, q.id, NULL, q.id, NULL
FROM (
  SELECT w.*, row_number() OVER (PARTITION BY w.center_id, w.position, w.day ORDER BY w.issued_at, w.visit)
           AS number
  FROM (
    SELECT r.center_id, m.kind || r.id AS visit, m.at - m.wait * interval '1 second' AS issued_at,
           {LOCAL_DAY.format(at="m.at - m.wait * interval '1 second'")} AS day, m.at AS called_at,
           CASE WHEN m.miss < 0.05 THEN 'no_show' ELSE 'done' END AS state,
           CASE WHEN m.pick < 0.1 THEN 0 ELSE 1 + floor((m.pick - 0.1) / 0.9 * (h.queues - 1))::int END
             AS position
    FROM requests_app_servicerequest r
    JOIN (SELECT center_id, count(*) AS queues FROM hall_hallqueue WHERE is_active GROUP BY center_id) h
      ON h.center_id = r.center_id
    CROSS JOIN LATERAL (VALUES
        ('s', r.submitted_at, 120 + floor(-ln(1 - {DRAW.format(salt="wait-s")}) * 840),
         {DRAW.format(salt="queue-s")}, {DRAW.format(salt="miss-s")}),
        ('d', r.delivered_at, 120 + floor(-ln(1 - {DRAW.format(salt="wait-d")}) * 840),
         {DRAW.format(salt="queue-d")}, {DRAW.format(salt="miss-d")})
    ) AS m(kind, at, wait, pick, miss)
    WHERE r.applicant_mobile <> %(legacy)s AND m.at IS NOT NULL AND m.at < now() - interval '1 hour'
  ) AS w
) AS v
JOIN hall_hallqueue q ON q.center_id = v.center_id AND q.is_active
  AND q.id = (SELECT id FROM hall_hallqueue p WHERE p.center_id = v.center_id AND p.is_active
              ORDER BY p.position, p.id OFFSET v.position LIMIT 1)
WHERE v.number <= %(per_day)s
  -- (the days the demo's own hall already played are left to it)
  AND NOT EXISTS (SELECT 1 FROM hall_ticket t WHERE t.center_id = v.center_id AND t.day = v.day)
"""


def ensure_outputs(log=print) -> dict:
    """The documents and SMS of the history set, made once; returns the timings."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from reports.document_rollups import document_days_rebuild
    from reports.sms_rollups import sms_days_rebuild
    from requests_app.models import ServiceRequest

    figures: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(BENCH_TABLES_SQL)
        cursor.execute("SELECT finished_at FROM bench_history WHERE name = 'history'")
        history = cursor.fetchone()
        if not history or history[0] is None:
            raise SystemExit("make the history set first: bench/data.py --requests N")
        cursor.execute("SELECT done, finished_at FROM bench_history WHERE name = %s", [NAME])
        row = cursor.fetchone()
        if row and row[1] is not None:
            log("reusing the history set's documents and SMS")
            return figures
        if not row:
            cursor.execute(
                "INSERT INTO bench_history (name, total, as_of, done) VALUES (%s, 0, now(), 0)", [NAME]
            )
        done = row[0] if row else 0
        cursor.execute("SELECT min(id), max(id) FROM requests_app_servicerequest")
        low, high = cursor.fetchone()
        log(f"  dropped {indexes_drop(cursor, TABLES)} indexes for the load")
        params = {
            "status_base": STATUS_INDEX_BASE,
            "legacy": LEGACY_MOBILE,
            "request_type": ContentType.objects.get_for_model(ServiceRequest).pk,
            "body": SMS_BODY,
        }
        began = time.perf_counter()
        first = max(low, done + 1)
        while first <= high:
            last = first + BATCH_IDS
            started = time.perf_counter()
            with transaction.atomic():
                cursor.execute(DOCUMENTS_SQL, {**params, "first": first, "last": last})
                documents = cursor.rowcount
                cursor.execute(SMS_SQL, {**params, "first": first, "last": last})
                messages = cursor.rowcount
                cursor.execute("UPDATE bench_history SET done = %s WHERE name = %s", [last - 1, NAME])
            log(
                f"    requests {first:,}–{last - 1:,}: {documents:,} documents, {messages:,} SMS"
                f" in {time.perf_counter() - started:.1f} s"
            )
            first = last
        cursor.execute(DOCUMENTS_FUTURE_SQL)
        figures["load_seconds"] = time.perf_counter() - began
        began = time.perf_counter()
        indexes_restore(cursor, log=log)
        figures["index_seconds"] = time.perf_counter() - began
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
        began = time.perf_counter()
        figures["rollup_rows"] = {
            **_rollups_rebuild(cursor, document_days_rebuild, ("DocumentDay",)),
            **_rollups_rebuild(cursor, sms_days_rebuild, ("SmsDay",)),
        }
        figures["rollup_seconds"] = time.perf_counter() - began
        cursor.execute("UPDATE bench_history SET finished_at = now() WHERE name = %s", [NAME])
    return figures


def _rollups_rebuild(cursor, rebuild, names: tuple[str, ...]) -> dict:
    """The named day roll-ups, by ``rebuild``, and their aggregates again, from the rows this script
    made (data.py's rebuild ran before they existed)."""
    from django.db import transaction

    from reports.rollups import rollups_lock
    from reports.spans import MODELS, aggregates, aggregates_rebuild

    day_models = [MODELS[name] for name in names]
    with transaction.atomic():
        rollups_lock(day_models)
        rows = {names[0]: rebuild()}
        for day_model in day_models:
            rows |= aggregates_rebuild(day_model)
    for day_model in day_models:
        for model in (day_model, *(aggregate.model for aggregate in aggregates(day_model))):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return rows


def ensure_tickets(log=print) -> dict:
    """The hall's tickets of the history set, made once; returns the timings."""
    from django.db import connection

    from hall.models import TICKETS_PER_QUEUE_AND_DAY
    from reports.hall_rollups import hall_days_rebuild

    figures: dict = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT finished_at FROM bench_history WHERE name = 'tickets'")
        if cursor.fetchone() is not None:
            log("reusing the history set's hall tickets")
            return figures
        began = time.perf_counter()
        cursor.execute(TICKETS_SQL, {"legacy": LEGACY_MOBILE, "per_day": TICKETS_PER_QUEUE_AND_DAY})
        figures["tickets"] = cursor.rowcount
        figures["load_seconds"] = time.perf_counter() - began
        cursor.execute("VACUUM ANALYZE hall_ticket")
        began = time.perf_counter()
        figures["rollup_rows"] = _rollups_rebuild(cursor, hall_days_rebuild, ("HallTicketDay", "HallWaitDay"))
        figures["rollup_seconds"] = time.perf_counter() - began
        cursor.execute(
            "INSERT INTO bench_history (name, total, as_of, done, finished_at)"
            " VALUES ('tickets', %s, now(), %s, now())",
            [figures["tickets"], figures["tickets"]],
        )
    return figures


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    setup_django()
    began = time.perf_counter()
    print(f"documents and SMS: {ensure_outputs()} in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    print(f"hall tickets: {ensure_tickets()} in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
