"""The default organisations and counterparts, topics and official statements, from data/reference
(relations_counterparts.csv, relations_topics.csv, relations_statements.csv: each row cites its source), so they
exist on every new database. Rows already present — corrected by an administrator — are left as they are; a
counterpart's state is set only where the countries are already loaded (`manage.py load_relations`, run after
load_reference, fills the rest and checks every row). Re-runnable: other modules' tests call `load(apps, None)`
after a flush. Data migrations never import app code, so the few conversions are repeated here (tests/
test_reference.py checks that this and `relations.reference` load the same rows)."""

import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[3] / "data" / "reference"


def _rows(name):
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in csv.DictReader(handle)]


def _lines(text):
    seen = []
    for part in (text or "").replace(" | ", "\n").splitlines():
        value = " ".join(part.split())
        if value and value.casefold() not in {s.casefold() for s in seen}:
            seen.append(value)
    return "\n".join(seen)


def load_counterparts(apps):
    Counterpart = apps.get_model("relations", "Counterpart")
    Country = apps.get_model("core", "Country")
    countries = set(Country.objects.values_list("iso2", flat=True))
    rows = _rows("relations_counterparts.csv")
    created = {}
    for position, row in enumerate(rows, start=1):
        iso2 = row["country_iso2"].upper()
        obj, made = Counterpart.objects.get_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "country_id": iso2 if iso2 in countries else None,
                "mandate_kind": row["mandate_kind"],
                "name_en": row["name_en"],
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                "abbreviation_en": row["abbreviation_en"],
                "abbreviation_ru": row["abbreviation_ru"],
                "abbreviation_kk": row["abbreviation_kk"],
                "aliases": _lines(row["aliases"]),
                "website": row["website"],
                "source_url": row["source_url"],
                "ordering": position,
            },
        )
        if made:
            created[row["code"]] = (obj, row["parent_code"])
    # Parents in a second pass: a row may name a parent that comes after it.
    ids = dict(Counterpart.objects.values_list("code", "pk"))
    for obj, parent_code in created.values():
        if parent_code and parent_code in ids and ids[parent_code] != obj.pk:
            obj.parent_id = ids[parent_code]
            obj.save(update_fields=["parent"])


def load_topics(apps):
    Topic = apps.get_model("relations", "Topic")
    for position, row in enumerate(_rows("relations_topics.csv"), start=1):
        Topic.objects.get_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "name_en": row["name_en"],
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                "keywords": _lines(row["keywords"]),
                "ordering": position,
            },
        )


def load_statements(apps):
    RelationsStatement = apps.get_model("relations", "RelationsStatement")
    for row in _rows("relations_statements.csv"):
        RelationsStatement.objects.get_or_create(
            subject=row["subject"],
            date=dt.date.fromisoformat(row["date"]),
            figure_value=int(row["figure_value"]),
            defaults={
                "period_years": int(row["period_years"]) if row["period_years"] else None,
                "partner_code": row["partner_code"],
                "statement": row["statement"],
                "speaker": row["speaker"][:200],
                "source_url": row["source_url"],
                "note": row["note"],
            },
        )


def load(apps, schema_editor):
    load_counterparts(apps)
    load_topics(apps)
    load_statements(apps)


class Migration(migrations.Migration):
    dependencies = [("relations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
