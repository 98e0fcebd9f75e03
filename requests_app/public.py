"""What a citizen reads about a request: plain Arabic stages, never internal state names."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_app.models import RequestEvent, RequestState, ServiceRequest


@dataclass(frozen=True)
class Stage:
    label: str
    citizen_action: str = ""
    finished: bool = False


STAGES = {
    RequestState.SUBMITTED: Stage(
        _("Received at the center; it is on its way to the responsible department.")
    ),
    RequestState.CANCELLED: Stage(_("Cancelled at your request."), finished=True),
}

EVENT_LABELS = {
    RequestEvent.Action.SUBMITTED: _("Request received at the window"),
    RequestEvent.Action.CANCELLED: _("Request cancelled at your request"),
}


def public_stage(request: ServiceRequest) -> Stage:
    return STAGES[request.state]


def is_late(request: ServiceRequest) -> bool:
    return not public_stage(request).finished and timezone.now() > request.due_at


def public_history(request: ServiceRequest) -> list[tuple]:
    return [(event.at, EVENT_LABELS[event.action]) for event in request.public_events]
