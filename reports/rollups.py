"""Keeping the roll-ups (``reports.models``) current, and rebuilding them.

**In the event's own transaction**, not by a task working from a watermark: a request's history row is
written by the service that changed it, and the roll-up row of that day, center and service is raised
by the same commit (one ``INSERT … ON CONFLICT DO UPDATE`` per table), with the rows of its aggregates
(``reports.spans``: the month, the center of all services, the service of all centers). So the figures
are live — no "as of", no lag to explain — and exact under crashes: the roll-up changes if and only if
the request did. The cost is a short row lock per act on each of those rows. Those of one center are
taken by acts of that center, whose intakes already take turns on the center's receipt number; the
per-service rows (today, one service, all centers) are shared by every center, so acts on one service
in different centers wait on each other for the rest of the act's transaction — the price of a
national year's slowest services in milliseconds. A watermark over the history table would need the
commit order, which ids do not give (a transaction that started first may commit last).

``rollups_rebuild`` recomputes everything from the requests' own stored columns (submitted, decided,
delivered, cancelled, on time, working days taken, fees) and must give the very same rows; the test
suite and ``manage.py rollups_rebuild --check`` compare them.
"""

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Model, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from organisation.calendar import CAIRO
from organisation.models import Center
from reports import document_rollups, hall_rollups, sms_rollups, spans, step_rollups
from reports.kept_figures import forget_kept_figures
from reports.models import FeeDay, RequestDay, RequestDayDuration
from requests_app.models import RequestEvent, RequestFee, RequestState, ServiceRequest

DECIDED_STATES = (RequestState.APPROVED, RequestState.READY, RequestState.DELIVERED, RequestState.REJECTED)
DAY_FIGURES = spans.COLUMNS["RequestDay"][1]


def _local_day(at: datetime) -> date:
    return timezone.localdate(at, CAIRO)


def _add(model: type[Model], keys: dict, figures: dict) -> None:
    _add_rows(model, list(keys), list(figures), [[*keys.values(), *figures.values()]])


def _add_rows(model: type[Model], keys: list[str], figures: list[str], rows: list[list]) -> None:
    """Add each row's figures to the day roll-up's row its keys name (``keys[0]`` is the day) and to the
    rows of its aggregates (``reports.spans.AGGREGATED``), created at zero if missing. The keys of ``rows``
    must differ, and be of one center (an aggregate by governorate names it by the center: ``DERIVED``)."""
    statements = [_upsert(model._meta.db_table, keys, figures, rows)]
    for aggregate in spans.aggregates(model):
        kept = [keys.index(spans.source_key(key)) for key in aggregate.keys]
        sums: dict[tuple, list] = {}
        for row in rows:
            day = spans.month_start(row[0]) if aggregate.monthly else row[0]
            line = sums.setdefault((day, *(row[i] for i in kept)), [0] * len(figures))
            for index, value in enumerate(row[len(keys) :]):
                line[index] += value
        statements.append(
            _upsert(
                aggregate.model._meta.db_table,
                ["day", *aggregate.keys],
                figures,
                [[*key, *line] for key, line in sums.items()],
            )
        )
    _execute_together([statement for statement in statements if statement is not None])


def _execute_together(statements: list[tuple[str, list]]) -> None:
    """PostgreSQL runs the upserts as one statement (each but the last in a WITH: one round trip an act,
    as before the aggregates); the demo's SQLite, which has no INSERT inside WITH, one after another."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            *first, (last, last_params) = statements
            ctes = ", ".join(f"upsert_{index} AS ({sql})" for index, (sql, _) in enumerate(first))
            cursor.execute(
                f"WITH {ctes} {last}", [value for _, params in first for value in params] + last_params
            )
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


def _take_back(model: type[Model], keys: dict, figures: dict) -> None:
    """Take ``figures`` back from the rows they were added to by ``_add(model, keys, figures)``."""
    for table, kept, monthly in (
        (model, list(keys), False),
        *((a.model, ["day", *a.keys], a.monthly) for a in spans.aggregates(model)),
    ):
        where = {key: _key_value(key, keys) for key in kept}
        if monthly:
            where["day"] = spans.month_start(keys["day"])
        table.objects.filter(**where).update(**{name: F(name) - value for name, value in figures.items()})


def _key_value(key: str, keys: dict):
    """A key of an aggregate's row from its day row's keys (a derived key: the expression giving it)."""
    if key in spans.DERIVED:
        return Subquery(Center.objects.filter(pk=keys[spans.source_key(key)]).values(key))
    return keys[key]


def _upsert(table: str, keys: list[str], figures: list[str], rows: list[list]) -> tuple[str, list] | None:
    """The statement (PostgreSQL's and SQLite's) adding ``rows`` to ``table``, and its parameters. A
    derived key (``spans.DERIVED``) is given by its source's value and computed by the statement."""
    if not rows:
        return None
    columns = [*keys, *figures]
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in figures)
    one = f"({', '.join(spans.DERIVED[name].sql if name in spans.DERIVED else '%s' for name in columns)})"
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    return sql, [value for row in rows for value in row]


