from django.core.cache import caches


def test_the_redis_cache_reuses_one_client_and_still_works():
    cache = caches["default"]
    assert type(cache).__name__ == "ReusedClientRedisCache"
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("reused", 1)
    assert cache.incr("reused") == 2 and cache.get("reused") == 2
