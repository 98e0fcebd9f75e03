import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo seeded once for a module's tests (a seeding costs seconds of hashing and roll-ups):
    inside a transaction that is rolled back when the module ends, each test in a savepoint of its own
    within it (pytest-django's ``db``), so no test sees another's changes and none outlives the module.
    Yields the first seeding's report."""
    from demo.seed import demo_seed

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
