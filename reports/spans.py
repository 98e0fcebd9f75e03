"""Reading a day roll-up over any periods, from the smallest of its aggregates that can answer.

Each day roll-up (``RequestDay``, ``RequestDayDuration``, ``FeeDay``, ``StepDay``) has aggregates: sums of
its own rows per calendar month (dated the month's first day), and for the requests' flows and working-day
histograms also per center of all services and per service of all centers (``AGGREGATED``). They are
written with the day rows, in the same statements (``reports.rollups``), and rebuilt from them
(``aggregates_rebuild``): an aggregate row is, by construction, the sum of its day rows.

A read (``summed``) takes a period's whole months from a month aggregate and its ragged ends from a day
table — each time the one with the fewest keys that still holds every field the read groups or filters by
(a governorate's year of one place's figures: its centers' twelve months of all services, ~45× fewer rows
than its days per center and service). Several periods (this one, the one before, a year earlier) are
summed in the same statements, one per table, each period's sums under a filter of its own."""

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import DateField, DecimalField, F, Model, Q, Sum
from django.db.models.functions import TruncMonth

from reports.models import (
    CenterDayDuration,
    CenterMonthDuration,
    CenterRequestDay,
    CenterRequestMonth,
    FeeDay,
    FeeMonth,
    RequestDay,
    RequestDayDuration,
    RequestMonth,
    RequestMonthDuration,
    ServiceDayDuration,
    ServiceMonthDuration,
    ServiceRequestDay,
    ServiceRequestMonth,
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
}

# Each day roll-up's aggregates: (model name, per month, the keys it keeps).
AGGREGATED = {
    "RequestDay": (
        ("RequestMonth", True, ("center_id", "service_id")),
        ("CenterRequestDay", False, ("center_id",)),
        ("CenterRequestMonth", True, ("center_id",)),
        ("ServiceRequestDay", False, ("service_id",)),
        ("ServiceRequestMonth", True, ("service_id",)),
    ),
    "RequestDayDuration": (
        ("RequestMonthDuration", True, ("center_id", "service_id", "working_days")),
        ("CenterDayDuration", False, ("center_id", "working_days")),
        ("CenterMonthDuration", True, ("center_id", "working_days")),
        ("ServiceDayDuration", False, ("service_id", "working_days")),
        ("ServiceMonthDuration", True, ("service_id", "working_days")),
    ),
    "FeeDay": (("FeeMonth", True, COLUMNS["FeeDay"][0]),),
    "StepDay": (("StepMonth", True, COLUMNS["StepDay"][0]),),
}
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
    )
}
DAY_ROLLUPS = (RequestDay, RequestDayDuration, FeeDay, StepDay)


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


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class Split:
    """A period as the day ranges of its ragged ends and the range of first days of its whole months."""

    days: tuple[tuple[date, date], ...]
    months: tuple[date, date] | None


def split(date_from: date, date_to: date) -> Split:
    first = date_from if date_from.day == 1 else _next_month(month_start(date_from))
    after = date_to + timedelta(days=1)
    end = after if after.day == 1 else month_start(date_to)  # the first day no whole month covers
    if first >= end:
        return Split(days=((date_from, date_to),) if date_from <= date_to else (), months=None)
    last = month_start(end - timedelta(days=1))
    head = ((date_from, first - timedelta(days=1)),) if date_from < first else ()
    tail = ((end, date_to),) if end <= date_to else ()
    return Split(days=head + tail, months=(first, last))


def _within(ranges: Sequence[tuple[date, date]]) -> Q | None:
    parts = [Q(day__gte=start, day__lte=end) for start, end in ranges]
    return reduce(or_, parts) if parts else None


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


def _table(day_model: type[Model], *, monthly: bool, needs: set[str]) -> type[Model]:
    """The table with the fewest keys that holds ``needs``: a month aggregate, or the day roll-up or
    one of its day aggregates."""
    keys, _ = COLUMNS[day_model.__name__]
    tables = [(day_model, keys)] if not monthly else []
    tables += [(a.model, a.keys) for a in aggregates(day_model) if a.monthly == monthly]
    fitting = [
        (len(keys), table) for table, keys in tables if needs <= {key.removesuffix("_id") for key in keys}
    ]
    if not fitting:
        if not monthly:  # (whatever else a read names, the day roll-up's own rows answer)
            return day_model
        raise LookupError(needs)
    return min(fitting, key=lambda fit: fit[0])[1]


Period = tuple[date, date]
Sums = dict[tuple, list[dict]]


