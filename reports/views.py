import csv
from datetime import date

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.authz import RoleRequiredMixin
from reports.selectors import REPORT_ROLES, documents_issued_and_revoked


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
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="documents-{start}-{end}.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read the Arabic as UTF-8
        writer = csv.writer(response)
        writer.writerow([_("Month"), _("Center"), _("Kind"), _("Issued"), _("Revoked")])
        for row in rows:
            month = row.month.strftime("%Y-%m")
            writer.writerow([month, row.center_name, row.kind_label, row.issued, row.revoked])
        return response
