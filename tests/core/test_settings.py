"""Production settings refuse to start unsafely, and pass Django's deployment checklist."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SECRET = "k" * 20 + "-production-secret-for-the-check-only-" + "z" * 20


def run_manage(*args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "INSTALLATION_ID"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        # .env.example's own placeholder, and a long key of few different characters.
        (
            {"SECRET_KEY": "change-me-to-at-least-50-random-characters-generated-by-a-password-tool"},
            "SECRET_KEY",
        ),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY"),
        (
            {
                "SECRET_KEY": SECRET,
                "ALLOWED_HOSTS": "csc.example.gov.eg",
                "PUBLIC_BASE_URL": "https://csc.example.gov.eg",
                "INSTALLATION_ID": "QLB",
                "SMS_DELIVERY_REPORT_TOKEN": "change-me-long-random-token",
            },
            "SMS_DELIVERY_REPORT_TOKEN",
        ),
        ({"SECRET_KEY": SECRET}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "csc.example.gov.eg"}, "PUBLIC_BASE_URL"),
        (
            {
                "SECRET_KEY": SECRET,
                "ALLOWED_HOSTS": "csc.example.gov.eg",
                "PUBLIC_BASE_URL": "https://csc.example.gov.eg",
            },
            "INSTALLATION_ID",
        ),
        (
            {
                "SECRET_KEY": SECRET,
                "ALLOWED_HOSTS": "csc.example.gov.eg",
                "PUBLIC_BASE_URL": "https://csc.example.gov.eg",
                "INSTALLATION_ID": "QLB",
                "DJANGO_DEBUG": "1",
            },
            "DJANGO_DEBUG",
        ),
    ],
)
def test_production_refuses_to_start_unsafely(overrides, message):
    result = run_manage("check", APP_ENV="production", **overrides)
    assert result.returncode != 0
    assert message in result.stderr


def production(**overrides) -> dict:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from documents.codec import private_key_pem

    values = {
        "APP_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "csc.example.gov.eg",
        "PUBLIC_BASE_URL": "https://csc.example.gov.eg",
        "INSTALLATION_ID": "QLB",
        "DOCUMENT_SIGNING_KEY": private_key_pem(Ed25519PrivateKey.generate()).decode(),
    }
    values.update(overrides)
    return values


def test_deploy_checklist_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_document_signing_key_is_refused():
    result = run_manage("check", **production(DOCUMENT_SIGNING_KEY=""))
    assert result.returncode != 0 and "documents.E001" in result.stdout + result.stderr


def test_debug_is_off_unless_asked_for():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", APP_ENV="development"
    )
    assert result.stdout.strip().endswith("False")


def test_only_production_reads_the_env_file(tmp_path):
    """README's production .env beside the checkout must not change the demo or the tests."""
    env_file = tmp_path / ".env"
    env_file.write_text("ALLOWED_HOSTS=csc.example.gov.eg\nINSTALLATION_ID=FROMFILE\n")
    show = "from django.conf import settings; print(settings.ALLOWED_HOSTS, settings.INSTALLATION_ID)"
    development = run_manage("shell", "-c", show, APP_ENV="development", ENV_FILE=str(env_file))
    assert development.returncode == 0, development.stderr
    assert "localhost" in development.stdout and "FROMFILE" not in development.stdout
    production = run_manage(
        "shell",
        "-c",
        show,
        APP_ENV="production",
        ENV_FILE=str(env_file),
        SECRET_KEY=SECRET,
        PUBLIC_BASE_URL="https://csc.example.gov.eg",
    )
    assert production.returncode == 0, production.stderr
    assert "csc.example.gov.eg" in production.stdout and "FROMFILE" in production.stdout


def test_the_tests_keep_their_state_outside_the_checkout():
    base = str(settings.BASE_DIR)
    for folder in (settings.VAR_DIR, settings.MEDIA_ROOT, settings.SMS_FILE_PATH):
        assert not str(folder).startswith(base), folder


def test_production_cookies_proxy_trust_and_a_password_with_any_character():
    show = (
        "from django.conf import settings as s; db = s.DATABASES['default']; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, "
        "getattr(s, 'SECURE_PROXY_SSL_HEADER', None), repr(db['PASSWORD']), db['HOST'])"
    )
    production = {
        "APP_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "csc.example.gov.eg",
        "PUBLIC_BASE_URL": "https://csc.example.gov.eg",
        "INSTALLATION_ID": "QLB",
    }
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    parts = {"POSTGRES_HOST": "db", "POSTGRES_PASSWORD": "p@ss/w:rd#1"}
    direct = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=settings.BASE_DIR,
        env={**env, **production, **parts, "TRUSTED_PROXY_COUNT": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert direct.returncode == 0, direct.stderr
    assert direct.stdout.strip().splitlines()[-1].split() == ["True", "Lax", "None", "'p@ss/w:rd#1'", "db"]
    proxied = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=settings.BASE_DIR,
        env={**env, **production, **parts, "TRUSTED_PROXY_COUNT": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in proxied.stdout
