"""Two employees at once, on separate database connections: exactly one wins; take-next never hands
the same request to two people."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from accounts.models import Role
from requests_app.models import RequestEvent, ServiceRequest
from requests_app.services import WorkflowError, service_request_forward, service_request_take_next
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory


def run_together(*jobs):
    """Start every job at the same moment, each thread with its own connection; return results/errors."""
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            start.wait()
            results[index] = job()
        except Exception as exc:  # the loser's refusal is the result we check
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_employees_deciding_at_once_exactly_one_wins(org):
    service = ServiceFactory(terms__route=["ENG", "SURV", "LEGAL"], legal_deadline_days=12)
    request = submit(service, org.bnh, staff(Role.CLERK, center=org.bnh))
    first, second = (
        staff(Role.BACKOFFICE, department=org.bnh_eng),
        staff(Role.BACKOFFICE, department=org.bnh_eng),
    )
    version = request.version

    results = run_together(
        lambda: service_request_forward(request_id=request.pk, actor=first, expected_version=version),
        lambda: service_request_forward(request_id=request.pk, actor=second, expected_version=version),
    )
    winners = [r for r in results if isinstance(r, ServiceRequest)]
    losers = [r for r in results if isinstance(r, WorkflowError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].request.current_department_id == org.bnh_surv.pk  # the loser is told where it is now
    fresh = ServiceRequest.objects.get(pk=request.pk)
    assert fresh.current_department_id == org.bnh_surv.pk and fresh.version == version + 1
    assert RequestEvent.objects.filter(request=request, action="forward").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_take_next_under_contention_never_gives_a_request_twice(org):
    service = ServiceFactory(terms__route=["ENG", "LEGAL"])
    clerk = staff(Role.CLERK, center=org.bnh)
    waiting = [submit(service, org.bnh, clerk, national_id=f"29001011401{n:03d}") for n in range(12)]
    employees = [staff(Role.BACKOFFICE, department=org.bnh_eng) for _ in range(6)]

    def take_three(employee):
        return [service_request_take_next(department_id=org.bnh_eng.pk, actor=employee) for _ in range(3)]

    results = run_together(*[lambda e=e: take_three(e) for e in employees])
    taken = [r.pk for batch in results for r in batch if r is not None]
    assert all(isinstance(batch, list) for batch in results), results
    assert len(taken) == len(set(taken)) == len(waiting)  # 6 × 3 tries, 12 requests, none twice
    owners = Counter(ServiceRequest.objects.filter(pk__in=taken).values_list("assignee", flat=True))
    assert sum(owners.values()) == 12


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_history_row_written_while_another_waits_for_the_lock_is_chained_to(org):
    """One connection holds the request's row lock and writes a history row; a decision that waited
    for that lock must chain its row to the one just committed (under READ COMMITTED, reading the last
    hash in the statement that waited would have missed it). history_verify recomputes the chain."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    service = ServiceFactory(terms__route=["ENG", "SURV"], legal_deadline_days=10)
    request = submit(service, org.bnh, staff(Role.CLERK, center=org.bnh))
    employee = staff(Role.BACKOFFICE, department=org.bnh_eng)
    holding, waiting = threading.Event(), threading.Event()

    def hold_the_lock_and_write():
        with transaction.atomic():
            locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
            RequestEvent.objects.create(
                request=locked,
                at=locked.submitted_at,
                actor=employee,
                action="identity_revealed",
                from_state=locked.state,
                to_state=locked.state,
            )
            holding.set()
            waiting.wait(timeout=30)  # released once the other connection is blocked on the lock
        return "committed"

    def decide_when_the_lock_is_free():
        holding.wait(timeout=30)
        return service_request_forward(request_id=request.pk, actor=employee)

    def watch():
        deadline = time.monotonic() + 30
        with connection.cursor() as cursor:
            while not waiting.is_set() and time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                if cursor.fetchone()[0]:
                    waiting.set()
        return "watched"

    results = run_together(hold_the_lock_and_write, decide_when_the_lock_is_free, watch)
    assert results[0] == "committed" and isinstance(results[1], ServiceRequest), results
    call_command("history_verify", stdout=io.StringIO())  # raises on a broken chain
