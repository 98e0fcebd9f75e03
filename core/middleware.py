from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control


class ArabicFirstLocaleMiddleware(LocaleMiddleware):
    """Arabic unless the visitor chose another language (the language cookie set by /i18n/setlang/).

    A browser's Accept-Language is ignored on purpose: a public terminal or an English-language
    phone must not turn a government service into English without the citizen asking for it."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectMalformedInputMiddleware:
    """One gate for input no page can use: a NUL byte (PostgreSQL cannot even store it) or an overlong
    value anywhere in the path, the query or the form, and a body larger than any form needs, refused
    from its Content-Length before it is read. Each gets 400 or 413 with an Arabic page; nothing runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit():
            return bad_request(request, 400)
        if int(length) > settings.REQUEST_MAX_BYTES:
            return bad_request(request, 413)
        if not _acceptable(request.path) or not _acceptable(request.META.get("QUERY_STRING", "")):
            return bad_request(request, 400)
        try:
            fields = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else [])]
        except Exception:  # a body the parser cannot read (broken multipart, bad encoding)
            return bad_request(request, 400)
        for name, values in fields:
            if not _acceptable(name) or not all(_acceptable(value) for value in values):
                return bad_request(request, 400)
        return self.get_response(request)


def _acceptable(value: str) -> bool:
    return "\x00" not in value and len(value) <= settings.FIELD_MAX_CHARS


def bad_request(request, status: int):
    """The site's Arabic 400 page — or, under a prefix of ``MALFORMED_INPUT_RESPONSES`` (an API with an
    error format of its own, e.g. Open311), that API's answer, named by dotted path from the settings so
    that this layer imports no app above it."""
    from django.shortcuts import render
    from django.utils.module_loading import import_string

    for prefix, responder in settings.MALFORMED_INPUT_RESPONSES.items():
        if request.path.startswith(prefix):
            return import_string(responder)(request, status)
    return render(request, "400.html", {"status": status}, status=status)


class NoStoreForPersonalPagesMiddleware:
    """Staff pages (receipts, request files, scans, queues, the window) and the citizen's status pages
    carry personal data: no browser or proxy cache may keep them (a shared counter PC, a back button)."""

    PUBLIC_PERSONAL_PREFIXES = ("/t/", "/track/", "/complaints/t/", "/complaints/photo/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            self.PUBLIC_PERSONAL_PREFIXES
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response


class HealthCheckMiddleware:
    """``/healthz`` answers before the host and HTTPS rules: the container's own health check calls it
    over plain HTTP on 127.0.0.1, which is neither an allowed host nor the TLS proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            from core.views import healthz

            return healthz(request)
        return self.get_response(request)
