"""The edge of the site: NUL bytes, overlong values and oversized bodies are refused before any view
runs, with an Arabic page; every page carries a strict Content-Security-Policy; pages with personal
data are never cached; a CSRF failure explains itself in Arabic."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/services/%00/", {}),
        ("/t/abc%00def/", {}),
        ("/window/BNH/services.json", {"q": "بناء\x00"}),
        ("/services/", {"q": "x" * 10_001}),
    ],
)
def test_nul_bytes_and_overlong_values_get_an_arabic_400(client, path, query):
    response = client.get(path, query)
    assert response.status_code == 400
    assert "تعذرت قراءة الطلب" in response.content.decode()


def test_a_nul_byte_in_a_form_changes_nothing(client, org):
    clerk = staff(Role.CLERK, center=org.bnh)
    client.force_login(clerk)
    response = client.post(reverse("window:home", args=["BNH"]), {"national_id": "2900101140\x001234"})
    assert response.status_code == 400


def test_an_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = client.post(reverse("track:lookup"), {"receipt_number": "x" * 2000})
    assert response.status_code == 413
    assert "أكبر مما" in response.content.decode()


def test_every_page_has_a_strict_content_security_policy(client):
    for url in (reverse("home"), reverse("services:catalog"), reverse("accounts:login")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_with_personal_data_are_never_cached(client, org):
    assert "no-store" not in client.get(reverse("services:catalog")).get("Cache-Control", "")
    assert "no-store" in client.get(reverse("track:lookup"))["Cache-Control"]
    client.force_login(staff(Role.CLERK, center=org.bnh))
    assert "no-store" in client.get(reverse("window:home", args=["BNH"]))["Cache-Control"]


def test_a_csrf_failure_is_explained_in_arabic(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("track:lookup"), {"receipt_number": "BNH-2026-000001"})
    assert response.status_code == 403
    assert "انتهت صلاحية النموذج" in response.content.decode()
