"""Citizens follow a request without logging in: receipt number + last 4 ID digits, or the QR token."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView
from django_ratelimit.decorators import ratelimit

from core.pagecache import cached_page, page_is_shareable, page_key
from core.throttle import rate_window_seconds, too_many_requests
from notifications.services import sms_opt_out_set
from requests_app.forms import TrackForm
from requests_app.progress import route_progress
from requests_app.public import public_history, public_stage
from requests_app.selectors import (
    PublicMarks,
    request_mobile_by_token,
    request_public_by_token,
    request_public_marks_by_receipt,
    request_public_marks_by_token,
)

limited = ratelimit(
    key="ip", rate=lambda group, request: settings.TRACKING_RATE, group="tracking", block=True
)


def rate_limited(request, exception):
    seconds = rate_window_seconds(settings.TRACKING_RATE)
    return too_many_requests(request, seconds=seconds, template="rate_limited.html")


def status_page(request, marks: PublicMarks):
    """The status page of the request ``marks`` names: rendered once per version of what it shows
    (core.pagecache), so a transition, the deadline passing or an SMS preference gives a new page."""

    def render_page():
        found = request_public_by_token(token=marks.token)
        context = {
            "req": found,
            "stage": public_stage(found),
            "late": marks.late,
            "history": public_history(found),
            "progress": route_progress(found),
            "sms_opted_out": marks.sms_opted_out,
        }
        return render(request, "requests_app/status.html", context)

    if not page_is_shareable(request):
        return render_page()
    key = page_key(request, "status", marks.token, marks.version, marks.late, marks.sms_opted_out)
    return cached_page(request, key, render_page)


@method_decorator(limited, name="post")
class TrackView(FormView):
    template_name = "requests_app/track.html"
    form_class = TrackForm

    def form_valid(self, form):
        marks = request_public_marks_by_receipt(
            receipt_number=form.cleaned_data["receipt_number"],
            national_id_last4=form.cleaned_data["national_id_last4"],
        )
        if marks is None:
            # The same answer whether the receipt exists or not: nothing to enumerate.
            return self.render_to_response(self.get_context_data(form=form, not_found=True), status=404)
        return status_page(self.request, marks)


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(limited, name="post")
class SmsPreferenceView(View):
    """The citizen holding the QR token stops or resumes the non-essential SMS of their phone,
    without ever seeing the number.

    No CSRF token: the unguessable token in the address is what authorizes the change, and a forger
    who knows it could post it directly; the status page carrying this form is shared through the
    page cache, so it cannot hold a token of one visitor's."""

    def post(self, request, token):
        mobile = request_mobile_by_token(token=token)
        if mobile is None:
            raise Http404
        stop = request.POST.get("sms") == "stop"
        sms_opt_out_set(phone=mobile, opted_out=stop)
        messages.success(
            request,
            _("You will only receive the essential messages.")
            if stop
            else _("You will receive all updates again."),
        )
        return redirect("track:status", token)


@method_decorator(limited, name="get")
class StatusView(View):
    def get(self, request, token):
        marks = request_public_marks_by_token(token=token)
        if marks is None:
            raise Http404
        return status_page(request, marks)
