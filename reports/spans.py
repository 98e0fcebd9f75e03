"""Reading a roll-up over any periods: the whole calendar months of a period from its month twin
(``reports.models.MONTH_OF``), its ragged ends from the day rows — the same sums, with up to ~30×
fewer rows for a long period. Several periods (this one, the one before, a year earlier) are summed in
the same statements, one per table, each period's sums under a filter of its own.

The month twins are written with the day rows, in the same statements (``reports.rollups``), and are
rebuilt from them (``months_rebuild``): a month row is, by construction, the sum of its days."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.db.models import Model, Q, Sum
from django.db.models.functions import TruncMonth

from reports.models import MONTH_OF


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
    parts = [split(*period) if months else Split(days=(period,), months=None) for period in periods]
    result: Sums = defaultdict(lambda: [dict.fromkeys(figures, 0) for _ in periods])
    for model, filters in (
        (day_model, [_within(part.days) for part in parts]),
        (MONTH_OF[day_model], [_within([part.months] if part.months else []) for part in parts]),
    ):
        present = [(index, where) for index, where in enumerate(filters) if where is not None]
        if not present:
            continue
        sums = {
            f"{figure}_{index}": Sum(figure, filter=where) for index, where in present for figure in figures
        }
        queryset = model.objects.filter(reduce(or_, (where for _, where in present)) & (rows or Q()))
        lines = queryset.values(*by).annotate(**sums).order_by() if by else [queryset.aggregate(**sums)]
        for line in lines:
            key = tuple(line[name] for name in by)
            for index, _ in present:
                for figure in figures:
                    result[key][index][figure] += line[f"{figure}_{index}"] or 0
    return result


# Each day roll-up's keys besides the day, and its figures (by model name: a migration's historical
# models carry no attributes of ours).
COLUMNS = {
    "RequestDay": (
        ("center_id", "service_id"),
        (
            "received",
            "approved",
            "rejected",
            "decided_on_time",
            "delivered",
            "cancelled",
            "working_days",
            "fees",
        ),
    ),
    "RequestDayDuration": (("center_id", "service_id", "working_days"), ("decided",)),
    "FeeDay": (("center_id", "service_id", "fee_name_ar", "payment_method"), ("count", "amount")),
    "StepDay": (
        ("center_id", "service_id", "department_id", "employee_id"),
        ("steps_done", "steps_on_time", "working_days"),
    ),
}


def months_rebuild(day_model: type[Model], month_model: type[Model]) -> int:
    """The month twin's rows again, summed from the day rows in one statement (inside the caller's
    transaction; the models may be a migration's historical ones)."""
    keys, figures = COLUMNS[day_model.__name__]
    month_model.objects.all().delete()
    lines = (
        day_model.objects.annotate(month=TruncMonth("day"))
        .values("month", *keys)
        .annotate(**{f"{name}_sum": Sum(name) for name in figures})
        .order_by()
    )
    made = month_model.objects.bulk_create(
        (
            month_model(
                day=line["month"],
                **{key: line[key] for key in keys},
                **{name: line[f"{name}_sum"] for name in figures},
            )
            for line in lines
        ),
        batch_size=5000,
    )
    return len(made)
