"""A complaint's deadline clock, as the sweep (``deadlines.sweep``) watches it: running while someone
owes the complainant an answer, with the category's working days, the same at-risk and overdue marks
and the same escalation ladder as a request's step."""

from complaints.models import OPEN_STATES, Complaint
from deadlines.sweep import ClockKind, register_clock


def register_complaint_clock() -> None:
    register_clock(
        ClockKind(
            key="complaint",
            running=lambda: Complaint.objects.filter(state__in=OPEN_STATES),
            center="center",
            risk="risk_at",
            escalate=True,
            escalation_mark="escalation_level",
        )
    )
