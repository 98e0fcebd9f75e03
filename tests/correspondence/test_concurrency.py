"""Register numbers never repeat nor skip, whatever the number of clerks registering at once, each on
its own database connection, some of whose registrations fail after the number was taken."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from correspondence import services
from correspondence.models import Direction, Letter, LetterEvent
from tests.accounts.factories import staff
from tests.correspondence.factories import letter_input

CLERKS = 8
LETTERS_EACH = 3
FAILING = 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_get_gapless_numbers_per_register(
    offices, engineering, ministry, monkeypatch
):
    clerks = [staff(Role.REGISTRY_CLERK, local_unit=offices.bnh.local_unit) for _ in range(CLERKS)]
    real_create = LetterEvent.objects.create

    def create_or_fail(*args, **kwargs):
        if threading.current_thread().name.startswith("failing"):
            raise RuntimeError("simulated crash after the number was taken")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(LetterEvent.objects, "create", create_or_fail)
    start = threading.Barrier(CLERKS)
    numbers, crashes = {Direction.INCOMING: [], Direction.OUTGOING: []}, []

    def work(clerk, index):
        try:
            start.wait()
            for n in range(LETTERS_EACH):
                direction = Direction.INCOMING if (index + n) % 2 else Direction.OUTGOING
                try:
                    letter = services.letter_register(
                        office=offices.bnh,
                        direction=direction,
                        data=letter_input(engineering, body=ministry),
                        clerk=clerk,
                    )
                    numbers[direction].append(letter.sequence)
                except RuntimeError as exc:
                    crashes.append(str(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(clerk, i), name=("failing" if i < FAILING else "clerk") + str(i))
        for i, clerk in enumerate(clerks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(crashes) == FAILING * LETTERS_EACH
    year = timezone.localdate().year
    for direction, taken in numbers.items():
        assert sorted(taken) == list(range(1, len(taken) + 1))
        stored = Letter.objects.filter(direction=direction, local_unit=offices.bnh.local_unit)
        assert sorted(stored.values_list("sequence", flat=True)) == list(range(1, len(taken) + 1))
        assert all(
            number.startswith(f"BNH-{direction.upper()}-{year}-")
            for number in stored.values_list("number", flat=True)
        )
    assert sum(len(taken) for taken in numbers.values()) == (CLERKS - FAILING) * LETTERS_EACH
