"""A process's copy of a small reference table that nearly every write reads and administrators rarely change:
regions, topics, offices, the routing rules.

A copy lives in this module's store for MEMO_SECONDS: the object itself, shared by the process's threads and
requests (read it, never change it), not a pickle that every read would unpickle again as the cache backends do.
A save or delete of a row of any model it was built from, in this process, drops it at once and again when that
change commits; other processes see the change within MEMO_SECONDS. The appeals rules (appeals.rules) and the
calendar (core.calendar) keep their copies in the same store by the same rule. Reference data is changed row by row
through the model layer (core.reference, the settings services), so the signals see every change; a bulk
`QuerySet.update` of such a table is seen within MEMO_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

MEMO_SECONDS = 60
MISSING: Any = object()
# key → (monotonic expiry, value). A dict's get, set and pop are atomic: two threads building the same copy at once
# both read the table, and the later one is kept.
_store: dict[str, tuple[float, Any]] = {}
# model label → the keys of the copies built from it
_keys_by_model: dict[str, set[str]] = {}


def kept(key: str) -> Any:
    """The copy kept under `key`, or MISSING when there is none or it is older than its time."""
    item = _store.get(key)
    if item is None or item[0] <= time.monotonic():
        return MISSING
    return item[1]


def keep(key: str, value: Any, seconds: float = MEMO_SECONDS) -> None:
    _store[key] = (time.monotonic() + seconds, value)


def drop(*keys: str) -> None:
    for key in keys:
        _store.pop(key, None)


def drop_all() -> None:
    """Forget every copy (the tests start each with none)."""
    _store.clear()


def _forget(label: str) -> None:
    drop(*_keys_by_model.get(label, ()))


def _watch(model: type[models.Model], key: str) -> None:
    label = model._meta.label_lower
    if label not in _keys_by_model:
        _keys_by_model[label] = set()

        def changed(**_kwargs: object) -> None:
            _forget(label)
            transaction.on_commit(lambda: _forget(label))

        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"core.memo:{label}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"core.memo:{label}:delete")
    _keys_by_model[label].add(key)


def memo[T](name: str, *, models_read: Iterable[type[models.Model]], load: Callable[[], T]) -> T:
    """The process's copy of `load()` (built now when there is none), named `name`, dropped when a row of any of
    `models_read` is saved or deleted here."""
    key = f"core.memo:{name}"
    value = kept(key)
    if value is MISSING:
        for model in models_read:
            _watch(model, key)
        value = load()
        keep(key, value)
    return value  # type: ignore[no-any-return]


def by_code(model: type[models.Model], field: str) -> dict[str, models.Model]:
    """Every row of a small table by its code (`field`)."""
    return memo(
        f"{model._meta.label_lower}:by:{field}",
        models_read=[model],
        load=lambda: {getattr(row, field): row for row in model._default_manager.all()},
    )
