"""The clerk's side of the hall, on the window page: open a window, call the next ticket, call it
again, serve it, finish it, mark it absent or send it to another queue. Each action posts here and
comes back to the window page with what happened."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from accounts.authz import WindowMixin
from hall import services
from hall.forms import TransferForm, WindowOpenForm
from hall.models import HallWindow


class HallActionView(WindowMixin, View):
    """Runs ``act()``; a refusal becomes a message and changes nothing."""

    def post(self, request, *args, **kwargs):
        try:
            message = self.act()
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You cannot do this here."))
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            if message:
                messages.success(request, message)
        return redirect("window:home", self.center.code)

    def act(self) -> str:
        raise NotImplementedError


class WindowOpenView(HallActionView):
    def act(self) -> str:
        form = WindowOpenForm(self.request.POST)
        window = (
            HallWindow.objects.filter(center=self.center, number=form.cleaned_data["window"]).first()
            if form.is_valid()
            else None
        )
        if window is None:
            raise ValidationError(_("Choose one of this center's windows."))
        services.window_shift_open(clerk=self.request.user, window_id=window.pk)
        return _("You are at window %(number)d.") % {"number": window.number}


class WindowCloseView(HallActionView):
    def act(self) -> str:
        services.window_shift_close(clerk=self.request.user)
        return _("Your window is closed.")


class CallNextView(HallActionView):
    def act(self) -> str:
        ticket = services.ticket_call_next(clerk=self.request.user, center=self.center)
        return _("Ticket %(code)s called.") % {"code": ticket.code}


TICKET_ACTIONS = {
    "recall": (services.ticket_recall, gettext_lazy("Ticket %(code)s called again.")),
    "serve": (services.ticket_serve, gettext_lazy("Serving ticket %(code)s.")),
    "finish": (services.ticket_finish, gettext_lazy("Ticket %(code)s served.")),
    "absent": (services.ticket_no_show, gettext_lazy("Ticket %(code)s marked as not come.")),
}


class TicketActionView(HallActionView):
    def act(self) -> str:
        if self.kwargs["action"] not in TICKET_ACTIONS:
            raise Http404
        action, message = TICKET_ACTIONS[self.kwargs["action"]]
        ticket = action(ticket_id=self.kwargs["ticket"], clerk=self.request.user, center=self.center)
        return message % {"code": ticket.code}


class TicketTransferView(HallActionView):
    def act(self) -> str:
        form = TransferForm(self.request.POST)
        queue_id = form.cleaned_data["queue"] if form.is_valid() else None
        ticket = services.ticket_transfer(
            ticket_id=self.kwargs["ticket"], clerk=self.request.user, center=self.center, queue_id=queue_id
        )
        return _("Ticket %(code)s sent to %(queue)s.") % {"code": ticket.code, "queue": ticket.queue.name}
