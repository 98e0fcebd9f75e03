"""Citizens follow a request without logging in: receipt number + last 4 ID digits, or the QR token."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from requests_app.forms import TrackForm
from requests_app.public import is_late, public_history, public_stage
from requests_app.selectors import request_public_by_receipt, request_public_by_token

limited = ratelimit(
    key="ip", rate=lambda group, request: settings.TRACKING_RATE, group="tracking", block=True
)


def rate_limited(request, exception):
    return render(request, "requests_app/rate_limited.html", status=429)


def status_context(service_request) -> dict:
    return {
        "req": service_request,
        "stage": public_stage(service_request),
        "late": is_late(service_request),
        "history": public_history(service_request),
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


@method_decorator(limited, name="get")
class StatusView(TemplateView):
    template_name = "requests_app/status.html"

    def get_context_data(self, **kwargs):
        found = request_public_by_token(token=self.kwargs["token"])
        if found is None:
            raise Http404
        return super().get_context_data(**status_context(found), **kwargs)
