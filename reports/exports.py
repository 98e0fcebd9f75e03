"""Exports of the request KPIs, built by a Celery worker (``reports.tasks``) and kept for their requester
alone for a day: the KPI table per center and the fees per fee item (CSV or Excel, right-to-left sheets
with Arabic names), and the monthly PDF report of a center or a governorate.

Every figure comes from ``reports.kpis`` over ``slice_in_reach(requester, …)``, worked out when the file
is built: a job never shows more than its requester may see at that moment. The job's ``progress``
advances as rows are written, for the page that polls it."""

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from accounts.authz import CENTER_PATHS, can, scope_q
from accounts.models import OVERSIGHT_ROLES, User
from core.pdf import ArabicPage, ltr, page_is_rtl, register_fonts, visual
from organisation.models import Center, Governorate
from organisation.places import OrgPlace
from reports.kpis import RequestKpis, fees_by_item, request_kpis, request_kpis_compared, slice_in_reach
from reports.models import ExportJob
from requests_app.models import PaymentMethod

logger = logging.getLogger(__name__)


class OutOfReach(Exception):
    """The export names a center or a governorate the user does not oversee (the view answers 404)."""


EXPORT_LIFETIME = timedelta(hours=24)
EXPORT_MAX_DAYS = 3 * 366  # a longer period (ten years…) is refused: ask for it in parts
EXPORT_EARLIEST = date(2000, 1, 1)
TABLE_KINDS = (ExportJob.Kind.CENTER_KPIS, ExportJob.Kind.FEE_ITEMS)
TABLE_FORMATS = (ExportJob.Format.CSV, ExportJob.Format.XLSX)

Progress = Callable[[int], None]


# --- Who may export what ----------------------------------------------------------------------------


def export_centers(user: User) -> QuerySet[Center]:
    """The centers whose figures ``user`` may export (a manager's center, an official's governorate's…)."""
    return Center.objects.filter(scope_q(user, OVERSIGHT_ROLES, CENTER_PATHS)).select_related("governorate")


def export_governorates(user: User) -> list[Governorate]:
    """The governorates ``user`` oversees as a whole (officials, national viewers): a center's manager has
    none, so cannot ask for a governorate's report."""
    return [g for g in Governorate.objects.all() if can(user, OVERSIGHT_ROLES, OrgPlace(governorate_id=g.pk))]


def period_problems(date_from: date, date_to: date) -> list[str]:
    """What is wrong with an export's period, in words for the person who chose it (empty: fine)."""
    latest = timezone.localdate() + timedelta(days=366)
    if date_from < EXPORT_EARLIEST or date_to > latest:
        return [
            _("Choose dates between %(first)s and %(last)s.")
            % {"first": EXPORT_EARLIEST.isoformat(), "last": latest.isoformat()}
        ]
    if date_from > date_to:
        return [_("The period ends before it starts.")]
    if (date_to - date_from).days >= EXPORT_MAX_DAYS:
        return [
            _("Choose a period of at most %(days)d days; export a longer one in parts.")
            % {"days": EXPORT_MAX_DAYS}
        ]
    return []


