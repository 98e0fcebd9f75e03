"""The front window takes complaints too: the clerk files one for the citizen and prints its receipt
(the number, the tracking link and its QR)."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from accounts.authz import WindowMixin
from complaints.models import Channel
from complaints.selectors import complaint_filed_by
from complaints.views_public import FileComplaintMixin, tracking_context


class WindowComplaintView(WindowMixin, FileComplaintMixin, FormView):
    channel = Channel.WINDOW

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "center": self.center}

    def clerk(self):
        return self.request.user

    def filed(self, complaint):
        return redirect("complaints:window_receipt", self.center.code, complaint.number)


class WindowComplaintReceiptView(WindowMixin, TemplateView):
    """Only the clerk who filed it sees this receipt; the complaint itself belongs to its handlers."""

    template_name = "complaints/window_receipt.html"

    def get_context_data(self, **kwargs):
        complaint = complaint_filed_by(clerk=self.request.user, number=self.kwargs["number"])
        if complaint is None:
            raise Http404
        return super().get_context_data(
            complaint=complaint, **tracking_context(self.request, complaint), **kwargs
        )
