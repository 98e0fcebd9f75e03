import pytest

from accounts.models import Role
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory


@pytest.fixture
def service(org):
    return ServiceFactory(
        code="BLD-NEW",
        name_ar="ترخيص بناء جديد",
        legal_deadline_days=12,
        terms__route=["ENG", "SURV", "LEGAL"],
    )


@pytest.fixture
def clerk(org):
    return staff(Role.CLERK, center=org.bnh)


@pytest.fixture
def req(service, org, clerk):
    return submit(service, org.bnh, clerk)
