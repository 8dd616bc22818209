"""Statements the busiest paths run thousands of times a minute, with their SQL built once per connection.

Django builds the SQL of every query and every INSERT anew: for an appeal's registration that was about a third of
the web worker's CPU (issue 16, docs/PERFORMANCE.md). Two helpers keep the ORM's SQL and its conversions but build
it once per database connection (a connection belongs to one thread, so the copies need no lock):

- `insert(obj)` writes a new row as `obj.save(force_insert=True)` would (same columns, same `pre_save` values,
  the database's generated columns read back with RETURNING, `pre_save` and `post_save` sent) with an INSERT
  compiled once per model. A model with parents or a proxy, an object without a key whose model has no auto
  field, or one with a value that is an expression or a database default is saved the ordinary way instead.
- `PreparedQuery` compiles a queryset once with sample values in its slots and runs that SQL again with new
  values. A slot names the model field whose database form its value takes; compiling checks that each sample
  appears exactly once among the parameters in that form, and otherwise (a lookup that rewrites its value, such
  as `iexact` on SQLite) every call runs the ordinary queryset, so the answer never depends on which way ran.

Both run through Django's cursor, so the statements are counted, logged and wrapped like any other. On PostgreSQL
the cursor (`cursor()`) binds its parameters on the server and has each statement prepared on its first run, so the
server parses and plans it once per connection too. Django's other statements keep client-side binding (the ORM does
not promise SQL that every server-side binding accepts), and `DB_PREPARED_STATEMENTS=0` turns preparing off behind a
pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model, QuerySet, signals
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler

_INSERTS = "_prokuratura_inserts"
_QUERIES = "_prokuratura_queries"


def _cache(connection: BaseDatabaseWrapper, name: str) -> dict[Any, Any]:
    cache = connection.__dict__.get(name)
    if cache is None:
        cache = connection.__dict__[name] = {}
    return cache


@contextmanager
def cursor(connection: BaseDatabaseWrapper) -> Iterator[CursorWrapper]:
    """Django's cursor on `connection`; on PostgreSQL one whose statements are prepared on first use."""
    if connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        with connection.cursor() as plain:
            yield plain
        return
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    connection.ensure_connection()
    raw = connection.connection
    # Only server-binding cursors prepare (psycopg's client-side cursors never do): the ORM's own statements are
    # left as they were.
    raw.prepare_threshold = 0
    with connection.wrap_database_errors:
        wrapped = connection._prepare_cursor(ServerBindingCursor(raw))  # type: ignore[attr-defined,call-arg]
    with wrapped as server_bound:
        yield server_bound


# --- INSERT ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _InsertPlan:
    sql: str
    fields: list[Field[Any, Any]]
    returning: list[Field[Any, Any]]
    returning_params: tuple[Any, ...]
    compiler: SQLInsertCompiler
    converters: dict[int, Any]


@functools.cache  # what the model is, not what it holds: read once per model, not at every insert
def _plain_model(model: type[Model]) -> bool:
    meta = model._meta
    return not (
        meta.parents
        or meta.proxy
        or meta.order_with_respect_to
        or any(getattr(f, "get_placeholder_sql", None) for f in meta.local_concrete_fields)
    )


def _insert_plan(
    model: type[Model], connection: BaseDatabaseWrapper, fields: list[Field[Any, Any]], obj: Model
) -> _InsertPlan:
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    compiler: SQLInsertCompiler = query.get_compiler(connection=connection)  # type: ignore[assignment]
    compiler.returning_fields = list(model._meta.db_returning_fields)
    [(sql, _params)] = compiler.as_sql()
    table = model._meta.db_table
    cols = [field.get_col(table) for field in compiler.returning_fields]
    return _InsertPlan(
        sql=sql,
        fields=fields,
        returning=compiler.returning_fields,
        returning_params=tuple(compiler.returning_params),
        compiler=compiler,
        converters=compiler.get_converters(cols),
    )


