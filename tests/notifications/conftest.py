import pytest

from accounts.models import Role
from notifications import backends
from tests.accounts.factories import staff
from tests.notifications.gateway import FakeGateway
from tests.services.factories import ServiceFactory


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    settings.SMS_BACKEND = "notifications.backends.LocmemBackend"
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def service(org):
    return ServiceFactory(code="OCC-ROAD", name_ar="ترخيص إشغال طريق", name_en="Road occupancy")


@pytest.fixture
def clerk(org):
    return staff(Role.CLERK, center=org.bnh)


@pytest.fixture
def gateway(settings):
    """The fake gateway, and the HTTP backend pointed at it with a short timeout."""
    fake = FakeGateway().start()
    settings.SMS_BACKEND = "notifications.backends.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_GATEWAY_USERNAME, settings.SMS_GATEWAY_PASSWORD = fake.credentials
    settings.SMS_GATEWAY_TIMEOUT = 0.3
    settings.SMS_RETRY_BASE_SECONDS = 30
    settings.SMS_MAX_ATTEMPTS = 6
    yield fake
    fake.stop()
