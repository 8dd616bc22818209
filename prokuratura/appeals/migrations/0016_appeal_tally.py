"""The dashboard's figures counted ahead (issue 16): `appeals_appealtally`, one row per office, region,
registration day and due date, kept current by the database itself and filled here from the existing appeals.

Every write to `appeals_appeal` is counted, whoever makes it — a service, an import, `QuerySet.update`, the demo's
COPY, the admin:
- PostgreSQL: statement-level AFTER INSERT / UPDATE / DELETE triggers with transition tables (one per event: a
  trigger with transition tables may have one event only). Each adds up the statement's rows per key — +1 for a
  new row, -1 for an old one — skips the keys whose figures did not change (most updates: an assignment, a note's
  `updated_at`), and applies the rest in one INSERT … ON CONFLICT DO UPDATE in key order (a stable lock order).
  Rows that fall to zero appeals are deleted. AFTER TRUNCATE empties the tally.
- SQLite: row-level AFTER INSERT / DELETE / UPDATE OF the counted columns, with a WHEN that skips updates which
  change no figure; an UPSERT adds, an UPDATE subtracts (never creating a row, so a flush that empties the tally
  before the appeals leaves nothing behind).

What each column counts is appeals.stats's docstring; `open_not_late` is an open appeal not answered after its due
date (every open one, unless a status was edited outside the workflow), overdue once its due date has passed.

Caution for later migrations, as in 0003 and 0011: one that makes Django rebuild `appeals_appeal` on SQLite drops
these triggers with the old table and must run SQLITE_TRIGGERS again (copied, not imported); one that adds an
`Outcome` must add its column and replace the triggers. appeals/tests/test_stats_tally.py checks that the triggers
exist after all migrations, and `manage.py appeal_tally_check` says so too.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "appeals_appealtally"
KEY = ("office_id", "region_id", "registered_on", "due_date")
OPEN = "('registered', 'assigned', 'in_review', 'extended', 'reopened', 'signoff')"  # OPEN_STATUSES
HELPED = "('satisfied', 'partly')"
OUTCOMES = ("satisfied", "partly", "explained", "rejected", "forwarded", "left")


def _flag(condition):
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def figures(row):
    """Each counted column and its value for one appeal; `row` is the alias prefix ("new.", "old." or "")."""
    late = f"{row}answered_on > {row}due_date"
    out = {
        "received": "1",
        "in_work": _flag(f"{row}status IN {OPEN}"),
        "open_not_late": _flag(f"{row}status IN {OPEN} AND NOT COALESCE({late}, FALSE)"),
        "answered": _flag(f"{row}answered_on IS NOT NULL"),
        "on_time": _flag(f"{row}answered_on <= {row}due_date"),
        "late_answered": _flag(late),
    }
    for outcome in OUTCOMES:
        out[f"outcome_{outcome}"] = _flag(f"{row}outcome = '{outcome}'")
    out["persons_helped"] = (
        f"CASE WHEN {row}rights_restored AND {row}outcome IN {HELPED} THEN {row}persons_restored ELSE 0 END"
    )
    return out


COLUMNS = tuple(figures(""))
ALL = ", ".join((*KEY, *COLUMNS))
KEYS = ", ".join(KEY)

# --- PostgreSQL -----------------------------------------------------------------------------------------------


def _rows(source, sign):
    values = ", ".join(f"{sign}{expression} AS {name}" for name, expression in figures("").items())
    return f"SELECT {KEYS}, {values} FROM {source}"  # noqa: S608 - constant names


def _pg_apply(sources):
    """The body that adds the statement's rows (`sources`: (transition table, "+" or "-")) to the tally. New rows
    alone can empty no row: then the upsert is all."""
    union = " UNION ALL ".join(_rows(table, sign) for table, sign in sources)
    sums = ", ".join(f"SUM({name})" for name in COLUMNS)
    changed = " OR ".join(f"SUM({name}) <> 0" for name in COLUMNS)
    updates = ", ".join(f"{name} = t.{name} + EXCLUDED.{name}" for name in COLUMNS)
    upsert = f"""INSERT INTO {TABLE} AS t ({ALL})
        SELECT {KEYS}, {sums} FROM ({union}) AS delta
        GROUP BY {KEYS} HAVING {changed}
        ORDER BY {KEYS}
        ON CONFLICT ({KEYS}) DO UPDATE SET {updates}"""  # noqa: S608 - constant names
    if all(sign == "+" for _table, sign in sources):
        return f"""
    {upsert};"""
    return f"""
    WITH applied AS (
        {upsert}
        RETURNING t.id, t.received
    )
    SELECT array_agg(id) INTO emptied FROM applied WHERE received = 0;
    IF emptied IS NOT NULL THEN
        DELETE FROM {TABLE} WHERE id = ANY(emptied) AND received = 0;
    END IF;"""  # noqa: S608 - constant names


def _pg_function(name, sources):
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE emptied bigint[];
BEGIN{_pg_apply(sources)}
    RETURN NULL;
END
$body$"""


