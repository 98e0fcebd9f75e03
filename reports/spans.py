"""Reading a day roll-up over any periods, from the smallest of its aggregates that can answer.

Each day roll-up (``RequestDay``, ``RequestDayDuration``, ``FeeDay``, ``StepDay``, ``DocumentDay``,
``SmsDay``) has aggregates: sums of its own rows per calendar month (dated the month's first day), for
the requests' flows and working-day histograms also per center of all services and per service of all
centers, and for the steps per department of a center, all services and employees together
(``AGGREGATED``). They are written with the day rows, in the same statements (``reports.rollups``), and
rebuilt from them (``aggregates_rebuild``): an aggregate row is, by construction, the sum of its day rows.

A read (``summed``) takes a period's months from a month aggregate and its ragged ends from a day table —
each time the one with the fewest keys that still holds every field the read groups or filters by (a
governorate's year of one place's figures: its centers' twelve months of all services, ~45× fewer rows
than its days per center and service). A month mostly inside the period is read whole, less its few days
outside it (``split``): the last 30 days are then two months less five days, not 25 days and five. Several
periods (this one, the one before, a year earlier) are summed in one statement over both tables, each
period's sums under a filter of its own."""

from calendar import monthrange
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import DateField, DecimalField, F, Model, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from reports.models import (
    CenterDayDuration,
    CenterHallWaitDay,
    CenterHallWaitMonth,
    CenterMonthDuration,
    CenterRequestDay,
    CenterRequestMonth,
    DepartmentStepDay,
    DepartmentStepMonth,
    DocumentDay,
    DocumentMonth,
    FeeDay,
    FeeMonth,
    GovernorateDayDuration,
    GovernorateMonthDuration,
    GovernorateRequestDay,
    GovernorateRequestMonth,
    GovernorateServiceDayDuration,
    GovernorateServiceMonthDuration,
    HallTicketDay,
    HallTicketMonth,
    HallWaitDay,
    HourHallWaitMonth,
    QueueHallWaitMonth,
    RequestDay,
    RequestDayDuration,
    RequestMonth,
    RequestMonthDuration,
    ServiceDayDuration,
    ServiceMonthDuration,
    ServiceRequestDay,
    ServiceRequestMonth,
    SmsDay,
    SmsMonth,
    StepDay,
    StepMonth,
)

FLOWS = (
    "received",
    "approved",
    "rejected",
    "decided_on_time",
    "delivered",
    "cancelled",
    "working_days",
    "fees",
)

# Each day roll-up's keys besides the day, and its figures (by model name: a migration's historical
# models carry no attributes of ours).
COLUMNS = {
    "RequestDay": (("center_id", "service_id"), FLOWS),
    "RequestDayDuration": (("center_id", "service_id", "working_days"), ("decided",)),
    "FeeDay": (("center_id", "service_id", "fee_name_ar", "payment_method"), ("count", "amount")),
    "StepDay": (
        ("center_id", "service_id", "department_id", "employee_id"),
        ("steps_done", "steps_on_time", "working_days"),
    ),
    "DocumentDay": (("center_id", "kind"), ("issued", "revoked")),
    "SmsDay": (("center_id", "subject", "confidential"), ("queued", "sent", "parts", "failed")),
    "HallTicketDay": (
        ("center_id", "queue_id", "hour"),
        ("issued", "waited", "wait_seconds", "served", "no_shows"),
    ),
    "HallWaitDay": (("center_id", "queue_id", "hour", "minutes"), ("waited",)),
}

