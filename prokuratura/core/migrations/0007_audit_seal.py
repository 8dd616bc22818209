"""Audit entries are written unsealed and chained later by `core.audit.audit_seal` (issue 16: no global lock).

On PostgreSQL both steps are cheap on a big trail: `seq` loses NOT NULL (the catalogue only, no rewrite), and the
partial index holds only the unsealed rows, none yet (building it reads the table once).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0006_task_worker")]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["-id"],
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
            },
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_unsealed_idx"
            ),
        ),
    ]
