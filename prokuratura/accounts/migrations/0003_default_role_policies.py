from django.db import migrations

# Administrators and auditors must use a second factor by default; an administrator may change this
# per role in the UI (accounts.RolePolicy). Kept literal: data migrations never import app code.
ROLES = ["registrar", "prosecutor", "head", "intl_officer", "analyst", "auditor", "admin"]
REQUIRE_2FA = {"admin", "auditor"}


def create_policies(apps, schema_editor):
    RolePolicy = apps.get_model("accounts", "RolePolicy")
    for role in ROLES:
        RolePolicy.objects.get_or_create(role=role, defaults={"require_2fa": role in REQUIRE_2FA})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_office_and_roles")]
    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
