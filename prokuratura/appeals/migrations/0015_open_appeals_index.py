"""The open appeals' indexes and the register's dictionary of words (issue 16, "Lists and search at scale").

Indexes (docs/PERFORMANCE.md, "Lists and search at scale (issue 16)"), each on the open appeals only
(`status IN OPEN_STATUSES`), which are a small part of a register:
- `appeal_open_due_covering` (due_date, id), with the record rule's columns (sensitivity, office, assignee,
  registered_by) carried in the index: the national deadline counts, read from the index alone. 0012's
  `appeal_open_due_id` (the same keys, nothing carried) stays for the lists: with only the wider index, the planner
  preferred bitmaps for a regional head's overdue list (80 ms at 1 M instead of a 0.7 ms walk);
- `appeal_open_office_by_due` (office, due_date, id) and `appeal_open_assignee_by_due` (assignee, due_date, id),
  with the same columns: a regional head's (office subtree) and a prosecutor's deadline lists and counts;
- `appeal_open_by_registered` (registered_on, id, due_date): the overdue list in its default order, newest first —
  the due date is a key, so the appeals still in their term are passed over inside the index, where the walk of
  the national date index read every row registered since the newest overdue appeal (1.8 s at 5 M);
- `appeal_open_extension_asked` and `appeal_triage_or_urgent`: the deadline pages' extension requests, and the
  registered appeals to triage or forward, a few rows each, which were found by reading every open appeal.
PostgreSQL builds them CONCURRENTLY (writes go on meanwhile): the migration is not atomic. If it stops half-way,
an index may be left INVALID; drop it and migrate again.

The dictionary (PostgreSQL only; `appeals.models.SearchWord`, `appeals.search._pg_expand`): `appeals_search_word`,
one row per lexeme that is or was in an appeal's `search_vector`, kept by two triggers — after each INSERT
statement on `appeals_appeal` (its new rows, as a transition table: a bulk insert or COPY adds its words in one
statement) and after an UPDATE of a searched field, for a row whose vector changed (a trigger with a transition
table may not name columns, and a row trigger naming the searched fields costs nothing on the status changes that
are most updates). Words are inserted in order with ON CONFLICT DO NOTHING, so two registrations bringing the same new words
wait for each other instead of deadlocking. The table is filled here from the vectors, 100,000 appeals a statement,
after the triggers are committed, so appeals registered meanwhile are not missed. SQLite has no table: its FTS5
index expands a prefix itself. The demo's bulk load sets the insert trigger aside and fills the table at its end
(`appeals.demo._BulkLoad`).

Caution for later migrations: the triggers read `search_vector` only inside their functions, so the column can be
replaced (as 0011 did), after which the table must be filled again from the new vectors (a new expression makes new
lexemes); one that searches another field must add it to the update trigger's column list.
"""

from django.db import migrations, models

OPEN = ("registered", "assigned", "in_review", "extended", "reopened", "signoff")

# --- the dictionary (PostgreSQL) -------------------------------------------------------------------------------

