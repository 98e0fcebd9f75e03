"""The public transparency page (no sign-in): per center and service, the decided requests, the on-time
rate and the median processing time over the last 90 days ending yesterday; ?format=csv for the same
table. The figures of past days no longer change, so the page is shared from the cache (core.pagecache)
under the period's last day and the catalog's generation (names of centers and services)."""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.pagecache import cached_page, generation_cached, page_generation, page_is_shareable, page_key
from reports.transparency import (
    PERIOD_DAYS,
    SMALL_COUNT,
    Line,
    Shown,
    TransparencyTable,
    transparency_period,
    transparency_table,
)
from reports.views import csv_response

GENERATION = "catalog"  # the organisation's and the services' names: see services.apps


def _table(date_from: date, date_to: date) -> TransparencyTable:
    return generation_cached(
        GENERATION,
        f"transparency:{date_from}:{date_to}",
        lambda: transparency_table(date_from=date_from, date_to=date_to),
    )


class TransparencyView(TemplateView):
    template_name = "reports/transparency.html"

    def get(self, request, *args, **kwargs):
        date_from, date_to = transparency_period(timezone.localdate())
        if request.GET.get("format") == "csv":
            return self.csv(_table(date_from, date_to))

        def render_page():
            context = self.get_context_data(
                table=_table(date_from, date_to), period_days=PERIOD_DAYS, small_count=SMALL_COUNT
            )
            return self.render_to_response(context)

        if not page_is_shareable(request):
            return render_page()
        # The path alone names the page (a query string other than the CSV's is ignored, never kept).
        return cached_page(request, page_key(request, date_to, page_generation(GENERATION)), render_page)

    def csv(self, table: TransparencyTable) -> HttpResponse:
        rows = []
        for in_governorate in table.governorates:
            for center_lines in in_governorate.centers:
                where = [in_governorate.governorate.name, center_lines.center.name]
                for line in [*center_lines.services, center_lines.total]:
                    label = line.service.name if line.service else _("Center total")
                    rows.append([*where, label, *self._figures(line)])
        return csv_response(
            f"transparency-{table.date_from}-{table.date_to}.csv",
            [
                _("Governorate"),
                _("Center"),
                _("Service"),
                _("Requests decided"),
                _("On-time rate"),
                _("Median time (working days)"),
            ],
            rows,
        )

    @staticmethod
    def _figures(line: Line) -> list:
        if line.shown == Shown.SMALL:
            return [_("fewer than 5"), "", ""]
        if line.shown == Shown.WITHHELD:
            return [_("withheld"), "", ""]
        median = line.kpis.median_working_days
        return [
            line.kpis.decided,
            f"{line.on_time_percent:.1f}%",
            "" if median is None else f"{median:.1f}",
        ]
