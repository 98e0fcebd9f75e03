"""What a citizen reads about a request: plain Arabic stages, never internal state names, staff
names or internal notes. Notes written *for* the citizen (what to bring, the legal reason of a
rejection) are shown; everything else stays in the back office."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app.models import RequestEvent, RequestState, ServiceRequest

FINISHED = {
    RequestState.APPROVED,
    RequestState.READY,
    RequestState.DELIVERED,
    RequestState.REJECTED,
    RequestState.CANCELLED,
}


@dataclass(frozen=True)
class Stage:
    label: str
    citizen_action: str = ""
    finished: bool = False


def _last_public_note(request: ServiceRequest, action: str) -> str:
    notes = [e.public_note for e in request.public_events if e.action == action and e.public_note]
    return notes[-1] if notes else ""


def documents_asked_text(event: RequestEvent) -> str:
    """The documents a department asked for, by name in the reader's language, then its note."""
    names = event.documents_text
    if names and event.public_note:
        return f"{names} — {event.public_note}"
    return names or event.public_note


def _last_documents_asked(request: ServiceRequest) -> str:
    asked = [e for e in request.public_events if e.action == RequestEvent.Action.INFO_REQUESTED]
    return documents_asked_text(asked[-1]) if asked else ""


def public_stage(request: ServiceRequest) -> Stage:
    state = request.state
    finished = state in FINISHED
    if state == RequestState.SUBMITTED:
        return Stage(_("Received at the center; it is on its way to the responsible department."))
    if state == RequestState.IN_REVIEW:
        step = request.current_step
        return Stage(
            _("Being studied by %(department)s (step %(step)s of %(steps)s).")
            % {
                "department": step.department.name,
                "step": step.position,
                "steps": len(request.terms["route"]),
            }
        )
    if state == RequestState.AWAITING_CITIZEN:
        return Stage(
            _("Waiting for you: the study stopped until you bring what is asked below to the center."),
            citizen_action=_("Bring: %(documents)s") % {"documents": _last_documents_asked(request)},
        )
    if state == RequestState.APPROVED:
        return Stage(_("Approved; your document is being prepared."), finished=finished)
    if state == RequestState.READY:
        return Stage(
            _("Ready: collect it from the center's window."),
            citizen_action=_(
                "Bring your national ID card and this receipt. An attorney needs the power of attorney."
            ),
            finished=finished,
        )
    if state == RequestState.DELIVERED:
        return Stage(_("Delivered."), finished=finished)
    if state == RequestState.REJECTED:
        return Stage(
            _("Rejected. Reason: %(reason)s")
            % {"reason": _last_public_note(request, RequestEvent.Action.REJECTED)},
            citizen_action=_("You may file a grievance against this decision at the center or online."),
            finished=finished,
        )
    return Stage(_("Cancelled at your request."), finished=finished)


def is_late_now(state: str, due_at) -> bool:
    """Past the legal deadline while the clock runs (it stops while the citizen owes documents)."""
    return state not in FINISHED and state != RequestState.AWAITING_CITIZEN and timezone.now() > due_at


# What the citizen reads in the history: the stages of the request. Assignments, printing and the
# showing of the national ID are the back office's own record.
PUBLIC_ACTIONS = [
    RequestEvent.Action.SUBMITTED,
    RequestEvent.Action.ROUTED,
    RequestEvent.Action.FORWARDED,
    RequestEvent.Action.RETURNED,
    RequestEvent.Action.INFO_REQUESTED,
    RequestEvent.Action.RESUBMITTED,
    RequestEvent.Action.APPROVED,
    RequestEvent.Action.REJECTED,
    RequestEvent.Action.ISSUED,
    RequestEvent.Action.DELIVERED,
    RequestEvent.Action.CANCELLED,
]


def _event_label(event: RequestEvent) -> str:
    department = event.step.department.name if event.step_id else ""
    return {
        RequestEvent.Action.SUBMITTED: _("Request received at the window"),
        RequestEvent.Action.ROUTED: _("Sent to %(department)s") % {"department": department},
        RequestEvent.Action.FORWARDED: _("Study finished at %(department)s; moved on")
        % {"department": department},
        RequestEvent.Action.RETURNED: _("Sent back for another look"),
        RequestEvent.Action.INFO_REQUESTED: _("Documents requested: %(what)s")
        % {"what": documents_asked_text(event)},
        RequestEvent.Action.RESUBMITTED: _("Documents received; the study resumed"),
        RequestEvent.Action.APPROVED: _("Approved"),
        RequestEvent.Action.REJECTED: _("Rejected: %(reason)s") % {"reason": event.public_note},
        RequestEvent.Action.ISSUED: _("Ready for pickup at the window"),
        RequestEvent.Action.DELIVERED: _("Delivered"),
        RequestEvent.Action.CANCELLED: _("Request cancelled at your request"),
    }[event.action]


def public_history(request: ServiceRequest) -> list[tuple]:
    return [(event.at, _event_label(event)) for event in request.public_events]
