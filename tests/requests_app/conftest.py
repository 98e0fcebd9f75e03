import pytest

from accounts.models import Role
from tests.accounts.factories import staff
from tests.services.factories import ServiceFactory


@pytest.fixture
def service(org):
    return ServiceFactory(code="OCC-ROAD", name_ar="ترخيص إشغال طريق", name_en="Road occupancy")


@pytest.fixture
def clerk(org):
    return staff(Role.CLERK, center=org.bnh)
