"""The citizen's progress line: the request's route as done, current and to come, with dates — built
from the terms it was taken under and its public history, without another query."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import in_language
from core.pagecache import generation_cached
from organisation.models import DepartmentType
from requests_app.models import RequestEvent, RequestState, ServiceRequest

Action = RequestEvent.Action
DECIDED = (RequestState.APPROVED, RequestState.READY, RequestState.DELIVERED)
STOPPED = {RequestState.REJECTED: gettext_lazy("Rejected"), RequestState.CANCELLED: gettext_lazy("Cancelled")}


def _department_names() -> dict[str, tuple[str, str]]:
    return generation_cached(
        "catalog",
        "department-type-names",
        lambda: {t.code: (t.name_ar, t.name_en) for t in DepartmentType.objects.all()},
    )


def _day(moment) -> str:
    return date_format(moment, "j F Y") if moment else ""


def route_progress(request: ServiceRequest) -> list[dict]:
    """[{label, state: done | current | todo, meta}] from receipt to delivery."""
    entered, left, position = {}, {}, 0
    issued_at = delivered_at = stopped_at = None
    for event in request.public_events:
        if event.action == Action.ROUTED:
            position = 1
            entered[1] = event.at
        elif event.action == Action.FORWARDED:
            left[position] = event.at
            position += 1
            entered[position] = event.at
        elif event.action == Action.RETURNED:
            position = max(position - 1, 1)
            entered[position] = event.at
        elif event.action == Action.APPROVED:
            left[position] = event.at
        elif event.action == Action.ISSUED:
            issued_at = event.at
        elif event.action == Action.DELIVERED:
            delivered_at = event.at
        elif event.action in (Action.REJECTED, Action.CANCELLED):
            stopped_at = event.at
    state, names = request.state, _department_names()
    steps = [{"label": _("Received at the center"), "state": "done", "meta": _day(request.submitted_at)}]
    for number, step in enumerate(request.terms["route"], start=1):
        name = in_language(*names.get(step["department"], (step["department"], "")))
        if state in DECIDED or number < position:
            steps.append({"label": name, "state": "done", "meta": _day(left.get(number))})
        elif number == position and state not in STOPPED:
            since = _("since %(day)s") % {"day": _day(entered.get(number))} if number in entered else ""
            steps.append({"label": name, "state": "current", "meta": since})
        elif state not in STOPPED:
            steps.append({"label": name, "state": "todo", "meta": ""})
    if state in STOPPED:
        steps.append({"label": STOPPED[state], "state": "current", "meta": _day(stopped_at)})
        return steps
    delivered = state == RequestState.DELIVERED
    ready = "done" if delivered else "current" if state == RequestState.READY else "todo"
    steps.append({"label": _("Ready at the window"), "state": ready, "meta": _day(issued_at)})
    if delivered:
        steps.append({"label": _("Delivered"), "state": "done", "meta": _day(delivered_at)})
    return steps
