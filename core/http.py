"""Small HTTP helpers with no domain."""

from django.conf import settings
from django.contrib import messages
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str) -> str:
    """The ``next`` the form carried when it is a path on this site; ``fallback`` otherwise (an outside
    URL, a scheme, or anything that is not a path)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def form_errors_as_messages(request, form) -> None:
    """Every error of an invalid form as a message on the next page (forms posted from a page that
    redirects back to itself)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def public_url(request, path: str) -> str:
    """Absolute URL for QR codes, receipts and printed papers; PUBLIC_BASE_URL wins behind proxies."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def query_without_page(request) -> str:
    """The list's query string (its filters) without the page number, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
