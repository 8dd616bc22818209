"""Savepoints a service can do without.

A service wraps its writes in `transaction.atomic()`. Called inside a caller's transaction, that is a savepoint
(two more statements), which lets the caller go on after the service failed. Some callers never go on: the API's
idempotent create (core.api_support.idempotent) rolls its whole transaction back, the claim on the
Idempotency-Key included, whatever the create raises. They run the create inside `whole_transaction()`, and a
service on a hot path asks `savepoint_needed()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_whole: ContextVar[bool] = ContextVar("whole_transaction", default=False)


@contextmanager
def whole_transaction() -> Iterator[None]:
    """Inside: any exception ends the caller's transaction (it is rolled back, never continued)."""
    token = _whole.set(True)
    try:
        yield
    finally:
        _whole.reset(token)


def savepoint_needed() -> bool:
    """False inside `whole_transaction()`, True everywhere else (as Django does by default)."""
    return not _whole.get()
