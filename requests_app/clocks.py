"""The deadline clocks of a request, as the sweep (``deadlines.sweep``) watches them:

- each step's share of the deadline, running while the step is active (not while the citizen owes a
  document): at-risk and overdue marks on the step, and the escalation ladder;
- the legal deadline of the whole request, running while it is in review: once past, the citizen
  gets one apology SMS with a new expected date.
"""

from deadlines.sweep import ClockKind, register_clock
from requests_app.models import RequestState, RequestStep, ServiceRequest


def _apologise(request_ids: list[int]) -> None:
    from requests_app.services.notify import notify_overdue

    for request in ServiceRequest.objects.filter(pk__in=request_ids).select_related(
        "applicant", "center", "current_step"
    ):
        notify_overdue(request)


def register_request_clocks() -> None:
    register_clock(
        ClockKind(
            key="request_step",
            running=lambda: RequestStep.objects.filter(status=RequestStep.Status.ACTIVE),
            center="request__center",
            risk="risk_at",
            escalate=True,
            escalation_mark="escalation_level",
        )
    )
    register_clock(
        ClockKind(
            key="request",
            running=lambda: ServiceRequest.objects.filter(state=RequestState.IN_REVIEW),
            center="center",
            on_overdue=_apologise,
        )
    )
