"""The rest of what a dashboard shows, counted straight from the tables it comes from (for dashboards.py).

``dashboards.py``'s straight aggregate gives a page's request KPIs in one pass over the requests and its
live figures as the page reads them. A page shows more, read from the roll-ups too: the time per
department step (governorate and center pages), the building-violation cases, the documents issued and
revoked by kind, the SMS queued, sent, their parts and failures, and the hall's tickets and waits — each
beside the period before. Here each of those is one statement over its own table (the steps, the
documents, the messages, the tickets), with the definitions of the roll-ups' rebuild (``reports.*_rollups``)
and the same slices as the page: what a dashboard without roll-ups would have to run.

The complaints and letters are left out on both sides' accounts: the page counts them straight itself.
The open requests' panel (overdue, at risk, by age) is a snapshot on the page and only its overdue count
is in the live part."""

from dataclasses import dataclass

DECIDED = ("approved", "ready", "delivered", "rejected")
OPEN = ("submitted", "in_review", "awaiting_citizen")
SENT = ("sent", "delivered")


@dataclass(frozen=True)
class Place:
    """A page's centers as a condition on any table's center column."""

    template: str  # with {col}

    def on(self, column: str) -> str:
        return self.template.format(col=column)


def _in(column: str, period: int) -> str:
    return f"({column} >= %(a{period})s AND {column} < %(b{period})s)"


def _issued_in(period: int) -> str:
    return f"(d.issued_on >= %(d{period})s AND d.issued_on <= %(e{period})s)"


def steps_sql(place: Place) -> str:
    """Steps finished in the period per kind of department: done, on time, working days."""
    return f"""
SELECT dep.department_type_id, count(*), count(*) FILTER (WHERE s.completed_at <= s.due_at),
       coalesce(sum(s.working_days_taken), 0)
FROM requests_app_requeststep s
JOIN requests_app_servicerequest r ON r.id = s.request_id
JOIN organisation_department dep ON dep.id = s.department_id
WHERE {place.on("r.center_id")} AND s.status = 'done' AND {_in("s.completed_at", 0)}
GROUP BY 1"""


def violations_sql(place: Place) -> str:
    """Per violations service: received, decided, on time and median working days in the period and the
    period before, and open now."""
    figures = []
    for period in (0, 1):
        decided = f"r.state IN {DECIDED} AND {_in('r.completed_at', period)}"
        figures += [
            f"count(*) FILTER (WHERE {_in('r.submitted_at', period)})",
            f"count(*) FILTER (WHERE {decided})",
            f"count(*) FILTER (WHERE {decided} AND r.on_time)",
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY coalesce(r.working_days_taken, 0))"
            f" FILTER (WHERE {decided})",
        ]
    return f"""
SELECT r.service_id, {", ".join(figures)}, count(*) FILTER (WHERE r.state IN {OPEN})
FROM requests_app_servicerequest r
WHERE {place.on("r.center_id")} AND r.service_id = ANY(%(violations)s)
  AND (r.submitted_at >= %(a1)s OR r.completed_at >= %(a1)s OR r.state IN {OPEN})
GROUP BY 1"""


def documents_sql(place: Place) -> str:
    """Documents issued (on their day) and revoked (on the Cairo day), by kind, in both periods."""
    figures = []
    for period in (0, 1):
        figures += [
            f"count(*) FILTER (WHERE {_issued_in(period)})",
            f"count(*) FILTER (WHERE {_in('d.revoked_at', period)})",
        ]
    return f"""
SELECT d.kind, {", ".join(figures)}
FROM documents_issueddocument d
WHERE {place.on("d.center_id")} AND (d.issued_on >= %(d1)s OR d.revoked_at >= %(a1)s)
GROUP BY 1"""


