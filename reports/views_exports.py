"""The export pages: ask for a file, watch its progress (``static/js/export-progress.js`` polls the
status every second), download it. A job is its requester's alone: anyone else gets a 404, and so does
a form naming a center or a governorate outside the user's reach."""

import calendar
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from accounts.authz import RoleRequiredMixin
from reports.exports import (
    OutOfReach,
    export_centers,
    export_for_download,
    export_governorates,
    export_request,
    period_problems,
)
from reports.models import ExportJob
from reports.selectors import REPORT_ROLES
from reports.views import default_period

CONTENT_TYPES = {
    ExportJob.Format.CSV: "text/csv; charset=utf-8",
    ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportJob.Format.PDF: "application/pdf",
}
PREFILLED = ("kind", "format", "date_from", "date_to", "center", "governorate")


class ExportForm(forms.Form):
    """What to export. A table takes a period (from, to); the monthly report takes a month and the
    center or governorate it covers."""

    kind = forms.ChoiceField(label=gettext_lazy("Export"), choices=ExportJob.Kind.choices)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ExportJob.Format.choices)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    month = forms.RegexField(
        label=gettext_lazy("Month (for the monthly report)"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": gettext_lazy("Choose a month, for example 2026-10.")},
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
    )
    center = forms.CharField(label=gettext_lazy("Center"), required=False)
    governorate = forms.CharField(label=gettext_lazy("Governorate"), required=False)

    def __init__(self, *args, centers, governorates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].widget = forms.Select(
            choices=[("", _("All centers in my reach")), *((c.code, c.name) for c in centers)]
        )
        self.fields["governorate"].widget = forms.Select(
            choices=[("", "—"), *((g.code, g.name) for g in governorates)]
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["kind"] == ExportJob.Kind.MONTHLY_PDF:
            if not data.get("month"):
                raise ValidationError(_("Choose the month of the report."))
            year, month = map(int, data["month"].split("-"))
            data["date_from"] = date(year, month, 1)
            data["date_to"] = date(year, month, calendar.monthrange(year, month)[1])
        elif not (data.get("date_from") and data.get("date_to")):
            raise ValidationError(_("Choose the first and the last day of the period."))
        problems = period_problems(data["date_from"], data["date_to"])
        if problems:
            raise ValidationError(problems)
        return data


class ExportsView(RoleRequiredMixin, TemplateView):
    """The form, and the user's own files not yet expired."""

    allowed_roles = REPORT_ROLES
    template_name = "reports/export_form.html"

    @cached_property
    def centers(self):
        return list(export_centers(self.request.user))

    @cached_property
    def governorates(self):
        return export_governorates(self.request.user)

    def form(self, data=None) -> ExportForm:
        return ExportForm(data, centers=self.centers, governorates=self.governorates)

    def get(self, request, *args, **kwargs):
        start, end = default_period()
        form = self.form()
        form.initial = {"date_from": start, "date_to": end, "month": f"{end:%Y-%m}", "format": "xlsx"}
        # A dashboard's link fills in its period and place; they are checked again when the form is sent.
        form.initial.update({name: value for name, value in request.GET.items() if name in PREFILLED})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = export_request(
                    user=request.user,
                    kind=data["kind"],
                    format=data["format"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    center=data["center"],
                    governorate=data["governorate"],
                    language=translation.get_language() or "ar",
                )
            except OutOfReach:
                raise Http404 from None
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("reports:export_job", pk=job.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        kwargs["jobs"] = ExportJob.objects.filter(
            requester=self.request.user, expires_at__gt=timezone.now()
        ).order_by("-created_at")[:20]
        return super().get_context_data(**kwargs)


class OwnJobMixin(RoleRequiredMixin):
    allowed_roles = REPORT_ROLES

    @cached_property
    def job(self) -> ExportJob:
        return get_object_or_404(ExportJob, pk=self.kwargs["pk"], requester=self.request.user)


def job_status(job: ExportJob) -> dict:
    done = export_for_download(job)
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "progress": job.progress,
        "download": reverse("reports:export_download", args=[job.pk]) if done else None,
        "message": _("The file could not be made. Ask for it again, or for a shorter period.")
        if job.state == ExportJob.State.FAILED
        else "",
    }


class ExportJobView(OwnJobMixin, TemplateView):
    template_name = "reports/export_job.html"

    def get_context_data(self, **kwargs):
        kwargs.update(
            job=self.job, status=job_status(self.job), expired=self.job.expires_at <= timezone.now()
        )
        return super().get_context_data(**kwargs)


class ExportStatusView(OwnJobMixin, View):
    def get(self, request, *args, **kwargs):
        return JsonResponse(job_status(self.job))


class ExportDownloadView(OwnJobMixin, TemplateView):
    """The file, to its requester only, until it expires (then 410 with a page saying so)."""

    template_name = "reports/export_gone.html"

    def get(self, request, *args, **kwargs):
        job = self.job
        if job.expires_at <= timezone.now():
            return self.render_to_response(self.get_context_data(job=job), status=410)
        if not export_for_download(job):
            raise Http404
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=job.filename,
            content_type=CONTENT_TYPES[job.format],
        )
