"""Reads for the back office: department queues, a department's team load, one request's file."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from accounts.authz import scope_q
from accounts.models import Role, RoleAssignment, User
from deadlines.models import Escalation
from organisation.calendar import CAIRO, WorkCalendar
from organisation.models import Department
from organisation.places import OrgPaths
from requests_app.models import (
    RequestDocument,
    RequestEvent,
    RequestState,
    RequestStep,
    ServiceRequest,
)
from requests_app.services import workflow
from services.models import DocumentType

REQUEST_PATHS = OrgPaths(
    governorate="center__governorate",
    local_unit="local_unit",
    center="center",
    department="steps__department",
)
QUEUE_STATES = (RequestState.IN_REVIEW, RequestState.AWAITING_CITIZEN)


@dataclass(frozen=True)
class QueueFilters:
    service_id: int | None = None
    state: str = ""
    urgency: str = ""  # "overdue" | "at_risk"
    assigned: str = ""  # "mine" | "unassigned"
    submitted_from: date | None = None
    submitted_to: date | None = None
    receipt: str = ""


def department_queue(
    *, department: Department, user: User, filters: QueueFilters
) -> QuerySet[ServiceRequest]:
    """The department's open requests, most urgent first (index: current_department, state, step_due_at)."""
    now = timezone.now()
    # Only open requests have a current department (a database constraint), so no state filter by default.
    requests = ServiceRequest.objects.filter(current_department=department)
    if filters.state:
        requests = requests.filter(state=filters.state)
    if filters.service_id:
        requests = requests.filter(service_id=filters.service_id)
    if filters.urgency == "overdue":
        requests = requests.filter(step_due_at__lt=now)
    elif filters.urgency == "at_risk":
        requests = requests.filter(step_risk_at__lte=now, step_due_at__gte=now)
    if filters.assigned == "mine":
        requests = requests.filter(assignee=user)
    elif filters.assigned == "unassigned":
        requests = requests.filter(assignee__isnull=True)
    if filters.submitted_from:
        requests = requests.filter(
            submitted_at__gte=datetime.combine(filters.submitted_from, time.min, CAIRO)
        )
    if filters.submitted_to:
        requests = requests.filter(submitted_at__lte=datetime.combine(filters.submitted_to, time.max, CAIRO))
    if filters.receipt:
        requests = requests.filter(receipt_number__icontains=filters.receipt.strip())
    return requests.select_related("service", "current_step", "assignee").order_by("step_due_at", "pk")


def queue_urgency(*, department: Department) -> dict[str, int]:
    """At a glance: how many of the department's requests are at risk and how many overdue (counted
    from the index request_department_urgency alone: counting a column it holds, not the key)."""
    now = timezone.now()
    return ServiceRequest.objects.filter(
        current_department=department, state=RequestState.IN_REVIEW
    ).aggregate(
        overdue=Count("step_due_at", filter=Q(step_due_at__lt=now)),
        at_risk=Count("step_due_at", filter=Q(step_risk_at__lte=now, step_due_at__gte=now)),
    )


def working_days_left(due: datetime | None, calendar: WorkCalendar) -> int | None:
    """Working days until ``due`` (negative: late by that many); None when there is no deadline."""
    if due is None:
        return None
    now = timezone.now()
    return calendar.working_days_between(now, due) if due >= now else -calendar.working_days_between(due, now)


def team_load(*, department: Department) -> list[tuple[User, int, int]]:
    """Each employee of the department with their open assigned requests and how many are late."""
    staff = [
        a.user
        for a in RoleAssignment.objects.filter(
            department=department,
            is_active=True,
            user__is_active=True,
            role__in=[Role.BACKOFFICE, Role.DEPARTMENT_HEAD],
        )
        .select_related("user")
        .order_by("user__full_name")
    ]
    counts = {
        row["assignee"]: row
        for row in ServiceRequest.objects.filter(current_department=department)
        .values("assignee")
        .annotate(open=Count("pk"), late=Count("pk", filter=Q(step_due_at__lt=timezone.now())))
    }
    unique = list(dict.fromkeys(staff))
    return [
        (user, counts.get(user.pk, {}).get("open", 0), counts.get(user.pk, {}).get("late", 0))
        for user in unique
    ]


