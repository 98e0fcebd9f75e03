"""The dashboards' history set (bench/data.py), made small: its SQL calendar arithmetic must agree with
WorkCalendar (deadlines, working days taken, step clocks), its receipts be gapless and continued by the
counters, its fees be the terms', its rows render, and ensure_data's set must fit beside it."""

import json
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from bench import data, outputs
from core.models import NumberSeries
from documents.models import IssuedDocument
from hall.models import HallQueue, Ticket
from notifications.models import SmsMessage
from organisation.calendar import WorkCalendar
from organisation.models import Center
from organisation.services import organisation_load_reference
from reports.models import RequestDay
from reports.rollups import rollups_rebuild_compared
from requests_app.models import OPEN_STATES, RequestState, ServiceRequest
from services.models import Service
from services.services import catalog_load_reference

# The bulk load commits per batch, drops and rebuilds indexes and runs VACUUM: no test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AS_OF = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
TOTAL = 1500


@pytest.fixture
def history():
    organisation_load_reference()
    catalog_load_reference()
    try:
        figures = data.ensure_history(TOTAL, batch_rows=600, as_of=AS_OF, prepare=False, log=lambda *_: None)
        yield figures
    finally:
        with connection.cursor() as cursor:
            data.indexes_restore(cursor)  # should the load have failed half-way
            cursor.execute("DROP TABLE bench_history, bench_saved_index")


def test_history_set(history):
    requests = ServiceRequest.objects.select_related("center")
    assert history["generated"] == requests.count() == TOTAL
    a_realistic_mix_over_three_years(requests)
    deadlines_and_working_days_are_the_calendars(requests)
    receipts_gapless_and_counters_caught_up()
    fees_are_the_terms()
    open_requests_stand_on_their_route(requests)
    every_state_renders()
    the_roll_ups_count_them()
    what_the_requests_leave_behind()
    ensure_datas_set_fits_beside_it()
    made_once()


def a_realistic_mix_over_three_years(requests):
    states = Counter(requests.values_list("state", flat=True))
    assert RequestState.SUBMITTED not in states  # the intake routes at once: never left "submitted"
    assert set(states) >= {"in_review", "awaiting_citizen", "ready", "delivered", "rejected", "cancelled"}
    decided = sum(states[s] for s in ("approved", "ready", "delivered", "rejected"))
    assert 0.65 < decided / TOTAL < 0.85
    assert 0.10 < sum(states[s] for s in OPEN_STATES) / TOTAL < 0.25
    assert {r.year for r in requests} == {2023, 2024, 2025, 2026}
    assert requests.filter(submitted_at__gt=AS_OF).count() == 0
    assert requests.exclude(completed_at=None).filter(completed_at__gt=AS_OF).count() == 0
    assert requests.values("center").distinct().count() == 28  # every demo center, the vans too


def deadlines_and_working_days_are_the_calendars(requests):
    calendars = {}
    for request in requests:
        calendar = calendars.setdefault(request.center_id, WorkCalendar(request.center))
        legal = request.terms["legal_deadline_days"]
        due = calendar.deadline(request.submitted_at, legal)
        if request.paused_working_days:
            due = calendar.shift(due, request.paused_working_days)
        assert request.due_at == due, request.receipt_number
        if request.state in ("approved", "ready", "delivered", "rejected"):
            taken = calendar.working_days_between(request.submitted_at, request.completed_at)
            assert request.working_days_taken == max(taken - request.paused_working_days, 0)
            assert request.on_time == (request.completed_at <= request.due_at)
            assert request.submitted_at < request.completed_at
        else:
            assert request.on_time is None and request.working_days_taken is None
        assert (request.delivered_at is not None) == (request.state == "delivered")
        if request.delivered_at:
            assert request.delivered_at > request.completed_at


def receipts_gapless_and_counters_caught_up():
    numbers = {}
    for center, code, year, sequence, receipt in ServiceRequest.objects.values_list(
        "center_id", "center__code", "year", "sequence", "receipt_number"
    ):
        assert receipt == f"{code}-{year}-{sequence:06d}"
        numbers.setdefault((center, year), []).append(sequence)
    for (center, year), sequences in numbers.items():
        assert sorted(sequences) == list(range(1, len(sequences) + 1))
        assert NumberSeries.objects.get(series=f"receipt:{center}", year=year).last_number == len(sequences)


def fees_are_the_terms():
    for request in ServiceRequest.objects.prefetch_related("fees"):
        fees = [(f.name_ar, str(f.amount)) for f in request.fees.all()]
        assert fees == [(f["name_ar"], f["amount"]) for f in request.terms["fees"]]
        assert str(request.fees_total) == request.terms["fees_total"]
        assert (request.payment_method in ("cash", "epayment")) == bool(fees)
        assert request.payment_method == "epayment" or not request.payment_reference
        assert request.terms == Service.objects.get(pk=request.service_id).terms()


