"""Who may do what with a complaint. A complaint about staff conduct has no department: only the
center's manager and the governorate reach it, so the department of the person complained about
never sees it nor who complained."""

from accounts.authz import can
from accounts.models import Role
from complaints.models import Complaint
from requests_app.services.workflow import department_role


def may_supervise(user, complaint: Complaint) -> bool:
    """Assigns, merges and answers: the department head, the center manager, the governorate."""
    if not user.is_authenticated:
        return False
    if complaint.department_id and department_role(user, complaint.department_id) == Role.DEPARTMENT_HEAD:
        return True
    return can(user, [Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL], complaint.org_place())


def may_handle(user, complaint: Complaint) -> bool:
    """Reads the file and writes internal notes."""
    if may_supervise(user, complaint) or (user.is_authenticated and complaint.assignee_id == user.pk):
        return True
    return bool(complaint.department_id and department_role(user, complaint.department_id))


def may_answer(user, complaint: Complaint) -> bool:
    return may_supervise(user, complaint) or (user.is_authenticated and complaint.assignee_id == user.pk)


def is_assignable(user, complaint: Complaint) -> bool:
    if not user.is_active:
        return False
    if complaint.department_id:
        return department_role(user, complaint.department_id) is not None
    return can(user, [Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL], complaint.org_place())