# Each day roll-up's aggregates: (model name, per month, the keys it keeps).
AGGREGATED = {
    "RequestDay": (
        ("RequestMonth", True, ("center_id", "service_id")),
        ("CenterRequestDay", False, ("center_id",)),
        ("CenterRequestMonth", True, ("center_id",)),
        ("ServiceRequestDay", False, ("service_id",)),
        ("ServiceRequestMonth", True, ("service_id",)),
        ("GovernorateRequestDay", False, ("governorate_id", "service_id")),
        ("GovernorateRequestMonth", True, ("governorate_id", "service_id")),
    ),
    "RequestDayDuration": (
        ("RequestMonthDuration", True, ("center_id", "service_id", "working_days")),
        ("CenterDayDuration", False, ("center_id", "working_days")),
        ("CenterMonthDuration", True, ("center_id", "working_days")),
        ("ServiceDayDuration", False, ("service_id", "working_days")),
        ("ServiceMonthDuration", True, ("service_id", "working_days")),
        ("GovernorateServiceDayDuration", False, ("governorate_id", "service_id", "working_days")),
        ("GovernorateServiceMonthDuration", True, ("governorate_id", "service_id", "working_days")),
        ("GovernorateDayDuration", False, ("governorate_id", "working_days")),
        ("GovernorateMonthDuration", True, ("governorate_id", "working_days")),
    ),
    "FeeDay": (("FeeMonth", True, COLUMNS["FeeDay"][0]),),
    "StepDay": (
        ("StepMonth", True, COLUMNS["StepDay"][0]),
        ("DepartmentStepDay", False, ("center_id", "department_id")),
        ("DepartmentStepMonth", True, ("center_id", "department_id")),
    ),
    "DocumentDay": (("DocumentMonth", True, COLUMNS["DocumentDay"][0]),),
    "SmsDay": (("SmsMonth", True, COLUMNS["SmsDay"][0]),),
    "HallTicketDay": (("HallTicketMonth", True, COLUMNS["HallTicketDay"][0]),),
    "HallWaitDay": (
        ("QueueHallWaitMonth", True, ("center_id", "queue_id", "minutes")),
        ("HourHallWaitMonth", True, ("center_id", "hour", "minutes")),
        ("CenterHallWaitDay", False, ("center_id", "minutes")),
        ("CenterHallWaitMonth", True, ("center_id", "minutes")),
    ),
}


@dataclass(frozen=True)
class Derived:
    """A key an aggregate has that its day rows do not, given by one of theirs."""

    source: str  # the day row's key it follows from
    lookup: str  # the ORM's path to it from a day row
    sql: str  # the SQL giving it from the source's value (the %s)


# The governorate of the row's center (centers do not move between governorates; a rebuild follows
# them if one ever does).
DERIVED = {
    "governorate_id": Derived(
        "center_id",
        "center__governorate_id",
        "(SELECT governorate_id FROM organisation_center WHERE id = %s)",
    )
}


def source_key(key: str) -> str:
    """The day row's key that gives an aggregate's ``key`` (itself, unless it is derived)."""
    return DERIVED[key].source if key in DERIVED else key


MODELS = {
    model.__name__: model
    for model in (
        RequestDay,
        RequestMonth,
        CenterRequestDay,
        CenterRequestMonth,
        ServiceRequestDay,
        ServiceRequestMonth,
        RequestDayDuration,
        RequestMonthDuration,
        CenterDayDuration,
        CenterMonthDuration,
        ServiceDayDuration,
        ServiceMonthDuration,
        FeeDay,
        FeeMonth,
        StepDay,
        StepMonth,
        DepartmentStepDay,
        DepartmentStepMonth,
        GovernorateRequestDay,
        GovernorateRequestMonth,
        GovernorateServiceDayDuration,
        GovernorateServiceMonthDuration,
        GovernorateDayDuration,
        GovernorateMonthDuration,
        DocumentDay,
        DocumentMonth,
        SmsDay,
        SmsMonth,
        HallTicketDay,
        HallTicketMonth,
        HallWaitDay,
        QueueHallWaitMonth,
        HourHallWaitMonth,
        CenterHallWaitDay,
        CenterHallWaitMonth,
    )
}
# In the order an act takes them (an approval's document is issued after its request's history row, and
# the SMS queued last; a hall ticket's acts take the hall's alone).
DAY_ROLLUPS = (
    HallTicketDay,
    HallWaitDay,
    RequestDay,
    RequestDayDuration,
    FeeDay,
    StepDay,
    DocumentDay,
    SmsDay,
)


@dataclass(frozen=True)
class Aggregate:
    model: type[Model]
    monthly: bool
    keys: tuple[str, ...]


