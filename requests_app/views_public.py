"""Citizens follow a request without logging in: receipt number + last 4 ID digits, or the QR token."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from core.throttle import rate_window_seconds, too_many_requests
from notifications.services import sms_is_opted_out, sms_opt_out_set
from requests_app.forms import TrackForm
from requests_app.public import is_late, public_history, public_stage
from requests_app.selectors import request_public_by_receipt, request_public_by_token

limited = ratelimit(
    key="ip", rate=lambda group, request: settings.TRACKING_RATE, group="tracking", block=True
)


def rate_limited(request, exception):
    seconds = rate_window_seconds(settings.TRACKING_RATE)
    return too_many_requests(request, seconds=seconds, template="requests_app/rate_limited.html")


def status_context(service_request) -> dict:
    return {
        "req": service_request,
        "stage": public_stage(service_request),
        "late": is_late(service_request),
        "history": public_history(service_request),
        "sms_opted_out": sms_is_opted_out(phone=service_request.applicant_mobile),
    }


@method_decorator(limited, name="post")
class TrackView(FormView):
    template_name = "requests_app/track.html"
    form_class = TrackForm

    def form_valid(self, form):
        found = request_public_by_receipt(
            receipt_number=form.cleaned_data["receipt_number"],
            national_id_last4=form.cleaned_data["national_id_last4"],
        )
        if found is None:
            # The same answer whether the receipt exists or not: nothing to enumerate.
            return self.render_to_response(self.get_context_data(form=form, not_found=True), status=404)
        return render(self.request, "requests_app/status.html", status_context(found))


@method_decorator(limited, name="post")
class SmsPreferenceView(View):
    """The citizen holding the QR token stops or resumes the non-essential SMS of their phone,
    without ever seeing the number."""

    def post(self, request, token):
        found = request_public_by_token(token=token)
        if found is None:
            raise Http404
        stop = request.POST.get("sms") == "stop"
        sms_opt_out_set(phone=found.applicant_mobile, opted_out=stop)
        messages.success(
            request,
            _("You will only receive the essential messages.")
            if stop
            else _("You will receive all updates again."),
        )
        return redirect("track:status", token)


@method_decorator(limited, name="get")
class StatusView(TemplateView):
    template_name = "requests_app/status.html"

    def get_context_data(self, **kwargs):
        found = request_public_by_token(token=self.kwargs["token"])
        if found is None:
            raise Http404
        return super().get_context_data(**status_context(found), **kwargs)