def _add_day(request: ServiceRequest, at: datetime, **figures) -> None:
    keys = {"day": _local_day(at), "center_id": request.center_id, "service_id": request.service_id}
    _add(RequestDay, keys, {name: figures.get(name, 0) for name in DAY_FIGURES})


def _add_fees(request: ServiceRequest) -> None:
    """The fee items of the request's terms (its RequestFee rows are made from them), one row each."""
    by_name: dict[str, list] = {}
    for fee in request.terms.get("fees", []):
        count_and_amount = by_name.setdefault(fee["name_ar"], [0, Decimal("0")])
        count_and_amount[0] += 1
        count_and_amount[1] += Decimal(fee["amount"])
    day = _local_day(request.submitted_at)
    _add_rows(
        FeeDay,
        ["day", "center_id", "service_id", "fee_name_ar", "payment_method"],
        ["count", "amount"],
        [
            [day, request.center_id, request.service_id, name, request.payment_method, count, amount]
            for name, (count, amount) in by_name.items()
        ],
    )


def request_event_recorded(event: RequestEvent) -> None:
    """Called for each new history row, inside its transaction (``reports.apps`` connects it)."""
    request = event.request
    action = event.action
    if action == RequestEvent.Action.SUBMITTED:
        _add_day(request, request.submitted_at, received=1, fees=request.fees_total)
        _add_fees(request)
    elif action in (RequestEvent.Action.APPROVED, RequestEvent.Action.REJECTED):
        rejected = action == RequestEvent.Action.REJECTED
        _add_day(
            request,
            request.completed_at,
            approved=0 if rejected else 1,
            rejected=1 if rejected else 0,
            decided_on_time=1 if request.on_time else 0,
            working_days=request.working_days_taken or 0,
        )
        _add(
            RequestDayDuration,
            {
                "day": _local_day(request.completed_at),
                "center_id": request.center_id,
                "service_id": request.service_id,
                "working_days": request.working_days_taken or 0,
            },
            {"decided": 1},
        )
    elif action == RequestEvent.Action.DELIVERED:
        _add_day(request, request.delivered_at, delivered=1)
    elif action == RequestEvent.Action.CANCELLED:
        _add_day(request, request.completed_at, cancelled=1)
    step_rollups.step_event_recorded(event)  # last: the rebuild locks StepDay last too


# Rebuilding ---------------------------------------------------------------------------------------


def _by_day(queryset, field: str, **aggregates):
    return (
        queryset.annotate(day=TruncDate(field, tzinfo=CAIRO))
        .values("day", "center_id", "service_id")
        .annotate(**aggregates)
        .order_by()
    )


def _rebuilt_days() -> dict[tuple, dict]:
    rows: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(DAY_FIGURES, 0))
    requests = ServiceRequest.objects.all()
    decided = requests.filter(state__in=DECIDED_STATES, completed_at__isnull=False)
    for line in _by_day(requests, "submitted_at", n=Count("pk"), fees=Sum("fees_total")):
        row = rows[(line["day"], line["center_id"], line["service_id"])]
        row["received"], row["fees"] = line["n"], line["fees"] or Decimal("0")
    for line in _by_day(
        decided,
        "completed_at",
        rejected=Count("pk", filter=Q(state=RequestState.REJECTED)),
        n=Count("pk"),
        on_time=Count("pk", filter=Q(on_time=True)),
        working_days=Sum("working_days_taken"),
    ):
        row = rows[(line["day"], line["center_id"], line["service_id"])]
        row["approved"], row["rejected"] = line["n"] - line["rejected"], line["rejected"]
        row["decided_on_time"], row["working_days"] = line["on_time"], line["working_days"] or 0
    for line in _by_day(requests.filter(delivered_at__isnull=False), "delivered_at", n=Count("pk")):
        rows[(line["day"], line["center_id"], line["service_id"])]["delivered"] = line["n"]
    cancelled = requests.filter(state=RequestState.CANCELLED, completed_at__isnull=False)
    for line in _by_day(cancelled, "completed_at", n=Count("pk")):
        rows[(line["day"], line["center_id"], line["service_id"])]["cancelled"] = line["n"]
    return rows


