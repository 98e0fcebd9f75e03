"""The deadline sweep (Celery beat, every few minutes): records steps that became at risk or overdue,
requests past their legal deadline, and climbs the escalation ladder. Set-based SQL over the open
requests, never a Python loop over them; running it twice, or twice at once, changes nothing the
second time (marks are set only when empty; escalations insert ON CONFLICT DO NOTHING)."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from backoffice.calendar import WorkCalendar
from backoffice.models import Center, Closure
from core.workdays import CAIRO
from requests_app.models import RequestState, RequestStep, ServiceRequest


@dataclass
class SweepReport:
    at_risk: int = 0
    overdue_steps: int = 0
    overdue_requests: list[int] = field(default_factory=list)
    escalations: dict[int, int] = field(default_factory=dict)


_ESCALATE = """
INSERT INTO requests_app_escalation (request_id, step_id, level, created_at)
SELECT r.id, r.current_step_id, %(level)s, %(now)s
FROM requests_app_servicerequest r
WHERE r.state = 'in_review' AND r.current_step_id IS NOT NULL AND r.step_due_at < %(cutoff)s {scope}
ON CONFLICT (step_id, level) DO NOTHING
"""


def _cutoff(calendar: WorkCalendar, now: datetime, overdue_days: int) -> datetime:
    """Steps due before this moment are at least ``overdue_days`` working days overdue now."""
    if overdue_days == 0:
        return now
    tomorrow = now.astimezone(CAIRO).date() + timedelta(days=1)
    return datetime.combine(calendar.subtract_working_days(tomorrow, overdue_days), time.min, tzinfo=CAIRO)


def _calendar_groups(now: datetime) -> list[tuple[WorkCalendar, str, dict]]:
    """The national calendar for every center, except centers whose own or governorate's closures
    changed the recent working days: those are swept with their own calendar (a handful at most)."""
    recent = Closure.objects.filter(ends_on__gte=(now - timedelta(days=60)).date(), starts_on__lte=now.date())
    special = set(recent.exclude(center=None).values_list("center_id", flat=True))
    special |= set(Center.objects.filter(governorate__closures__in=recent).values_list("pk", flat=True))
    # Plain IN with one placeholder per center: the demo's embedded SQLite has no arrays.
    names = {f"center_{n}": pk for n, pk in enumerate(sorted(special))}
    not_special = f"AND r.center_id NOT IN ({', '.join(f'%({name})s' for name in names)})" if names else ""
    groups = [(WorkCalendar(), not_special, names)]
    for center in Center.objects.filter(pk__in=special):
        groups.append((WorkCalendar(center), "AND r.center_id = %(center)s", {"center": center.pk}))
    return groups


@transaction.atomic
def sla_sweep(*, now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    in_review = {"request__state": RequestState.IN_REVIEW, "status": RequestStep.Status.ACTIVE}
    report.at_risk = RequestStep.objects.filter(
        **in_review, at_risk_since__isnull=True, request__step_risk_at__lte=now
    ).update(at_risk_since=now)
    report.overdue_steps = RequestStep.objects.filter(
        **in_review, overdue_since__isnull=True, request__step_due_at__lt=now
    ).update(overdue_since=now)
    with connection.cursor() as cursor:
        # The clock is stopped while the citizen owes a document, so only requests in review fall late.
        cursor.execute(
            "UPDATE requests_app_servicerequest SET overdue_since = %s "
            "WHERE state = 'in_review' AND overdue_since IS NULL AND due_at < %s RETURNING id",
            [now, now],
        )
        report.overdue_requests = [row[0] for row in cursor.fetchall()]
        for calendar, scope, params in _calendar_groups(now):
            for level, days in enumerate(settings.ESCALATION_WORKING_DAYS, start=1):
                cutoff = _cutoff(calendar, now, days)
                cursor.execute(
                    _ESCALATE.format(scope=scope), {"level": level, "now": now, "cutoff": cutoff, **params}
                )
                report.escalations[level] = report.escalations.get(level, 0) + cursor.rowcount
    _after_sweep(report)
    return report


def _after_sweep(report: SweepReport) -> None:
    """Side effects of what became late, scheduled in the sweep's own transaction."""
    if not report.overdue_requests:
        return
    from requests_app.services.notify import notify_overdue

    for request in ServiceRequest.objects.filter(pk__in=report.overdue_requests).select_related(
        "applicant", "center", "current_step"
    ):
        notify_overdue(request)
