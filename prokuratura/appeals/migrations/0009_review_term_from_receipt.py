"""The day the 15 working days run from, as a rule an administrator can see and change (APPC art. 76 p. 1)."""

from django.db import migrations

RULE = (
    "review_term_from_receipt",
    1,
    "yes/no",
    "1: the 15 working days (and the two-month cap on an extension) run from the day the appeal was received; "
    "0: from the day it was registered (the next working day for one received after hours or on a day off)",
    "APPC art. 76 p. 1: fifteen working days «со дня поступления обращения» (from the day of receipt); "
    "registration: APPC art. 64 p. 3",
)


def add_rule(apps, schema_editor):
    AppealRule = apps.get_model("appeals", "AppealRule")
    code, value, unit, description, source = RULE
    AppealRule.objects.get_or_create(
        code=code, defaults={"value": value, "unit": unit, "description": description, "legal_source": source}
    )
    AppealRule.objects.filter(code="review_working_days").update(
        description="Time limit for considering an appeal (from the day set by review_term_from_receipt)"
    )


def remove_rule(apps, schema_editor):
    apps.get_model("appeals", "AppealRule").objects.filter(code=RULE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0008_appeal_transition_step")]

    operations = [migrations.RunPython(add_rule, remove_rule)]
