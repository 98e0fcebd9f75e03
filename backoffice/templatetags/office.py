from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from requests_app.models import RequestState

register = template.Library()

_ACTION_LABELS = {
    "forward": lambda: _("Forward to the next department"),
    "return_to_previous": lambda: _("Return to the previous department"),
    "request_info": lambda: _("Ask the citizen for documents"),
    "approve": lambda: _("Approve"),
    "reject": lambda: _("Reject"),
    "issue": lambda: _("Output ready at the window"),
}


@register.filter
def action_label(action: str) -> str:
    return _ACTION_LABELS[action]()


@register.filter
def state_label(state: str) -> str:
    return RequestState(state).label if state else "—"


@register.filter
def time_left(days: int | None, request) -> str:
    """Text, not colour alone: 'late by 2 working days', 'due today', '3 working days left'."""
    if days is None:
        return "—"
    if days < 0:
        return ngettext("late by %(n)s working day", "late by %(n)s working days", -days) % {"n": -days}
    if days == 0:
        return _("due today")
    return ngettext("%(n)s working day left", "%(n)s working days left", days) % {"n": days}


@register.filter
def urgency_class(days: int | None, request) -> str:
    if days is None:
        return ""
    if days < 0 or (request.step_due_at and request.step_due_at < timezone.now()):
        return "overdue"
    if request.step_risk_at and request.step_risk_at <= timezone.now():
        return "at-risk"
    return ""
