"""Every table a dashboard shows downloads as CSV or Excel, with the very figures on the screen.

A view puts each table it shows in its context as ``context["tables"][<id>] = Table(...)`` (plain cells:
numbers stay numbers, so a spreadsheet can sum them), or a function making it when the table is costly
to list in full (the requests behind a figure) and the template names it under its caption with
``{% include "reports/table_downloads.html" with table_id="<id>" %}``. The same URL with
``?table=<id>&format=csv|xlsx`` answers the file: the same role and scope checks, the same period, the
same rows — never a second definition of a figure."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from reports.exports import Table, table_csv, table_xlsx

FORMATS = {
    "csv": (table_csv, "text/csv; charset=utf-8"),
    "xlsx": (table_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
DOWNLOAD_PARAMETERS = ("table", "format", "page")


def table_response(table: Table, *, table_id: str, format_: str) -> HttpResponse:
    write, content_type = FORMATS[format_]
    response = HttpResponse(write(table), content_type=content_type)
    stem = slugify(table_id) or "table"
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate():%Y%m%d}.{format_}"'
    return response


class TableDownloadMixin:
    """For a TemplateView whose context holds ``tables``: ``?table=<id>&format=`` downloads one of them.
    An unknown table or format is a 404; a page whose form was refused (no tables) renders as it is."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kept = [(k, v) for k, v in self.request.GET.items() if k not in DOWNLOAD_PARAMETERS]
        context["download_query"] = urlencode(kept)
        return context

    def render_to_response(self, context, **response_kwargs):
        wanted = self.request.GET.get("table")
        if wanted is None or "tables" not in context:
            return super().render_to_response(context, **response_kwargs)
        table, format_ = context["tables"].get(wanted), self.request.GET.get("format", "csv")
        if table is None or format_ not in FORMATS:
            raise Http404
        if callable(table):
            table = table()
        return table_response(table, table_id=wanted, format_=format_)
