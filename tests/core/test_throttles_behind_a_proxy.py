"""Behind the TLS proxy every request arrives from the proxy's address: each throttle must key on the
client's address, read from the trusted proxy's X-Forwarded-For entry and from nothing a client can
write, and say when to try again."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.net import client_ip
from core.throttle import rate_window_seconds
from tests.accounts.factories import PASSWORD, UserFactory

PROXY = "10.0.0.2"


def via_proxy(client_address: str, spoofed: str = "") -> dict:
    """What the proxy passes on: the connection is the proxy's; it appends the client's address."""
    chain = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, via_proxy("198.51.100.7"), PROXY),  # no trusted proxy: the header is anyone's
        (1, via_proxy("198.51.100.7"), "198.51.100.7"),
        (
            1,
            via_proxy("198.51.100.7", spoofed="1.2.3.4"),
            "198.51.100.7",
        ),  # the client's own entry is ignored
        (2, via_proxy("198.51.100.7", spoofed="1.2.3.4"), "1.2.3.4"),
        (2, via_proxy("198.51.100.7"), PROXY),  # too few entries: it did not come through both proxies
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (1, {"REMOTE_ADDR": PROXY}, PROXY),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxy_only(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_rate_windows():
    assert (rate_window_seconds("10/m"), rate_window_seconds("5/15m"), rate_window_seconds("100/h")) == (
        60,
        900,
        3600,
    )


@pytest.mark.django_db
def test_one_citizens_lookups_do_not_block_the_others_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRACKING_RATE = "2/m"
    track = reverse("track:lookup")
    lookup = {"receipt_number": "BNH-2026-000001", "national_id_last4": "0000"}
    for _ in range(2):
        assert client.post(track, lookup, **via_proxy("198.51.100.7")).status_code == 404
    blocked = client.post(track, lookup, **via_proxy("198.51.100.7", spoofed="203.0.113.99"))
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert client.post(track, lookup, **via_proxy("198.51.100.8")).status_code == 404  # another citizen


@pytest.mark.django_db
def test_bad_passwords_from_one_address_lock_that_address_only(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    login = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": user.username, "password": "wrong"}, **via_proxy("198.51.100.7"))
    locked = client.post(
        login, {"username": user.username, "password": PASSWORD}, **via_proxy("198.51.100.7")
    )
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    elsewhere = client.post(
        login, {"username": user.username, "password": PASSWORD}, **via_proxy("198.51.100.8")
    )
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_wrong_old_passwords_are_throttled(client, settings):
    settings.PASSWORD_CHANGE_FAILURE_RATE = "3/15m"
    user = UserFactory()
    client.force_login(user)
    change = reverse("accounts:password_change")
    attempt = {
        "old_password": "guess",
        "new_password1": "N3w-pass-phrase!",
        "new_password2": "N3w-pass-phrase!",
    }
    for _ in range(3):
        assert client.post(change, attempt).status_code == 200  # the form, with the error
    blocked = client.post(change, {**attempt, "old_password": PASSWORD})
    assert blocked.status_code == 429 and blocked["Retry-After"] == "900"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_wrong_webhook_tokens_are_throttled(client, settings):
    settings.SMS_DELIVERY_REPORT_TOKEN = "the-right-token-" + "x" * 20
    settings.WEBHOOK_FAILURE_RATE = "3/m"
    url = reverse("sms:delivery_report")
    for n in range(3):
        response = client.post(
            url, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer guess-{n}"
        )
        assert response.status_code == 401
    blocked = client.post(
        url,
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {settings.SMS_DELIVERY_REPORT_TOKEN}",
    )
    assert blocked.status_code == 429 and blocked["Retry-After"] == "60"
