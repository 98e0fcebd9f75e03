"""The public transparency page's figures: per center (under its governorate) and per service, the
decided requests, the on-time rate and the median processing time over the last 90 days ending
yesterday — the KPIs of ``reports.kpis``, built per group from two grouped queries over the roll-ups
(flows and working days), so the cost follows centers × services × days, never the number of requests.

Nothing on it names a person. A group of fewer than ``SMALL_COUNT`` decisions shows neither its count
nor its figures (a rate of 0 % or 100 % on one to four requests tells who was served late). A center's
total is withheld too when the center's small groups add up to fewer than ``SMALL_COUNT`` decisions:
the total minus the lines shown would otherwise give them away."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import groupby

from django.db.models import Q

from organisation.models import Center, Governorate
from reports.kpis import RequestKpis, combined, kpis_of
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


def transparency_table(*, date_from: date, date_to: date) -> TransparencyTable:
    """Every center and service with at least one decision in the period: the roll-ups grouped by
    center and service (``reports.kpis.kpis_of``), then the centers' and services' names."""
    found = kpis_of([(date_from, date_to)], rows=Q(), by=("center_id", "service_id"))
    by_center: dict[int, dict[int, RequestKpis]] = defaultdict(dict)
    for (center_id, service_id), (kpis,) in found.items():
        by_center[center_id][service_id] = kpis
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
        total = combined(groups.values())
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
