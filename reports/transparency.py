"""The public transparency page's figures: per center (under its governorate) and per service, the
decided requests, the on-time rate and the median processing time over the last 90 days ending
yesterday — the KPIs of ``reports.kpis``, built per group from two grouped queries over the roll-ups
(one per table), so the cost follows centers × services × days, never the number of requests.

Nothing on it names a person. A group of fewer than ``SMALL_COUNT`` decisions shows neither its count
nor its figures (a rate of 0 % or 100 % on one to four requests tells who was served late). A center's
total is withheld too when the center's small groups add up to fewer than ``SMALL_COUNT`` decisions:
the total minus the lines shown would otherwise give them away."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import groupby

from django.db.models import Q, Sum

from organisation.models import Center, Governorate
from reports.kpis import COUNTS, RequestKpis
from reports.models import RequestDay, RequestDayDuration
from services.models import Service

PERIOD_DAYS = 90
SMALL_COUNT = 5


def transparency_period(today: date) -> tuple[date, date]:
    """The last ``PERIOD_DAYS`` days ending yesterday (both ends included)."""
    date_to = today - timedelta(days=1)
    return date_to - timedelta(days=PERIOD_DAYS - 1), date_to


class Shown(StrEnum):
    FIGURES = "figures"
    SMALL = "small"  # fewer than SMALL_COUNT decisions
    WITHHELD = "withheld"  # a center total that would give a small group away


@dataclass(frozen=True)
class Line:
    kpis: RequestKpis
    shown: Shown
    service: Service | None = None  # None: the center's total

    @property
    def on_time_percent(self) -> float | None:
        rate = self.kpis.on_time_rate
        return None if rate is None else rate * 100


@dataclass(frozen=True)
class CenterLines:
    center: Center
    services: list[Line]
    total: Line


@dataclass(frozen=True)
class GovernorateCenters:
    governorate: Governorate
    centers: list[CenterLines]


@dataclass(frozen=True)
class TransparencyTable:
    date_from: date
    date_to: date
    governorates: list[GovernorateCenters]

    @property
    def any_withheld(self) -> bool:
        return any(lines.total.shown == Shown.WITHHELD for gov in self.governorates for lines in gov.centers)


def _shown(kpis: RequestKpis) -> Shown:
    return Shown.FIGURES if kpis.decided >= SMALL_COUNT else Shown.SMALL


def _kpis(sums: dict, durations: Counter) -> RequestKpis:
    return RequestKpis(
        **{name: sums[name] or 0 for name in COUNTS},
        fees=sums["fees"] or Decimal("0"),
        durations=tuple(sorted((days, n) for days, n in durations.items() if n)),
    )


def transparency_table(*, date_from: date, date_to: date) -> TransparencyTable:
    """Every center and service with at least one decision in the period: four queries (the two
    roll-up tables grouped by center and service, then the centers' and services' names)."""
    period = Q(day__gte=date_from, day__lte=date_to)
    sums = {}
    for row in (
        RequestDay.objects.filter(period)
        .values("center_id", "service_id")
        .annotate(**{name: Sum(name) for name in COUNTS}, fees=Sum("fees"))
        .order_by()
    ):
        sums[row.pop("center_id"), row.pop("service_id")] = row
    durations: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for center_id, service_id, days, n in (
        RequestDayDuration.objects.filter(period)
        .values_list("center_id", "service_id", "working_days")
        .annotate(n=Sum("decided"))
        .order_by()
    ):
        durations[center_id, service_id][days] += n

    by_center: dict[int, dict[int, RequestKpis]] = defaultdict(dict)
    for (center_id, service_id), row in sums.items():
        by_center[center_id][service_id] = _kpis(row, durations[center_id, service_id])
    by_center = {
        center_id: groups
        for center_id, groups in by_center.items()
        if any(kpis.decided for kpis in groups.values())
    }
    if not by_center:
        return TransparencyTable(date_from, date_to, [])

    service_ids = {
        service_id for groups in by_center.values() for service_id, kpis in groups.items() if kpis.decided
    }
    services = list(Service.objects.filter(pk__in=service_ids))  # in the catalog's order
    centers = Center.objects.filter(pk__in=by_center).select_related("governorate")  # governorate first

    def center_lines(center: Center) -> CenterLines:
        groups = by_center[center.pk]
        lines = [
            Line(groups[service.pk], _shown(groups[service.pk]), service)
            for service in services
            if service.pk in groups and groups[service.pk].decided
        ]
        total_sums = {name: sum(getattr(kpis, name) for kpis in groups.values()) for name in COUNTS}
        total_sums["fees"] = sum((kpis.fees for kpis in groups.values()), Decimal("0"))
        total_durations = Counter()
        for service_id in groups:
            total_durations.update(durations[center.pk, service_id])
        total = _kpis(total_sums, total_durations)
        hidden = total.decided - sum(line.kpis.decided for line in lines if line.shown == Shown.FIGURES)
        shown = _shown(total)
        if shown == Shown.FIGURES and 0 < hidden < SMALL_COUNT:
            shown = Shown.WITHHELD
        return CenterLines(center, lines, Line(total, shown))

    return TransparencyTable(
        date_from,
        date_to,
        [
            GovernorateCenters(governorate, [center_lines(center) for center in in_governorate])
            for governorate, in_governorate in groupby(centers, key=lambda center: center.governorate)
        ],
    )
