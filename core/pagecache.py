"""Public pages rendered once and served from the cache (Redis in production) while what they show is
unchanged: the citizen's status page, the catalog, a service page.

The caller names what the page shows in its key (e.g. the request's version, whether it is late); a
change to any of those gives a new key, so a page is never served stale, and the old one just ages out.
Pages shared this way are the anonymous visitor's: a request carrying a session or a pending message
(a staff member, a citizen who just changed a preference) is rendered for itself. A shared page must
therefore hold nothing of one visitor (no CSRF token: the public forms on it do not need one).

The key doubles as the ETag, and a conditional GET for it is answered 304 without a body.
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.translation import get_language

PREFIX = "page:"
T = TypeVar("T")


def page_is_shareable(request: HttpRequest) -> bool:
    """Whether this visitor sees what every anonymous visitor sees."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def page_key(request: HttpRequest, *parts: object) -> str:
    """The key of a shared page: its path, the language, the site's header (every page shows it) and
    ``parts``, everything else it shows."""
    site = page_generation("site")
    raw = "\x1f".join([request.path, get_language(), site, *(str(part) for part in parts)])
    return PREFIX + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def cached_page(request: HttpRequest, key: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page under ``key``: from the cache, or rendered by ``render`` and kept if it is a plain 200."""
    etag = f'"{key.removeprefix(PREFIX)}"'
    if request.method in ("GET", "HEAD") and etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        return not_modified
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
    else:
        response = render()
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return response  # something of this visitor's own went into it (a cookie, a CSRF token)
        cache.set(key, (response.content, response["Content-Type"]), settings.PUBLIC_PAGE_CACHE_SECONDS)
    response["ETag"] = etag
    return response


def page_generation(name: str) -> str:
    """A token naming the current state of a set of data shown on cached pages (e.g. the catalog);
    ``page_generation_bump`` replaces it when that data changes. A lost token is replaced by a new one,
    never by an old one, so a page of an earlier state can never come back."""
    key = f"{PREFIX}generation:{name}"
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token
    return token


def page_generation_bump(name: str) -> None:
    cache.set(f"{PREFIX}generation:{name}", uuid.uuid4().hex, timeout=None)


def page_generation_changed(name: str) -> None:
    """For a signal handler: the data named ``name`` changed in the current transaction."""
    # Now, and again after the commit: a page read between the first bump and the commit would be
    # the old one kept under the new generation.
    page_generation_bump(name)
    transaction.on_commit(lambda: page_generation_bump(name))


def generation_cached(generation: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache until the data named by ``generation`` changes."""
    full_key = f"{PREFIX}{generation}:{page_generation(generation)}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return value


class SharedPageMixin:
    """For a TemplateView every anonymous visitor sees alike, built from data named by
    ``page_generations`` (see page_generation). A search or filter in the query string is rendered
    each time, so that any text typed cannot fill the cache."""

    page_generations: tuple[str, ...] = ()

    def get(self, request, *args, **kwargs):
        def render_page():
            return super(SharedPageMixin, self).get(request, *args, **kwargs)

        if not page_is_shareable(request) or request.GET:
            return render_page()
        key = page_key(request, *(page_generation(name) for name in self.page_generations))
        return cached_page(request, key, render_page)
