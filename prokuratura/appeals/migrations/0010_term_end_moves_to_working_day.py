"""A term counted in months or calendar days that ends on a day off ends on the next working day, as a rule an
administrator can see and switch off."""

from django.db import migrations

RULE = (
    "term_end_moves_to_working_day",
    1,
    "yes/no",
    "1: a term counted in months or calendar days (the two-month cap on an extension, the three-month window for a "
    "complaint) that ends on a day off ends on the next working day; 0: it ends on that day",
    "Civil Code of the Republic of Kazakhstan (General Part), chapter «Исчисление сроков», the rule for a term whose "
    "last day is a non-working day; article number not confirmed here — to be checked against adilet.zan.kz",
)


def add_rule(apps, schema_editor):
    code, value, unit, description, source = RULE
    apps.get_model("appeals", "AppealRule").objects.get_or_create(
        code=code, defaults={"value": value, "unit": unit, "description": description, "legal_source": source}
    )


def remove_rule(apps, schema_editor):
    apps.get_model("appeals", "AppealRule").objects.filter(code=RULE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0009_review_term_from_receipt")]

    operations = [migrations.RunPython(add_rule, remove_rule)]
