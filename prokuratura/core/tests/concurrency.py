"""Helpers for tests that run the same thing from many threads at once, each on its own database connection."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, connections
from django.test import override_settings

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads on separate connections need PostgreSQL (the SQLite test database is one in-memory file)",
)


def all_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0) … work(count-1) in `count` threads released together; their results in order. Each thread
    closes its own database connection, so the test database can be dropped afterwards."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@contextmanager
def shared_cache_on_redis() -> Iterator[None]:
    """The shared cache on Redis (database 15, a key prefix of its own, so nothing else there is touched or
    cleared). Skips when Redis is not reachable, except in CI, where it must be."""
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_TEST_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}")
    import redis
    from django.conf import settings

    prefix = f"test-{uuid.uuid4().hex}"
    shared = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_TEST_URL,
        "KEY_PREFIX": prefix,
    }
    try:
        with override_settings(CACHES={**settings.CACHES, "shared": shared}):
            yield
    finally:
        client = redis.Redis.from_url(REDIS_TEST_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
