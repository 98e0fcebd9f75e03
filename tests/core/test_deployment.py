"""The deployment as written: the compose file's health check passes against gunicorn running with
production settings (no Docker engine here, so the exact command runs against a local gunicorn)."""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.core.test_settings import SECRET
from tests.worker import test_database_url

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped: {server.stdout.read()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("gunicorn never listened")


def production_env(tmp_path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "APP_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "csc.example.gov.eg",  # as in .env.example: 127.0.0.1 is not among them
        "PUBLIC_BASE_URL": "https://csc.example.gov.eg",
        "INSTALLATION_ID": "QLB",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
        "VAR_DIR": str(tmp_path / "var"),
    }


def start_compose_web(port: int, env: dict[str, str]) -> subprocess.Popen:
    """The compose file's own web command (gunicorn with its worker class and threads), on ``port``;
    its ${VARIABLES} from ``env`` as compose takes them from .env, else their defaults."""
    web = yaml.safe_load(COMPOSE.read_text())["services"]["web"]["command"]
    assert web[0] == "gunicorn" and "gthread" in web
    arguments = [
        re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: env.get(m[1], m[2]), part).replace(
            "0.0.0.0:8000", f"127.0.0.1:{port}"
        )
        for part in web[1:]
    ]
    return subprocess.Popen(
        # The app is loaded before the port opens: the check (3 s, retried by compose while the
        # container starts) then meets a started server, not a worker still importing Django.
        [sys.executable, "-m", "gunicorn", *arguments, "--preload"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.django_db
def test_the_compose_health_check_passes_against_gunicorn_with_production_settings(tmp_path):
    check = yaml.safe_load(COMPOSE.read_text())["services"]["web"]["healthcheck"]["test"]
    assert check[:2] == ["CMD", "python"]
    port = free_port()
    command = [sys.executable, *check[2:]]
    command[-1] = command[-1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    env = production_env(tmp_path)
    server = start_compose_web(port, env)
    try:
        wait_until_listening(port, server)
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
