"""What a dashboard shows of the backlog (``reports.backlog``, a snapshot counted every few minutes):
the headline figures of the open requests (in progress, awaiting the citizen, open and overdue, open
and at risk) with the lists behind them, the aging table with its column chart, and the places ranked
by overdue backlog — each table also a download (``reports.tables``), and everything "as of" the count.

A view calls ``backlog_panel`` with the cells in the viewer's reach (``Slice.rows``, or any filter on
``BacklogCell`` such as ``Q(department=…)``), puts the panel in its context as ``backlog`` and merges
``panel.tables()`` into ``context["tables"]``; ``reports/dashboard_backlog.html`` lays out the aging
and the ranking, ``reports/dashboard_backlog_figures.html`` the headline cards."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from reports import backlog as counts
from reports.charts import Chart, Series, column_chart
from reports.dashboards import Kind
from reports.exports import Table

# drill(place) → (kind → URL of the requests behind the figure, in that place)
Drill = Callable[[dict], Callable[[str], str]]


def _count(value: int) -> str:
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _share_text(share: float | None) -> str:
    return "—" if share is None else f"{share:.1f}"


def as_of_label(taken_at: datetime | None, *, now: datetime | None = None) -> str:
    """ "As of 10:35" (today) or "As of 3 December 2026, 10:35"; "Not counted yet" before any count."""
    if taken_at is None:
        return _("Not counted yet")
    local = timezone.localtime(taken_at)
    time = formats.date_format(local, "H:i")
    if local.date() == timezone.localdate(now):
        return _("As of %(time)s") % {"time": time}
    return _("As of %(day)s, %(time)s") % {"day": formats.date_format(local, "j F Y"), "time": time}


@dataclass
class BacklogFigure:
    key: str
    label: str
    value: str
    note: str
    url: str
    alert: bool = False


@dataclass
class AgingLine:
    label: str
    in_progress: int
    awaiting_citizen: int
    open: int
    share: float | None
    url: str

    @property
    def share_text(self) -> str:
        return _share_text(self.share)


@dataclass
class OverdueRank:
    place: object  # a Center or a Governorate
    backlog: counts.Backlog
    url: str  # the place's own dashboard
    overdue_url: str  # the place's open and overdue requests

    @property
    def share(self) -> float | None:
        return _share(self.backlog.overdue, self.backlog.open)

    @property
    def share_text(self) -> str:
        return _share_text(self.share)


@dataclass
class BacklogPanel:
    as_of: datetime | None
    as_of_label: str
    stale: bool
    backlog: counts.Backlog
    figures: list[BacklogFigure]
    aging: list[AgingLine]
    chart: Chart
    # Places ranked by overdue backlog (None: the screen ranks nothing), under these words.
    ranking: list[OverdueRank] | None = None
    ranking_title: str = ""
    place_heading: str = ""
    by_place: dict[int, counts.Backlog] = field(default_factory=dict)

    @property
    def overdue_by_place(self) -> dict[int, int]:
        """For ``reports.dashboards.ranked``: each place's open and overdue requests, as counted."""
        return {pk: b.overdue for pk, b in self.by_place.items()}

    @property
    def refresh_minutes(self) -> int:
        return counts.REFRESH_MINUTES

    def tables(self) -> dict[str, Table]:
        b = self.backlog
        tables = {
            "aging": Table(
                _("Open requests by working days since submission"),
                [
                    _("Working days since submission"),
                    _("In progress"),
                    _("Awaiting the citizen"),
                    _("All open"),
                    _("Share (%)"),
                ],
                [
                    *([a.label, a.in_progress, a.awaiting_citizen, a.open, a.share] for a in self.aging),
                    [_("All"), b.in_progress, b.awaiting_citizen, b.open, _share(b.open, b.open)],
                ],
            )
        }
        if self.ranking is not None:
            tables["backlog_ranking"] = Table(
                self.ranking_title,
                [
                    _("Rank"),
                    self.place_heading,
                    _("Open requests"),
                    _("Open and overdue"),
                    _("Overdue share (%)"),
                    _("Open and at risk"),
                    _("More than 40 working days"),
                ],
                [
                    [
                        rank,
                        str(row.place.name),
                        row.backlog.open,
                        row.backlog.overdue,
                        row.share,
                        row.backlog.at_risk,
                        row.backlog.aged[-1],
                    ]
                    for rank, row in enumerate(self.ranking, start=1)
                ],
            )
        return tables


