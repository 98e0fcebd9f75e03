"""The department steps' KPIs, defined once (over the step roll-up ``reports.models.StepDay``), and the
live figures of one department for its head.

- steps finished: a request's step finished by its department (forwarded to the next one, approved or
  rejected at the last one), counted on the Cairo day it was finished, for the department and for the
  employee who finished it;
- on-time rate = steps finished by the step's due date (which moved later with each working day spent
  waiting for the citizen) ÷ steps finished;
- mean working days per step: the working days the steps took, net of the citizen's time, ÷ steps
  finished;
- the **bottleneck**: of the department steps (by kind of department: engineering, survey, legal …) with
  steps finished in the period, the one whose steps took longest on average (then the one with most
  finished late), when there are at least two to compare;
- live, for one department: its open requests (in progress, waiting for the citizen, at risk, past the
  step's due date, past the legal deadline, not assigned) and each employee's load (open requests
  assigned to them, how many are past the step's due date and past the legal deadline).

The roll-up queries cost what days × centers × services × departments × employees cost, whatever the
number of requests; the live ones read the department's open requests only (the queue's indexes).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from organisation.models import Department, DepartmentType
from reports import spans
from reports.backlog import at_risk_q, awaiting_citizen_q, open_q, overdue_q
from reports.kpis import Slice, compared_periods
from reports.models import StepDay
from requests_app.models import RequestState, ServiceRequest
from services.models import Service

FIGURES = spans.COLUMNS["StepDay"][1]
STAFF_ROLES = (Role.BACKOFFICE, Role.DEPARTMENT_HEAD)


@dataclass(frozen=True)
class StepKpis:
    steps_done: int = 0
    steps_on_time: int = 0
    working_days: int = 0

    @property
    def late(self) -> int:
        return self.steps_done - self.steps_on_time

    @property
    def on_time_rate(self) -> float | None:
        return self.steps_on_time / self.steps_done if self.steps_done else None

    @property
    def mean_working_days(self) -> float | None:
        return self.working_days / self.steps_done if self.steps_done else None


def _summed(periods, *, slice_: Slice | None, by: tuple[str, ...] = ()) -> dict[tuple, list[StepKpis]]:
    found = spans.summed(StepDay, periods=periods, figures=FIGURES, by=by, rows=(slice_ or Slice()).rows)
    return {key: [StepKpis(**figures) for figures in per_period] for key, per_period in found.items()}


def step_kpis(*, date_from: date, date_to: date, slice_: Slice | None = None) -> StepKpis:
    """The steps finished on the days ``date_from`` to ``date_to`` (both included)."""
    return _summed([(date_from, date_to)], slice_=slice_).get((), [StepKpis()])[0]


@dataclass(frozen=True)
class StepCompared:
    """A period's step KPIs with the period just before (same length) and the same days a year earlier."""

    current: StepKpis
    previous: StepKpis
    last_year: StepKpis


def step_kpis_compared(*, date_from: date, date_to: date, slice_: Slice | None = None) -> StepCompared:
    found = _summed(compared_periods(date_from, date_to), slice_=slice_)
    return StepCompared(*found.get((), [StepKpis()] * 3))


def step_kpis_by(*, by: str, date_from: date, date_to: date, slice_: Slice | None = None) -> dict:
    """The step KPIs of each value of ``by`` (``department__department_type``, ``department``,
    ``employee``, ``service``, ``center`` …) with steps finished in the period."""
    return {
        key: kpis
        for (key,), (kpis,) in _summed([(date_from, date_to)], slice_=slice_, by=(by,)).items()
        if kpis.steps_done
    }


# Time per department step, and the bottleneck ------------------------------------------------------


@dataclass(frozen=True)
class DepartmentStep:
    department_type: DepartmentType
    kpis: StepKpis
    is_bottleneck: bool = False

    @property
    def name(self) -> str:
        return self.department_type.name


def _slowest_first(kpis: StepKpis) -> tuple:
    return (-(kpis.mean_working_days or 0), -kpis.late)


def department_steps(*, date_from: date, date_to: date, slice_: Slice | None = None) -> list[DepartmentStep]:
    """Each kind of department with steps finished in the period, the slowest (mean working days per
    step, then most late) first; the first is the bottleneck when there are at least two."""
    kpis = step_kpis_by(by="department__department_type", date_from=date_from, date_to=date_to, slice_=slice_)
    types = DepartmentType.objects.in_bulk(list(kpis))
    ordered = sorted(kpis, key=lambda pk: (*_slowest_first(kpis[pk]), types[pk].code))
    return [
        DepartmentStep(types[pk], kpis[pk], is_bottleneck=index == 0 and len(ordered) > 1)
        for index, pk in enumerate(ordered)
    ]