PG_CREATE = [
    _pg_function("appeal_tally_inserted", [("appeal_tally_new", "+")]),
    _pg_function("appeal_tally_updated", [("appeal_tally_new", "+"), ("appeal_tally_old", "-")]),
    _pg_function("appeal_tally_deleted", [("appeal_tally_old", "-")]),
    f"""CREATE OR REPLACE FUNCTION appeal_tally_truncated() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM {TABLE};
    RETURN NULL;
END
$body$""",  # noqa: S608 - constant names
    "CREATE TRIGGER appeal_tally_ai AFTER INSERT ON appeals_appeal REFERENCING NEW TABLE AS appeal_tally_new"
    " FOR EACH STATEMENT EXECUTE FUNCTION appeal_tally_inserted()",
    "CREATE TRIGGER appeal_tally_au AFTER UPDATE ON appeals_appeal"
    " REFERENCING OLD TABLE AS appeal_tally_old NEW TABLE AS appeal_tally_new"
    " FOR EACH STATEMENT EXECUTE FUNCTION appeal_tally_updated()",
    "CREATE TRIGGER appeal_tally_ad AFTER DELETE ON appeals_appeal REFERENCING OLD TABLE AS appeal_tally_old"
    " FOR EACH STATEMENT EXECUTE FUNCTION appeal_tally_deleted()",
    "CREATE TRIGGER appeal_tally_at AFTER TRUNCATE ON appeals_appeal"
    " FOR EACH STATEMENT EXECUTE FUNCTION appeal_tally_truncated()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS appeal_tally_at ON appeals_appeal",
    "DROP TRIGGER IF EXISTS appeal_tally_ad ON appeals_appeal",
    "DROP TRIGGER IF EXISTS appeal_tally_au ON appeals_appeal",
    "DROP TRIGGER IF EXISTS appeal_tally_ai ON appeals_appeal",
    "DROP FUNCTION IF EXISTS appeal_tally_truncated()",
    "DROP FUNCTION IF EXISTS appeal_tally_deleted()",
    "DROP FUNCTION IF EXISTS appeal_tally_updated()",
    "DROP FUNCTION IF EXISTS appeal_tally_inserted()",
]

# --- SQLite ---------------------------------------------------------------------------------------------------

# The appeal's columns the figures and the key are read from: an UPDATE that sets none of them fires nothing.
COUNTED = (*KEY, "status", "answered_on", "outcome", "rights_restored", "persons_restored")


def _sqlite_add(row):
    values = ", ".join(f"{row}{name}" for name in KEY)
    values += ", " + ", ".join(figures(row).values())
    updates = ", ".join(f"{name} = {name} + excluded.{name}" for name in COLUMNS)
    return (
        f"INSERT INTO {TABLE} ({ALL}) VALUES ({values})"  # noqa: S608 - constant names
        f" ON CONFLICT ({KEYS}) DO UPDATE SET {updates};"
    )


def _sqlite_subtract(row):
    where = " AND ".join(f"{name} = {row}{name}" for name in KEY)
    updates = ", ".join(f"{name} = {name} - {expression}" for name, expression in figures(row).items())
    return (
        f"UPDATE {TABLE} SET {updates} WHERE {where};"  # noqa: S608 - constant names
        f" DELETE FROM {TABLE} WHERE {where} AND received = 0;"
    )


def _sqlite_changed():
    old, new = figures("old."), figures("new.")
    keys = [f"old.{name} IS NOT new.{name}" for name in KEY]
    return " OR ".join([*keys, *(f"({old[name]}) <> ({new[name]})" for name in COLUMNS)])


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS appeal_tally_ai AFTER INSERT ON appeals_appeal BEGIN {_sqlite_add('new.')} END",
    f"CREATE TRIGGER IF NOT EXISTS appeal_tally_ad AFTER DELETE ON appeals_appeal BEGIN"
    f" {_sqlite_subtract('old.')} END",
    f"CREATE TRIGGER IF NOT EXISTS appeal_tally_au AFTER UPDATE OF {', '.join(COUNTED)} ON appeals_appeal"
    f" WHEN {_sqlite_changed()} BEGIN {_sqlite_add('new.')} {_sqlite_subtract('old.')} END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appeal_tally_au",
    "DROP TRIGGER IF EXISTS appeal_tally_ad",
    "DROP TRIGGER IF EXISTS appeal_tally_ai",
]

# --- both -----------------------------------------------------------------------------------------------------

FILL = (
    f"INSERT INTO {TABLE} ({ALL}) SELECT {KEYS}, "  # noqa: S608 - constant names
    + ", ".join(f"SUM({expression})" for expression in figures("").values())
    + f" FROM appeals_appeal GROUP BY {KEYS}"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_CREATE, "sqlite": SQLITE_TRIGGERS}.get(vendor)
    if statements is None:
        return
    # Triggers first, then the fill, in the migration's transaction: no write falls between the two.
    for sql in [*statements, FILL]:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0015_open_appeals_index"),
        ("core", "0006_task_worker"),
    ]

    operations = [
        migrations.CreateModel(
            name="AppealTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("registered_on", models.DateField()),
                ("due_date", models.DateField()),
                ("received", models.IntegerField(default=0)),
                ("in_work", models.IntegerField(default=0)),
                ("open_not_late", models.IntegerField(default=0)),
                ("answered", models.IntegerField(default=0)),
                ("on_time", models.IntegerField(default=0)),
                ("late_answered", models.IntegerField(default=0)),
                ("outcome_satisfied", models.IntegerField(default=0)),
                ("outcome_partly", models.IntegerField(default=0)),
                ("outcome_explained", models.IntegerField(default=0)),
                ("outcome_rejected", models.IntegerField(default=0)),
                ("outcome_forwarded", models.IntegerField(default=0)),
                ("outcome_left", models.IntegerField(default=0)),
                ("persons_helped", models.IntegerField(default=0)),
                (
                    "office",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.office",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.region",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["registered_on", "office"], name="appeal_tally_period")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("office", "region", "registered_on", "due_date"), name="appeal_tally_key"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
