"""A center's daily cash sheet: what its windows took on one day, per clerk and per fee item, and whether
the treasury's roll-up (``FeeDay``, what the dashboards and exports read) matches the windows' own
records — each request's fees as taken (``RequestFee``) and its receipt total (``fees_total``) — to the
piaster. Bounded by one center's one day, whatever the history."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum

from organisation.models import Center
from reports.dashboards import day_bounds
from reports.models import FeeDay
from requests_app.models import PaymentMethod, RequestFee, RequestState, ServiceRequest

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ItemLine:
    fee_name_ar: str
    payment_method: str
    windows_count: int
    windows_amount: Decimal
    rollup_count: int
    rollup_amount: Decimal

    @property
    def matches(self) -> bool:
        return (self.windows_count, self.windows_amount) == (self.rollup_count, self.rollup_amount)

    @property
    def payment(self) -> str:
        return str(PaymentMethod(self.payment_method).label)


@dataclass(frozen=True)
class CashSheet:
    center: Center
    day: date
    by_clerk: list[dict]  # name, requests, cash, epayment, total
    items: list[ItemLine]
    receipts: dict  # first, last, count, cancelled
    receipts_total: Decimal  # the sum of the receipts' totals (fees_total)
    items_total: Decimal  # the sum of the fee items as taken (RequestFee)
    rollup_total: Decimal  # the sum of the treasury's roll-up (FeeDay)
    cash_total: Decimal
    epayment_total: Decimal

    @property
    def balanced(self) -> bool:
        return self.receipts_total == self.items_total == self.rollup_total and all(
            line.matches for line in self.items
        )


def cash_sheet(*, center: Center, day: date) -> CashSheet:
    start, end = day_bounds(day, day)
    taken = ServiceRequest.objects.filter(center=center, submitted_at__gte=start, submitted_at__lt=end)
    clerks = (
        taken.values("taken_by", "taken_by__full_name", "taken_by__username")
        .annotate(
            requests=Count("pk"),
            cash=Sum("fees_total", filter=Q(payment_method=PaymentMethod.CASH)),
            epayment=Sum("fees_total", filter=Q(payment_method=PaymentMethod.EPAYMENT)),
            total=Sum("fees_total"),
        )
        .order_by("taken_by__full_name", "taken_by__username")
    )
    receipts = taken.aggregate(
        first=Min("receipt_number"),
        last=Max("receipt_number"),
        count=Count("pk"),
        cancelled=Count("pk", filter=Q(state=RequestState.CANCELLED)),
        total=Sum("fees_total"),
    )
    windows = {
        (row["name_ar"], row["request__payment_method"]): (row["n"], row["amount"])
        for row in RequestFee.objects.filter(
            request__center=center, request__submitted_at__gte=start, request__submitted_at__lt=end
        )
        .values("name_ar", "request__payment_method")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    }
    rollup = {
        (row["fee_name_ar"], row["payment_method"]): (row["n"], row["amount"])
        for row in FeeDay.objects.filter(center=center, day=day)
        .values("fee_name_ar", "payment_method")
        .annotate(n=Sum("count"), amount=Sum("amount"))
        .order_by()
    }
    items = [
        ItemLine(
            name, method, *windows.get((name, method), (0, ZERO)), *rollup.get((name, method), (0, ZERO))
        )
        for name, method in sorted(set(windows) | set(rollup))
    ]
    by_clerk = [
        {
            "name": c["taken_by__full_name"] or c["taken_by__username"],
            "requests": c["requests"],
            "cash": c["cash"] or ZERO,
            "epayment": c["epayment"] or ZERO,
            "total": c["total"] or ZERO,
        }
        for c in clerks
    ]
    return CashSheet(
        center=center,
        day=day,
        by_clerk=by_clerk,
        items=items,
        receipts={key: receipts[key] for key in ("first", "last", "count", "cancelled")},
        receipts_total=receipts["total"] or ZERO,
        items_total=sum((line.windows_amount for line in items), ZERO),
        rollup_total=sum((line.rollup_amount for line in items), ZERO),
        cash_total=sum((c["cash"] for c in by_clerk), ZERO),
        epayment_total=sum((c["epayment"] for c in by_clerk), ZERO),
    )
