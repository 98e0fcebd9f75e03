"""The dashboards' tables as ``reports.exports.Table`` rows, for their CSV and Excel downloads
(``reports.tables``): built from the very objects the page renders, so a download can never disagree
with the screen. Numbers stay numbers (rates in %, working days to two decimals)."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.charts import Chart
from reports.dashboards import Intake, Ranked, SlowService
from reports.exports import Table, kpi_cells, kpi_header
from reports.kpis import Compared


def chart_table(chart: Chart, heading: str) -> Table:
    return Table(
        chart.title, [heading, *(s.label for s in chart.series)], [[label, *v] for label, v in chart.rows]
    )


def figures_table(compared: Compared) -> Table:
    """The headline KPIs: this period, the one before, the same days last year."""
    return Table(
        _("Headline figures"),
        [_("Figure"), _("This period"), _("Previous period"), _("Last year")],
        [
            [name, *values]
            for name, *values in zip(
                kpi_header(),
                kpi_cells(compared.current),
                kpi_cells(compared.previous),
                kpi_cells(compared.last_year),
                strict=True,
            )
        ],
    )


def ranking_table(ranking: list[Ranked], *, title: str, heading: str) -> Table:
    return Table(
        title,
        [_("Rank"), heading, *kpi_header(), _("Open and overdue now")],
        [
            [rank, row.place.name, *kpi_cells(row.kpis), row.open_overdue]
            for rank, row in enumerate(ranking, start=1)
        ],
    )


def slowest_table(slowest: list[SlowService]) -> Table:
    return Table(
        _("Slowest services"),
        [_("Service"), _("Service code"), *kpi_header()],
        [[s.name, s.code, *kpi_cells(s.kpis)] for s in slowest],
    )


def clerks_table(intake: Intake) -> Table:
    return Table(
        _("Requests taken today, by window clerk"),
        [_("Clerk"), _("Requests"), _("Fees (EGP)")],
        [[c["name"], c["requests"], c["fees"]] for c in intake.by_clerk],
    )


def fee_lines_table(lines: list[dict], *, title: str) -> Table:
    return Table(
        title,
        [_("Fee item"), _("Way of payment"), _("Count"), _("Amount (EGP)")],
        [[line["fee_name_ar"], str(line["payment"]), line["count"], line["amount"]] for line in lines],
    )


def departments_table(departments: list[dict], *, english: bool) -> Table:
    def name(d: dict) -> str:
        en = d["current_department__department_type__name_en"]
        return en if english and en else d["current_department__department_type__name_ar"]

    return Table(
        _("Open requests by department"),
        [_("Department"), _("Open requests"), _("Waiting for the citizen"), _("Overdue")],
        [[name(d), d["open"], d["waiting"], d["overdue"]] for d in departments],
    )


# A download lists this many requests at most; the page says so when a figure counts more.
REQUESTS_DOWNLOAD_LIMIT = 20_000


def requests_table(found: QuerySet, *, title: str) -> Table:
    """The requests behind a figure, as the drill-down lists them (the first REQUESTS_DOWNLOAD_LIMIT)."""

    def day(moment) -> str:
        return timezone.localdate(moment).isoformat() if moment else ""

    return Table(
        title,
        [
            _("Receipt number"),
            _("Service"),
            _("Center"),
            _("Submitted"),
            _("Decided or closed"),
            _("Expected completion"),
            _("State"),
            _("Decided within the legal deadline"),
        ],
        [
            [
                r.receipt_number,
                r.service.name,
                r.center.name,
                day(r.submitted_at),
                day(r.completed_at),
                day(r.due_at),
                r.get_state_display(),
                "" if r.on_time is None else (_("Yes") if r.on_time else _("No")),
            ]
            for r in found[:REQUESTS_DOWNLOAD_LIMIT]
        ],
    )
