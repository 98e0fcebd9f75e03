"""The demo's past leaves an open backlog that looks exactly like one the services made: the recent
requests (and a few stuck ones) still in review at the step their elapsed working days fall in, some
given to an employee, about one in ten waiting for the citizen, the late ones marked and escalated by the
deadline sweep itself; the workflow carries on from where they stand, and the history chains and the
roll-ups hold."""

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Q

from accounts.demo import accounts_seed_demo
from accounts.models import Role, RoleAssignment, User
from deadlines.clock import clock_start
from deadlines.models import Escalation
from deadlines.sweep import deadline_sweep
from documents import codec
from organisation.calendar import CAIRO, WorkCalendar
from organisation.services import organisation_load_reference
from reports.backlog import AGE_BUCKETS, backlog_refresh, backlog_total
from reports.rollups import rollups_rebuild
from requests_app.demo_history import TAKEN_WITHIN_WORKING_DAYS, requests_history_seed_demo
from requests_app.models import OPEN_STATES, RequestEvent, RequestState, RequestStep, ServiceRequest
from requests_app.selectors import history_chain_breaks
from requests_app.services import workflow
from services.services import catalog_load_reference

TODAY = date(2026, 12, 3)
NOW = datetime.combine(TODAY, time.min, tzinfo=CAIRO)


@pytest.fixture
def quick_documents(monkeypatch):
    """Each approved request of the past issues its document, whose holder hash is deliberately slow
    (scrypt, ~36 ms): 40 days hold hundreds. The documents are not what this test is about."""
    monkeypatch.setattr(codec, "holder_hash", lambda salt, national_id: codec.digest(salt, national_id))


def test_the_demo_past_leaves_an_open_backlog(db, quick_documents):
    """One seeding of 40 days (28 working days: every age bucket up to 21–40), many checks."""
    organisation_load_reference()
    catalog_load_reference()
    accounts_seed_demo()
    assert requests_history_seed_demo(today=TODAY, days=40) > 0
    rollups_rebuild()
    open_requests = ServiceRequest.objects.filter(state__in=OPEN_STATES)
    the_last_week_is_mostly_open_and_some_wait_for_the_citizen(open_requests)
    each_open_request_stands_as_the_services_leave_one(open_requests)
    the_late_ones_carry_the_sweeps_own_marks(open_requests)
    the_dashboards_backlog_has_a_shape(open_requests)
    the_chains_and_the_roll_ups_hold()
    the_workflow_carries_on_from_where_they_stand(open_requests)
    the_chains_and_the_roll_ups_hold()
    assert requests_history_seed_demo(today=TODAY, days=40) == 0  # seeded once


def the_last_week_is_mostly_open_and_some_wait_for_the_citizen(open_requests):
    requests = ServiceRequest.objects.all()
    last_week = requests.filter(submitted_at__gte=NOW - timedelta(days=7))
    assert last_week.exists() and not requests.filter(submitted_at__gte=NOW).exists()
    assert open_requests.filter(submitted_at__gte=NOW - timedelta(days=7)).count() > 0.8 * last_week.count()
    states = Counter(open_requests.values_list("state", flat=True))
    assert set(states) == {RequestState.IN_REVIEW, RequestState.AWAITING_CITIZEN}
    assert 0.04 < states[RequestState.AWAITING_CITIZEN] / open_requests.count() < 0.2
    # Employees took their departments' most urgent requests first; the pool holds the later ones.
    staffed = open_requests.filter(
        current_department__in=RoleAssignment.objects.filter(role=Role.BACKOFFICE).values("department"),
        state=RequestState.IN_REVIEW,
    )
    pool = staffed.filter(assignee__isnull=True)
    assert staffed.filter(assignee__isnull=False).exists() and pool.exists()
    calendar = WorkCalendar(pool.first().center)
    assert not pool.filter(step_due_at__lte=calendar.deadline(NOW, TAKEN_WITHIN_WORKING_DAYS)).exists()
    # Nothing was decided, delivered or cancelled tomorrow.
    assert not requests.filter(completed_at__gte=NOW).exists()
    assert not requests.filter(delivered_at__gte=NOW).exists()


