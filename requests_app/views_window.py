"""The front window: a clerk takes requests, prints receipts and cancels at the citizen's wish."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from accounts.authz import WindowMixin
from core.http import form_errors_as_messages, public_url
from core.models import in_language
from core.qr import qr_svg
from hall.selectors import window_panel, window_ticket
from requests_app.forms import CancelForm, DeliverForm, IntakeForm, IntakeStartForm, ResubmitForm
from requests_app.models import Citizen, RequestEvent, RequestState
from requests_app.receipts import receipt_pdf
from requests_app.selectors import (
    center_service_usage,
    request_for_receipt,
    window_requests_today,
    window_waiting,
)
from requests_app.services import (
    receipt_print_record,
    service_request_cancel,
    service_request_deliver,
    service_request_resubmit,
    service_request_submit,
)
from requests_app.services.workflow import request_documents_asked
from services.selectors import service_lookup, service_terms, window_service, window_service_matches


class WindowHomeView(WindowMixin, FormView):
    template_name = "requests_app/window_home.html"
    form_class = IntakeStartForm

    def get_initial(self):
        panel = self.hall_panel
        return {"hall_ticket": panel.current.pk} if panel and panel.current else {}

    @cached_property
    def hall_panel(self):
        return window_panel(clerk=self.request.user, center=self.center)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            hall=self.hall_panel,
            today_requests=window_requests_today(center=self.center, clerk=self.request.user, today=today),
            ready_requests=window_waiting(center=self.center, state=RequestState.READY),
            awaiting_requests=window_waiting(center=self.center, state=RequestState.AWAITING_CITIZEN),
            **kwargs,
        )

    def form_valid(self, form):
        service = service_lookup(text=form.cleaned_data["service"])
        if service is None:
            form.add_error(
                "service", _("Choose a service from the list (type part of its name or its code).")
            )
            return self.form_invalid(form)
        url = reverse("window:intake", args=[self.center.code, service.code])
        query = {"national_id": form.cleaned_data["national_id"]}
        if form.cleaned_data["hall_ticket"]:
            query["hall_ticket"] = form.cleaned_data["hall_ticket"]
        return redirect(f"{url}?{urlencode(query)}")


class ServiceOptionsView(WindowMixin, View):
    """Suggestions for the service box as the clerk types: exact, then prefix, then word matches (Arabic
    folded), this center's most used services first."""

    def get(self, request, *args, **kwargs):
        usage = center_service_usage(center=self.center)
        matches = window_service_matches(query=request.GET.get("q", "")[:200], usage=usage)[:12]
        return JsonResponse(
            {"services": [{"code": m.code, "name": m.name, "label": m.label} for m in matches]}
        )


