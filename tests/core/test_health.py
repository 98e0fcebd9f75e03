import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_with_postgresql_and_redis(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_broker_down_is_503(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "down"}


def test_filesystem_broker_of_the_demo_counts_as_up(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
    }
    assert client.get(reverse("healthz")).status_code == 200


def test_health_is_never_cached(client):
    assert "no-cache" in client.get(reverse("healthz"))["Cache-Control"]
