"""A center's daily cash sheet (``reports.cash``): its manager's, and any center in an official's or a
national viewer's reach; another center is a 404. Printable, with the signatures the treasury asks for."""

from datetime import timedelta

from django import forms
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import dashboards
from reports.cash import cash_sheet
from reports.exports import Table
from reports.views_dashboards import EARLIEST, DashboardView


class DayForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not EARLIEST <= day <= timezone.localdate():
            raise forms.ValidationError(
                _("Choose a day from %(first)s to today.") % {"first": EARLIEST.isoformat()}
            )
        return day


def sheet_tables(sheet) -> dict[str, Table]:
    return {
        "clerks": Table(
            _("Cash taken by window clerk"),
            [_("Clerk"), _("Requests"), _("Cash (EGP)"), _("Electronic payment (EGP)"), _("Total (EGP)")],
            [[c["name"], c["requests"], c["cash"], c["epayment"], c["total"]] for c in sheet.by_clerk]
            + [
                [
                    _("Total"),
                    sheet.receipts["count"],
                    sheet.cash_total,
                    sheet.epayment_total,
                    sheet.receipts_total,
                ]
            ],
        ),
        "items": Table(
            _("Fee items: the windows against the treasury's roll-up"),
            [
                _("Fee item"),
                _("Way of payment"),
                _("Count at the windows"),
                _("Amount at the windows (EGP)"),
                _("Count in the roll-up"),
                _("Amount in the roll-up (EGP)"),
                _("Matches"),
            ],
            [
                [
                    line.fee_name_ar,
                    line.payment,
                    line.windows_count,
                    line.windows_amount,
                    line.rollup_count,
                    line.rollup_amount,
                    _("Yes") if line.matches else _("No"),
                ]
                for line in sheet.items
            ],
        ),
    }


class CashSheetView(DashboardView):
    template_name = "reports/cash_sheet.html"

    def get(self, request, *args, **kwargs):
        center = get_object_or_404(dashboards.centers_in_reach(request.user), code=kwargs["code"])
        form = DayForm({"day": timezone.localdate(), **request.GET.dict()})
        if not form.is_valid():
            return self.invalid(form, center=center)
        day = form.cleaned_data["day"]
        sheet = cash_sheet(center=center, day=day)
        context = self.get_context_data(
            form=form,
            center=center,
            sheet=sheet,
            previous_day=(day - timedelta(days=1)).isoformat(),
            next_day=(day + timedelta(days=1)).isoformat() if day < timezone.localdate() else "",
            tables=sheet_tables(sheet),
        )
        return self.render_to_response(context)