def aggregates(day_model: type[Model]) -> tuple[Aggregate, ...]:
    return tuple(
        Aggregate(MODELS[name], monthly, keys) for name, monthly, keys in AGGREGATED[day_model.__name__]
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def _next_month(first: date) -> date | None:
    """The first day of the month after ``first``'s (None after the calendar's last month)."""
    end = month_end(first)
    return end + timedelta(days=1) if end < date.max else None


def months_of(date_from: date, date_to: date) -> list[tuple[date, date]]:
    """The period cut at the months' ends: its days in each month it touches."""
    parts = []
    month: date | None = month_start(date_from)
    while month is not None and month <= date_to:
        parts.append((max(month, date_from), min(month_end(month), date_to)))
        month = _next_month(month)
    return parts


@dataclass(frozen=True)
class Split:
    """A period as the range of first days of the months read whole (``months``), the day ranges read
    besides (``days``), and the day ranges of those months that lie outside the period, subtracted
    (``less``): a month's row is the sum of its days, so a month less a few days is the rest of it."""

    days: tuple[tuple[date, date], ...]
    months: tuple[date, date] | None
    less: tuple[tuple[date, date], ...] = ()


def _days_with_rows(ranges, today: date | None) -> int:
    """Days of ``ranges`` that can hold rows (none after ``today``: a roll-up day has happened)."""
    return sum(max((min(end, today or end) - start).days + 1, 0) for start, end in ranges)


def split(date_from: date, date_to: date, today: date | None = None) -> Split:
    """Each month the period touches is read whole when it lies inside the period, or when the days of
    it outside the period (to be subtracted) are fewer than those inside (to be read one by one);
    otherwise its days in the period are read. Days after ``today`` hold no rows: they cost nothing.
    The months read whole are always consecutive (only a first or last month can be partial)."""
    if date_from > date_to:
        return Split(days=(), months=None)
    days, less, months = [], [], []
    month: date | None = month_start(date_from)
    while month is not None and month <= date_to:
        end_of_month = month_end(month)
        inside = (max(month, date_from), min(end_of_month, date_to))
        outside: tuple[Period, ...] = ()
        if inside[0] > month:
            outside += ((month, inside[0] - timedelta(days=1)),)
        if inside[1] < end_of_month:
            outside += ((inside[1] + timedelta(days=1), end_of_month),)
        if not outside or _days_with_rows(outside, today) < _days_with_rows((inside,), today):
            months.append(month)
            less += outside
        else:
            days.append(inside)
        month = _next_month(month)
    return Split(days=tuple(days), months=(months[0], months[-1]) if months else None, less=tuple(less))


def _fields(q: Q) -> Iterator[str]:
    for child in q.children:
        if isinstance(child, Q):
            yield from _fields(child)
        elif isinstance(child, tuple):
            yield child[0]
        else:  # an expression (Exists …): whatever it reads, only the day roll-up's own rows have it
            yield "?"


def _needs(names) -> set[str]:
    """The roll-up columns that lookups or groupings name (``center__governorate`` needs ``center``)."""
    return {name.split("__")[0].removesuffix("_id") for name in names} - {"day"}


Choices = list[tuple[Q, set[str]]]


def _table(day_model: type[Model], *, monthly: bool, choices: Choices) -> tuple[type[Model], Q]:
    """The table with the fewest keys that holds what one of ``choices`` needs — the same rows named in
    different ways (by centers, by governorates), each with the columns it names — and those rows: a
    month aggregate, or the day roll-up or one of its day aggregates. On a tie, the later choice (rows
    named by larger places: fewer of them)."""
    keys, _ = COLUMNS[day_model.__name__]
    tables = [(day_model, keys)] if not monthly else []
    tables += [(a.model, a.keys) for a in aggregates(day_model) if a.monthly == monthly]
    fitting = [
        (len(keys), -rank, table, rows)
        for rank, (rows, needs) in enumerate(choices)
        for table, keys in tables
        if needs <= {key.removesuffix("_id") for key in keys}
    ]
    if not fitting:
        if not monthly:  # (whatever else a read names, the day roll-up's own rows answer)
            return day_model, choices[0][0]
        raise LookupError(choices[0][1])
    _, _, table, rows = min(fitting, key=lambda fit: fit[:2])
    return table, rows


Period = tuple[date, date]
Sums = dict[tuple, list[dict]]
# Per (period's index, +1 or -1): the ranges of days (or of months' first days) added or subtracted.
Signed = dict[tuple[int, int], list[Period]]
# Ranges of days closer than this are read as one (the days between cost less than another branch).
MERGE_GAP = timedelta(days=7)


def summed(
    day_model: type[Model],
    *,
    periods: Sequence[Period],
    figures: Sequence[str],
    by: Sequence[str] = (),
    rows: Q | None = None,
    places: Q | None = None,
    months: bool = True,
) -> Sums:
    """For each value of ``by`` (the empty tuple when there is none), each period's sum of each figure:
    ``{key: [{figure: sum, …} per period]}``; a key with nothing in any period is missing. One
    statement over a day table and a month table (the day table alone when no month is read whole, or
    when ``months`` is false: then every day is read from the day rows)."""
    rows = rows or Q()
    choices = [(rows, _needs([*by, *_fields(rows)]))]
    if places is not None:  # the same rows named by governorates: the governorates' aggregates can answer
        choices.append((places, _needs([*by, *_fields(places)])))
    whole_months = months and _fits_a_month_aggregate(day_model, choices)
    today = timezone.localdate()
    parts = [
        split(*period, today) if whole_months else Split(days=(period,), months=None) for period in periods
    ]
    reads = []
    for monthly in (False, True):
        signed: Signed = {}
        for index, part in enumerate(parts):
            added = (part.months and [part.months] or []) if monthly else list(part.days)
            less = [] if monthly else list(part.less)
            signed |= {(index, sign): spans for sign, spans in ((1, added), (-1, less)) if spans}
        if signed:
            reads.append((*_table(day_model, monthly=monthly, choices=choices), signed))
    value_of = {figure: _sum_converter(day_model, figure) for figure in figures}
    zero = {figure: value_of[figure](None) for figure in figures}  # (a decimal figure's zero has places)
    result: Sums = defaultdict(lambda: [dict(zero) for _ in periods])
    entries = sorted({entry for _, _, signed in reads for entry in signed})
    # Where each column of the statement goes: (period's index, sign, figure, its Python value).
    plan = [(index, sign, figure, value_of[figure]) for index, sign in entries for figure in figures]
    for key, values in _read(reads, entries, figures=figures, by=by) if reads else ():
        sums = result[key]
        for (index, sign, figure, python), value in zip(plan, values, strict=True):
            if value:
                sums[index][figure] += sign * python(value)
    # (a key whose days were all subtracted again, read only around the period, has no row in it)
    return {key: sums for key, sums in result.items() if any(any(figures.values()) for figures in sums)}


def _read(reads: list[tuple[type[Model], Q, Signed]], entries: list[tuple[int, int]], *, figures, by):
    """One statement over the tables of ``reads`` (a day table and a month table): the rows of each in
    any of its ranges (and in ``rows``) chosen by the ORM, summed per period and sign in SQL written
    here (a few dozen filtered sums cost the ORM ~10 ms to build). Yields each key with its sums, per
    entry (period and sign) and figure, as the database gives them."""
    columns = list(dict.fromkeys([*by, "day", *figures]))
    whole = {f for f in figures if not isinstance(reads[0][0]._meta.get_field(f), DecimalField)}
    names = ", ".join(f'"{name}"' for name in columns)
    selects, params = [], []
    for part, (model, rows, signed) in enumerate(reads):
        try:
            inner, inner_params = (
                model.objects.filter(rows).values(*columns).order_by().query.sql_with_params()
            )
        except EmptyResultSet:  # (a reach of no center at all)
            return
        # One branch per stretch of days read (the ranges merged: each row is read once, whichever
        # periods count it), so that an index on (place, day) reads only those days — one range from the
        # first day to the last would read a year between last year's days and this year's.
        for start, end in _merged([span for spans in signed.values() for span in spans]):
            selects.append(
                f"SELECT {part} AS part, {names} FROM ({inner}) AS rows_{len(selects)}"
                ' WHERE "day" >= %s AND "day" <= %s'
            )
            params += [*inner_params, start, end]
    sums, sum_params = [], []
    for number, entry in enumerate(entries):
        conditions, condition_params = [], []
        for part, (_, _, signed) in enumerate(reads):
            if entry in signed:
                ranges = " OR ".join(['("day" >= %s AND "day" <= %s)'] * len(signed[entry]))
                conditions.append(f'("part" = {part} AND ({ranges}))')
                condition_params += [value for span in signed[entry] for value in span]
        condition = " OR ".join(conditions)
        for figure in figures:
            total = f'SUM("{figure}") FILTER (WHERE {condition})'
            if figure in whole:  # a bigint, not the numeric PostgreSQL sums integers to: no Decimal per value
                total = f"CAST({total} AS bigint)"
            sums.append(f'{total} AS "{figure}_{number}"')
            sum_params += condition_params
    keys = ", ".join(f'"{name}"' for name in by)
    sql = (
        f"SELECT {keys + ', ' if by else ''}{', '.join(sums)} FROM ({' UNION ALL '.join(selects)}) AS chosen"
    )
    if by:
        sql += f" GROUP BY {keys}"
    as_key = [_key_converter(reads[0][0], name) for name in by]
    width = len(by)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sum_params, *params])
        if not any(as_key):  # (no date among the keys: they are as the database gives them)
            for line in cursor.fetchall():
                yield line[:width], line[width:]
            return
        for line in cursor.fetchall():
            keys = zip(as_key, line, strict=False)
            yield tuple(key_of(value) if key_of else value for key_of, value in keys), line[width:]


