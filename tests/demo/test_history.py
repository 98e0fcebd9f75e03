"""The demo's past: requests over several weeks across five centers of two governorates, in every
ending, numbered like the services number them, each approved one with its document, and roll-ups
that agree with them."""

from collections import Counter
from datetime import date, timedelta

from django.db.models import F, Sum

from accounts.demo import accounts_seed_demo
from organisation.calendar import WorkCalendar
from organisation.services import organisation_load_reference
from reports.kpis import request_kpis
from reports.rollups import rollups_rebuild
from requests_app.demo_history import requests_history_seed_demo
from requests_app.models import OPEN_STATES, RequestState, RequestStep, ServiceRequest
from requests_app.selectors import history_chain_breaks
from services.services import catalog_load_reference

TODAY = date(2026, 12, 3)


def test_the_demo_past(db):
    """One seeding (each approved request's document costs a deliberately slow hash), three checks."""
    organisation_load_reference()
    catalog_load_reference()
    accounts_seed_demo()
    past = requests_history_seed_demo(today=TODAY, days=30)
    rollups_rebuild()
    several_weeks_across_five_centers_in_every_ending(past)
    numbered_and_documented_like_the_services_do()
    each_history_reads_as_the_services_write_it()
    the_roll_ups_agree_with_the_requests()
    assert requests_history_seed_demo(today=TODAY, days=30) == 0  # seeded once


def several_weeks_across_five_centers_in_every_ending(past):
    requests = ServiceRequest.objects.all()
    assert past == requests.count() > 300
    by_center = Counter(requests.values_list("center__code", flat=True))
    assert set(by_center) == {"BNH", "QLY", "SKA", "HLP", "NZH"}
    states = Counter(requests.values_list("state", flat=True))
    # Decided in every ending, and the recent ones still open (tests/demo/test_open_backlog.py).
    assert set(states) == {
        RequestState.DELIVERED,
        RequestState.READY,
        RequestState.REJECTED,
        RequestState.CANCELLED,
        RequestState.IN_REVIEW,
        RequestState.AWAITING_CITIZEN,
    }
    first, last = (
        requests.order_by(f).first().submitted_at.date() for f in ("submitted_at", "-submitted_at")
    )
    assert first >= TODAY - timedelta(days=30) and last == TODAY - timedelta(days=1)
    assert not requests.filter(completed_at__date__gte=TODAY).exists()  # nothing decided tomorrow
    assert (last - first).days >= 20


def numbered_and_documented_like_the_services_do():
    for code in ("BNH", "HLP"):
        sequences = sorted(
            ServiceRequest.objects.filter(center__code=code).values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, len(sequences) + 1))
    approved = ServiceRequest.objects.filter(state__in=[RequestState.READY, RequestState.DELIVERED])
    assert not approved.filter(document__isnull=True).exists()
    delivered = approved.filter(state=RequestState.DELIVERED)
    assert not delivered.filter(delivered_at__lte=F("completed_at")).exists()
    decided = ServiceRequest.objects.exclude(state__in=[RequestState.CANCELLED, *OPEN_STATES])
    assert not decided.filter(working_days_taken=None).exists()


def each_history_reads_as_the_services_write_it():
    """Taken and routed, the citizen's documents asked and brought back if it waited, each step
    forwarded, then decided, issued and delivered (or cancelled at the first step); chained."""
    decided = ServiceRequest.objects.exclude(state__in=OPEN_STATES).select_related("current_step")
    for request in decided.prefetch_related("steps", "events"):
        steps, events = list(request.steps.all()), list(request.events.all())
        actions = [event.action for event in events]
        assert request.version == len(events) - 1
        if request.state == RequestState.CANCELLED:
            assert actions == ["submitted", "route", "cancel"] and request.current_step == steps[0]
            assert steps[0].status == RequestStep.Status.STOPPED and events[-1].note
            continue
        assert request.current_step == steps[-1]
        assert {step.status for step in steps} == {RequestStep.Status.DONE}
        waited = ["request_info", "resubmit"] if request.paused_working_days else []
        ending = {
            RequestState.REJECTED: ["reject"],
            RequestState.READY: ["approve", "issue"],
            RequestState.DELIVERED: ["approve", "issue", "deliver"],
        }[request.state]
        assert actions == ["submitted", "route", *waited, *["forward"] * (len(steps) - 1), *ending]
        finishers = [e.actor_id for e in events if e.action in ("forward", "approve", "reject")]
        assert finishers == [step.completed_by_id for step in steps]
        if waited:
            asked, brought = events[2:4]
            assert asked.documents == brought.documents and asked.step_id == steps[0].pk
            assert WorkCalendar(request.center).working_days_between(asked.at, brought.at) == (
                request.paused_working_days
            )
            assert brought.at <= steps[0].completed_at
    assert history_chain_breaks()[1] == []


def the_roll_ups_agree_with_the_requests():
    kpis = request_kpis(date_from=TODAY - timedelta(days=60), date_to=TODAY)
    requests = ServiceRequest.objects.all()
    assert kpis.received == requests.count()
    assert kpis.rejected == requests.filter(state=RequestState.REJECTED).count()
    assert kpis.cancelled == requests.filter(state=RequestState.CANCELLED).count()
    assert kpis.fees == requests.aggregate(total=Sum("fees_total"))["total"]
    assert 0 < kpis.on_time_rate < 1