class IntakeView(WindowMixin, FormView):
    template_name = "requests_app/intake.html"
    form_class = IntakeForm

    @cached_property
    def service(self):
        return window_service(code=self.kwargs["service"])

    @cached_property
    def terms(self) -> dict:
        return service_terms(service=self.service)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(documents=self.terms["documents"], fees_total=self.service.fees_total)
        if self.center.local_unit_id is None:
            kwargs["local_units"] = list(self.center.governorate.local_units.order_by("code"))
        return kwargs

    def get_initial(self):
        """Only the name of a known citizen is filled in (it is on the card the citizen hands over);
        the mobile and address are asked of the citizen at every intake, never shown from the record."""
        national_id = self.request.GET.get("national_id", "")
        initial = {"applicant_national_id": national_id, "hall_ticket": self.request.GET.get("hall_ticket")}
        citizen = Citizen.objects.filter(national_id=national_id).first() if national_id else None
        if citizen:
            initial["applicant_name_ar"] = citizen.name_ar
        return initial

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        ticket_id = form["hall_ticket"].value()
        return super().get_context_data(
            service=self.service,
            terms=self.terms,
            hall_ticket=window_ticket(clerk=self.request.user, center=self.center, ticket_id=ticket_id),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            request = service_request_submit(
                center=self.center,
                clerk=self.request.user,
                service=self.service,
                intake=form.to_intake(),
                intake_key=form.cleaned_data["intake_key"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
            return self.form_invalid(form)
        messages.success(self.request, _("Request %(number)s taken.") % {"number": request.receipt_number})
        return redirect("window:receipt", self.center.code, request.receipt_number)


class ReceiptMixin(WindowMixin):
    @cached_property
    def service_request(self):
        found = request_for_receipt(center=self.center, receipt_number=self.kwargs["receipt"])
        if found is None:
            raise Http404
        return found

    def urls(self) -> tuple[str, str]:
        status = public_url(self.request, reverse("track:status", args=[self.service_request.tracking_token]))
        return status, public_url(self.request, reverse("track:lookup"))

    def receipt_context(self) -> dict:
        """What the receipt body (receipt_body.html) shows, on the window page and the print page."""
        status_url, track_url = self.urls()
        return {
            "req": self.service_request,
            "qr": qr_svg(status_url),
            "track_link": format_html('<bdi dir="ltr">{}</bdi>', track_url),
        }


class ReceiptView(ReceiptMixin, TemplateView):
    """The request at the window: its receipt, and what the clerk can do with it now."""

    template_name = "requests_app/receipt.html"

    def get_context_data(self, **kwargs):
        requested = None
        if self.service_request.state == RequestState.AWAITING_CITIZEN:
            requested = self.service_request.events.filter(action=RequestEvent.Action.INFO_REQUESTED).last()
        return super().get_context_data(
            **self.receipt_context(),
            cancel_form=CancelForm(initial={"version": self.service_request.version}),
            deliver_form=DeliverForm(initial={"version": self.service_request.version}),
            resubmit_form=ResubmitForm(
                initial={"version": self.service_request.version}, documents=self.documents_asked(requested)
            ),
            requested=requested,
            **kwargs,
        )

    @staticmethod
    def documents_asked(requested: RequestEvent | None) -> list[tuple[str, str]]:
        """The resubmission offers exactly what the department asked for, in the reader's language."""
        if requested is None:
            return []
        return list(zip((d["code"] for d in requested.documents), requested.document_names, strict=True))


class RecordPrintMixin(ReceiptMixin):
    """Printing is recorded by the button's POST (later prints as reprints), which then opens the
    printable page or PDF by GET; opening them never writes."""

    def post(self, request, *args, **kwargs):
        receipt_print_record(request=self.service_request, actor=request.user)
        return HttpResponseRedirect(request.path)


class ReceiptPrintView(RecordPrintMixin, TemplateView):
    """The receipt alone, printed as soon as it opens."""

    template_name = "requests_app/receipt_print.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.receipt_context(), **kwargs)


class ReceiptPdfView(RecordPrintMixin, View):
    def get(self, request, *args, **kwargs):
        status_url, track_url = self.urls()
        pdf = receipt_pdf(self.service_request, status_url, track_url)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.service_request.receipt_number}.pdf"'
        return response


class WindowActionView(ReceiptMixin, View):
    """A clerk's action on a request of the center; refusals come back as messages, nothing changes.
    Subclasses name the form and define ``run(form)``, which calls the action's service."""

    form_class: type
    success_message: str

    def get_form(self):
        return self.form_class(self.request.POST)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            form_errors_as_messages(request, form)
        else:
            try:
                self.run(form)
                messages.success(request, self.success_message)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                for error in exc.messages:
                    messages.error(request, error)
        return redirect("window:receipt", self.center.code, self.service_request.receipt_number)


class CancelView(WindowActionView):
    form_class = CancelForm
    success_message = gettext_lazy("The request was cancelled.")

    def run(self, form):
        service_request_cancel(
            request_id=self.service_request.pk,
            clerk=self.request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )


class DeliverView(WindowActionView):
    form_class = DeliverForm
    success_message = gettext_lazy("Delivery recorded.")

    def run(self, form):
        data = form.cleaned_data
        service_request_deliver(
            request_id=self.service_request.pk,
            actor=self.request.user,
            to_attorney=data["to_attorney"],
            attorney_name=data["attorney_name"],
            power_of_attorney_checked=data["power_of_attorney_checked"],
            expected_version=data["version"],
        )


class ResubmitView(WindowActionView):
    form_class = ResubmitForm
    success_message = gettext_lazy("The documents were recorded; the request went back to its department.")

    def get_form(self):
        asked = request_documents_asked(request_id=self.service_request.pk)
        names = [(d["code"], in_language(d["name_ar"], d.get("name_en", ""))) for d in asked]
        return ResubmitForm(self.request.POST, documents=names)

    def run(self, form):
        service_request_resubmit(
            request_id=self.service_request.pk,
            actor=self.request.user,
            documents=set(form.cleaned_data["documents"]),
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
