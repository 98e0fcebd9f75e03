"""What the citizen sees without signing in: the ticket's own page (its QR opens it) with the live place
in line, and a center's hall — the lines and expected waits, and any ticket of today typed as printed."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit

from core.throttle import rate_window_seconds, too_many_requests
from hall.forms import TicketLookupForm
from hall.selectors import queue_figures, ticket_by_code, ticket_by_token, ticket_place
from organisation.models import Center

limited = ratelimit(
    key="ip", rate=lambda group, request: settings.HALL_TICKET_RATE, group="hall", block=False
)


class ThrottledMixin:
    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            seconds = rate_window_seconds(settings.HALL_TICKET_RATE)
            return too_many_requests(request, seconds=seconds, template="rate_limited.html")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(limited, name="dispatch")
class TicketView(ThrottledMixin, TemplateView):
    """The page the ticket's QR opens; its card refreshes itself (``?card=1`` gives the card alone)."""

    template_name = "hall/ticket.html"

    def get_template_names(self):
        return ["hall/ticket_card.html"] if self.request.GET.get("card") else [self.template_name]

    def get_context_data(self, **kwargs):
        ticket = ticket_by_token(token=kwargs.pop("token"))
        if ticket is None:
            raise Http404
        return super().get_context_data(
            place=ticket_place(ticket=ticket), lookup=TicketLookupForm(), center=ticket.center, **kwargs
        )


@method_decorator(limited, name="dispatch")
class CenterHallView(ThrottledMixin, TemplateView):
    template_name = "hall/center.html"

    def get(self, request, *args, **kwargs):
        center = get_object_or_404(Center, code=kwargs["center"], is_active=True)
        context = {"center": center, "figures": queue_figures(center=center), "lookup": TicketLookupForm()}
        status = 200
        if "ticket" in request.GET:
            form = TicketLookupForm(request.GET)
            context["lookup"] = form
            if form.is_valid():
                ticket = ticket_by_code(center=center, code=form.cleaned_data["ticket"])
                if ticket is None:
                    form.add_error("ticket", _no_such_ticket(form.cleaned_data["ticket"], center))
                    status = 404
                else:
                    context["place"] = ticket_place(ticket=ticket)
            else:
                status = 400
        return render(request, self.template_name, context, status=status)


def _no_such_ticket(code: str, center: Center) -> str:
    return _("There is no ticket %(code)s today at %(center)s. Type it as printed, e.g. B-042.") % {
        "code": code,
        "center": center.short_name,
    }
