"""Loading the places of detention and the act-type catalogue (supervision.reference, `manage.py load_supervision`)."""

from __future__ import annotations

import csv
import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from prokuratura.core.models import AuditEntry, Region
from prokuratura.core.reference import DEFAULT_SOURCE, regions_load
from prokuratura.supervision.models import ActType, Facility, FacilityKind
from prokuratura.supervision.reference import (
    FACILITY_COLUMNS,
    act_type_values,
    act_types_load,
    facilities_load,
)
from prokuratura.supervision.services import act_type_update, facility_save

pytestmark = pytest.mark.django_db

FACILITIES_CSV = DEFAULT_SOURCE / "detention_facilities.csv"
COLUMNS = (*FACILITY_COLUMNS, "note")


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return path


def _row(code: str, **values: str) -> dict[str, str]:
    return {
        "code": code,
        "kind": FacilityKind.PRE_TRIAL,
        "region_kato": "710000000",
        "name_kk": "Тергеу изоляторы",
        "name_ru": "Следственный изолятор",
        "name_en": "Pre-trial detention centre",
        "source": "test",
        **values,
    }


def _facility_entries() -> int:
    return AuditEntry.objects.filter(object_type="supervision.facility").count()


def test_the_file_covers_every_region_with_every_kind():
    with (DEFAULT_SOURCE / "kz_regions.csv").open(encoding="utf-8") as handle:
        regions = {row["kato_code"] for row in csv.DictReader(handle)}
    with FACILITIES_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    per_region: dict[str, set[str]] = {}
    for row in rows:
        per_region.setdefault(row["region_kato"], set()).add(row["kind"])
        assert "demo-grade" in row["source"]
    assert set(per_region) == regions
    assert {row["kind"] for row in rows} == set(FacilityKind.values)
    for kato, kinds in per_region.items():
        count = sum(1 for row in rows if row["region_kato"] == kato)
        assert 4 <= count <= 7, kato
        assert {FacilityKind.PRE_TRIAL, FacilityKind.TEMPORARY} <= kinds
    assert len({row["code"] for row in rows}) == len(rows)


def test_the_shipped_list_loads_once_and_a_second_run_changes_nothing():
    assert regions_load().error == ""
    first = facilities_load()
    assert first.rejected == []
    assert first.created == Facility.objects.count() == 117
    assert Facility.objects.values("region").distinct().count() == Region.objects.count()
    entries = _facility_entries()
    assert entries == 117  # one audit entry per facility created

    second = facilities_load()
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 117, [])
    assert _facility_entries() == entries


def test_rejected_rows_are_reported_with_their_reason_and_leave_nothing_behind(offices, tmp_path):
    path = _write(
        tmp_path / "facilities.csv",
        [
            _row("ast-sizo-1"),
            _row("nowhere-1", region_kato="999999999"),
            _row("odd-kind-1", kind="monastery"),
            _row("ast-sizo-1", name_ru="Дубль"),
            _row("Not a slug!"),
        ],
    )
    report = facilities_load(path=path)
    assert report.created == 1
    reasons = {row.key: (row.line, row.reason) for row in report.rejected}
    assert reasons["nowhere-1"] == (3, "Unknown region 999999999.")
    assert reasons["odd-kind-1"] == (4, "Unknown kind monastery.")
    assert reasons["ast-sizo-1"] == (5, "The same code appears earlier in the file.")
    assert reasons["Not a slug!"][0] == 6 and reasons["Not a slug!"][1].startswith("code:")
    assert list(Facility.objects.values_list("code", flat=True)) == ["ast-sizo-1"]
    assert Facility.objects.get().name_ru == "Следственный изолятор"


def test_a_changed_file_updates_a_facility_but_keeps_one_an_administrator_corrected(cast, tmp_path):
    facilities_load(
        path=_write(tmp_path / "v1.csv", [_row("ast-sizo-1"), _row("ast-ivs-1", kind="temporary")])
    )
    corrected = Facility.objects.get(code="ast-ivs-1")
    facility_save(by=cast.admin, facility=corrected, data={"address": "г. Астана, ул. Проверочная, 1"})

    report = facilities_load(
        path=_write(
            tmp_path / "v2.csv",
            [
                _row("ast-sizo-1", name_ru="Следственный изолятор № 1"),
                _row("ast-ivs-1", kind="temporary", name_ru="ИВС", address="г. Астана"),
            ],
        )
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Facility.objects.get(code="ast-sizo-1").name_ru == "Следственный изолятор № 1"
    kept = Facility.objects.get(code="ast-ivs-1")
    assert (kept.name_ru, kept.address) == ("Следственный изолятор", "г. Астана, ул. Проверочная, 1")
    assert any("ast-ivs-1" in note for note in report.notes)
    update = AuditEntry.objects.filter(object_type="supervision.facility", action="update").order_by("id")
    assert update.last().changes == {
        "name_ru": {"before": "Следственный изолятор", "after": "Следственный изолятор № 1"}
    }


def test_act_types_missing_from_the_table_are_added_and_existing_ones_kept(cast):
    ActType.objects.filter(code="release").delete()
    protest = ActType.objects.get(code="protest")
    act_type_update(by=cast.admin, act_type=protest, changes={"term_value": 15}, source="Ст. 42 Закона")

    report = act_types_load()
    assert (report.created, report.updated, report.rejected) == (1, 0, [])
    assert report.unchanged == ActType.objects.count() - 1
    assert ActType.objects.filter(code="release").exists()
    assert ActType.objects.get(code="protest").term_value == 15  # the administrator's correction stays
    assert act_types_load().created == 0


def test_the_loader_writes_the_same_act_types_as_migrations_0002_and_0006():
    migration = importlib.import_module("prokuratura.supervision.migrations.0002_default_act_types")
    translations = importlib.import_module("prokuratura.supervision.migrations.0006_act_type_sources_kk_ru")
    fields = [f.name for f in ActType._meta.concrete_fields if f.name not in ("id", "updated_at")]
    ActType.objects.all().delete()
    migration.load(apps, None)
    translations.fill(apps, None)
    by_migration = list(ActType.objects.order_by("code").values(*fields))
    ActType.objects.all().delete()
    assert act_types_load().created == len(by_migration)
    assert list(ActType.objects.order_by("code").values(*fields)) == by_migration
    with (DEFAULT_SOURCE / "supervision_act_types.csv").open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert set(act_type_values(row)) < set(fields)


def test_the_command_prints_what_it_did(offices):
    out = io.StringIO()
    call_command("load_supervision", stdout=out)
    text = out.getvalue()
    assert "detention_facilities: 12 created" in text  # the two regions of the test tree
    assert "rejected line" in text and "Unknown region" in text
    assert "supervision_act_types: 0 created, 0 updated, 10 unchanged" in text