def _merged(spans: list[Period]) -> list[Period]:
    """The days of ``spans`` as few ranges, each read once: overlapping ranges, and ranges less than
    ``MERGE_GAP`` apart, are one."""
    merged: list[Period] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + MERGE_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# Python values as the ORM would give them (SQLite gives dates as text and decimal sums as floats).
# Every figure but the decimal ones (the fees) counts something: an integer.


def _key_converter(model: type[Model], name: str) -> Callable | None:
    """How a key's value becomes Python's (None: as the database gives it)."""
    field = None if "__" in name else model._meta.get_field(name)
    if isinstance(field, DateField):
        return field.to_python
    return None


def _sum_converter(model: type[Model], name: str) -> Callable:
    field = model._meta.get_field(name)
    if isinstance(field, DecimalField):
        step = Decimal(1).scaleb(-field.decimal_places)
        return lambda value: Decimal(str(value or 0)).quantize(step)
    return lambda value: value or 0  # (``_read`` casts the sums of integers back to bigint)


def _fits_a_month_aggregate(day_model: type[Model], choices: Choices) -> bool:
    try:
        _table(day_model, monthly=True, choices=choices)
    except LookupError:
        return False
    return True


def rows_replace(model: type[Model], rows: Iterable[Model]) -> int:
    """Every row of ``model`` replaced by ``rows`` (inside the caller's transaction), written day by day
    as the acts write them, so that a center's days lie together on disk (in the order of a GROUP BY, a
    day's rows would be spread over the table). Returns how many were written."""
    model.objects.all().delete()
    ordered = sorted(rows, key=lambda row: (row.day, getattr(row, "center_id", 0)))
    return len(model.objects.bulk_create(ordered, batch_size=5000))


