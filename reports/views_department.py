"""A department's view, for its head (and its center's manager, the governorate's official, the national
viewer): the queue now, its aging, each employee's load and lateness, the slowest services, and the
period's step figures beside the period before and the same period last year.

Role first (``RoleRequiredMixin``: a back-office employee is refused, 403), then the department the URL
names among those the viewer reaches (another one is a 404). The staff figures are only for the
department's head, its center's manager and above (``STAFF_VIEWERS``), never for its employees. The
figures come from ``reports.steps`` (over the step roll-up, and live over the department's queue) and
the backlog's count (``reports.backlog``); this module only parses, calls and lays them out."""

from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.authz import can
from reports import backlog, steps
from reports.kpis import Slice
from reports.selectors import REPORT_ROLES
from reports.step_tables import (
    DEPARTMENT_VIEWERS,
    STAFF_VIEWERS,
    aging_table,
    departments_in_reach,
    queue_lines,
    queue_table,
    services_table,
    staff_table,
    step_figures_table,
)
from reports.views_backlog import as_of_label
from reports.views_dashboards import SHOW, Comparison, DashboardView, Figure, _change

# (key, label, value of a StepKpis, shown as, better when)
STEP_FIGURES = (
    ("steps_done", gettext_lazy("Steps finished"), lambda k: k.steps_done, "count", None),
    ("on_time", gettext_lazy("On-time rate"), lambda k: k.on_time_rate, "rate", "up"),
    ("mean", gettext_lazy("Mean working days per step"), lambda k: k.mean_working_days, "days", "down"),
    ("late", gettext_lazy("Finished late"), lambda k: k.late, "count", "down"),
)


def step_headline(compared: steps.StepCompared) -> list[Figure]:
    """The department's step figures, each beside the period before and the same period last year."""
    figures = []
    for key, label, value, shown, better in STEP_FIGURES:
        now = value(compared.current)
        figure = Figure(key=key, label=str(label), value=SHOW[shown](now))
        for period_label, kpis in (
            (_("Previous period"), compared.previous),
            (_("Last year"), compared.last_year),
        ):
            then = value(kpis)
            change, tone, direction = _change(now, then, shown, better)
            figure.comparisons.append(Comparison(period_label, SHOW[shown](then), change, tone, direction))
        figures.append(figure)
    return figures


class DepartmentDashboardView(DashboardView):
    allowed_roles = DEPARTMENT_VIEWERS
    template_name = "reports/dashboard_department.html"

    def get(self, request, *args, **kwargs):
        department = get_object_or_404(
            departments_in_reach(request.user).select_related("department_type", "local_unit__governorate"),
            pk=kwargs["pk"],
        )
        form = self.period_form()
        if not form.is_valid():
            return self.invalid(form, department=department)
        dates = {name: form.cleaned_data[name] for name in ("date_from", "date_to")}
        compared = steps.step_kpis_compared(**dates, slice_=Slice(Q(department=department)))
        queue = steps.department_queue_now(department=department)
        services = steps.department_services(department=department, **dates)
        aging = backlog.backlog_aging(rows=Q(department=department))
        tables = {
            "figures": step_figures_table(compared),
            "queue": queue_table(queue),
            "aging": aging_table(aging),
            "services": services_table(services),
        }
        staff = None
        if can(request.user, STAFF_VIEWERS, department.org_place()):
            staff = steps.department_staff(department=department, **dates)
            tables["staff"] = staff_table(staff)
        context = self.get_context_data(
            form=form,
            department=department,
            figures=step_headline(compared),
            queue_lines=self._queue_links(department, queue),
            aging=aging,
            aging_as_of=as_of_label(aging.as_of),
            services=services,
            staff=staff,
            tables=tables,
            hide_exports=not request.user.has_role(*REPORT_ROLES),  # a head has no export page
            hide_grain=True,  # no trend on this page
            query=urlencode({name: value.isoformat() for name, value in dates.items()}),
        )
        return self.render_to_response(context)

    @staticmethod
    def _queue_links(department, queue: steps.QueueNow) -> list[tuple[str, int, str]]:
        """Each figure of the queue now, with the department's queue filtered to the same requests
        where its filters say the same thing."""
        base = reverse("office:queue", args=[department.pk])
        filters = [
            "",
            "state=in_review",
            "state=awaiting_citizen",
            None,
            "urgency=overdue",
            None,
            "state=in_review&assigned=unassigned",
        ]
        return [
            (label, value, None if query is None else f"{base}?{query}" if query else base)
            for (label, value), query in zip(queue_lines(queue), filters, strict=True)
        ]