def rollups_lock(day_models=spans.DAY_ROLLUPS) -> None:
    """Lock the day roll-ups and their aggregates against the acts until the caller's transaction ends
    (in the order the acts take them); the demo's SQLite writes one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in day_models:
                for table in (model, *(aggregate.model for aggregate in spans.aggregates(model))):
                    cursor.execute(f"LOCK TABLE {table._meta.db_table} IN EXCLUSIVE MODE")


@transaction.atomic
def rollups_rebuild() -> dict[str, int]:
    """Every roll-up row again, from the requests alone; acts committing meanwhile wait for it."""
    rollups_lock()
    days = spans.rows_replace(
        RequestDay,
        (
            RequestDay(day=day, center_id=center_id, service_id=service_id, **figures)
            for (day, center_id, service_id), figures in _rebuilt_days().items()
        ),
    )
    decided = ServiceRequest.objects.filter(state__in=DECIDED_STATES, completed_at__isnull=False)
    taken = decided.annotate(
        day=TruncDate("completed_at", tzinfo=CAIRO), taken=Coalesce("working_days_taken", 0)
    )
    durations = spans.rows_replace(
        RequestDayDuration,
        (
            RequestDayDuration(
                day=line["day"],
                center_id=line["center_id"],
                service_id=line["service_id"],
                working_days=line["taken"],
                decided=line["decided"],
            )
            for line in taken.values("day", "center_id", "service_id", "taken")
            .annotate(decided=Count("pk"))
            .order_by()
        ),
    )
    fee_lines = (
        RequestFee.objects.annotate(day=TruncDate("request__submitted_at", tzinfo=CAIRO))
        .values("day", "request__center_id", "request__service_id", "name_ar", "request__payment_method")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    fees = spans.rows_replace(
        FeeDay,
        (
            FeeDay(
                day=line["day"],
                center_id=line["request__center_id"],
                service_id=line["request__service_id"],
                fee_name_ar=line["name_ar"],
                payment_method=line["request__payment_method"],
                count=line["count"],
                amount=line["amount"],
            )
            for line in fee_lines
        ),
    )
    counts = {
        "days": days,
        "durations": durations,
        "fees": fees,
        "steps": step_rollups.step_days_rebuild(),
        "documents": document_rollups.document_days_rebuild(),
        "hall": hall_rollups.hall_days_rebuild(),
        "sms": sms_rollups.sms_days_rebuild(),
    }
    for model in spans.DAY_ROLLUPS:
        counts.update(spans.aggregates_rebuild(model))
    transaction.on_commit(forget_kept_figures)  # the pages kept as counted before
    return counts


def _counted() -> list[tuple[type[Model], str, str]]:
    """Every roll-up table (the day roll-ups and their aggregates), the columns that identify and count
    its rows, and the condition of the rows that count something (a row taken back to nothing counts
    nothing)."""
    tables = []
    for model in spans.DAY_ROLLUPS:
        keys, figures = spans.COLUMNS[model.__name__]
        counting = " OR ".join(f"{name} <> 0" for name in figures)
        tables.append((model, ", ".join(["day", *keys, *figures]), counting))
        for aggregate in spans.aggregates(model):
            tables.append((aggregate.model, ", ".join(["day", *aggregate.keys, *figures]), counting))
    return tables


def rollup_snapshot() -> dict[str, list[tuple]]:
    """Every roll-up row that counts something, of every roll-up table, as plain values: to compare a
    rebuild with what the events built."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table, columns, counting in _counted():
            cursor.execute(f"SELECT {columns} FROM {table._meta.db_table} WHERE {counting}")
            snapshot[table.__name__] = sorted(
                cursor.fetchall(), key=lambda row: tuple((value is None, value) for value in row)
            )
    return snapshot


def rollups_rebuild_compared() -> tuple[dict[str, int], list[str]]:
    """``rollups_rebuild`` inside the caller's transaction, and the roll-up tables whose counting rows
    it changed, compared in the database (as many rows as there are: nothing is held in Python)."""
    tables = _counted()
    with connection.cursor() as cursor:
        for index, (table, columns, counting) in enumerate(tables):
            counted = f"SELECT {columns} FROM {table._meta.db_table} WHERE {counting}"
            cursor.execute(f"CREATE TEMP TABLE kept_{index} AS {counted}")
        counts = rollups_rebuild()
        differing = []
        for index, (table, columns, counting) in enumerate(tables):
            now = f"SELECT {columns} FROM {table._meta.db_table} WHERE {counting}"
            kept = f"SELECT {columns} FROM kept_{index}"
            cursor.execute(f"SELECT EXISTS ({now} EXCEPT {kept}) OR EXISTS ({kept} EXCEPT {now})")
            if cursor.fetchone()[0]:
                differing.append(table.__name__)
            cursor.execute(f"DROP TABLE kept_{index}")
    return counts, differing
