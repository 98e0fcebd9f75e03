"""The bare Django beside the project in bench/over_http.py: the project's settings with no middleware
and bare_urls as the URL conf, served by the same gunicorn with the same workers."""

from config.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare_urls"
