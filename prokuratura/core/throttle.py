"""Counting limits that hold for the whole deployment, not per process.

Every count lives in the "shared" cache (settings.CACHES): Redis when REDIS_URL is set, else a table of the database.
A limit kept in each worker's memory is multiplied by the number of workers (issue 15: 24 filings went through in an
hour against the documented 10), so nothing here touches the per-process "default" cache.

The windows are fixed, not sliding: the first hit opens a window of `window_seconds`, and the count starts again when
it ends. A client may therefore get up to twice the limit across the edge of two windows — the price of one atomic
counter per key instead of a list of timestamps read and rewritten on every hit, which is what made the old counts
inexact under concurrency.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

SHARED = "shared"


def shared_cache() -> BaseCache:
    return caches[SHARED]


def _lock_id(name: str) -> int:
    """A signed 64-bit number for `name`, as pg_advisory_xact_lock takes."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def exclusive(name: str, *, using: str = "default") -> Iterator[None]:
    """A transaction that only one connection at a time runs for `name`.

    PostgreSQL: a transaction-level advisory lock on a 64-bit hash of the name, released at commit or rollback;
    other names are not held up. SQLite: the project opens every transaction IMMEDIATE (settings.DATABASES), which
    takes the database's write lock at BEGIN, so transactions are serialised already and nothing more is needed.
    Inside an outer transaction the lock is held until the outer one ends."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(name)])
        yield


def throttle_hit(*, key: str, limit: int, window_seconds: int, cost: int = 1) -> bool:
    """Count `cost` hits for `key`; True when the count in the current window has gone over `limit`.

    Exact however many processes count at once: on Redis `add` and `incr` are single atomic commands (INCR keeps
    the key's expiry, so the window stays fixed); on the database cache, whose `incr` is a read and then a write,
    the read and the write run in one transaction serialised per key (`exclusive`)."""
    cache = shared_cache()
    cache_key = f"throttle:{key}"
    if isinstance(cache, DatabaseCache):
        return _db_hit(cache, cache_key, limit=limit, window_seconds=window_seconds, cost=cost)
    if cache.add(cache_key, cost, window_seconds):
        return cost > limit
    try:
        count = cache.incr(cache_key, cost)
    except ValueError:  # the window ended between add and incr: this hit opens the next one
        cache.set(cache_key, cost, window_seconds)
        count = cost
    return count > limit


def _db_hit(cache: DatabaseCache, cache_key: str, *, limit: int, window_seconds: int, cost: int) -> bool:
    # The value is (count, end of the window): the cache's own incr would rewrite the entry with the default
    # timeout, stretching the window on every hit.
    using = router.db_for_write(cache.cache_model_class)
    with exclusive(f"throttle:{cache_key}", using=using):
        now = time.time()
        entry: Any = cache.get(cache_key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[1] > now:
            count, ends = int(entry[0]) + cost, float(entry[1])
        else:
            count, ends = cost, now + window_seconds
        cache.set(cache_key, (count, ends), max(1, round(ends - now)))
    return count > limit


class SharedRateThrottle(SimpleRateThrottle):
    """django-ninja's rate throttle on the shared cache, counted with `throttle_hit` (ninja's own keeps a list of
    timestamps that concurrent requests read and overwrite). Its address is REMOTE_ADDR, which
    core.middleware.ClientAddressMiddleware has already set from the trusted proxies' X-Forwarded-For; ninja's
    default would read X-Forwarded-For itself, which any client can write."""

    def get_ident(self, request: HttpRequest) -> str | None:
        return request.META.get("REMOTE_ADDR")

    def allow_request(self, request: HttpRequest) -> bool:
        key = self.get_cache_key(request)
        if key is None or self.num_requests is None or self.duration is None:
            return True
        return not throttle_hit(key=f"ninja:{key}", limit=self.num_requests, window_seconds=self.duration)

    def wait(self) -> float | None:
        # A fixed window ends at most `duration` seconds from now: a safe Retry-After.
        return float(self.duration) if self.duration is not None else None
