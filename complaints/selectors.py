"""Reads of complaints: the staff's lists within their scope, one complaint's file, possible
duplicates, the escalations waiting for someone, and what the complainant and Open311 clients see."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from accounts.authz import scope_q
from accounts.models import Role, RoleAssignment, User
from accounts.scope import NOTHING
from complaints.models import (
    OPEN_STATES,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintState,
    ResponseTemplate,
)
from complaints.permissions import is_assignable, may_answer, may_handle, may_supervise
from deadlines.models import Escalation
from organisation.places import OrgPaths

COMPLAINT_PATHS = OrgPaths(
    governorate="center__governorate", local_unit="local_unit", center="center", department="department"
)
# Those who may read complaints, each within their scope. National roles never read complaints about
# staff conduct: those stay with the center's manager and the governorate.
HANDLING_ROLES = (Role.BACKOFFICE, Role.DEPARTMENT_HEAD, Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL)
NATIONAL_ROLES = (Role.NATIONAL_VIEWER, Role.ADMINISTRATOR)
STAFF_ROLES = HANDLING_ROLES + NATIONAL_ROLES


def complaints_visible(*, user: User) -> QuerySet[Complaint]:
    handling = scope_q(user, HANDLING_ROLES, COMPLAINT_PATHS)  # never empty: no handling role is national
    national = Q(confidential=False) if user.has_role(*NATIONAL_ROLES) else NOTHING
    return Complaint.objects.filter(handling | national)


@dataclass(frozen=True)
class ComplaintFilters:
    state: str = "open"  # "open", "all", or one state
    category_id: int | None = None
    department_id: int | None = None
    urgency: str = ""  # "overdue" | "at_risk"
    assigned: str = ""  # "mine" | "unassigned"
    number: str = ""


def complaint_list(*, user: User, filters: ComplaintFilters) -> QuerySet[Complaint]:
    """The complaints ``user`` reaches, most urgent first."""
    now = timezone.now()
    rows = complaints_visible(user=user)
    if filters.state == "open":
        rows = rows.filter(state__in=OPEN_STATES)
    elif filters.state in ComplaintState.values:
        rows = rows.filter(state=filters.state)
    if filters.category_id:
        rows = rows.filter(category_id=filters.category_id)
    if filters.department_id:
        rows = rows.filter(department_id=filters.department_id)
    if filters.urgency == "overdue":
        rows = rows.filter(state__in=OPEN_STATES, due_at__lt=now)
    elif filters.urgency == "at_risk":
        rows = rows.filter(state__in=OPEN_STATES, risk_at__lte=now, due_at__gte=now)
    if filters.assigned == "mine":
        rows = rows.filter(assignee=user)
    elif filters.assigned == "unassigned":
        rows = rows.filter(assignee__isnull=True)
    if filters.number:
        rows = rows.filter(number__icontains=filters.number.strip())
    return rows.select_related("category", "center", "department__department_type", "assignee").order_by(
        "due_at", "pk"
    )


def complaint_for_staff(*, user: User, number: str) -> Complaint | None:
    """One complaint's file, if ``user`` reaches it (else None: the page is a 404)."""
    return (
        complaints_visible(user=user)
        .filter(number=number)
        .select_related(
            "category",
            "center__governorate",
            "local_unit",
            "department__department_type",
            "assignee",
            "filed_by",
            "service_request",
            "merged_into",
        )
        .prefetch_related(
            Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor", "other")),
            "photos",
            Prefetch("merged", queryset=Complaint.objects.only("pk", "number", "merged_into_id", "state")),
        )
        .first()
    )


def complaint_filed_by(*, clerk: User, number: str) -> Complaint | None:
    """The complaint a clerk filed at the window (its receipt), and nothing else of the complaints."""
    return (
        Complaint.objects.filter(number=number, filed_by=clerk).select_related("category", "center").first()
    )


# Two complaints of the same kind closer than this are possibly the same problem.
NEARBY_DEGREES = Decimal("0.003")  # about 300 m
DUPLICATE_DAYS = 30


def possible_duplicates(*, complaint: Complaint, limit: int = 10) -> list[Complaint]:
    """Open complaints of the same kind in the same local unit, filed within a month of this one,
    about the same place (nearby, the same address) or the same request."""
    rows = Complaint.objects.filter(
        category_id=complaint.category_id,
        local_unit_id=complaint.local_unit_id,
        state__in=OPEN_STATES,
        submitted_at__gte=complaint.submitted_at - timedelta(days=DUPLICATE_DAYS),
        submitted_at__lte=complaint.submitted_at + timedelta(days=DUPLICATE_DAYS),
    ).exclude(pk=complaint.pk)
    same_place = Q(pk__in=[])
    if complaint.has_location:
        same_place |= Q(
            latitude__range=(complaint.latitude - NEARBY_DEGREES, complaint.latitude + NEARBY_DEGREES),
            longitude__range=(complaint.longitude - NEARBY_DEGREES, complaint.longitude + NEARBY_DEGREES),
        )
    if complaint.address:
        same_place |= Q(address__iexact=complaint.address)
    if complaint.service_request_id:
        same_place |= Q(service_request_id=complaint.service_request_id)
    return list(rows.filter(same_place).select_related("category").order_by("submitted_at")[:limit])


