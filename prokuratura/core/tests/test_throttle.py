"""core.throttle: counts in the shared cache, exact under concurrency, on the database cache and on Redis."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory

from prokuratura.core import throttle as throttle_module
from prokuratura.core.api_support import TokenCreateThrottle
from prokuratura.core.throttle import throttle_hit

from .concurrency import all_at_once, postgresql_only, shared_cache_on_redis


def _hits(key, times, limit=3, window=3600):
    return [throttle_hit(key=key, limit=limit, window_seconds=window) for _ in range(times)]


def test_the_hit_over_the_limit_is_refused_and_each_key_counts_alone(db):
    assert _hits("a", 5) == [False, False, False, True, True]
    assert _hits("b", 1) == [False]


def test_the_count_lives_in_the_shared_cache_not_in_the_process(db):
    _hits("a", 2)
    assert caches["default"].get("throttle:a") is None
    assert caches["shared"].get("throttle:a") is not None
    caches["default"].clear()  # another process would have its own memory: the count stays
    assert _hits("a", 2) == [False, True]


def test_a_cost_counts_several_hits_at_once(db):
    assert throttle_hit(key="a", limit=3, window_seconds=60, cost=3) is False
    assert throttle_hit(key="a", limit=3, window_seconds=60, cost=1) is True


def test_a_fixed_window_starts_again_when_it_ends(db, monkeypatch):
    clock = SimpleNamespace(time=lambda: 1_000_000.0)
    monkeypatch.setattr(throttle_module, "time", clock)
    assert _hits("a", 4, window=60) == [False, False, False, True]
    clock.time = lambda: 1_000_059.0  # still the same window: hits keep counting, the end does not move
    assert _hits("a", 1, window=60) == [True]
    clock.time = lambda: 1_000_061.0
    assert _hits("a", 4, window=60) == [False, False, False, True]


def test_on_redis_the_count_is_shared_and_the_window_kept(db):
    with shared_cache_on_redis():
        assert _hits("a", 4) == [False, False, False, True]
        cache = caches["shared"]
        ttl = cache._cache.get_client().ttl(cache.make_and_validate_key("throttle:a"))  # type: ignore[attr-defined]
        assert 3500 < ttl <= 3600  # INCR kept the expiry set by the first hit


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_the_database_cache_are_exact():
    results = all_at_once(12, lambda _i: throttle_hit(key="burst", limit=5, window_seconds=3600))
    assert results.count(False) == 5


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_redis_are_exact():
    with shared_cache_on_redis():
        results = all_at_once(12, lambda _i: throttle_hit(key="burst", limit=5, window_seconds=3600))
    assert results.count(False) == 5


def _api_request(user=None, **meta):
    request = RequestFactory().post("/api/v1/accounts/tokens", **meta)
    request.user = user or AnonymousUser()
    return request


def test_the_api_token_throttle_counts_in_the_shared_cache(db, cast):
    throttle = TokenCreateThrottle("2/hour")
    request = _api_request(cast.analyst)
    assert [throttle.allow_request(request) for _ in range(3)] == [True, True, False]
    assert throttle.wait() == 3600  # Retry-After: the end of the window at the latest
    assert caches["shared"].get(f"throttle:ninja:throttle_token_create_{cast.analyst.pk}") is not None
    assert TokenCreateThrottle("2/hour").allow_request(_api_request(cast.auditor))  # another user: own count


def test_the_api_throttle_ignores_a_forwarded_for_the_client_wrote(db):
    throttle = TokenCreateThrottle("1/hour")
    assert throttle.allow_request(_api_request(HTTP_X_FORWARDED_FOR="198.51.100.1"))
    # A new X-Forwarded-For is no new address: REMOTE_ADDR is (set by ClientAddressMiddleware from trusted proxies).
    assert not throttle.allow_request(_api_request(HTTP_X_FORWARDED_FOR="198.51.100.2"))
