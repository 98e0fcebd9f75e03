"""Reads of the registers: which offices a registry clerk keeps, an office's register by day with
search, its inbox of delivered letters, a department's letters, one letter's file (confidential ones
for the routed department's head and the unit's head only), and escalations."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q, QuerySet

from accounts.authz import scope_q
from accounts.models import Role, User
from core.text import fold_arabic
from correspondence.models import RUNNING_STATES, Classification, Letter, LetterState
from correspondence.services import Office
from deadlines.models import Escalation
from organisation.calendar import CAIRO
from organisation.models import Governorate, LocalUnit
from organisation.places import OrgPaths
from requests_app.services.workflow import department_role

LETTER_PATHS = OrgPaths(governorate="governorate", local_unit="local_unit", department="department")
# The head of a local unit signs for it: the head of its sign-off department.
UNIT_HEAD_DEPARTMENT = "CHIEF"
READER_ROLES = (Role.BACKOFFICE, Role.DEPARTMENT_HEAD, Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL)


def offices_kept_by(*, user: User) -> list[Office]:
    """The offices whose registers ``user`` keeps as a registry clerk."""
    offices = []
    for assignment in user.assignments_for([Role.REGISTRY_CLERK]):
        if assignment.local_unit_id:
            unit = LocalUnit.objects.select_related("governorate").get(pk=assignment.local_unit_id)
            offices.append(Office(unit.governorate, unit))
        else:
            offices.append(Office(Governorate.objects.get(pk=assignment.governorate_id)))
    return offices


def office_by_code(*, user: User, code: str) -> Office | None:
    return next((office for office in offices_kept_by(user=user) if office.code == code), None)


def _office_q(office: Office) -> Q:
    return Q(governorate=office.governorate, local_unit=office.local_unit)


@dataclass(frozen=True)
class RegisterFilters:
    day_from: date | None = None
    day_to: date | None = None
    text: str = ""
    category_id: int | None = None
    state: str = ""


def register_letters(*, office: Office, direction: str, filters: RegisterFilters) -> QuerySet[Letter]:
    """One register of the office, newest first: letters numbered in it (never the inbox's pending ones)."""
    rows = Letter.objects.filter(_office_q(office), direction=direction, number__isnull=False)
    if filters.day_from:
        rows = rows.filter(registered_at__gte=datetime.combine(filters.day_from, time.min, CAIRO))
    if filters.day_to:
        rows = rows.filter(registered_at__lte=datetime.combine(filters.day_to, time.max, CAIRO))
    for word in fold_arabic(filters.text).split():
        rows = rows.filter(search_text__contains=word)
    if filters.category_id:
        rows = rows.filter(category_id=filters.category_id)
    if filters.state:
        rows = rows.filter(state=filters.state)
    return rows.select_related("category", "party_body", "party_local_unit", "party_governorate").order_by(
        "-year", "-sequence"
    )


def inbox(*, office: Office) -> QuerySet[Letter]:
    """Letters other offices delivered electronically, waiting for this office to accept them."""
    return (
        Letter.objects.filter(_office_q(office), state=LetterState.PENDING)
        .select_related("category", "party_local_unit", "party_governorate", "counterpart")
        .order_by("pk")
    )


def department_letters(*, department_id: int) -> QuerySet[Letter]:
    """A department's letters to act on, the earliest reply due first."""
    return (
        Letter.objects.filter(department_id=department_id, state__in=RUNNING_STATES)
        .select_related("category", "assignee")
        .order_by("due_at", "pk")
    )


def is_unit_head(user: User, letter: Letter) -> bool:
    return any(
        a.department.local_unit_id == letter.local_unit_id
        and a.department.department_type.code == UNIT_HEAD_DEPARTMENT
        for a in user.assignments_for([Role.DEPARTMENT_HEAD])
    )


def may_read(user: User, letter: Letter) -> bool:
    """Everything the letter says. A confidential letter: the head of the department it is routed to
    and the unit's head only; any other letter: the office's registry clerks, the department it is
    routed to, and those who oversee the unit."""
    if letter.classification == Classification.CONFIDENTIAL:
        routed_head = (
            letter.department_id and department_role(user, letter.department_id) == Role.DEPARTMENT_HEAD
        )
        return bool(routed_head) or is_unit_head(user, letter)
    return letter_reachable(user=user, letter=letter)


def letter_reachable(*, user: User, letter: Letter) -> bool:
    """Whether ``user`` may open the letter's page at all (a confidential one then shows its register
    line only, unless ``may_read``)."""
    return letters_visible(user=user).filter(pk=letter.pk).exists()


def letters_visible(*, user: User) -> QuerySet[Letter]:
    """The letters whose page ``user`` may open: the registers of the offices they keep, the letters
    routed to their department, the letters of the units they oversee — and, for a unit's head, the
    confidential letters of the unit."""
    reach = Q(pk__in=[])
    for office in offices_kept_by(user=user):
        reach |= _office_q(office)
    reach |= scope_q(user, READER_ROLES, LETTER_PATHS)  # never empty: no reader role is national
    for assignment in user.assignments_for([Role.DEPARTMENT_HEAD]):
        if assignment.department.department_type.code == UNIT_HEAD_DEPARTMENT:
            reach |= Q(local_unit_id=assignment.department.local_unit_id)
    return Letter.objects.filter(reach)


def letter_file(*, user: User, pk: int) -> Letter | None:
    return (
        letters_visible(user=user)
        .filter(pk=pk)
        .select_related(
            "category",
            "governorate",
            "local_unit",
            "party_body",
            "party_local_unit",
            "party_governorate",
            "department__department_type",
            "assignee",
            "registered_by",
            "counterpart__governorate",
            "counterpart__local_unit",
            "in_reply_to",
        )
        .prefetch_related("events__actor", "replies", "related", "attachments")
        .first()
    )


def letter_escalations_for(*, user: User, levels: dict | None = None) -> QuerySet[Escalation]:
    """Late letters at the level(s) of the ladder the user answers for, within their scope. ``levels``
    ({level: roles}) replaces the ladder's own."""
    paths = OrgPaths(
        governorate="letter__governorate", local_unit="letter__local_unit", department="letter__department"
    )
    levels = levels or {
        Escalation.Level.DEPARTMENT_HEAD: (Role.DEPARTMENT_HEAD,),
        Escalation.Level.CENTER_MANAGER: (Role.CENTER_MANAGER,),
        Escalation.Level.GOVERNORATE: (Role.GOVERNORATE_OFFICIAL,),
    }
    reach = Q(pk__in=[])
    for level, roles in levels.items():
        reach |= Q(level=level) & scope_q(user, roles, paths)
    letters = Letter.objects.select_related("category", "governorate", "local_unit")
    return (
        Escalation.objects.filter(reach, letter__state__in=RUNNING_STATES)
        .prefetch_related(GenericPrefetch("subject", [letters]))
        .order_by("letter__due_at")
    )