def sms_sql(place: Place, *, national: bool) -> str:
    """The messages queued in both periods about a request, a complaint or a hall ticket of the place:
    queued, sent, the parts of those sent, failed (the national roles never count a staff-conduct
    complaint's)."""
    figures = []
    for period in (0, 1):
        queued = _in("m.created_at", period)
        figures += [
            f"count(*) FILTER (WHERE {queued})",
            f"count(*) FILTER (WHERE {queued} AND m.status IN {SENT})",
            f"coalesce(sum(m.parts) FILTER (WHERE {queued} AND m.status IN {SENT}), 0)",
            f"count(*) FILTER (WHERE {queued} AND m.status = 'failed')",
        ]
    subjects = [
        ("requests_app_servicerequest", "%(type_request)s", ""),
        ("complaints_complaint", "%(type_complaint)s", " AND NOT x.confidential" if national else ""),
        ("hall_ticket", "%(type_ticket)s", ""),
    ]
    branches = [
        f"SELECT m.status, m.parts, m.created_at FROM notifications_smsmessage m"
        f" JOIN {table} x ON x.id = m.subject_id"
        f" WHERE m.subject_type_id = {type_id} AND {place.on('x.center_id')}{extra}"
        " AND m.created_at >= %(a1)s AND m.created_at < %(b0)s"
        for table, type_id, extra in subjects
    ]
    return f"SELECT {', '.join(figures)} FROM ({' UNION ALL '.join(branches)}) AS m"


def hall_sql(place: Place, *, lines: tuple[str, ...]) -> str:
    """The tickets taken in the period, per line (a center's queues and hours, a governorate's centers)
    and in all: issued, waited, mean wait, 90th percentile of the whole minutes, served, no-shows; and the
    period before's total."""
    seconds = "floor(round(extract(epoch FROM t.first_called_at - t.issued_at) * 1000) / 1000)"
    called = "t.first_called_at IS NOT NULL"
    figures = (
        f"count(*), count(*) FILTER (WHERE {called}), avg({seconds}) FILTER (WHERE {called}),"
        f" percentile_cont(0.9) WITHIN GROUP (ORDER BY floor({seconds} / 60)) FILTER (WHERE {called}),"
        " count(*) FILTER (WHERE t.state = 'done'), count(*) FILTER (WHERE t.state = 'no_show')"
    )
    sets = ", ".join([*(f"({line})" for line in lines), "()"])
    hour = "extract(hour FROM issued_at AT TIME ZONE 'Africa/Cairo')"
    return f"""
SELECT 'now', {", ".join(f"{line}::text" for line in lines) or "NULL"}, {figures}
FROM (SELECT *, {hour} AS hour FROM hall_ticket) t
WHERE {place.on("t.center_id")} AND t.day >= %(d0)s AND t.day <= %(e0)s
GROUP BY GROUPING SETS ({sets})
UNION ALL
SELECT 'before', {", ".join("NULL" for _ in lines) or "NULL"}, {figures}
FROM hall_ticket t
WHERE {place.on("t.center_id")} AND t.day >= %(d1)s AND t.day <= %(e1)s"""


HALL_LINES = {"governorate": ("t.center_id",), "center": ("t.issued_queue_id", "t.hour"), "national": ()}


def statements(page: str, place: Place) -> list[tuple[str, str]]:
    """The page's other figures: (label, SQL) in the order the page shows them."""
    found = []
    if page != "national":
        found.append(("steps", steps_sql(place)))
    found += [
        ("violations", violations_sql(place)),
        ("documents", documents_sql(place)),
        ("SMS", sms_sql(place, national=page == "national")),
        ("hall", hall_sql(place, lines=HALL_LINES[page])),
    ]
    return found


def params() -> dict:
    """What the statements name besides the periods: the violations services, the subjects' types."""
    from django.contrib.contenttypes.models import ContentType

    from services.models import Service

    def type_of(app_label: str, model: str) -> int:
        return ContentType.objects.get(app_label=app_label, model=model).pk

    return {
        "violations": list(Service.objects.filter(category__code="VIOL").values_list("pk", flat=True)),
        "type_request": type_of("requests_app", "servicerequest"),
        "type_complaint": type_of("complaints", "complaint"),
        "type_ticket": type_of("hall", "ticket"),
    }
