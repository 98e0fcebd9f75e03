"""Gapless numbers per series and year (receipts, issued documents, registered letters)."""

from django.db import transaction

from core.models import NumberSeries


def number_next(*, series: str, year: int) -> int:
    """The next number of ``series`` in ``year``. Must run inside the transaction that uses it: the row
    lock makes concurrent callers wait, and a rollback gives the number back, so there are no gaps."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next must run inside the transaction that uses the number")
    NumberSeries.objects.bulk_create([NumberSeries(series=series, year=year)], ignore_conflicts=True)
    row = NumberSeries.objects.select_for_update().get(series=series, year=year)
    row.last_number += 1
    row.save(update_fields=["last_number"])
    return row.last_number


def number_last(*, series: str, year: int) -> int:
    """The last number given (0 before the first)."""
    row = NumberSeries.objects.filter(series=series, year=year).values_list("last_number", flat=True).first()
    return row or 0
