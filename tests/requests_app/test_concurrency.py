"""Receipt numbers are treasury records: concurrent clerks never share or skip a number."""

import threading
import uuid

import pytest
from django.db import connection

from accounts.models import Role
from requests_app.models import RequestEvent, ServiceRequest
from requests_app.services import service_request_submit
from tests.accounts.factories import staff
from tests.requests_app.factories import intake_for

CLERKS = 10
SUBMISSIONS_EACH = 3
FAILING_CLERKS = 2  # their submissions fail after the number was taken: the rollback must give it back


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_clerks_get_gapless_unique_numbers(org, service, monkeypatch):
    clerks = [staff(Role.CLERK, center=org.bnh) for _ in range(CLERKS)]
    real_create = RequestEvent.objects.create

    def create_or_fail(*args, **kwargs):
        if threading.current_thread().name.startswith("failing"):
            raise RuntimeError("simulated crash after the receipt number was allocated")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(RequestEvent.objects, "create", create_or_fail)
    start = threading.Barrier(CLERKS)
    results, errors = [], []

    def work(clerk):
        try:
            start.wait()
            for n in range(SUBMISSIONS_EACH):
                try:
                    request = service_request_submit(
                        center=org.bnh,
                        clerk=clerk,
                        service=service,
                        intake=intake_for(service, national_id=f"2900101140{clerk.pk % 100:02d}{n:02d}"),
                        intake_key=uuid.uuid4(),
                    )
                    results.append(request.sequence)
                except RuntimeError as exc:
                    errors.append(str(exc))
        finally:
            connection.close()  # each thread had its own database connection

    threads = [
        threading.Thread(
            target=work, args=(clerk,), name=("failing" if i < FAILING_CLERKS else "clerk") + str(i)
        )
        for i, clerk in enumerate(clerks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    succeeded = (CLERKS - FAILING_CLERKS) * SUBMISSIONS_EACH
    assert len(errors) == FAILING_CLERKS * SUBMISSIONS_EACH
    assert sorted(results) == list(range(1, succeeded + 1))
    stored = sorted(ServiceRequest.objects.filter(center=org.bnh).values_list("sequence", flat=True))
    assert stored == list(range(1, succeeded + 1))
    assert len(set(ServiceRequest.objects.values_list("receipt_number", flat=True))) == succeeded
