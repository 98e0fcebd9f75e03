"""Throttles that count failures only (a wrong old password, a wrong webhook token), and the 429
answer every throttle gives, with ``Retry-After``. Counting is django-ratelimit's, in the cache."""

import re

from django.http import HttpResponse
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import get_usage, is_ratelimited

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_window_seconds(rate: str) -> int:
    """The window of a django-ratelimit rate: "10/m" → 60, "5/15m" → 900."""
    match = re.fullmatch(r"\s*\d+\s*/\s*(\d*)\s*([smhd])\s*", rate)
    if match is None:
        raise ValueError(f"Not a rate: {rate!r}")
    return int(match.group(1) or 1) * _UNITS[match.group(2)]


def failures_exceeded(request, *, group: str, key, rate: str) -> bool:
    """Whether ``key`` already used up its failures in this window (counts nothing)."""
    usage = get_usage(request, group=group, key=key, rate=rate, method=ALL, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def failure_count(request, *, group: str, key, rate: str) -> None:
    is_ratelimited(request, group=group, key=key, rate=rate, method=ALL, increment=True)


def too_many_requests(request, *, seconds: int, template: str | None = None, context=None) -> HttpResponse:
    response = (
        render(request, template, context or {}, status=429)
        if template
        else HttpResponse(status=429, content_type="text/plain")
    )
    response["Retry-After"] = str(seconds)
    return response