def insert[M: Model](obj: M, *, using: str | None = None) -> M:
    """Insert the new `obj` (`save(force_insert=True)`, with its INSERT built once per connection) and return it."""
    model = type(obj)
    meta = model._meta
    using = using or router.db_for_write(model, instance=obj)
    connection = connections[using]
    if not connection.features.can_return_columns_from_insert or not _plain_model(model):
        obj.save(force_insert=True, using=using)
        return obj
    pk_set = obj._is_pk_set(meta)  # type: ignore[attr-defined]
    if not pk_set and meta.auto_field is None:  # a key the model makes up (a default): save() knows how
        obj.save(force_insert=True, using=using)
        return obj
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    if signals.pre_save.has_listeners(model):
        signals.pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    plans = _cache(connection, _INSERTS)
    plan: _InsertPlan | None = plans.get((model, pk_set))
    fields = (
        plan.fields
        if plan
        else [
            f for f in meta.local_concrete_fields if not f.generated and (pk_set or f is not meta.auto_field)
        ]
    )
    values = [field.pre_save(obj, True) for field in fields]
    if any(hasattr(value, "resolve_expression") for value in values):  # expressions, database defaults
        obj.save(force_insert=True, using=using)
        return obj
    if plan is None:
        plan = plans[model, pk_set] = _insert_plan(model, connection, fields, obj)
        # Compiling ran `pre_save` again (an auto_now field took a later time): the object keeps what is written.
        for field, value in zip(fields, values, strict=True):
            setattr(obj, field.attname, value)
    params = [
        field.get_db_prep_save(value, connection=connection)
        for field, value in zip(fields, values, strict=True)
    ]
    with cursor(connection) as prepared:
        prepared.execute(plan.sql, (*params, *plan.returning_params))
        # Nothing comes back for a model whose key the object carries and that has no column the database fills.
        rows: Any = (
            connection.ops.fetch_returned_rows(prepared, plan.returning_params) if plan.returning else [()]
        )
    if plan.converters:
        rows = list(plan.compiler.apply_converters(rows, plan.converters))
    for value, field in zip(rows[0], plan.returning, strict=True):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = using
    if signals.post_save.has_listeners(model):
        signals.post_save.send(
            sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
        )
    return obj


# --- SELECT ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A value the query takes at each call: in the database form of `model`'s field `name`. `sample` is a value no
    real call passes (found among the compiled parameters, so it must appear there exactly once)."""

    model: type[Model]
    name: str
    sample: Any

    def __post_init__(self) -> None:
        # A text sample carries the characters a pattern lookup escapes or wraps, so such a lookup never matches it
        # and runs the ordinary way (see the module's docstring).
        if isinstance(self.sample, str) and not {"%", "_", "\\"} <= set(self.sample):
            raise ValueError(f"A text slot's sample must contain %, _ and \\: {self.sample!r}")

    def prepare(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        field = self.model._meta.get_field(self.name)
        assert isinstance(field, Field)  # noqa: S101 - a concrete field, named by the code
        return field.get_db_prep_value(value, connection, prepared=False)


@dataclass(frozen=True)
class _QueryPlan:
    sql: str
    params: list[Any]
    positions: list[int]
    compiler: SQLCompiler
    converters: dict[int, Any]


class PreparedQuery:
    """`build(*values)` is a values_list() queryset; `rows(*values)` runs it, compiled once per connection.

    Everything in the query but its slots is compiled in once: `build` must not read the clock, the user or the
    database for the filters it makes (a value that changes belongs in a slot), and `name` is unique per shape."""

    def __init__(self, name: str, build: Callable[..., QuerySet[Any, Any]], slots: Sequence[Slot]) -> None:
        self.name, self.build, self.slots = name, build, tuple(slots)

    def _plan(self, connection: BaseDatabaseWrapper, using: str) -> _QueryPlan | None:
        queryset = self.build(*(slot.sample for slot in self.slots))
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        positions = []
        for slot in self.slots:
            prepared = slot.prepare(slot.sample, connection)
            found = [i for i, param in enumerate(params) if param == prepared]
            if len(found) != 1:
                return None  # the lookup rewrites the value: run the queryset itself
            positions.append(found[0])
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        return _QueryPlan(
            sql=sql, params=params, positions=positions, compiler=compiler, converters=converters
        )

    def rows(self, *values: Any, using: str = "default") -> list[tuple[Any, ...]]:
        connection = connections[using]
        plans = _cache(connection, _QUERIES)
        if self.name not in plans:
            plans[self.name] = self._plan(connection, using)
        plan: _QueryPlan | None = plans[self.name]
        if plan is None:
            return list(self.build(*values).using(using))
        params = list(plan.params)
        for slot, position, value in zip(self.slots, plan.positions, values, strict=True):
            params[position] = slot.prepare(value, connection)
        with cursor(connection) as prepared:
            prepared.execute(plan.sql, params)
            rows: Any = prepared.fetchall()
        if plan.converters:
            rows = list(plan.compiler.apply_converters(rows, plan.converters))
        return [tuple(row) for row in rows]