WORDS_TABLE = "appeals_search_word"
PG_WORDS = [
    f'CREATE TABLE IF NOT EXISTS {WORDS_TABLE} (word text COLLATE "C" PRIMARY KEY)',
    """CREATE OR REPLACE FUNCTION appeals_search_word_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO appeals_search_word (word)
    SELECT DISTINCT lexeme FROM new_appeals, unnest(tsvector_to_array(new_appeals.search_vector)) AS lexeme
    ORDER BY lexeme
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION appeals_search_word_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search_vector IS DISTINCT FROM OLD.search_vector THEN
        INSERT INTO appeals_search_word (word)
        SELECT lexeme FROM unnest(tsvector_to_array(NEW.search_vector)) AS lexeme
        ORDER BY lexeme
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS appeals_search_word_insert ON appeals_appeal",
    "CREATE TRIGGER appeals_search_word_insert AFTER INSERT ON appeals_appeal"
    " REFERENCING NEW TABLE AS new_appeals FOR EACH STATEMENT EXECUTE FUNCTION appeals_search_word_insert()",
    "DROP TRIGGER IF EXISTS appeals_search_word_update ON appeals_appeal",
    # The searched fields, not search_vector itself: a trigger naming the column (or a WHEN reading it) would stop a
    # later migration from replacing the column, as 0011 did; the function compares the vectors.
    "CREATE TRIGGER appeals_search_word_update AFTER UPDATE OF subject, text, answer_text, applicant_name"
    " ON appeals_appeal FOR EACH ROW EXECUTE FUNCTION appeals_search_word_update()",
]
PG_WORDS_DROP = [
    "DROP TRIGGER IF EXISTS appeals_search_word_update ON appeals_appeal",
    "DROP TRIGGER IF EXISTS appeals_search_word_insert ON appeals_appeal",
    "DROP FUNCTION IF EXISTS appeals_search_word_update()",
    "DROP FUNCTION IF EXISTS appeals_search_word_insert()",
    f"DROP TABLE IF EXISTS {WORDS_TABLE}",
]
# As appeals.search.PG_WORDS_FILL_SQL (copied, not imported).
PG_WORDS_FILL = (
    f"INSERT INTO {WORDS_TABLE} (word) SELECT DISTINCT lexeme FROM appeals_appeal,"  # noqa: S608 - constant names
    " unnest(tsvector_to_array(search_vector)) AS lexeme WHERE id > %s AND id <= %s ON CONFLICT DO NOTHING"
)
FILL_BATCH = 100_000


def words_forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_WORDS:
            schema_editor.execute(sql)


def words_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_WORDS_DROP:
            schema_editor.execute(sql)


def words_fill(apps, schema_editor):
    """The words of the appeals already there, a batch of ids a statement (each commits on its own: the migration is
    not atomic), after the triggers are in place."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM appeals_appeal")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low - 1, high, FILL_BATCH):
            cursor.execute(PG_WORDS_FILL, [start, start + FILL_BATCH])


# --- the indexes -----------------------------------------------------------------------------------------------


def _online(schema_editor):
    return {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}


class AddIndexOnline(migrations.AddIndex):
    """AddIndex, built CONCURRENTLY on PostgreSQL (writers are not blocked while it builds), plainly elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, **_online(schema_editor))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, **_online(schema_editor))


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run in a transaction, and the fill commits batch by batch.
    atomic = False

    dependencies = [("appeals", "0014_importjob_heartbeat")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.TextField(db_collation="C", primary_key=True, serialize=False)),
            ],
            options={
                "db_table": "appeals_search_word",
                "managed": False,
            },
        ),
        migrations.RunPython(words_forwards, words_backwards, atomic=True, elidable=False),
        migrations.RunPython(words_fill, migrations.RunPython.noop, elidable=False),
        AddIndexOnline(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["due_date", "id"],
                include=("sensitivity", "office", "assignee", "registered_by"),
                name="appeal_open_due_covering",
            ),
        ),
        AddIndexOnline(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["office", "due_date", "id"],
                include=("sensitivity", "assignee", "registered_by"),
                name="appeal_open_office_by_due",
            ),
        ),
        AddIndexOnline(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["assignee", "due_date", "id"],
                include=("sensitivity", "office", "registered_by"),
                name="appeal_open_assignee_by_due",
            ),
        ),
        AddIndexOnline(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["registered_on", "id", "due_date"],
                name="appeal_open_by_registered",
            ),
        ),
        AddIndexOnline(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("extension_requested_until__isnull", False), ("status__in", OPEN)),
                fields=["due_date", "id"],
                name="appeal_open_extension_asked",
            ),
        ),
        AddIndexOnline(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(
                    ("status", "registered"),
                    models.Q(("applicant_type", "anonymous"), ("is_urgent_report", True), _connector="OR"),
                ),
                fields=["received_at", "id"],
                name="appeal_triage_or_urgent",
            ),
        ),
    ]
