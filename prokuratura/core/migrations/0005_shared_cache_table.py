# The table of the "shared" cache (settings.CACHES) when no Redis is configured: throttles, one-time challenges and the
# sign-in lockout are counted there, so that every web process and worker of a deployment sees the same counts.
# `createcachetable` creates only what is missing, so a deployment on Redis gets nothing, and running it again is safe.

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_calendar_notes_and_town_names"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
