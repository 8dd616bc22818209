"""The record rule's office and participant branches in the lists' order (docs/PERFORMANCE.md, "Search").

A search for a common word by a reader with few offices is one UNION ALL of the rule's branches
(core.access.visible_records_branches), which PostgreSQL merges newest first and stops at the count's cap: each
branch needs an index in that order. The public branch has `appeal_not_internal` (0006). `(office, registered_on,
id)` replaces `(registered_on, office)`: with both, the planner read one office's appeals by scanning the date
index of the whole register for that office's entries (the heap follows the dates, so it priced that as cheap).
A date range of every office, the dashboard's, is read from `appeal_registered_id`.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0006_appeal_not_internal_index"),
        ("core", "0002_idempotency_record"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="appeal",
            name="appeal_registered_office",
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["office", "registered_on", "id"], name="appeal_office_registered"),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["assignee", "registered_on", "id"], name="appeal_assignee_registered"),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                fields=["registered_by", "registered_on", "id"], name="appeal_registrar_registered"
            ),
        ),
    ]
