# A new nullable column on a small table (one row per uploaded file): no rewrite, no backfill.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0013_letters_signoff"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
