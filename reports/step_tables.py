"""The department steps on the screens: the "Time per department step" table of the governorate and
center dashboards (with its bottleneck), and the tables of a department's view — each also as a
``reports.exports.Table`` for its CSV and Excel download (``reports.tables``), built from the very rows
the page renders. Numbers stay numbers (rates in %, working days to two decimals)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.authz import scope_q
from accounts.models import OVERSIGHT_ROLES, Role, User
from organisation.models import Department
from organisation.places import OrgPaths
from reports import steps
from reports.exports import Table
from reports.kpis import Slice

# Who opens a department's view: its head, its center's manager (a center manager reaches the
# departments of the center's local unit), the governorate's official, the national viewer and the
# administrator. The same people see its staff figures — never the department's other employees.
DEPARTMENT_VIEWERS = (Role.DEPARTMENT_HEAD, *OVERSIGHT_ROLES)
STAFF_VIEWERS = DEPARTMENT_VIEWERS
DEPARTMENT_PATHS = OrgPaths(governorate="local_unit__governorate", local_unit="local_unit", department="pk")


def departments_in_reach(user: User, roles=DEPARTMENT_VIEWERS):
    return Department.objects.filter(scope_q(user, roles, DEPARTMENT_PATHS))


def _rate(value: float | None) -> float | str:
    return "" if value is None else round(100 * value, 1)


def _days(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def step_header() -> list[str]:
    return [
        _("Steps finished"),
        _("Finished on time"),
        _("Finished late"),
        _("On-time rate (%)"),
        _("Mean working days per step"),
    ]


def step_cells(kpis: steps.StepKpis) -> list:
    return [
        kpis.steps_done,
        kpis.steps_on_time,
        kpis.late,
        _rate(kpis.on_time_rate),
        _days(kpis.mean_working_days),
    ]


def department_steps_table(rows: list[steps.DepartmentStep]) -> Table:
    return Table(
        _("Time per department step"),
        [_("Department"), *step_header(), _("Bottleneck")],
        [[row.name, *step_cells(row.kpis), _("Yes") if row.is_bottleneck else ""] for row in rows],
    )


def add_step_times(context: dict, *, form, slice_: Slice) -> None:
    """For the governorate and center dashboards: the time per department step over the period of
    ``form`` and the rows of ``slice_`` (the viewer's scope already in it), its bottleneck and its
    table."""
    rows = steps.department_steps(
        date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"], slice_=slice_
    )
    context["step_times"] = rows
    context["bottleneck"] = steps.bottleneck(rows)
    context.setdefault("tables", {})["steps"] = department_steps_table(rows)


def departments_linked(user: User, departments) -> set[int]:
    """Which of a center's departments (``open_by_department``'s lines) ``user`` may open."""
    listed = [line["current_department"] for line in departments]
    if not listed:
        return set()
    return set(departments_in_reach(user).filter(Q(pk__in=listed)).values_list("pk", flat=True))


# A department's view ---------------------------------------------------------------------------------


def queue_table(queue: steps.QueueNow) -> Table:
    return Table(
        _("The department's queue now"),
        [_("Figure"), _("Requests")],
        [[label, value] for label, value in queue_lines(queue)],
    )


def queue_lines(queue: steps.QueueNow) -> list[tuple[str, int]]:
    return [
        (_("Open now"), queue.open),
        (_("In progress"), queue.in_progress),
        (_("Waiting for the citizen"), queue.awaiting_citizen),
        (_("At risk"), queue.at_risk),
        (_("Past the step's due date"), queue.step_late),
        (_("Past the legal deadline"), queue.overdue),
        (_("Not assigned to anyone"), queue.unassigned),
    ]


def staff_table(staff: list[steps.EmployeeFigures]) -> Table:
    return Table(
        _("Load and lateness per employee"),
        [
            _("Employee"),
            _("Open now"),
            _("Past the step's due date"),
            _("Past the legal deadline"),
            *step_header(),
        ],
        [
            [str(row.employee), row.open_now, row.step_late_now, row.overdue_now, *step_cells(row.kpis)]
            for row in staff
        ],
    )


def services_table(services: list[steps.ServiceSteps]) -> Table:
    return Table(
        _("Slowest services in the department"),
        [_("Service"), _("Service code"), *step_header()],
        [[row.service.name, row.service.code, *step_cells(row.kpis)] for row in services],
    )


def step_figures_table(compared: steps.StepCompared) -> Table:
    return Table(
        _("Headline figures"),
        [_("Figure"), _("This period"), _("Previous period"), _("Last year")],
        [
            [name, *values]
            for name, *values in zip(
                step_header(),
                step_cells(compared.current),
                step_cells(compared.previous),
                step_cells(compared.last_year),
                strict=True,
            )
        ],
    )


def aging_table(aging) -> Table:
    return Table(
        _("Open requests by working days since submission"),
        [_("Working days since submission"), _("In progress"), _("Waiting for the citizen"), _("Open")],
        [[str(row.bucket.label), row.in_progress, row.awaiting_citizen, row.open] for row in aging.rows],
    )