def aggregates_rebuild(
    day_model: type[Model],
    get_model: Callable[[str], type[Model]] | None = None,
    *,
    only: set[str] | None = None,
) -> dict:
    """Every aggregate of ``day_model`` (or those named in ``only``) again, summed from its day rows in
    one statement each (inside the caller's transaction; ``get_model`` gives a migration's historical
    models by name)."""
    get_model = get_model or MODELS.__getitem__
    _, figures = COLUMNS[day_model.__name__]
    made = {}
    for name, monthly, keys in AGGREGATED[day_model.__name__]:
        if only is not None and name not in only:
            continue
        model = get_model(name)
        source = day_model.objects.annotate(
            period=TruncMonth("day") if monthly else F("day"),
            # (a derived key: the governorate of the day row's center)
            **{key: F(DERIVED[key].lookup) for key in keys if key in DERIVED},
        )
        lines = source.values("period", *keys).annotate(**{f"{f}_sum": Sum(f) for f in figures}).order_by()
        made[name] = rows_replace(
            model,
            (
                model(
                    day=line["period"],
                    **{key: line[key] for key in keys},
                    **{figure: line[f"{figure}_sum"] for figure in figures},
                )
                for line in lines
            ),
        )
    return made


@contextmanager
def serial_reads() -> Iterator[None]:
    """Reads of the roll-ups in one transaction, without PostgreSQL's parallel workers: each statement
    reads a few thousand roll-up rows, and starting two workers cost more than it saved (a center's hall
    waits over 30 days at 10 million requests: 8.6 ms with workers, 3.9 ms without, on the 2-core machine;
    the center page's SQL, 75 ms → 30 ms).
    The setting is the transaction's own and put back after, should the caller's transaction go on; the
    heavy counts elsewhere (the backlog, the exports) keep the workers."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        setting = "max_parallel_workers_per_gather"
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s), set_config(%s, '0', true)", [setting, setting])
            (before, _), *_ = cursor.fetchall()
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, before])
