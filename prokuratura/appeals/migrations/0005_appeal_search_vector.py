"""PostgreSQL: the search vector becomes a stored generated column, `appeals_appeal.search_vector`, with the GIN
index `appeal_search_vector_gin` on it; the expression index `appeal_search_gin` of 0003 goes.

Why: a GIN bitmap scan over many matches (a common word nationally, every list's capped count) cannot keep one
bit per row in `work_mem`, so PostgreSQL rechecks the condition on each row of the pages it visits. With the
expression index that meant computing two `to_tsvector`s of the whole text per row (~160 µs); with a stored
column it is reading the vector. The vector is computed once, when the row is written (INSERT or UPDATE of a
searched field), which costs writes what the expression index cost them.

SQLite: nothing changes (the FTS5 table of 0003 stays). The model does not declare the column, so Django never
writes it (PostgreSQL computes it) and makemigrations sees no change on either database; `appeals.search`
refers to it by name on PostgreSQL only.

Caution for later migrations on PostgreSQL: a column a generated column is computed from cannot change its type
(`ALTER COLUMN ... TYPE`, as an AlterField of `subject`'s max_length would do). Such a migration must run
PG_DROP first and PG_CREATE after (copied, not imported), like 0003's note for SQLite's triggers.
"""

from django.db import migrations

# The expression of 0003's index, unchanged: appeals.search's query terms match it.
PG_DOCUMENT = (
    "(COALESCE(subject, '') || ' ' || COALESCE(text, '') || ' ' || COALESCE(answer_text, '')"
    " || ' ' || COALESCE(applicant_name, ''))"
)
PG_VECTOR = (
    f"to_tsvector('russian'::regconfig, {PG_DOCUMENT}) || to_tsvector('simple'::regconfig, {PG_DOCUMENT})"
)
PG_COLUMN = "search_vector"
PG_INDEX = "appeal_search_vector_gin"

PG_OLD_INDEX = f"CREATE INDEX IF NOT EXISTS appeal_search_gin ON appeals_appeal USING gin (({PG_VECTOR}))"
_ADD_COLUMN = "ALTER TABLE appeals_appeal ADD COLUMN IF NOT EXISTS {column} tsvector{compression} GENERATED ALWAYS AS ({vector}) STORED"
# The vector (~1.3 kB compressed) is what makes a row go over the TOAST threshold: lz4 compresses it several
# times faster than the default pglz (measured: pglz_compress was a fifth of the server's time in a bulk load)
# and decompresses faster on every recheck. A server built without lz4 keeps the default.
PG_CREATE_COLUMN = f"""DO $do$ BEGIN
    EXECUTE $sql${_ADD_COLUMN.format(column=PG_COLUMN, compression=" COMPRESSION lz4", vector=PG_VECTOR)}$sql$;
EXCEPTION WHEN feature_not_supported THEN
    EXECUTE $sql${_ADD_COLUMN.format(column=PG_COLUMN, compression="", vector=PG_VECTOR)}$sql$;
END $do$"""
PG_CREATE_INDEX = f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON appeals_appeal USING gin ({PG_COLUMN})"
PG_CREATE = [
    "DROP INDEX IF EXISTS appeal_search_gin",
    PG_CREATE_COLUMN,
    PG_CREATE_INDEX,
]
PG_DROP = [
    f"DROP INDEX IF EXISTS {PG_INDEX}",
    f"ALTER TABLE appeals_appeal DROP COLUMN IF EXISTS {PG_COLUMN}",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in [*PG_DROP, PG_OLD_INDEX]:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_appeal_list_order_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
