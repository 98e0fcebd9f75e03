"""The history set's issued documents and SMS (issue 17): what 10,000,000 requests leave behind besides
their own rows, so that the dashboards' other figures are measured at the same scale as the requests'.

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


def ensure_outputs(log=print) -> dict:
    """The documents and SMS of the history set, made once; returns the timings."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

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
        figures["rollup_rows"] = _rollups_rebuild(cursor)
        figures["rollup_seconds"] = time.perf_counter() - began
        cursor.execute("UPDATE bench_history SET finished_at = now() WHERE name = %s", [NAME])
    return figures


def _rollups_rebuild(cursor) -> dict:
    """The document and SMS roll-ups and their months again, from the documents and messages (data.py's
    rebuild ran before they existed)."""
    from django.db import transaction

    from reports.document_rollups import document_days_rebuild
    from reports.models import DocumentDay, SmsDay
    from reports.sms_rollups import sms_days_rebuild
    from reports.spans import aggregates, aggregates_rebuild

    rows: dict = {}
    for day_model, rebuild in ((DocumentDay, document_days_rebuild), (SmsDay, sms_days_rebuild)):
        tables = [day_model, *(aggregate.model for aggregate in aggregates(day_model))]
        with transaction.atomic():
            for model in tables:
                cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")
            rows |= {day_model.__name__: rebuild(), **aggregates_rebuild(day_model)}
        for model in tables:
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return rows


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    setup_django()
    began = time.perf_counter()
    figures = ensure_outputs()
    print(f"documents and SMS: {figures} in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
