"""What citizens use without signing in: the online complaint form, the tracking page the complaint's
link and QR open (the unguessable token authorizes reopening, confirming and rating), and photos."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from django_ratelimit.decorators import ratelimit

from complaints.forms import ComplaintForm, RatingForm, ReopenForm
from complaints.models import Channel, ComplaintState
from complaints.selectors import complaint_by_token, photo_by_token
from complaints.services import (
    complaint_confirm,
    complaint_file,
    complaint_rate,
    complaint_reopen,
    reopen_deadline,
)
from core.forms import service_errors_on_form
from core.http import form_errors_as_messages, public_url
from core.qr import qr_svg
from requests_app.models import scan_storage

filing_limited = ratelimit(
    key="ip", rate=lambda group, request: settings.COMPLAINT_FILING_RATE, group="complaint-filing", block=True
)
tracking_limited = ratelimit(
    key="ip", rate=lambda group, request: settings.TRACKING_RATE, group="tracking", block=True
)


class FileComplaintMixin:
    """Filing from a form: the service decides; its refusals show on the form, nothing is stored."""

    template_name = "complaints/new.html"
    form_class = ComplaintForm
    channel = Channel.ONLINE

    def form_valid(self, form):
        if form.is_bot:
            form.add_error(None, _("The complaint could not be filed. Please try again."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            complaint = complaint_file(data=form.complaint_input(), channel=self.channel, clerk=self.clerk())
        except ValidationError as error:
            service_errors_on_form(form, error)
            return self.form_invalid(form)
        return self.filed(complaint)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def clerk(self):
        return None


@method_decorator(filing_limited, name="post")
class NewComplaintView(FileComplaintMixin, FormView):
    def filed(self, complaint):
        messages.success(
            self.request,
            _(
                "Your complaint is filed under number %(number)s. "
                "Keep this page's link or its QR code to follow it."
            )
            % {"number": complaint.number},
        )
        return redirect("complaints:track", complaint.tracking_token)


def tracking_context(request, complaint) -> dict:
    url = public_url(request, reverse("complaints:track", args=[complaint.tracking_token]))
    return {"tracking_url": url, "qr": qr_svg(url)}


@method_decorator(tracking_limited, name="get")
class TrackView(TemplateView):
    template_name = "complaints/track.html"

    def get_context_data(self, **kwargs):
        complaint = complaint_by_token(token=self.kwargs["token"])
        if complaint is None:
            raise Http404
        deadline = reopen_deadline(complaint)
        answered = complaint.state in (ComplaintState.RESOLVED, ComplaintState.CLOSED)
        return super().get_context_data(
            complaint=complaint,
            late=complaint.is_open and complaint.due_at < timezone.now(),
            reopen_until=deadline if deadline and deadline >= timezone.now() else None,
            reopen_form=ReopenForm(),
            rating_form=RatingForm() if answered and complaint.rating is None else None,
            **tracking_context(self.request, complaint),
            **kwargs,
        )


@method_decorator(tracking_limited, name="post")
class CitizenActView(View):
    """The complainant reopens, confirms or rates, from the tracking page."""

    def post(self, request, token, action):
        try:
            if action == "reopen":
                form = ReopenForm(request.POST)
                if form.is_valid():
                    complaint_reopen(token=token, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Your complaint is reopened; it will be answered again."))
            elif action == "confirm":
                form = None
                complaint_confirm(token=token)
                messages.success(request, _("Thank you: the complaint is closed."))
            elif action == "rate":
                form = RatingForm(request.POST)
                if form.is_valid():
                    complaint_rate(token=token, **form.cleaned_data)
                    messages.success(request, _("Thank you for rating the answer."))
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if form is not None and not form.is_valid():
                form_errors_as_messages(request, form)
        return redirect("complaints:track", token)


class PhotoView(View):
    """A complaint's photo, under its own unguessable token (what Open311 clients get as media_url)."""

    def get(self, request, token):
        photo = photo_by_token(token=token)
        if photo is None:
            raise Http404
        response = FileResponse(scan_storage().open(photo.image.name), content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response
