"""The act-type catalogue's defaults, from data/reference/supervision_act_types.csv (each row cites its article and
says whether it was verified). Rows already present — corrected by an administrator — are left as they are."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parents[3] / "data" / "reference" / "supervision_act_types.csv"


def load(apps, schema_editor):
    ActType = apps.get_model("supervision", "ActType")
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ActType.objects.get_or_create(
                code=row["code"],
                defaults={
                    "ordering": int(row["ordering"]),
                    "name_en": row["name_en"],
                    "name_ru": row["name_ru"],
                    "name_kk": row["name_kk"],
                    "answered_by": row["answered_by"],
                    "term_value": int(row["term_value"]) if row["term_value"] else None,
                    "term_unit": row["term_unit"],
                    "legal_source": row["legal_source"],
                    "source_url": row["source_url"],
                    "verified": row["verified"].strip().lower() == "true",
                    "note": row["note"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
