"""All settings, read from the environment (django-environ).

APP_ENV selects the safety level: ``development`` (default; embedded SQLite and a filesystem
Celery broker so a first try needs no server), ``test`` (the test suite; PostgreSQL and Redis) and
``production`` (refuses to start without SECRET_KEY and ALLOWED_HOSTS).
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# The .env file is production's (README): the demo and the tests never read it, even beside it.
if os.environ.get("APP_ENV") == "production":
    environ.Env.read_env(os.environ.get("ENV_FILE", str(BASE_DIR / ".env")), overwrite=False)
# Where the demo keeps its database, broker files, media and SMS log (tests point it elsewhere).
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

APP_ENV = env.str("APP_ENV", default="development")
if APP_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"APP_ENV must be development, test or production, not {APP_ENV!r}")
PRODUCTION = APP_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=False)


PLACEHOLDER_WORDS = ("change-me", "changeme", "example", "secret-key", "placeholder")


def _looks_like_a_placeholder(secret: str) -> bool:
    """Words from an example file, or too few different characters to be random."""
    lowered = secret.lower()
    return any(word in lowered for word in PLACEHOLDER_WORDS) or len(set(secret)) < 16


if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY or len(SECRET_KEY) < 50 or _looks_like_a_placeholder(SECRET_KEY):
        raise ImproperlyConfigured(
            "Production needs SECRET_KEY: at least 50 random characters, not a placeholder "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")
    if not env.str("PUBLIC_BASE_URL", default=""):
        raise ImproperlyConfigured("Production needs PUBLIC_BASE_URL (printed on receipts and sent by SMS).")
    if not env.str("INSTALLATION_ID", default=""):
        raise ImproperlyConfigured("Production needs INSTALLATION_ID (e.g. the governorate's code, QLB).")
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="development-only-insecure-key-" + "x" * 40)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Names this installation to outside systems, e.g. the prefix of every SMS reference, so that two
# governorates sharing one gateway account never collide.
INSTALLATION_ID = env.str("INSTALLATION_ID", default=APP_ENV)
if not re.fullmatch(r"[A-Za-z0-9-]{1,16}", INSTALLATION_ID):
    raise ImproperlyConfigured("INSTALLATION_ID: 1 to 16 Latin letters, digits or dashes.")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "simple_history",
    "django_celery_beat",
    # The project's apps, lowest layer first: each imports only those above it here
    # (tests/test_layers.py keeps it so).
    "core",
    "organisation",
    "accounts",
    "services",
    "deadlines",
    "notifications",
    "documents",
    "hall",
    "requests_app",
    "backoffice",
    "complaints",
    "correspondence",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ArabicFirstLocaleMiddleware",
    "core.middleware.RejectMalformedInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NoStoreForPersonalPagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so that a lock-out answers before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "core.context_processors.site",
            ],
        },
    },
]

# DATABASE_URL, or (docker compose) POSTGRES_HOST with its parts, so that a password with @ / : or #
# needs no URL escaping.
_POSTGRES = {
    "ENGINE": "django.db.backends.postgresql",
    "HOST": env.str("POSTGRES_HOST", default=""),
    "PORT": env.str("POSTGRES_PORT", default="5432"),
    "NAME": env.str("POSTGRES_DB", default="csc"),
    "USER": env.str("POSTGRES_USER", default="csc"),
    "PASSWORD": env.str("POSTGRES_PASSWORD", default=""),
}
DATABASES = {
    "default": _POSTGRES
    if _POSTGRES["HOST"] and "DATABASE_URL" not in os.environ
    else env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections in production: opening one per request cost a fifth of the status page's
# time under gunicorn (bench/over_http.py); the health check replaces a connection the database
# dropped before it is used. Development and tests open one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves one demo machine: WAL lets the worker and the web read at once, and
    # IMMEDIATE transactions wait for the write lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.ReusedClientRedisCache"
# How long a public page rendered once (core.pagecache) is kept; a change to what it shows gives it a
# new key at once, so this only bounds how long an unused page takes room.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=600)
# How long a dashboard's period figures, once counted, are shown as they were ("as of"; reports.kept_figures).
DASHBOARD_FIGURES_SECONDS = env.int("DASHBOARD_FIGURES_SECONDS", default=120)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if APP_ENV == "test":
    # Deliberately weak hashing keeps the suite fast; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "home"

# Lock a username from one address after repeated failures; other staff at the same center
# (same address behind the center's NAT) keep working.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
PASSWORD_CHANGE_FAILURE_RATE = env.str("PASSWORD_CHANGE_FAILURE_RATE", default="5/15m")
WEBHOOK_FAILURE_RATE = env.str("WEBHOOK_FAILURE_RATE", default="10/m")
# Reverse proxies in front of the application that append to X-Forwarded-For (0: none; 1: one TLS
# proxy). Every throttle keys on core.net.client_ip, which reads the client's address through them.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
RATELIMIT_IP_META_KEY = "core.net.client_ip"

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Africa/Cairo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Celery: Redis in production; with no CELERY_BROKER_URL the demo uses kombu's filesystem transport,
# a real broker kept in files under var/, so background work runs with no server at all.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue, _processed, _control = (VAR_DIR / "celery" / name for name in ("queue", "processed", "control"))
    for _folder in (_queue, _processed, _control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_processed),
        "control_folder": str(_control),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Publishing from a web request (the nudge after an SMS is queued) must not make a clerk wait for a
# broker that is down: one short connection attempt, no retries (the catch-up task sends it anyway).
CELERY_PUBLISH_CONNECT_TIMEOUT = env.float("CELERY_PUBLISH_CONNECT_TIMEOUT", default=0.25)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The front window and the citizen-facing pages.
CENTER_CLOSING_TIME = env.str("CENTER_CLOSING_TIME", default="15:00")
AT_RISK_SHARE = env.float("AT_RISK_SHARE", default=0.8)  # share of a step's time after which it is at risk
# Working days a step may be overdue before it reaches each level of the ladder:
# department head, center manager, governorate.
ESCALATION_WORKING_DAYS = env.list("ESCALATION_WORKING_DAYS", cast=int, default=[0, 2, 5])
SLA_SWEEP_MINUTES = env.int("SLA_SWEEP_MINUTES", default=5)
SCAN_MAX_BYTES = env.int("SCAN_MAX_BYTES", default=5 * 1024 * 1024)
TRACKING_RATE = env.str("TRACKING_RATE", default="10/m")
# Complaints: how long after an answer the complainant may reopen it (days), when to remind them to
# rate it, photos per complaint and their size, how often one address may file online.
COMPLAINT_REOPEN_DAYS = env.int("COMPLAINT_REOPEN_DAYS", default=10)
COMPLAINT_RATING_REMINDER_DAYS = env.int("COMPLAINT_RATING_REMINDER_DAYS", default=3)
COMPLAINT_PHOTOS_MAX = env.int("COMPLAINT_PHOTOS_MAX", default=5)
COMPLAINT_PHOTO_MAX_BYTES = env.int("COMPLAINT_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
COMPLAINT_FILING_RATE = env.str("COMPLAINT_FILING_RATE", default="5/h")
# Open311 GeoReport v2: one jurisdiction per deployment (clients may omit jurisdiction_id).
OPEN311_JURISDICTION = env.str("OPEN311_JURISDICTION", default="citizen-services.gov.eg")
OPEN311_RATE = env.str("OPEN311_RATE", default="120/m")
# Who answers for the Open311 endpoint (discovery's "contact"); empty: the site's public address.
OPEN311_CONTACT = env.str("OPEN311_CONTACT", default="")
# APIs with an error format of their own: what the gate for unusable input answers under their prefix.
MALFORMED_INPUT_RESPONSES = {"/open311/v2/": "complaints.open311.formats.malformed_input_response"}
# Issued documents: the signing key's private half (PEM) or a file holding it — never in the repository.
# Development and tests make a key of their own under VAR_DIR; production refuses to sign without one.
DOCUMENT_SIGNING_KEY = env.str("DOCUMENT_SIGNING_KEY", default="", multiline=True)
DOCUMENT_SIGNING_KEY_FILE = env.str(
    "DOCUMENT_SIGNING_KEY_FILE", default="" if PRODUCTION else str(VAR_DIR / "keys" / "documents.pem")
)
# How long an offline verifier may rely on a fetched revocation list (the list says so itself).
DOCUMENT_STATUS_MAX_AGE = env.int("DOCUMENT_STATUS_MAX_AGE", default=24 * 3600)
DOCUMENT_VERIFY_RATE = env.str("DOCUMENT_VERIFY_RATE", default="20/m")
# The public page a printed letter's QR opens, per address.
LETTER_VERIFY_RATE = env.str("LETTER_VERIFY_RATE", default="20/m")
# The hall: a called ticket is marked "did not come" only after this many calls again; the waiting-time
# estimate's service time before a center has any history; how long one screen stream stays open
# before the screen reconnects (bounds a web thread, and a revoked screen's reach); the Redis that
# rings the screens at once (default: the cache's Redis; without one the screens poll the database).
HALL_NO_SHOW_AFTER_RECALLS = env.int("HALL_NO_SHOW_AFTER_RECALLS", default=2)
HALL_DEFAULT_SERVICE_MINUTES = env.int("HALL_DEFAULT_SERVICE_MINUTES", default=6)
HALL_STREAM_SECONDS = env.int("HALL_STREAM_SECONDS", default=120)
HALL_BELL_URL = env.str(
    "HALL_BELL_URL",
    default=env.str("CACHE_URL", default="") if env.str("CACHE_URL", default="").startswith("redis") else "",
)
HALL_TICKET_RATE = env.str("HALL_TICKET_RATE", default="30/m")
# How far back the demo's past requests go (the dashboards' history).
DEMO_HISTORY_DAYS = env.int("DEMO_HISTORY_DAYS", default=90)
# Base of the links printed on receipts and sent by SMS; behind a proxy or in production, set it.
# Empty: the request's own host (tests); the demo serves on 127.0.0.1:8000.
PUBLIC_BASE_URL = env.str(
    "PUBLIC_BASE_URL", default="http://127.0.0.1:8000" if APP_ENV == "development" else ""
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest body any form needs (an intake with several scans): larger ones are refused before they
# are read. And the longest single value of any field (descriptions are up to 4,000 characters).
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=25 * 1024 * 1024)
FIELD_MAX_CHARS = env.int("FIELD_MAX_CHARS", default=5000)
FILE_UPLOAD_PERMISSIONS = 0o640
RATELIMIT_VIEW = "requests_app.views_public.rate_limited"

# SMS: chosen like Django's email backends. Development writes to the console (or a file), tests use
# locmem, production an HTTP gateway configured from the environment.
SMS_BACKEND = env.str(
    "SMS_BACKEND",
    default=f"notifications.backends.{'HttpGatewayBackend' if PRODUCTION else 'ConsoleBackend'}",
)
SMS_FILE_PATH = Path(env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms")))
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_USERNAME = env.str("SMS_GATEWAY_USERNAME", default="")
SMS_GATEWAY_PASSWORD = env.str("SMS_GATEWAY_PASSWORD", default="")
SMS_SENDER_NAME = env.str("SMS_SENDER_NAME", default="CSC")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=6)
SMS_RETRY_BASE_SECONDS = env.int("SMS_RETRY_BASE_SECONDS", default=30)
# An attempt still "sending" this long after it began is in doubt (its worker died, or the outcome was
# never committed): the message is due again, under the same reference. Longer than the gateway timeout.
SMS_IN_DOUBT_SECONDS = env.float("SMS_IN_DOUBT_SECONDS", default=SMS_GATEWAY_TIMEOUT + 50)
if SMS_IN_DOUBT_SECONDS <= SMS_GATEWAY_TIMEOUT:
    raise ImproperlyConfigured("SMS_IN_DOUBT_SECONDS must be longer than SMS_GATEWAY_TIMEOUT.")
# Optional: where the gateway answers "do you have the message with this reference?" (GET ?reference=).
SMS_GATEWAY_STATUS_URL = env.str("SMS_GATEWAY_STATUS_URL", default="")
SMS_DELIVERY_REPORT_TOKEN = env.str("SMS_DELIVERY_REPORT_TOKEN", default="")
if (
    PRODUCTION
    and SMS_DELIVERY_REPORT_TOKEN
    and (len(SMS_DELIVERY_REPORT_TOKEN) < 32 or _looks_like_a_placeholder(SMS_DELIVERY_REPORT_TOKEN))
):
    raise ImproperlyConfigured("SMS_DELIVERY_REPORT_TOKEN: at least 32 random characters, not a placeholder.")

SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# No inline script or style anywhere, nothing from another origin (centers may be on a closed network).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Sessions read from the cache and written through to the database: one query less on every staff
# page, and a cache flush only costs a read from the table.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    # X-Forwarded-Proto counts only behind the trusted proxy (gunicorn is published on 127.0.0.1 only,
    # so nothing else reaches it).
    if TRUSTED_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
