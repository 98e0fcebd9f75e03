"""The sweep is one engine for any kind of tracked work: a kind declared with its own model and
lookups is marked, escalated and handed its newly overdue rows — once."""

from datetime import datetime, timedelta

import pytest

from accounts.models import Role
from deadlines import sweep
from deadlines.models import Escalation
from deadlines.sweep import ClockKind, deadline_sweep
from organisation.calendar import CAIRO
from requests_app.models import RequestState, ServiceRequest
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=CAIRO)  # Sunday


@pytest.fixture
def only_probe(monkeypatch):
    """Only a probe kind is registered: the legal deadline of requests, escalated, with a hook."""
    handed = []
    kind = ClockKind(
        key="probe",
        running=lambda: ServiceRequest.objects.filter(state=RequestState.IN_REVIEW),
        center="center",
        escalate=True,
        on_overdue=handed.append,
    )
    monkeypatch.setattr(sweep, "_KINDS", {"probe": kind})
    return handed


@pytest.mark.django_db
def test_a_declared_kind_is_marked_escalated_and_handed_once(org, only_probe):
    clerk = staff(Role.CLERK, center=org.bnh)
    service = ServiceFactory(terms__route=["ENG"], legal_deadline_days=5)
    late = submit(service, org.bnh, clerk, national_id="29001011401234")
    on_time = submit(service, org.bnh, clerk, national_id="29001011401250")
    # Due Tuesday 1 December: Wednesday, Thursday, Sunday make 3 working days overdue.
    ServiceRequest.objects.filter(pk=late.pk).update(due_at=datetime(2026, 12, 1, 15, tzinfo=CAIRO))
    ServiceRequest.objects.filter(pk=on_time.pk).update(due_at=NOW + timedelta(days=3))

    first = deadline_sweep(now=NOW)["probe"]
    second = deadline_sweep(now=NOW + timedelta(minutes=5))["probe"]

    # The kind declares no at-risk moment, so nothing is marked at risk.
    assert (first.overdue, first.overdue_ids, first.at_risk) == (1, [late.pk], 0)
    assert first.escalations == {1: 1, 2: 1, 3: 0}
    assert second.overdue == 0 and second.escalations == {1: 0, 2: 0, 3: 0}
    assert only_probe == [[late.pk]]
    assert ServiceRequest.objects.get(pk=late.pk).overdue_since == NOW
    assert ServiceRequest.objects.get(pk=on_time.pk).overdue_since is None
    escalated = Escalation.objects.order_by("level")
    assert [(e.subject, e.level) for e in escalated] == [(late, 1), (late, 2)]


def test_the_requests_declare_their_two_clocks():
    assert {kind.key for kind in sweep.registered_clocks()} >= {"request_step", "request"}
