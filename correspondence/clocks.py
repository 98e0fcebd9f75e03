"""An incoming letter's reply clock, as the sweep (``deadlines.sweep``) watches it: running while the
office owes an answer, in its governorate's working days, with the same at-risk and overdue marks and
the same escalation ladder as requests and complaints."""

from correspondence.models import RUNNING_STATES, Letter
from deadlines.sweep import ClockKind, register_clock


def register_letter_clock() -> None:
    register_clock(
        ClockKind(
            key="letter",
            running=lambda: Letter.objects.filter(state__in=RUNNING_STATES, due_at__isnull=False),
            governorate="governorate",
            risk="risk_at",
            escalate=True,
            escalation_mark="escalation_level",
        )
    )