def export_request(
    *,
    user: User,
    kind: str,
    format: str,
    date_from: date,
    date_to: date,
    center: str = "",
    governorate: str = "",
    language: str = "ar",
) -> ExportJob:
    """Queue an export for ``user``; the worker is asked for it once the job is committed.

    Raises ValidationError for a bad period or an impossible kind × format, OutOfReach for a center or a
    governorate outside the user's reach (editing the form reveals nothing), PermissionDenied for a
    user who oversees no center at all."""
    if not export_centers(user).exists():
        raise PermissionDenied
    problems = period_problems(date_from, date_to)
    if problems:
        raise ValidationError(problems)
    if kind not in ExportJob.Kind.values:
        raise ValidationError(_("Unknown export."))
    if (kind in TABLE_KINDS) != (format in TABLE_FORMATS) or (
        kind == ExportJob.Kind.MONTHLY_PDF and format != ExportJob.Format.PDF
    ):
        raise ValidationError(_("This export is not made in that format."))
    if center and not export_centers(user).filter(code=center).exists():
        raise OutOfReach
    if governorate and governorate not in {g.code for g in export_governorates(user)}:
        raise OutOfReach
    if kind == ExportJob.Kind.MONTHLY_PDF and not (center or governorate):
        raise ValidationError(_("Choose the center or the governorate of the report."))
    job = ExportJob.objects.create(
        requester=user,
        kind=kind,
        format=format,
        parameters={
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "center": center,
            "governorate": "" if center else governorate,
            "language": language,
        },
        expires_at=timezone.now() + EXPORT_LIFETIME,
    )
    transaction.on_commit(lambda: export_schedule(job.pk))
    return job


def export_schedule(job_id: int) -> None:
    """Ask a worker to build the file. A broker that is down fails the job at once, with a message,
    rather than leave the page waiting for ever."""
    from reports.tasks import export_run  # the tasks module imports this one

    options = {"max_retries": 0, "socket_connect_timeout": settings.CELERY_PUBLISH_CONNECT_TIMEOUT}
    try:
        with current_app.connection_for_write(transport_options=options) as connection:
            export_run.apply_async((job_id,), retry=False, connection=connection)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("export %s not scheduled, the broker is unavailable (%s)", job_id, exc)
        ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
            state=ExportJob.State.FAILED,
            error=f"broker unavailable: {exc}"[:300],
            finished_at=timezone.now(),
        )


def export_for_download(job: ExportJob) -> bool:
    """Whether the job's file may still be handed out (the caller has checked the requester)."""
    return job.state == ExportJob.State.DONE and bool(job.file) and job.expires_at > timezone.now()


def exports_cleanup(*, now=None) -> int:
    """Delete the files and jobs past their expiry; how many jobs went."""
    expired = list(ExportJob.objects.filter(expires_at__lte=now or timezone.now()))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)


# --- Building the file (in the worker) --------------------------------------------------------------


