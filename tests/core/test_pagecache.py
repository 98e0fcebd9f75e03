from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from core.pagecache import cached_page, page_generation, page_generation_bump, page_key


def test_a_generation_changes_when_bumped_and_a_lost_one_never_comes_back():
    first = page_generation("catalog")
    assert page_generation("catalog") == first
    page_generation_bump("catalog")
    second = page_generation("catalog")
    assert second != first
    cache.clear()  # evicted, or Redis restarted
    assert page_generation("catalog") not in (first, second)


def test_only_a_plain_200_is_kept():
    request = RequestFactory().get("/x/")
    key = page_key(request, "part")
    renders = []

    def failing():
        renders.append(1)
        return HttpResponse("busy", status=503)

    cached_page(request, key, failing)
    cached_page(request, key, failing)
    assert len(renders) == 2

    def with_cookie():
        response = HttpResponse("mine")
        response.set_cookie("x", "1")
        return response

    cached_page(request, key, with_cookie)
    assert cache.get(key) is None
    assert cached_page(request, key, lambda: HttpResponse("shared")).content == b"shared"
    assert cached_page(request, key, lambda: HttpResponse("other")).content == b"shared"


def test_keys_differ_by_path_language_and_parts():
    factory = RequestFactory()
    assert page_key(factory.get("/a/"), 1) != page_key(factory.get("/b/"), 1)
    assert page_key(factory.get("/a/"), 1) != page_key(factory.get("/a/"), 2)
