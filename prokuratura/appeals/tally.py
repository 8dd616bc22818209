"""The dashboard's tally (`AppealTally`, migration 0016): its figures counted afresh from the appeals, the
comparison of the two, and the rebuild.

The triggers of migration 0016 keep the table current on every write, so nothing here runs on a request: the
weekly `manage.py appeal_tally_check` compares (`appeal_tally_differences`) and, with `--repair`, rebuilds
(`appeal_tally_rebuild`); the demo's bulk load on SQLite rebuilds once at its end instead of counting row by row.
The per-key figures below are the definition the triggers were written from (what appeals.stats's docstring says
each figure means); appeals/tests/test_stats_tally.py holds the two to each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from prokuratura.core.audit import audit_record
from prokuratura.core.models import AuditEntry

from .models import OPEN_STATUSES, Appeal, AppealTally, Outcome

if TYPE_CHECKING:
    from prokuratura.core.actors import Actor

HELPED_OUTCOMES = (Outcome.SATISFIED, Outcome.PARTLY_SATISFIED)
TALLY_KEY: tuple[str, ...] = ("office", "region", "registered_on", "due_date")
TALLY_COLUMNS: tuple[str, ...] = (
    "received",
    "in_work",
    "open_not_late",
    "answered",
    "on_time",
    "late_answered",
    *(f"outcome_{outcome.value}" for outcome in Outcome),
    "persons_helped",
)
TALLY_TRIGGER_PREFIX = "appeal_tally_"
TALLY_INSERT_TRIGGER = "appeal_tally_ai"  # the one a bulk load of new rows sets aside (demo._BulkLoad)
# The triggers of migration 0016, by vendor: `appeal_tally_check` fails when one is missing (a later migration
# that rebuilds appeals_appeal on SQLite drops them with the old table).
TALLY_TRIGGERS: dict[str, tuple[str, ...]] = {
    "postgresql": ("appeal_tally_ad", "appeal_tally_ai", "appeal_tally_at", "appeal_tally_au"),
    "sqlite": ("appeal_tally_ad", "appeal_tally_ai", "appeal_tally_au"),
}


def tally_measures() -> dict[str, Any]:
    """Each tally column for a group of appeals, as the triggers count it."""
    open_ = Q(status__in=OPEN_STATUSES)
    measures: dict[str, Any] = {
        "received": Count("pk"),
        "in_work": Count("pk", filter=open_),
        "open_not_late": Count(
            "pk", filter=open_ & (Q(answered_on__isnull=True) | Q(answered_on__lte=F("due_date")))
        ),
        "answered": Count("pk", filter=Q(answered_on__isnull=False)),
        "on_time": Count("pk", filter=Q(answered_on__lte=F("due_date"))),
        "late_answered": Count("pk", filter=Q(answered_on__gt=F("due_date"))),
    }
    for outcome in Outcome:
        measures[f"outcome_{outcome.value}"] = Count("pk", filter=Q(outcome=outcome.value))
    measures["persons_helped"] = Coalesce(
        Sum("persons_restored", filter=Q(rights_restored=True, outcome__in=HELPED_OUTCOMES)), 0
    )
    return measures


def _fresh() -> QuerySet[Appeal]:
    """The tally counted afresh: its key, then its columns in TALLY_COLUMNS order (values before annotations)."""
    measures = tally_measures()
    return (
        Appeal.objects.order_by()
        .values(*TALLY_KEY)
        .annotate(**{name: measures[name] for name in TALLY_COLUMNS})
    )


def _stored() -> QuerySet[AppealTally]:
    """The tally as stored, its columns in the same order as `_fresh`'s."""
    return AppealTally.objects.order_by().values(*TALLY_KEY, *TALLY_COLUMNS)


def _columns() -> str:
    """The tally's column names, in `_stored`'s order."""
    qn = connection.ops.quote_name
    by_name = {field.name: str(field.column) for field in AppealTally._meta.concrete_fields}
    return ", ".join(qn(by_name[name]) for name in (*TALLY_KEY, *TALLY_COLUMNS))


@dataclass(frozen=True)
class TallyDifference:
    """A key whose row differs: the figures counted afresh and the tally's (None where there is no such row)."""

    key: tuple[Any, ...]  # office id, region id, registered on, due date
    fresh: tuple[int, ...] | None  # in TALLY_COLUMNS order
    tally: tuple[int, ...] | None

    def figures(self) -> str:
        """ "counted [received=3, …], tally [received=2, …]": the non-zero figures of both sides."""

        def cells(values: tuple[int, ...] | None) -> str:
            if values is None:
                return "no row"
            return ", ".join(
                f"{name}={value}" for name, value in zip(TALLY_COLUMNS, values, strict=True) if value
            )

        return f"counted [{cells(self.fresh)}], tally [{cells(self.tally)}]"


def appeal_tally_differences(*, limit: int = 1000) -> tuple[list[TallyDifference], bool]:
    """The keys where the tally and a fresh count of the appeals differ (at most `limit`, and whether there were
    more). One query: the fresh count EXCEPT the table, and the table EXCEPT the fresh count."""
    fresh, fresh_params = _fresh().query.sql_with_params()
    stored, stored_params = _stored().query.sql_with_params()
    # Both sides are the ORM's SQL, their columns in the same order, compared by position.
    sql = (
        f"SELECT 'fresh', d.* FROM (SELECT * FROM ({fresh}) f EXCEPT SELECT * FROM ({stored}) s) d"  # noqa: S608
        f" UNION ALL SELECT 'tally', d.* FROM (SELECT * FROM ({stored}) s EXCEPT SELECT * FROM ({fresh}) f) d"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*fresh_params, *stored_params, *stored_params, *fresh_params])
        rows = cursor.fetchmany(2 * limit + 2)
    by_key: dict[tuple[Any, ...], dict[str, tuple[int, ...]]] = {}
    for side, *values in rows:
        key = tuple(_date(v) for v in values[: len(TALLY_KEY)])
        by_key.setdefault(key, {})[side] = tuple(int(v) for v in values[len(TALLY_KEY) :])
    differences = [
        TallyDifference(key=key, fresh=sides.get("fresh"), tally=sides.get("tally"))
        for key, sides in sorted(by_key.items(), key=lambda item: tuple(str(v) for v in item[0]))
    ]
    return differences[:limit], len(differences) > limit


def _date(value: Any) -> Any:
    """SQLite gives the dates of a raw query as text."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def appeal_tally_triggers_missing() -> list[str]:
    """The triggers of migration 0016 that the database lacks (none on a vendor without them)."""
    expected = TALLY_TRIGGERS.get(connection.vendor, ())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [Appeal._meta.db_table],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [Appeal._meta.db_table],
            )
        else:
            return []
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]


def appeal_tally_rebuild(*, by: Actor, reason: str = "") -> int:
    """Count the tally afresh from the appeals, in one transaction, and audit it; returns the number of rows.

    On PostgreSQL the appeals are locked against writes (SHARE: reads go on) until the rebuild commits, so no write
    is counted both by its trigger and by the fresh count, nor by neither; SQLite has one writer at a time anyway."""
    fresh_sql, params = _fresh().query.sql_with_params()
    columns = _columns()
    qn = connection.ops.quote_name
    table = qn(AppealTally._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {qn(Appeal._meta.db_table)} IN SHARE MODE")
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the model's own name
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM ({fresh_sql}) f",  # noqa: S608
                params,
            )
            rows = cursor.rowcount
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            object_type="appeals.tally",
            object_repr="appeals dashboard tally",
            changes={"rows": rows},
            reason=reason or "appeal tally rebuilt from the appeals",
        )
    return rows