def bottleneck(steps: list[DepartmentStep]) -> DepartmentStep | None:
    return next((step for step in steps if step.is_bottleneck), None)


# One department: its services, its staff, its queue now ---------------------------------------------


@dataclass(frozen=True)
class ServiceSteps:
    service: Service
    kpis: StepKpis


def department_services(
    *, department: Department, date_from: date, date_to: date, limit: int = 10
) -> list[ServiceSteps]:
    """The services whose steps took the department longest in the period (mean working days per
    step, then most late), the slowest first."""
    kpis = step_kpis_by(
        by="service", date_from=date_from, date_to=date_to, slice_=Slice(Q(department=department))
    )
    services = Service.objects.in_bulk(list(kpis))
    ordered = sorted(kpis, key=lambda pk: (*_slowest_first(kpis[pk]), services[pk].code))
    return [ServiceSteps(services[pk], kpis[pk]) for pk in ordered[:limit]]


@dataclass(frozen=True)
class EmployeeFigures:
    """One employee of a department: the steps they finished in the period, and their load now."""

    employee: User
    is_head: bool
    kpis: StepKpis
    open_now: int = 0
    step_late_now: int = 0
    overdue_now: int = 0


def department_staff(
    *, department: Department, date_from: date, date_to: date, now: datetime | None = None
) -> list[EmployeeFigures]:
    """Everyone who works in the department now, or finished its steps in the period, or holds its open
    requests: the most loaded first. Only for the department's head, its center's manager and above."""
    now = now or timezone.now()
    kpis = step_kpis_by(
        by="employee", date_from=date_from, date_to=date_to, slice_=Slice(Q(department=department))
    )
    loads = {
        line["assignee"]: line
        for line in ServiceRequest.objects.filter(current_department=department, assignee__isnull=False)
        .values("assignee")
        .annotate(
            open=Count("pk"),
            step_late=Count("pk", filter=Q(step_due_at__lt=now)),
            overdue=Count("pk", filter=overdue_q()),
        )
        .order_by()
    }
    people: dict[int, User] = {}
    heads: set[int] = set()
    for assignment in (
        RoleAssignment.objects.filter(
            department=department, is_active=True, user__is_active=True, role__in=STAFF_ROLES
        )
        .select_related("user")
        .order_by("user__full_name", "user__username")
    ):
        people.setdefault(assignment.user_id, assignment.user)
        if assignment.role == Role.DEPARTMENT_HEAD:
            heads.add(assignment.user_id)
    others = (set(kpis) | set(loads)) - set(people) - {None}
    people.update(User.objects.in_bulk(sorted(others)))
    rows = [
        EmployeeFigures(
            employee=user,
            is_head=pk in heads,
            kpis=kpis.get(pk, StepKpis()),
            open_now=loads.get(pk, {}).get("open", 0),
            step_late_now=loads.get(pk, {}).get("step_late", 0),
            overdue_now=loads.get(pk, {}).get("overdue", 0),
        )
        for pk, user in people.items()
    ]
    return sorted(rows, key=lambda r: (-r.open_now, -r.overdue_now, -r.kpis.steps_done, str(r.employee)))


@dataclass(frozen=True)
class QueueNow:
    open: int = 0
    awaiting_citizen: int = 0
    at_risk: int = 0
    step_late: int = 0
    overdue: int = 0
    unassigned: int = 0

    @property
    def in_progress(self) -> int:
        return self.open - self.awaiting_citizen


def department_queue_now(*, department: Department, now: datetime | None = None) -> QueueNow:
    """Live: the department's open requests (one aggregate over its queue), with the backlog's
    definitions of waiting, at risk and overdue (``reports.backlog``), and the queue's filters' of a
    step past its due date and of a request not assigned (so that the queue lists the same ones)."""
    now = now or timezone.now()
    counts = ServiceRequest.objects.filter(current_department=department).aggregate(
        open=Count("pk", filter=open_q()),
        awaiting_citizen=Count("pk", filter=awaiting_citizen_q()),
        at_risk=Count("pk", filter=at_risk_q(now)),
        step_late=Count("pk", filter=Q(step_due_at__lt=now)),
        overdue=Count("pk", filter=overdue_q()),
        unassigned=Count("pk", filter=Q(state=RequestState.IN_REVIEW, assignee__isnull=True)),
    )
    return QueueNow(**counts)
