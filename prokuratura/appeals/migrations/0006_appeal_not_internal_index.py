"""Search and the record rule at national scale (docs/PERFORMANCE.md, "Search").

* `appeal_not_internal`, a partial index over the few per cent of appeals that are public or restricted: with it
  (and core.access.visible_records_q naming the office subtree as a list of ids) every branch of the record rule's
  OR has an index, so PostgreSQL can intersect the rule with the search index (BitmapAnd) instead of reading the
  whole table to filter a district prosecutor's matches.
* PostgreSQL: `search_vector` is kept in the row (`STORAGE MAIN`: compressed, out of line only as the last resort)
  rather than in the TOAST table. Reading a TOASTed vector costs an index lookup in the TOAST table per row, which
  made a search whose matches are checked row by row (a common word, a capped count) ~2.6× slower. Rows move when
  they are next written; an existing large table is rewritten by `VACUUM FULL appeals_appeal` in a maintenance
  window (the bulk demo load writes new rows and needs nothing).
"""

from django.conf import settings
from django.db import migrations, models

PG_COLUMN = "search_vector"  # 0005


def _storage(mode):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE appeals_appeal ALTER COLUMN {PG_COLUMN} SET STORAGE {mode}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0005_appeal_search_vector"),
        ("core", "0002_idempotency_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("sensitivity", "internal"), _negated=True),
                fields=["registered_on", "id"],
                name="appeal_not_internal",
            ),
        ),
        migrations.RunPython(_storage("MAIN"), _storage("EXTENDED"), elidable=False),
    ]
