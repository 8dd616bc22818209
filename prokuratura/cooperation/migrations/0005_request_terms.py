"""The requests' control terms, from data/reference/cooperation_request_terms.csv (each row cites its source and
says whether it was verified). Rows already present — corrected by an administrator — are left as they are."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parents[3] / "data" / "reference" / "cooperation_request_terms.csv"


def load(apps, schema_editor):
    RequestTerm = apps.get_model("cooperation", "RequestTerm")
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            RequestTerm.objects.get_or_create(
                direction=row["direction"],
                kind=row["kind"],
                milestone=row["milestone"],
                defaults={
                    "days": int(row["days"]),
                    "unit": row["unit"],
                    "urgent_days": int(row["urgent_days"]) if row["urgent_days"] else None,
                    "remind_days_before": int(row["remind_days_before"]),
                    "legal_source": row["legal_source"],
                    "legal_source_ru": row["legal_source_ru"],
                    "legal_source_kk": row["legal_source_kk"],
                    "verified": row["verified"].strip().lower() == "true",
                    "note": row["note"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0004_requests")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