def complaint_actions(*, complaint: Complaint, user: User) -> dict[str, bool]:
    """What ``user`` may do with the complaint now — what the services would accept."""
    supervise = may_supervise(user, complaint)
    answer = may_answer(user, complaint)
    return {
        "assign": supervise and can_proceed(complaint.assign),
        "take": (
            complaint.assignee_id is None and can_proceed(complaint.assign) and is_assignable(user, complaint)
        ),
        "start": complaint.assignee_id == user.pk and can_proceed(complaint.start),
        "resolve": answer and can_proceed(complaint.resolve),
        "reject": answer and can_proceed(complaint.reject),
        "note": may_handle(user, complaint) and user.has_role(*HANDLING_ROLES),
        "merge": supervise and complaint.is_open,
    }


def complaint_assignees(*, complaint: Complaint) -> list[User]:
    """Who a supervisor may give the complaint to."""
    if complaint.department_id:
        assignments = RoleAssignment.objects.filter(
            department_id=complaint.department_id, role__in=[Role.BACKOFFICE, Role.DEPARTMENT_HEAD]
        )
    else:
        assignments = RoleAssignment.objects.filter(
            Q(role=Role.CENTER_MANAGER, center_id=complaint.center_id)
            | Q(role=Role.GOVERNORATE_OFFICIAL, governorate_id=complaint.center.governorate_id)
        )
    users = [
        a.user
        for a in assignments.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    ]
    return list(dict.fromkeys(users))


def response_templates(*, complaint: Complaint) -> list[ResponseTemplate]:
    return list(ResponseTemplate.objects.filter(category_id=complaint.category_id))


ESCALATION_ROLES = {
    Escalation.Level.DEPARTMENT_HEAD: (Role.DEPARTMENT_HEAD,),
    Escalation.Level.CENTER_MANAGER: (Role.CENTER_MANAGER,),
    Escalation.Level.GOVERNORATE: (Role.GOVERNORATE_OFFICIAL,),
}
ESCALATION_PATHS = OrgPaths(
    governorate="complaint__center__governorate",
    local_unit="complaint__local_unit",
    center="complaint__center",
    department="complaint__department",
)


def complaint_escalations_for(*, user: User, levels: dict | None = None) -> QuerySet[Escalation]:
    """Open complaints escalated to the level(s) the user answers for, within their scope (a complaint
    about staff conduct has no department: it climbs to the center manager and the governorate).
    ``levels`` ({level: roles}) replaces the ladder's own."""
    reach = Q(pk__in=[])
    for level, roles in (levels or ESCALATION_ROLES).items():
        reach |= Q(level=level) & scope_q(user, roles, ESCALATION_PATHS)
    return (
        Escalation.objects.filter(reach, complaint__state__in=OPEN_STATES)
        .prefetch_related(
            GenericPrefetch("subject", [Complaint.objects.select_related("category", "center")])
        )
        .order_by("complaint__due_at")
    )


def categories_active() -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(is_active=True).select_related("department_type")


# What the complainant (holder of the tracking link) sees: progress, public replies, never staff names.

PUBLIC_ACTIONS = (
    ComplaintEvent.Action.FILED,
    ComplaintEvent.Action.ASSIGNED,
    ComplaintEvent.Action.STARTED,
    ComplaintEvent.Action.RESOLVED,
    ComplaintEvent.Action.REJECTED,
    ComplaintEvent.Action.REOPENED,
    ComplaintEvent.Action.CLOSED,
    ComplaintEvent.Action.MERGED,
    ComplaintEvent.Action.RATED,
)


def complaint_by_token(*, token: str) -> Complaint | None:
    return (
        Complaint.objects.filter(tracking_token=token)
        .select_related("category", "center", "merged_into__category")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ComplaintEvent.objects.filter(action__in=PUBLIC_ACTIONS).only(
                    "complaint_id", "at", "action", "from_state", "to_state", "public_note"
                ),
                to_attr="public_events",
            ),
            Prefetch("photos", queryset=ComplaintPhoto.objects.order_by("position")),
        )
        .first()
    )


def photo_by_token(*, token: str) -> ComplaintPhoto | None:
    return ComplaintPhoto.objects.filter(token=token).first()
