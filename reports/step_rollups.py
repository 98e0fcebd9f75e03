"""Keeping the step roll-up (``reports.models.StepDay``) current, and rebuilding it.

Like the request roll-ups (``reports.rollups``), in each event's own transaction: the history row of an
act that finishes a request's step — forwarded to the next department, approved or rejected at the last
one — adds one finished step to the row of (day, center, service, department, employee) with its
working days and whether it was finished by the step's due date. The employee is the one who finished
it (the act's actor, stored on the step as ``completed_by``).

A request sent back to the previous department reopens that department's step: the step's finish no
longer stands, so its return takes it back from the row it was added to (its working days so far stay
with the step, and count again, with the new ones, when it is finished after all). So the roll-up always
counts every step that is done now, once, on the day it was last finished — which is what the rebuild
reads from the steps' own stored columns (status, completion, finisher, due date, working days), with no
history replayed.

``reports.rollups`` calls ``step_event_recorded`` last for each history row (the rebuild locks this table
last too, so both take the tables in the same order), and folds the rebuild and the snapshot into its own.
"""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from organisation.calendar import CAIRO
from reports import rollups, spans
from reports.models import StepDay
from requests_app.models import RequestEvent, RequestStep, StepFinish

STEP_FIGURES = spans.COLUMNS["StepDay"][1]
FINISHING = (RequestEvent.Action.FORWARDED, RequestEvent.Action.APPROVED, RequestEvent.Action.REJECTED)


def _keys(request, finish: StepFinish) -> dict:
    return {
        "day": timezone.localdate(finish.completed_at, CAIRO),
        "center_id": request.center_id,
        "service_id": request.service_id,
        "department_id": finish.department_id,
        "employee_id": finish.completed_by_id,
    }


def _figures(finish: StepFinish) -> dict:
    return {"steps_done": 1, "steps_on_time": int(finish.on_time), "working_days": finish.working_days}


def step_event_recorded(event: RequestEvent) -> None:
    """Called for each new history row, inside its transaction (by ``reports.rollups``)."""
    request = event.request
    if event.action in FINISHING:
        finish = event.step.finish() if event.step is not None else None
        if finish is not None:
            rollups._add(StepDay, _keys(request, finish), _figures(finish))
    elif event.action == RequestEvent.Action.RETURNED and request.reopened_finish is not None:
        finish = request.reopened_finish
        rollups._take_back(StepDay, _keys(request, finish), _figures(finish))


def rebuilt_step_days(step_model=RequestStep) -> list[dict]:
    """The roll-up rows from the steps alone (``step_model``: the historical model in a migration)."""
    return list(
        step_model.objects.filter(status=RequestStep.Status.DONE, completed_at__isnull=False)
        .annotate(day=TruncDate("completed_at", tzinfo=CAIRO))
        .values("day", "request__center_id", "request__service_id", "department_id", "completed_by_id")
        .annotate(
            steps_done=Count("pk"),
            steps_on_time=Count("pk", filter=Q(completed_at__lte=F("due_at"))),
            working_days=Coalesce(Sum("working_days_taken"), 0),
        )
        .order_by()
    )


def step_days_rebuild(step_model=RequestStep, step_day_model=StepDay) -> int:
    """Every step roll-up row again (inside the caller's transaction, which has locked the table)."""
    return spans.rows_replace(
        step_day_model,
        (
            step_day_model(
                day=line["day"],
                center_id=line["request__center_id"],
                service_id=line["request__service_id"],
                department_id=line["department_id"],
                employee_id=line["completed_by_id"],
                **{name: line[name] for name in STEP_FIGURES},
            )
            for line in rebuilt_step_days(step_model)
        ),
    )
