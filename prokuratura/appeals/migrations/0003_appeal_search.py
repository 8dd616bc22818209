"""The full-text index over appeals' subject, text, answer and applicant's name (see appeals/search.py).

SQLite: an external-content FTS5 table kept in step by triggers, filled from the existing rows.
PostgreSQL: a GIN expression index; `appeals.search` builds the same expression so the planner uses it.

Caution for later migrations on SQLite: an operation that makes Django rebuild `appeals_appeal` (copy into a new
table, drop the old one) drops these triggers with the old table. Such a migration must run SQLITE_TRIGGERS again
(copied, not imported) — appeals/tests/test_search.py checks that the triggers exist after all migrations.
"""

from django.db import migrations

FIELDS = "subject, text, answer_text, applicant_name"
NEW = "new.subject, new.text, new.answer_text, new.applicant_name"
OLD = "old.subject, old.text, old.answer_text, old.applicant_name"

SQLITE_TABLE = [
    # remove_diacritics 0: й is not и, ё is not е. unicode61 folds case for all of Cyrillic, Kazakh letters too.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS appeals_appeal_fts USING fts5(
        {FIELDS}, content='appeals_appeal', content_rowid='id', tokenize="unicode61 remove_diacritics 0"
    )""",
]
# The f-strings below only splice in the constant column lists above.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_ai AFTER INSERT ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(rowid, {FIELDS}) VALUES (new.id, {NEW});
    END""",  # noqa: S608
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_ad AFTER DELETE ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(appeals_appeal_fts, rowid, {FIELDS}) VALUES ('delete', old.id, {OLD});
    END""",  # noqa: S608
    # Only changes to the searched fields touch the index (status changes do not).
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_au AFTER UPDATE OF {FIELDS} ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(appeals_appeal_fts, rowid, {FIELDS}) VALUES ('delete', old.id, {OLD});
        INSERT INTO appeals_appeal_fts(rowid, {FIELDS}) VALUES (new.id, {NEW});
    END""",  # noqa: S608
    "INSERT INTO appeals_appeal_fts(appeals_appeal_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_au",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_ad",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_ai",
    "DROP TABLE IF EXISTS appeals_appeal_fts",
]

# Must match appeals.search._pg_match character for character (after parsing): the russian configuration
# stems Russian (and English) words, the simple one keeps every word whole, Kazakh ones included.
PG_DOCUMENT = (
    "(COALESCE(subject, '') || ' ' || COALESCE(text, '') || ' ' || COALESCE(answer_text, '')"
    " || ' ' || COALESCE(applicant_name, ''))"
)
PG_CREATE = [
    "CREATE INDEX IF NOT EXISTS appeal_search_gin ON appeals_appeal USING gin (("
    f"to_tsvector('russian'::regconfig, {PG_DOCUMENT}) || to_tsvector('simple'::regconfig, {PG_DOCUMENT})"
    "))",
]
PG_DROP = ["DROP INDEX IF EXISTS appeal_search_gin"]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_TABLE + SQLITE_TRIGGERS)
    elif vendor == "postgresql":
        _run(schema_editor, PG_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, PG_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0002_default_rules_topics_letters"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