def export_build(job_id: int) -> None:
    """Build the job's file, advancing its progress; a failure is recorded on the job, not raised."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, progress=0
    )
    if not claimed:
        return  # already built, expired and deleted, or being built by another delivery
    job = ExportJob.objects.select_related("requester").get(pk=job_id)
    shown = [0]

    def progress(percent: int) -> None:
        percent = max(0, min(99, percent))
        if percent != shown[0]:
            shown[0] = percent
            ExportJob.objects.filter(pk=job_id).update(progress=percent)

    try:
        with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):
            name, content = _build(job, progress)
    except Exception as exc:
        logger.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportJob.State.FAILED, error=repr(exc)[:300], finished_at=timezone.now()
        )
        return
    job.file.save(name, ContentFile(content), save=False)
    job.filename = name
    job.state = ExportJob.State.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "state", "progress", "finished_at"])


def _build(job: ExportJob, progress: Progress) -> tuple[str, bytes]:
    params = job.parameters
    date_from, date_to = date.fromisoformat(params["date_from"]), date.fromisoformat(params["date_to"])
    stem = f"{job.kind}-{params['center'] or params['governorate'] or 'all'}-{date_from}-{date_to}"
    if job.kind == ExportJob.Kind.MONTHLY_PDF:
        return f"{stem}.pdf", monthly_pdf(
            job.requester,
            date_from,
            date_to,
            center=params["center"],
            governorate=params["governorate"],
            progress=progress,
        )
    maker = center_kpi_table if job.kind == ExportJob.Kind.CENTER_KPIS else fee_item_table
    table = maker(job.requester, date_from, date_to, center=params["center"], progress=progress)
    if job.format == ExportJob.Format.XLSX:
        return f"{stem}.xlsx", table_xlsx(table)
    return f"{stem}.csv", table_csv(table)


@dataclass
class Table:
    title: str  # the sheet's name
    header: list[str]
    rows: list[list] = field(default_factory=list)


def _rate(value: float | None) -> float | str:
    return "" if value is None else round(100 * value, 1)


def _days(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def kpi_cells(kpis: RequestKpis) -> list:
    return [
        kpis.received,
        kpis.approved,
        kpis.rejected,
        kpis.decided,
        _rate(kpis.on_time_rate),
        kpis.delivered,
        kpis.cancelled,
        _days(kpis.median_working_days),
        _days(kpis.p90_working_days),
        kpis.fees,
    ]


def kpi_header() -> list[str]:
    return [
        _("Received"),
        _("Approved"),
        _("Rejected"),
        _("Decided"),
        _("On-time rate (%)"),
        _("Delivered"),
        _("Cancelled"),
        _("Median working days"),
        _("90th-percentile working days"),
        _("Fees (EGP)"),
    ]


def _centers(user: User, center: str) -> list[Center]:
    centers = export_centers(user)
    return list(centers.filter(code=center) if center else centers)


def center_kpi_table(
    user: User, date_from: date, date_to: date, *, center: str = "", progress: Progress = lambda _: None
) -> Table:
    """One row per center within reach, then the total of those rows' slice."""
    centers = _centers(user, center)
    table = Table(_("KPIs per center"), [_("Governorate"), _("Center"), *kpi_header()])
    for done, place in enumerate(centers, start=1):
        kpis = request_kpis(
            date_from=date_from, date_to=date_to, slice_=slice_in_reach(user, rows=Q(center=place))
        )
        table.rows.append([place.governorate.name, place.name, *kpi_cells(kpis)])
        progress(95 * done // len(centers))
    total = request_kpis(
        date_from=date_from, date_to=date_to, slice_=slice_in_reach(user, rows=Q(center__in=centers))
    )
    table.rows.append([_("Total"), "", *kpi_cells(total)])
    return table


def fee_item_table(
    user: User, date_from: date, date_to: date, *, center: str = "", progress: Progress = lambda _: None
) -> Table:
    """Each center's fee items by way of payment (count and amount), then the total."""
    centers = _centers(user, center)
    methods = {value: str(label) for value, label in PaymentMethod.choices}
    table = Table(
        _("Fees per fee item"),
        [_("Governorate"), _("Center"), _("Fee item"), _("Way of payment"), _("Count"), _("Amount (EGP)")],
    )
    count, amount = 0, Decimal("0")
    for done, place in enumerate(centers, start=1):
        lines = fees_by_item(
            date_from=date_from, date_to=date_to, slice_=slice_in_reach(user, rows=Q(center=place))
        )
        for line in lines:
            method = methods.get(line["payment_method"], line["payment_method"])
            table.rows.append(
                [
                    place.governorate.name,
                    place.name,
                    line["fee_name_ar"],
                    method,
                    line["count"],
                    line["amount"],
                ]
            )
            count, amount = count + line["count"], amount + line["amount"]
        progress(95 * done // len(centers))
    table.rows.append([_("Total"), "", "", "", count, amount])
    return table


def _text(value) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def table_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Arabic."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    writer.writerows([_text(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode()


def sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Sheet"


def table_xlsx(table: Table | Iterable[Table]) -> bytes:
    """One right-to-left sheet per table, named after it, with a bold frozen header; text stays text."""
    tables = [table] if isinstance(table, Table) else list(table)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for one in tables:
        sheet = workbook.create_sheet(sheet_title(one.title))
        sheet.sheet_view.rightToLeft = True
        sheet.append(one.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in one.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a name starting with "=" is never a formula
                elif isinstance(cell.value, Decimal):
                    cell.number_format = "0.00"
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = max(
                10, min(40, max(len(str(c.value or "")) for c in column) + 2)
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The monthly PDF report -------------------------------------------------------------------------

PDF_GREEN, PDF_GREY = colors.HexColor("#0b6e4f"), colors.HexColor("#9aa5b1")


def _pdf_scope(user: User, center: str, governorate: str) -> tuple[str, Q, list[Center]]:
    """The report's place name, its rows and the centers it lists (all within the user's reach)."""
    if center:
        place = export_centers(user).get(code=center)
        return place.name, Q(center=place), [place]
    place = next(g for g in export_governorates(user) if g.code == governorate)
    return place.name, Q(center__governorate=place), list(export_centers(user).filter(governorate=place))


def _change(now: float | int | None, before: float | int | None) -> str:
    if now is None or before is None:
        return "—"
    return f"{now - before:+.1f}" if isinstance(now, float) else f"{now - before:+d}"


def _kpi_lines(compared) -> list[tuple[str, list[str]]]:
    """(label, [this period, previous period, same period last year]) for the headline table."""

    def rate(k: RequestKpis) -> str:
        return "—" if k.on_time_rate is None else f"{100 * k.on_time_rate:.1f}%"

    def days(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"

    periods = (compared.current, compared.previous, compared.last_year)
    return [
        (_("Received"), [str(k.received) for k in periods]),
        (_("Decided"), [str(k.decided) for k in periods]),
        (_("Approved"), [str(k.approved) for k in periods]),
        (_("Rejected"), [str(k.rejected) for k in periods]),
        (_("On-time rate (%)"), [rate(k) for k in periods]),
        (_("Delivered"), [str(k.delivered) for k in periods]),
        (_("Cancelled"), [str(k.cancelled) for k in periods]),
        (_("Median working days"), [days(k.median_working_days) for k in periods]),
        (_("90th-percentile working days"), [days(k.p90_working_days) for k in periods]),
        (_("Fees (EGP)"), [f"{k.fees:,.2f}" for k in periods]),
    ]


class _Columns:
    """Table rows on an ``ArabicPage``: the first column at the reading side (right in Arabic)."""

    def __init__(self, page: ArabicPage, widths: list[float]):
        self.page, self.widths = page, widths

    def row(self, cells: list[str], *, bold: bool = False, size: int = 10) -> None:
        page = self.page
        if page.y < 20 * mm:
            page.pdf.showPage()
            page.y = page.height - 15 * mm
        page.pdf.setFont("Amiri-Bold" if bold else "Amiri", size)
        x = page.width - page.margin if page.rtl else page.margin
        for cell, width in zip(cells, self.widths, strict=True):
            text = visual(cell, rtl=page.rtl)
            if page.rtl:
                page.pdf.drawRightString(x, page.y, text)
                x -= width
            else:
                page.pdf.drawString(x, page.y, text)
                x += width
        page.y -= 6 * mm


def bar_chart(labels: list[str], series: list[tuple[str, list[int], colors.Color]], *, width, height, rtl):
    """Bars of each series side by side per label, a legend under them; Arabic drawn with Amiri."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 45, width - 40, height - 60
    chart.data = [values for _, values, _ in series] or [[0]]
    chart.categoryAxis.categoryNames = [visual(label, rtl=rtl) for label in labels]
    chart.categoryAxis.labels.fontName = "Amiri"
    chart.categoryAxis.labels.fontSize = 7 if len(labels) > 15 else 8
    chart.categoryAxis.reverseDirection = rtl  # the first day at the reading side
    chart.valueAxis.labels.fontName = "Amiri"
    chart.valueAxis.valueMin = 0
    top = max([max(values, default=0) for _, values, _ in series], default=0)
    chart.valueAxis.valueMax = max(top, 1) * 1.15
    chart.valueAxis.valueStep = max(1, round(max(top, 1) / 5))
    for index, (_name, _values, colour) in enumerate(series):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.fontName, legend.fontSize = "Amiri", 9
    legend.x, legend.y = (width - 20, 15) if rtl else (20, 15)
    legend.alignment = "left" if rtl else "right"
    legend.boxAnchor = "e" if rtl else "w"
    legend.columnMaximum, legend.dx, legend.dy = 1, 8, 8
    legend.deltax = 90
    legend.colorNamePairs = [(colour, visual(name, rtl=rtl)) for name, _, colour in series]
    drawing.add(legend)
    return drawing


def monthly_pdf(
    user: User,
    date_from: date,
    date_to: date,
    *,
    center: str = "",
    governorate: str = "",
    progress: Progress = lambda _: None,
) -> bytes:
    """A center's or a governorate's month: headline KPIs beside the month before and a year earlier,
    received vs decided per day (a center) or per center (a governorate) as a bar chart and a table."""
    register_fonts()
    rtl = page_is_rtl()
    name, rows, centers = _pdf_scope(user, center, governorate)
    slice_ = slice_in_reach(user, rows=rows)
    compared = request_kpis_compared(date_from=date_from, date_to=date_to, slice_=slice_)
    if center:
        days = [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]
        points = []
        for done, day in enumerate(days, start=1):
            points.append((str(day.day), request_kpis(date_from=day, date_to=day, slice_=slice_)))
            progress(90 * done // len(days))
        chart_title = _("Received and decided per day")
        table_heading = _("Day")
    else:
        points = []
        for done, place in enumerate(centers, start=1):
            one = slice_in_reach(user, rows=Q(center=place))
            points.append(
                (
                    place.short_name or place.name,
                    request_kpis(date_from=date_from, date_to=date_to, slice_=one),
                )
            )
            progress(90 * done // max(1, len(centers)))
        chart_title = _("Received and decided per center")
        table_heading = _("Center")

    buffer = io.BytesIO()
    size = A4
    pdf = canvas.Canvas(buffer, pagesize=size)
    title = _("Monthly report")
    pdf.setTitle(f"{title} — {name}")
    page = ArabicPage(pdf, rtl=rtl, size=size)
    page.line(title, size=18, bold=True, centred=True, gap=9)
    page.line(name, size=14, bold=True, centred=True, gap=8)
    page.line(
        _("From %(start)s to %(end)s")
        % {"start": ltr(date_from.isoformat()), "end": ltr(date_to.isoformat())},
        centred=True,
        gap=10,
    )
    columns = _Columns(page, [60 * mm, 40 * mm, 40 * mm, 40 * mm])
    columns.row([_("Figure"), _("This period"), _("Period before"), _("Same period last year")], bold=True)
    for label, values in _kpi_lines(compared):
        columns.row([label, *values])
    page.y -= 4 * mm
    page.line(chart_title, size=13, bold=True, gap=4)
    chart = bar_chart(
        [label for label, _k in points],
        [
            (_("Received"), [k.received for _l, k in points], PDF_GREY),
            (_("Decided"), [k.decided for _l, k in points], PDF_GREEN),
        ],
        width=size[0] - 2 * page.margin,
        height=75 * mm,
        rtl=rtl,
    )
    page.y -= chart.height
    renderPDF.draw(chart, pdf, page.margin, page.y)
    page.y -= 8 * mm
    columns = _Columns(page, [40 * mm, 22 * mm, 22 * mm, 38 * mm, 34 * mm, 30 * mm])
    columns.row(
        [
            table_heading,
            _("Received"),
            _("Decided"),
            _("On-time rate (%)"),
            _("Median working days"),
            _("Fees (EGP)"),
        ],
        bold=True,
    )
    for label, kpis in points:
        if center and not (kpis.received or kpis.decided):
            continue  # a quiet day adds nothing to the table (the chart shows it)
        cells = kpi_cells(kpis)
        columns.row(
            [
                label,
                str(kpis.received),
                str(kpis.decided),
                str(cells[4] if cells[4] != "" else "—"),
                str(cells[7] if cells[7] != "" else "—"),
                f"{kpis.fees:,.2f}",
            ]
        )
    pdf.showPage()
    pdf.save()
    progress(99)
    return buffer.getvalue()
