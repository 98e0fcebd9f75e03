"""POST /sms/delivery-report/: bearer token, JSON {id, status, error}; 401 / 400 / 404 / 200."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import SmsMessage
from tests.notifications.factories import SmsMessageFactory

pytestmark = pytest.mark.django_db
TOKEN = "s3cret-token-for-delivery-reports"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.SMS_DELIVERY_REPORT_TOKEN = TOKEN


@pytest.fixture
def sent():
    return SmsMessageFactory(status="sent", attempts=1, provider_message_id="gw-77")


def report(client, body, token=TOKEN, **extra):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        reverse("sms:delivery_report"), data, content_type="application/json", headers=headers, **extra
    )


def test_the_url():
    assert reverse("sms:delivery_report") == "/sms/delivery-report/"


@pytest.mark.parametrize("token", [None, "wrong", "", TOKEN + "x"])
def test_a_missing_or_wrong_token_is_refused(client, sent, token):
    response = report(client, {"id": "gw-77", "status": "delivered"}, token=token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert SmsMessage.objects.get(pk=sent.pk).status == "sent"


def test_no_configured_token_refuses_everything(client, sent, settings):
    settings.SMS_DELIVERY_REPORT_TOKEN = ""
    assert report(client, {"id": "gw-77", "status": "delivered"}, token="").status_code == 401


def test_a_csrf_checking_client_is_not_refused(sent):
    response = report(Client(enforce_csrf_checks=True), {"id": "gw-77", "status": "delivered"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '"text"',
        {"status": "delivered"},
        {"id": "gw-77"},
        {"id": "gw-77", "status": "read"},
    ],
)
def test_a_malformed_report_is_a_400(client, sent, body):
    assert report(client, body).status_code == 400


def test_an_unknown_id_is_a_404(client, sent):
    assert report(client, {"id": "gw-999", "status": "delivered"}).status_code == 404
    assert report(client, {"id": "", "status": "delivered"}).status_code == 404


def test_get_is_not_allowed(client):
    response = client.get(reverse("sms:delivery_report"), headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 405


def test_delivered_is_recorded_and_final(client, sent):
    response = report(client, {"id": "gw-77", "status": "delivered"})
    assert (response.status_code, response.json()) == (200, {"status": "delivered"})
    sent.refresh_from_db()
    assert sent.status == "delivered" and sent.delivered_at is not None
    # A late failure report for a delivered message changes nothing.
    assert report(client, {"id": "gw-77", "status": "failed", "error": "late"}).json() == {
        "status": "delivered"
    }
    sent.refresh_from_db()
    assert (sent.status, sent.last_error) == ("delivered", "")


def test_failed_is_recorded_with_the_error(client, sent):
    response = report(client, {"id": "gw-77", "status": "failed", "error": "handset unreachable for 48h"})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert (sent.status, sent.last_error) == ("failed", "handset unreachable for 48h")