def open_requests_stand_on_their_route(requests):
    for request in requests.filter(state__in=OPEN_STATES).prefetch_related("steps"):
        steps = list(request.steps.all())
        assert [s.position for s in steps] == list(range(1, len(request.terms["route"]) + 1))
        current = request.current_step
        assert current.department_id == request.current_department_id
        assert current.status == ("paused" if request.state == "awaiting_citizen" else "active")
        assert {s.status for s in steps if s.position < current.position} <= {"done"}
        assert {s.status for s in steps if s.position > current.position} <= {"pending"}
        calendar = WorkCalendar(request.center)
        assert (
            current.due_at
            == request.step_due_at
            == calendar.deadline(current.started_at, current.working_days)
        )
        assert (request.paused_at is not None) == (request.state == "awaiting_citizen")


def the_roll_ups_count_them():
    received = RequestDay.objects.aggregate(n=Sum("received"), fees=Sum("fees"))
    assert received["n"] == TOTAL
    assert received["fees"] == ServiceRequest.objects.aggregate(total=Sum("fees_total"))["total"]


def what_the_requests_leave_behind():
    """bench/outputs.py: a document per approved request, the SMS its events queue, a ticket per visit
    to a window at a center with a hall, numbered from 1 per queue and day; and their roll-ups as a
    rebuild makes them."""
    bnh = Center.objects.get(code="BNH")
    for position, letter in enumerate("AB"):
        HallQueue.objects.create(
            center=bnh, letter=letter, name_ar=f"طابور {letter}", is_priority=not position, position=position
        )
    outputs.ensure_outputs(log=lambda *_: None)
    outputs.ensure_tickets(log=lambda *_: None)
    approved = ServiceRequest.objects.filter(state__in=("approved", "ready", "delivered"))
    assert sorted(IssuedDocument.objects.values_list("source_reference", flat=True)) == sorted(
        approved.values_list("receipt_number", flat=True)
    )
    decided = ServiceRequest.objects.filter(state__in=("approved", "ready", "delivered", "rejected"))
    delivered = ServiceRequest.objects.exclude(delivered_at=None)
    assert SmsMessage.objects.count() == TOTAL + decided.count() + delivered.count()
    at_bnh = ServiceRequest.objects.filter(center=bnh)
    assert Ticket.objects.count() == at_bnh.count() + at_bnh.exclude(delivered_at=None).count() > 0
    numbers: dict = {}
    for queue, day, number in Ticket.objects.values_list("issued_queue", "day", "number"):
        numbers.setdefault((queue, day), []).append(number)
    assert all(sorted(taken) == list(range(1, len(taken) + 1)) for taken in numbers.values())
    assert rollups_rebuild_compared()[1] == []
    assert outputs.ensure_outputs(log=lambda *_: None) == outputs.ensure_tickets(log=lambda *_: None) == {}


def every_state_renders():
    client = Client()
    for state in ServiceRequest.objects.values_list("state", flat=True).distinct():
        token = ServiceRequest.objects.filter(state=state).values_list("tracking_token", flat=True).first()
        assert client.get(reverse("track:status", args=[token])).status_code == 200, state


def ensure_datas_set_fits_beside_it():
    """run.py's set (all in 2025) numbers its receipts on from the history set's, and is still counted
    apart from it."""
    before = ServiceRequest.objects.filter(year=2025).count()
    with connection.cursor() as cursor:
        cursor.execute(
            data.GENERATE_SQL,
            {
                "terms": json.dumps(Service.objects.get(code="OCC-ROAD").terms(), ensure_ascii=False),
                "clerk": ServiceRequest.objects.values_list("taken_by_id", flat=True).first(),
                "start": 0,
                "stop": 299,
            },
        )
    legacy = {"year": 2025, "applicant_mobile": data.LEGACY_MOBILE, "applicant_name_ar": data.LEGACY_NAME}
    assert ServiceRequest.objects.filter(**legacy).count() == 300
    assert ServiceRequest.objects.filter(year=2025).count() == before + 300
    receipts_of_2025 = ServiceRequest.objects.filter(year=2025).values_list("center_id", "sequence")
    assert len(set(receipts_of_2025)) == len(receipts_of_2025)


def made_once():
    assert data.ensure_history(TOTAL, prepare=False, log=lambda *_: None)["generated"] == 0
    with pytest.raises(SystemExit):
        data.ensure_history(TOTAL + 1, prepare=False, log=lambda *_: None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_saved_index")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'gapless_receipt_per_center_year'")
        assert cursor.fetchone()[0] == 1
