"""One way to write an amount of money on every page, receipt, PDF and export: Latin digits grouped
by thousands with two decimals (1,500.50), as Egyptian offices write them, in either language."""

from decimal import Decimal

from django.utils import formats


def money(amount: Decimal | int | float | str | None) -> str:
    if amount in (None, ""):
        return ""
    return formats.number_format(Decimal(str(amount)), 2, use_l10n=True, force_grouping=True)
