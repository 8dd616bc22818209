from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection

# The rows the first load wrote, per test process and database: later tests insert them again instead of running
# the importers (2.5 s and 2,500 statements each time). Each test's transaction is rolled back, so the rows are
# restored into an otherwise empty register.
_SNAPSHOT: dict[str, Any] = {}
_APPS = ("core", "cooperation")


_SKIP = ("AuditEntry", "AuditHead")  # a chain of its own: never restored out of order


def _models() -> list[Any]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in _APPS and m.__name__ not in _SKIP
    ]


def _pks(model: Any) -> set[Any]:
    return set(model._default_manager.values_list("pk", flat=True))


@pytest.fixture
def coop_reference(db):
    """Countries, crime categories and the real treaty register from data/reference, as `make run` loads them."""
    from prokuratura.cooperation.reference import cooperation_load
    from prokuratura.core.reference import COUNTRIES, CRIME_CATEGORIES, reference_load

    key = connection.vendor
    saved = _SNAPSHOT.get(key)
    if saved is not None:
        for model, rows in saved["rows"]:
            model._default_manager.bulk_create([model(**row) for row in rows])
        return saved["reports"]
    before = {model: _pks(model) for model in _models()}
    reports = reference_load(datasets=(COUNTRIES, CRIME_CATEGORIES))
    assert not any(r.error for r in reports)
    reports = cooperation_load()
    assert not any(r.error or r.rejected for r in reports), [(r.error, r.rejected) for r in reports]
    written = []
    for model in _models():  # in dependency order: apps list a model after the models it points to
        new = [
            row
            for row in model._default_manager.values(*[f.attname for f in model._meta.concrete_fields])
            if row[model._meta.pk.attname] not in before[model]
        ]
        if new:
            written.append((model, new))
    _SNAPSHOT[key] = {"rows": _ordered(written), "reports": reports}
    return reports


def _ordered(written: list[tuple[Any, list[dict[str, Any]]]]) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Parents before children: a model comes after every model its foreign keys point to."""
    pending = list(written)
    done: list[tuple[Any, list[dict[str, Any]]]] = []
    names: set[Any] = set()
    while pending:
        for item in pending:
            model = item[0]
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation
                and f.related_model is not model
                and any(f.related_model is w[0] for w in pending)
            }
            if not targets - names:
                done.append(item)
                names.add(model)
                pending.remove(item)
                break
        else:  # a cycle: keep the rest as they are
            done.extend(pending)
            break
    return done
