import csv
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.authz import RoleRequiredMixin
from reports.selectors import (
    REPORT_ROLES,
    ComplaintFigures,
    ComplaintGrouping,
    ComplaintReport,
    HallFigures,
    HallReport,
    complaint_figures,
    documents_issued_and_revoked,
    hall_figures,
    hall_report_centers,
)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def default_period() -> tuple[date, date]:
    """The current year to date."""
    today = timezone.localdate()
    return today.replace(month=1, day=1), today


def csv_response(filename: str, header: list, rows: Iterable[list]) -> HttpResponse:
    """A CSV download spreadsheet programs open with the Arabic intact."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the Arabic as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


class DocumentFiguresView(RoleRequiredMixin, TemplateView):
    """Documents issued and revoked by month, center and kind, within the viewer's reach; ?format=csv."""

    allowed_roles = REPORT_ROLES
    template_name = "reports/documents.html"

    def get(self, request, *args, **kwargs):
        start, end = default_period()
        form = PeriodForm(request.GET or {"date_from": start, "date_to": end})
        rows = []
        if form.is_valid():
            period = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            rows = documents_issued_and_revoked(user=request.user, date_from=period[0], date_to=period[1])
            if request.GET.get("format") == "csv":
                return self.csv(rows, *period)
        context = self.get_context_data(
            form=form,
            rows=rows,
            total_issued=sum(r.issued for r in rows),
            total_revoked=sum(r.revoked for r in rows),
        )
        return self.render_to_response(context, status=200 if form.is_valid() else 400)

    def csv(self, rows, start: date, end: date) -> HttpResponse:
        return csv_response(
            f"documents-{start}-{end}.csv",
            [_("Month"), _("Center"), _("Kind"), _("Issued"), _("Revoked")],
            (
                [row.month.strftime("%Y-%m"), row.center_name, row.kind_label, row.issued, row.revoked]
                for row in rows
            ),
        )


class ComplaintReportForm(PeriodForm):
    group_by = forms.ChoiceField(label=gettext_lazy("Figures by"), choices=ComplaintGrouping.choices)

    def clean_group_by(self) -> ComplaintGrouping:
        return ComplaintGrouping(self.cleaned_data["group_by"])


def _one_decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


class ComplaintFiguresView(RoleRequiredMixin, TemplateView):
    """Complaint KPIs by category, center or department, within the viewer's reach; ?format=csv."""

    allowed_roles = REPORT_ROLES
    template_name = "reports/complaints.html"

    def get(self, request, *args, **kwargs):
        start, end = default_period()
        # What the query leaves out takes its default: a link may name only the grouping.
        defaults = {"date_from": start, "date_to": end, "group_by": ComplaintGrouping.CATEGORY}
        form = ComplaintReportForm({**defaults, **request.GET.dict()})
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        report = complaint_figures(
            user=request.user, date_from=data["date_from"], date_to=data["date_to"], group_by=data["group_by"]
        )
        if request.GET.get("format") == "csv":
            return self.csv(report, data)
        return self.render_to_response(
            self.get_context_data(form=form, report=report, grouping=data["group_by"])
        )

    def csv(self, report: ComplaintReport, data: dict) -> HttpResponse:
        grouping = data["group_by"]
        return csv_response(
            f"complaints-{grouping.value}-{data['date_from']}-{data['date_to']}.csv",
            [
                grouping.label,
                _("Received"),
                _("Resolved"),
                _("Rejected"),
                _("Merged"),
                _("Answered on time"),
                _("On-time rate"),
                _("Mean working days to answer"),
                _("Reopen rate"),
                _("Mean rating (1–5)"),
                _("Rated"),
            ],
            (self._csv_line(line) for line in [*report.rows, report.total]),
        )

    @staticmethod
    def _csv_line(line: ComplaintFigures) -> list:
        return [
            line.label,
            line.received,
            line.resolved,
            line.rejected,
            line.merged,
            line.on_time,
            _percent(line.on_time_percent),
            _one_decimal(line.mean_working_days),
            _percent(line.reopen_percent),
            _one_decimal(line.mean_rating),
            line.rated,
        ]


HALL_MAX_DAYS = 366


class HallReportForm(PeriodForm):
    center = forms.ChoiceField(label=gettext_lazy("Center"), required=False)

    def __init__(self, *args, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].choices = [("", _("All centers")), *((c.code, c.name) for c in centers)]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and (end - start).days >= HALL_MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most %(days)d days.") % {"days": HALL_MAX_DAYS}
            )
        return data


class HallFiguresView(RoleRequiredMixin, TemplateView):
    """The hall's figures: one center's by queue and by hour of the day, or every center's within
    reach; ?center=<code> (another scope's center is a 404), ?format=csv."""

    allowed_roles = REPORT_ROLES
    template_name = "reports/hall.html"

    def get(self, request, *args, **kwargs):
        centers = list(hall_report_centers(user=request.user))
        codes = {center.code: center for center in centers}
        asked = request.GET.get("center", "")
        if asked and asked not in codes:
            raise Http404
        start, end = default_period()
        only = centers[0].code if len(centers) == 1 else ""  # a center's manager: their center at once
        defaults = {"date_from": start, "date_to": end, "center": only}
        form = HallReportForm({**defaults, **request.GET.dict()}, centers=centers)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        report = hall_figures(
            user=request.user,
            date_from=data["date_from"],
            date_to=data["date_to"],
            center=codes.get(data["center"]),
        )
        if request.GET.get("format") == "csv":
            return self.csv(report, data)
        context = self.get_context_data(
            form=form,
            report=report,
            tables=self.tables(report),
            period=urlencode({"date_from": data["date_from"], "date_to": data["date_to"]}),
        )
        return self.render_to_response(context)

    @staticmethod
    def tables(report: HallReport) -> list[dict]:
        if report.center is None:
            return [
                {"title": _("By center"), "heading": _("Center"), "rows": report.by_center, "links": True}
            ]
        return [
            {"title": _("By queue"), "heading": _("Hall queue"), "rows": report.by_queue},
            {"title": _("By hour of the day"), "heading": _("Hour"), "rows": report.by_hour},
        ]

    def csv(self, report: HallReport, data: dict) -> HttpResponse:
        center = report.center
        lines = (
            [(line.label, "", "", line) for line in report.by_center]
            if center is None
            else [
                *((center.name, line.label, "", line) for line in report.by_queue),
                *((center.name, "", line.label, line) for line in report.by_hour),
            ]
        )
        total = report.total
        lines.append((center.name, total.label, "", total) if center else (total.label, "", "", total))
        return csv_response(
            f"hall-{center.code if center else 'all'}-{data['date_from']}-{data['date_to']}.csv",
            [
                _("Center"),
                _("Hall queue"),
                _("Hour"),
                _("Tickets issued"),
                _("Called"),
                _("Served"),
                _("Did not come"),
                _("Mean wait (minutes)"),
                _("90th-percentile wait (minutes)"),
            ],
            ([*where, *self._figures(line)] for *where, line in lines),
        )

    @staticmethod
    def _figures(line: HallFigures) -> list:
        return [
            line.issued,
            line.waited,
            line.served,
            line.no_shows,
            _one_decimal(line.mean_wait),
            _one_decimal(line.p90_wait),
        ]