def summed(
    day_model: type[Model],
    *,
    periods: Sequence[Period],
    figures: Sequence[str],
    by: Sequence[str] = (),
    rows: Q | None = None,
    months: bool = True,
) -> Sums:
    """For each value of ``by`` (the empty tuple when there is none), each period's sum of each figure:
    ``{key: [{figure: sum, …} per period]}``; a key with no row in any period is missing. One query
    for the day rows and one for the month rows (none when no period holds a whole month, or when
    ``months`` is false: then every day is read from the day rows)."""
    rows = rows or Q()
    needs = _needs([*by, *_fields(rows)])
    whole_months = months and _fits_a_month_aggregate(day_model, needs)
    parts = [split(*period) if whole_months else Split(days=(period,), months=None) for period in periods]
    result: Sums = defaultdict(lambda: [dict.fromkeys(figures, 0) for _ in periods])
    for monthly in (False, True):
        ranges = {
            index: (part.months and [part.months] or []) if monthly else list(part.days)
            for index, part in enumerate(parts)
        }
        ranges = {index: spans for index, spans in ranges.items() if spans}
        if ranges:
            model = _table(day_model, monthly=monthly, needs=needs)
            for key, sums in _read(model, ranges, figures=figures, by=by, rows=rows):
                for index, figures_summed in sums.items():
                    for figure, value in figures_summed.items():
                        result[key][index][figure] += value
    return result


def _read(model: type[Model], ranges: dict[int, list[Period]], *, figures, by, rows: Q):
    """One statement: the rows of ``model`` in any of the ranges (and in ``rows``) chosen by the ORM,
    summed per period in SQL written here (a few dozen filtered sums cost the ORM ~10 ms to build)."""
    spans = [span for spans in ranges.values() for span in spans]
    # The ranges' hull too: an index on (place, day) then reads only the days between (an OR of ranges
    # alone leaves the planner reading every day of the place).
    hull = Q(day__gte=min(start for start, _ in spans), day__lte=max(end for _, end in spans))
    chosen = model.objects.filter(hull & reduce(or_, (_within(spans) for spans in ranges.values())) & rows)
    try:
        inner, params = (
            chosen.values(*dict.fromkeys([*by, "day", *figures])).order_by().query.sql_with_params()
        )
    except EmptyResultSet:  # (a reach of no center at all)
        return
    sums, sum_params = [], []
    for index, spans in ranges.items():
        condition = " OR ".join(['("day" >= %s AND "day" <= %s)'] * len(spans))
        for figure in figures:
            sums.append(f'SUM("{figure}") FILTER (WHERE {condition}) AS "{figure}_{index}"')
            sum_params += [value for span in spans for value in span]
    keys = ", ".join(f'"{name}"' for name in by)
    sql = f"SELECT {keys + ', ' if by else ''}{', '.join(sums)} FROM ({inner}) AS chosen"
    if by:
        sql += f" GROUP BY {keys}"
    as_key = {name: _key_converter(model, name) for name in by}
    as_sum = {name: _sum_converter(model, name) for name in figures}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sum_params, *params])
        for line in cursor.fetchall():
            key = tuple(as_key[name](value) for name, value in zip(by, line, strict=False))
            values = iter(line[len(by) :])
            yield (
                key,
                {index: {figure: as_sum[figure](next(values)) for figure in figures} for index in ranges},
            )


# Python values as the ORM would give them (SQLite gives dates as text and decimal sums as floats).
# Every figure but the decimal ones (the fees) counts something: an integer.


def _key_converter(model: type[Model], name: str) -> Callable:
    field = None if "__" in name else model._meta.get_field(name)
    if isinstance(field, DateField):
        return field.to_python
    return lambda value: value


def _sum_converter(model: type[Model], name: str) -> Callable:
    field = model._meta.get_field(name)
    if isinstance(field, DecimalField):
        step = Decimal(1).scaleb(-field.decimal_places)
        return lambda value: Decimal(str(value or 0)).quantize(step)
    return lambda value: int(value or 0)  # (PostgreSQL sums a bigint as a numeric)


def _fits_a_month_aggregate(day_model: type[Model], needs: set[str]) -> bool:
    try:
        _table(day_model, monthly=True, needs=needs)
    except LookupError:
        return False
    return True


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
        model.objects.all().delete()
        source = day_model.objects.annotate(period=TruncMonth("day") if monthly else F("day"))
        lines = source.values("period", *keys).annotate(**{f"{f}_sum": Sum(f) for f in figures}).order_by()
        made[name] = len(
            model.objects.bulk_create(
                (
                    model(
                        day=line["period"],
                        **{key: line[key] for key in keys},
                        **{figure: line[f"{figure}_sum"] for figure in figures},
                    )
                    for line in lines
                ),
                batch_size=5000,
            )
        )
    return made
