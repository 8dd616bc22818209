"""Search that finds what people type (issue 11, "Search"): ё is е, Kazakh letters match their Russian-keyboard
twins (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и), and on SQLite a Russian word matches in any form.

SQLite: 0003's external-content FTS5 table (the four fields as written, prefix matching only) is replaced by a
contentless FTS5 table `appeals_appeal_fts(doc)` of the same name. Its triggers index the text through the SQL
function `appeal_search_document` — the folded words and their Snowball Russian stems — which
`appeals.search.register_sqlite_functions` gives every SQLite connection (the app connects it when it is
ready, so `migrate` has it). The table is filled from the existing rows here. Contentless: the text is in
`appeals_appeal` already, and the triggers hand the FTS table the old text to delete, computed by the same
function (it is deterministic: snowballstemmer is pinned).

PostgreSQL: the stored generated column `search_vector` (0005) gets a new expression: the `russian` vector of the
text with ё folded, and the `simple` vector of the text with ё and the Kazakh letters folded (capitals too: the
simple configuration lower-cases after translate). PostgreSQL 15 cannot change a generated column's expression,
so the column is dropped and added back in one ALTER TABLE, which rewrites the table (ACCESS EXCLUSIVE lock; see
docs/OPERATIONS.md, "Upgrading", and docs/PERFORMANCE.md, "Migration 0011"), keeping 0005's lz4 compression and
0006's STORAGE MAIN; then the GIN index is built again.

Caution for later migrations, as in 0003 and 0005: one that makes Django rebuild `appeals_appeal` on SQLite must
run SQLITE_TRIGGERS again (copied, not imported); one that changes the type of a searched column on PostgreSQL
must drop the column first and add it back with PG_VECTOR below.
"""

from django.db import migrations

# --- SQLite ---------------------------------------------------------------------------------------------------

FIELDS = "subject, text, answer_text, applicant_name"
DOC_NEW = "appeal_search_document(new.subject, new.text, new.answer_text, new.applicant_name)"
DOC_OLD = "appeal_search_document(old.subject, old.text, old.answer_text, old.applicant_name)"

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_au",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_ad",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_ai",
    "DROP TABLE IF EXISTS appeals_appeal_fts",
]
SQLITE_TABLE = [
    # remove_diacritics 0: й is not и. Case, ё and the Kazakh letters are folded by appeal_search_document.
    "CREATE VIRTUAL TABLE IF NOT EXISTS appeals_appeal_fts USING fts5("
    "doc, content='', tokenize=\"unicode61 remove_diacritics 0\")",
]
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_ai AFTER INSERT ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(rowid, doc) VALUES (new.id, {DOC_NEW});
    END""",  # noqa: S608 - the constant column lists above
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_ad AFTER DELETE ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(appeals_appeal_fts, rowid, doc) VALUES ('delete', old.id, {DOC_OLD});
    END""",  # noqa: S608 - the constant column lists above
    # Only changes to the searched fields touch the index (status changes do not).
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_au AFTER UPDATE OF {FIELDS} ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(appeals_appeal_fts, rowid, doc) VALUES ('delete', old.id, {DOC_OLD});
        INSERT INTO appeals_appeal_fts(rowid, doc) VALUES (new.id, {DOC_NEW});
    END""",  # noqa: S608 - the constant column lists above
]
SQLITE_FILL = [
    "INSERT INTO appeals_appeal_fts(rowid, doc) SELECT id, "
    "appeal_search_document(subject, text, answer_text, applicant_name) FROM appeals_appeal",
]

# 0003's table and triggers, for the way back (copied, not imported).
OLD_NEW = "new.subject, new.text, new.answer_text, new.applicant_name"
OLD_OLD = "old.subject, old.text, old.answer_text, old.applicant_name"
SQLITE_0003 = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS appeals_appeal_fts USING fts5(
        {FIELDS}, content='appeals_appeal', content_rowid='id', tokenize="unicode61 remove_diacritics 0"
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_ai AFTER INSERT ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(rowid, {FIELDS}) VALUES (new.id, {OLD_NEW});
    END""",  # noqa: S608 - the constant column lists above
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_ad AFTER DELETE ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(appeals_appeal_fts, rowid, {FIELDS}) VALUES ('delete', old.id, {OLD_OLD});
    END""",  # noqa: S608 - the constant column lists above
    f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_au AFTER UPDATE OF {FIELDS} ON appeals_appeal BEGIN
        INSERT INTO appeals_appeal_fts(appeals_appeal_fts, rowid, {FIELDS}) VALUES ('delete', old.id, {OLD_OLD});
        INSERT INTO appeals_appeal_fts(rowid, {FIELDS}) VALUES (new.id, {OLD_NEW});
    END""",  # noqa: S608 - the constant column lists above
    "INSERT INTO appeals_appeal_fts(appeals_appeal_fts) VALUES ('rebuild')",
]

# --- PostgreSQL -----------------------------------------------------------------------------------------------

# Must agree with appeals.search.fold (KAZAKH_TO_RUSSIAN), capitals included.
FOLD_FROM = "ёЁәӘғҒқҚңҢөӨұҰүҮһҺіІ"
FOLD_TO = "еЕаАгГкКнНоОуУуУхХиИ"
PG_DOCUMENT = (
    "(COALESCE(subject, '') || ' ' || COALESCE(text, '') || ' ' || COALESCE(answer_text, '')"
    " || ' ' || COALESCE(applicant_name, ''))"
)
PG_VECTOR = (
    f"to_tsvector('russian'::regconfig, translate({PG_DOCUMENT}, 'ёЁ', 'еЕ'))"
    f" || to_tsvector('simple'::regconfig, translate({PG_DOCUMENT}, '{FOLD_FROM}', '{FOLD_TO}'))"
)
PG_VECTOR_0005 = (
    f"to_tsvector('russian'::regconfig, {PG_DOCUMENT}) || to_tsvector('simple'::regconfig, {PG_DOCUMENT})"
)
PG_COLUMN = "search_vector"
PG_INDEX = "appeal_search_vector_gin"

# One statement, one rewrite: the old column goes, the new one is computed for every row, kept in the row
# (0006's STORAGE MAIN) and compressed with lz4 (0005) where the server has it.
_REPLACE_COLUMN = (
    "ALTER TABLE appeals_appeal DROP COLUMN IF EXISTS {column},"
    " ADD COLUMN {column} tsvector{compression} GENERATED ALWAYS AS ({vector}) STORED,"
    " ALTER COLUMN {column} SET STORAGE MAIN"
)


def _pg_replace(vector):
    def statement(compression):
        return _REPLACE_COLUMN.format(column=PG_COLUMN, compression=compression, vector=vector)

    return [
        f"DROP INDEX IF EXISTS {PG_INDEX}",
        f"""DO $do$ BEGIN
    EXECUTE $sql${statement(" COMPRESSION lz4")}$sql$;
EXCEPTION WHEN feature_not_supported THEN
    EXECUTE $sql${statement("")}$sql$;
END $do$""",
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON appeals_appeal USING gin ({PG_COLUMN})",
    ]


PG_FORWARDS = _pg_replace(PG_VECTOR)
PG_BACKWARDS = _pg_replace(PG_VECTOR_0005)


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP + SQLITE_TABLE + SQLITE_TRIGGERS + SQLITE_FILL)
    elif vendor == "postgresql":
        _run(schema_editor, PG_FORWARDS)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP + SQLITE_0003)
    elif vendor == "postgresql":
        _run(schema_editor, PG_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0010_term_end_moves_to_working_day")]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