def _figures(b: counts.Backlog, drill: Callable[[str], str], note: str) -> list[BacklogFigure]:
    return [
        BacklogFigure(
            "open_overdue", _("Open and overdue"), _count(b.overdue), note, drill(Kind.OPEN_OVERDUE), True
        ),
        BacklogFigure("at_risk", _("Open and at risk"), _count(b.at_risk), note, drill(Kind.AT_RISK)),
        BacklogFigure("in_progress", _("In progress"), _count(b.in_progress), note, drill(Kind.IN_PROGRESS)),
        BacklogFigure(
            "awaiting_citizen",
            _("Awaiting the citizen"),
            _count(b.awaiting_citizen),
            note,
            drill(Kind.AWAITING_CITIZEN),
        ),
    ]


def _place_url(place, place_param: str, period: dict) -> str:
    if place_param == "center":
        return f"{reverse('reports:dashboard_center', args=[place.code])}?{urlencode(period)}"
    return f"{reverse('reports:dashboard')}?{urlencode({'governorate': place.code, **period})}"


def backlog_panel(
    *,
    rows: Q,
    drill: Drill,
    place: dict,
    period: dict,
    places: Iterable | None = None,
    place_param: str = "center",
    taken_at: datetime | None,
) -> BacklogPanel:
    """The backlog of the cells matching ``rows`` (scope already folded in), for the page of ``place``
    (the drill-down's place parameters, e.g. ``{"governorate": "QLB"}``) over ``period`` (its dates, for
    the links back). With ``places`` (centers when ``place_param`` is "center", else governorates):
    each one's backlog too, ranked by overdue backlog; ``taken_at``: the count's time (``counts.as_of``),
    which the caller has read. One query: the cells."""
    if places is not None:
        by = "center" if place_param == "center" else "center__governorate"
        by_place = {key[0]: b for key, b in counts.backlog_by(by=(by,), rows=rows).items()}
        total = sum(by_place.values(), counts.Backlog())
    else:
        by_place, total = {}, counts.backlog_total(rows=rows)
    here = drill(place)
    label = as_of_label(taken_at)
    aging = [
        AgingLine(
            str(bucket.label),
            total.aged_in_progress[bucket.index],
            total.aged_awaiting[bucket.index],
            total.aged[bucket.index],
            _share(total.aged[bucket.index], total.open),
            here(bucket.kind),
        )
        for bucket in counts.AGE_BUCKETS
    ]
    panel = BacklogPanel(
        as_of=taken_at,
        as_of_label=label,
        stale=counts.is_stale(taken_at),
        backlog=total,
        figures=_figures(total, here, label),
        aging=aging,
        chart=column_chart(
            title=_("Backlog aging: open requests by working days since submission"),
            labels=[str(bucket.short) for bucket in counts.AGE_BUCKETS],
            series=Series(_("Open requests"), list(total.aged)),
            rtl=get_language_bidi(),
        ),
        by_place=by_place,
    )
    if places is not None:
        panel.ranking = [
            OverdueRank(
                place=p,
                backlog=b,
                url=_place_url(p, place_param, period),
                overdue_url=drill({place_param: p.code})(Kind.OPEN_OVERDUE),
            )
            for p, b in counts.ranked_by_overdue(places, by_place)
        ]
        if place_param == "center":
            panel.ranking_title, panel.place_heading = _("Centers ranked by overdue backlog"), _("Center")
        else:
            panel.ranking_title = _("Governorates ranked by overdue backlog")
            panel.place_heading = _("Governorate")
    return panel