def each_open_request_stands_as_the_services_leave_one(open_requests):
    positions = Counter()
    for request in open_requests.select_related("current_step", "center").prefetch_related("steps", "events"):
        calendar = WorkCalendar(request.center)
        steps, current = list(request.steps.all()), request.current_step
        waiting = request.state == RequestState.AWAITING_CITIZEN
        positions[current.position] += 1
        assert current.request_id == request.pk
        assert current.status == (RequestStep.Status.PAUSED if waiting else RequestStep.Status.ACTIVE)
        assert request.current_department_id == current.department_id
        assert (request.step_due_at, request.step_risk_at) == (current.due_at, current.risk_at)
        assert (request.paused_at is not None) == waiting
        times = clock_start(calendar, at=current.started_at, working_days=current.working_days)
        assert (current.due_at, current.risk_at) == (times.due_at, times.risk_at)
        assert request.due_at == calendar.deadline(request.submitted_at, request.terms["legal_deadline_days"])
        assert request.completed_at is request.on_time is request.working_days_taken is None
        assert request.paused_working_days == 0 and request.document_id is None
        started = request.submitted_at
        for step in steps[: current.position - 1]:
            assert step.status == RequestStep.Status.DONE and step.started_at == started
            assert step.completed_at < NOW and step.working_days_taken is not None
            assert step.due_at and step.risk_at
            started = step.completed_at
        assert current.started_at == started
        for step in steps[current.position :]:
            assert step.status == RequestStep.Status.PENDING and step.started_at is None
        if request.assignee_id is not None:
            assert workflow.department_role(request.assignee, current.department_id) == Role.BACKOFFICE
        events = list(request.events.all())
        actions = [e.action for e in events]
        assert actions == [
            "submitted",
            "route",
            *["forward"] * (current.position - 1),
            *(["assign"] if request.assignee_id else []),
            *(["request_info"] if waiting else []),
        ]
        assert request.version == len(events) - 1
        assert [e.step_id for e in events[2 : 1 + current.position]] == [
            s.pk for s in steps[: current.position - 1]
        ]
        assert all(e.at < NOW for e in events)
        if waiting:
            asked = events[-1]
            assert asked.at == request.paused_at and asked.documents and asked.step_id == current.pk
            assert asked.to_state == RequestState.AWAITING_CITIZEN
            assert request.paused_at < min(current.risk_at, request.due_at)  # never marked while running
            assert current.overdue_since is current.at_risk_since is None and request.overdue_since is None
    assert len(positions) >= 3  # at the first step, the second, and further on


def the_late_ones_carry_the_sweeps_own_marks(open_requests):
    overdue = open_requests.filter(overdue_since__isnull=False)
    assert 0 < overdue.count() < open_requests.count() / 3  # a few stuck past their legal deadline
    assert not overdue.exclude(state=RequestState.IN_REVIEW).exists()
    assert all(r.due_at < r.overdue_since <= NOW for r in overdue)
    # Marked the day it happened (the sweep ran as the beat ran it), not all at once today.
    assert len({r.overdue_since.astimezone(CAIRO).date() for r in overdue}) > 1
    late_steps = RequestStep.objects.filter(status=RequestStep.Status.ACTIVE, due_at__lt=NOW)
    assert late_steps.exists() and not late_steps.filter(overdue_since__isnull=True).exists()
    assert not late_steps.filter(escalation_level=0).exists()
    assert late_steps.filter(escalation_level__gte=2).exists()
    assert Escalation.objects.filter(request_step__in=late_steps).count() == sum(
        late_steps.values_list("escalation_level", flat=True)
    )
    at_risk = RequestStep.objects.filter(status=RequestStep.Status.ACTIVE, risk_at__lte=NOW)
    assert not at_risk.filter(at_risk_since__isnull=True).exists()
    assert (
        not RequestStep.objects.filter(status=RequestStep.Status.ACTIVE, risk_at__gt=NOW)
        .exclude(at_risk_since=None)
        .exists()
    )
    # Each citizen whose legal deadline passed got the sweep's apology.
    apologies = {m.subject_id for r in overdue for m in r.sms_messages.filter(event="overdue_apology")}
    assert apologies == set(overdue.values_list("pk", flat=True))
    # The real sweep, run again now, finds nothing more to mark or escalate.
    report = deadline_sweep(now=NOW)
    for key in ("request_step", "request"):
        assert report[key].at_risk == report[key].overdue == 0
        assert not any(report[key].escalations.values())


def the_dashboards_backlog_has_a_shape(open_requests):
    backlog_refresh(now=NOW + timedelta(hours=9))
    backlog = backlog_total(rows=Q())
    assert backlog.open == open_requests.count()
    assert backlog.awaiting_citizen == open_requests.filter(state=RequestState.AWAITING_CITIZEN).count()
    assert backlog.overdue > 0 and backlog.at_risk > 0
    ages = dict(zip([bucket.short for bucket in AGE_BUCKETS], backlog.aged, strict=True))
    assert sum(1 for n in ages.values() if n) >= 4, ages


def the_chains_and_the_roll_ups_hold():
    checked, breaks = history_chain_breaks()
    assert checked == RequestEvent.objects.count() and breaks == []
    call_command("rollups_rebuild", check=True)


def the_workflow_carries_on_from_where_they_stand(open_requests):
    """Acts of the services on the seeded requests, as they are (no stale form, no refusal)."""
    engineer = User.objects.get(username="bnh.eng")
    at_engineering = open_requests.filter(
        state=RequestState.IN_REVIEW,
        center__code="BNH",
        current_department__department_type__code="ENG",
        assignee__in=[None, engineer],
    )
    request = next(r for r in at_engineering if r.has_next_step())
    workflow.service_request_forward(request_id=request.pk, actor=engineer, expected_version=request.version)
    waiting = open_requests.filter(state=RequestState.AWAITING_CITIZEN, center__code="BNH").first()
    asked = workflow.request_documents_asked(request_id=waiting.pk)
    workflow.service_request_resubmit(
        request_id=waiting.pk,
        actor=User.objects.get(username="bnh.clerk2"),
        documents={d["code"] for d in asked},
        expected_version=waiting.version,
    )
    waiting.refresh_from_db()
    assert waiting.state == RequestState.IN_REVIEW and waiting.paused_working_days > 0