VIEW_ROLES = (
    Role.BACKOFFICE,
    Role.DEPARTMENT_HEAD,
    Role.CENTER_MANAGER,
    Role.GOVERNORATE_OFFICIAL,
    Role.NATIONAL_VIEWER,
    Role.ADMINISTRATOR,
)


def request_file(*, user: User, receipt_number: str) -> ServiceRequest | None:
    """One request as the back office sees it, if ``user`` may: departments on its route, its center's
    manager, oversight roles. Everything the page shows is loaded here, in a constant number of queries."""
    visible = ServiceRequest.objects.filter(scope_q(user, VIEW_ROLES, REQUEST_PATHS)).values("pk")
    return (
        ServiceRequest.objects.filter(receipt_number=receipt_number, pk__in=visible)
        .select_related(
            "service",
            "center",
            "applicant",
            "attorney",
            "current_step__department__department_type",
            "assignee",
            "taken_by",
        )
        .prefetch_related(
            Prefetch("steps", queryset=RequestStep.objects.select_related("department__department_type")),
            Prefetch("documents", queryset=RequestDocument.objects.order_by("position")),
            Prefetch(
                "events",
                queryset=RequestEvent.objects.select_related("actor", "step__department__department_type"),
            ),
            "fees",
        )
        .first()
    )


def document_choices(*, request: ServiceRequest) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What an employee may ask the citizen to bring: the service's own document types (in the
    service's order), then every other type of the catalog (by name), as (code, name) in one query."""
    catalog = {d.code: d for d in DocumentType.objects.all()}
    own = [d["code"] for d in request.terms["documents"] if d["code"] in catalog]
    others = sorted((d for code, d in catalog.items() if code not in own), key=lambda d: d.name)
    return [(code, catalog[code].name) for code in own], [(d.code, d.name) for d in others]


BACK_OFFICE_ACTIONS = ("forward", "return_to_previous", "request_info", "approve", "reject", "issue")
WINDOW_ACTIONS = ("resubmit", "deliver", "cancel")
_CHECKS = {
    "forward": workflow.at_current_step,
    "return_to_previous": workflow.at_current_step,
    "request_info": workflow.at_current_step,
    "approve": workflow.at_current_step,
    "reject": workflow.at_current_step,
    "issue": workflow.at_last_step,
    "resubmit": workflow.at_window,
    "deliver": workflow.at_window,
    "cancel": workflow.at_window,
}


def allowed_actions(*, request: ServiceRequest, user: User, actions=BACK_OFFICE_ACTIONS) -> list[str]:
    """The transitions ``user`` may run on ``request`` now — exactly what the services would accept."""
    allowed = []
    for action in actions:
        if not can_proceed(getattr(request, action)):
            continue
        try:
            _CHECKS[action](request, user)
        except PermissionDenied:
            continue
        allowed.append(action)
    return allowed


ESCALATION_ROLES = {
    Escalation.Level.DEPARTMENT_HEAD: (Role.DEPARTMENT_HEAD,),
    Escalation.Level.CENTER_MANAGER: (Role.CENTER_MANAGER,),
    Escalation.Level.GOVERNORATE: (Role.GOVERNORATE_OFFICIAL,),
}
ESCALATION_PATHS = OrgPaths(
    governorate="request_step__request__center__governorate",
    local_unit="request_step__request__local_unit",
    center="request_step__request__center",
    department="request_step__department",
)


def escalations_for(*, user: User, levels: dict | None = None) -> QuerySet[Escalation]:
    """Open escalations of request steps at the level(s) the user answers for, within their scope: a
    department head the first level for their departments, a center manager the second, the
    governorate the third. Each row's ``subject`` is the late step, its request at hand. ``levels``
    ({level: roles}) replaces the ladder's own, e.g. to show an official what waits on a manager."""
    reach = Q(pk__in=[])
    for level, roles in (levels or ESCALATION_ROLES).items():
        reach |= Q(level=level) & scope_q(user, roles, ESCALATION_PATHS)
    steps = RequestStep.objects.select_related(
        "request__service", "request__center", "department__department_type"
    )
    return (
        Escalation.objects.filter(reach, request_step__status=RequestStep.Status.ACTIVE)
        .prefetch_related(GenericPrefetch("subject", [steps]))
        .order_by("request_step__due_at")
    )
