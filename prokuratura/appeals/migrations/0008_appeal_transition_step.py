"""The lifecycle kernel's history columns: which step a row records, and the system actor that took it."""

from django.db import migrations, models
from django.db.models import Case, Value, When

# The step that led into each status before steps were recorded (appeals.transitions; copied, as data
# migrations never import app code). A row without a from-status is the registration.
STEP_INTO = {
    "assigned": "assign",
    "in_review": "start",
    "extended": "extend",
    "answered": "answer",
    "forwarded": "forward",
    "left": "leave",
    "closed": "close",
    "reopened": "reopen",
}


def backfill_steps(apps, schema_editor):
    AppealTransition = apps.get_model("appeals", "AppealTransition")
    AppealTransition.objects.filter(step="").update(
        step=Case(
            When(from_status="", then=Value("create")),
            *[When(to_status=status, then=Value(step)) for status, step in STEP_INTO.items()],
            default=Value(""),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0007_appeal_branch_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="appealtransition",
            name="by_system",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="appealtransition",
            name="step",
            field=models.CharField(blank=True, max_length=40, verbose_name="step"),
        ),
        migrations.RunPython(backfill_steps, migrations.RunPython.noop),
    ]
