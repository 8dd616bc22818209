"""Loading the supervision module's reference data from data/reference (`manage.py load_supervision`).

- `detention_facilities.csv`: places of detention per region (the service's own demo-grade list, see
  data/reference/SERVICE_FILES.md). A row is created or brought up to date by its `code`; a facility an
  administrator created or corrected (`services.facility_save`: an audit entry not written by this loader) is kept
  as the administrator left it, and the report says so. A facility missing from the file is left as it is.
- `supervision_act_types.csv`: the act-type catalogue. Migration 0002 loaded it; here only a type the table lacks
  is added, with the migration's columns (`act_type_values`), and an existing row is never overwritten.

Each data set loads in one transaction, each row in its own savepoint: a rejected row (unknown region, unknown kind,
a value the model refuses) is reported with its line and reason and leaves nothing behind. A second run with the
same files changes nothing. Every facility or act type written gets its own audit entry, by `by`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from prokuratura.core.actors import SETUP, Actor
from prokuratura.core.audit import audit_record, diff, snapshot
from prokuratura.core.models import AuditEntry, Region
from prokuratura.core.reference import (
    LoadReport,
    ReferenceDataError,
    Rejected,
    _read_csv,
    _reason,
)
from prokuratura.core.reference import source_path as core_source_path

from .models import ActType, Facility, FacilityKind

FACILITIES, ACT_TYPES = "detention_facilities", "supervision_act_types"
DATASETS = (FACILITIES, ACT_TYPES)
FILES = {FACILITIES: "detention_facilities.csv", ACT_TYPES: "supervision_act_types.csv"}

FACILITY_COLUMNS = (
    "code",
    "kind",
    "region_kato",
    "name_kk",
    "name_ru",
    "name_en",
    "address",
    "authority",
    "source",
)
# The facility's fields the file sets (`is_active` is the administrator's alone).
FACILITY_FIELDS = ("kind", "region", "name_kk", "name_ru", "name_en", "address", "authority", "source")
ACT_TYPE_COLUMNS = (
    "code",
    "ordering",
    "name_en",
    "name_ru",
    "name_kk",
    "answered_by",
    "term_value",
    "term_unit",
    "legal_source",
    "legal_source_ru",
    "legal_source_kk",
    "source_url",
    "verified",
    "note",
    "note_ru",
    "note_kk",
)
# The audit reason of this loader's entries: an entry on a facility with any other reason is an administrator's.
LOADER_REASON = "load_supervision"


def source_path(source: Path | None, dataset: str) -> Path:
    """The data set's file in `source` when it is there, otherwise the repository's copy."""
    return core_source_path(source, FILES[dataset])


def _run(dataset: str, path: Path, body: Callable[[LoadReport], None]) -> LoadReport:
    report = LoadReport(dataset=dataset, source=str(path))
    try:
        with transaction.atomic():
            body(report)
    except ReferenceDataError as error:
        return LoadReport(dataset=dataset, source=str(path), error=str(error))
    return report


def _save_row(report: LoadReport, line: int, key: str, save: Callable[[], None]) -> bool:
    """Run one row's write in its own savepoint; a refusal rejects the row with its reason."""
    try:
        with transaction.atomic():
            save()
    except ValidationError as error:
        report.rejected.append(Rejected(line, key, _reason(error)))
        return False
    except DatabaseError as error:
        report.rejected.append(Rejected(line, key, str(error)))
        return False
    return True


# --- places of detention ---------------------------------------------------------------------------------------


def administrator_edited_facilities() -> set[int]:
    """Ids of the facilities an administrator created or corrected: an audit entry of theirs that is not this
    loader's. The audit trail is the record of who wrote what, so no column is needed to remember it."""
    ids = (
        AuditEntry.objects.filter(
            object_type=Facility._meta.label_lower,
            action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE],
        )
        .exclude(reason__startswith=LOADER_REASON)
        .values_list("object_id", flat=True)
    )
    return {int(value) for value in ids if value.isdigit()}


def _create(record: models.Model, fields: tuple[str, ...], *, by: Actor, reason: str) -> None:
    record.full_clean()
    record.save(force_insert=True)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=record,
        changes={name: {"before": None, "after": value} for name, value in snapshot(record, fields).items()},
        reason=reason,
    )


def _update(facility: Facility, values: dict[str, Any], *, by: Actor, reason: str) -> None:
    before = snapshot(facility, FACILITY_FIELDS)
    changed = [name for name, value in values.items() if getattr(facility, name) != value]
    for name in changed:
        setattr(facility, name, values[name])
    facility.full_clean()
    facility.save(update_fields=changed)
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=facility,
        changes=diff(before, snapshot(facility, FACILITY_FIELDS)),
        reason=reason,
    )


def facilities_load(*, path: Path | None = None, by: Actor = SETUP) -> LoadReport:
    """Load the places of detention from `path` (default data/reference/detention_facilities.csv)."""
    path = path or source_path(None, FACILITIES)
    reason = f"{LOADER_REASON} {FACILITIES}"

    def body(report: LoadReport) -> None:
        rows = _read_csv(path, FACILITY_COLUMNS)
        regions = {region.kato_code: region for region in Region.objects.all()}
        existing = {facility.code: facility for facility in Facility.objects.select_related("region")}
        edited = administrator_edited_facilities()
        kept: list[str] = []
        seen: set[str] = set()
        for line, row in rows:
            code = row["code"]
            problems = []
            if not code:
                problems.append(_("The code is empty."))
            elif code in seen:
                problems.append(_("The same code appears earlier in the file."))
            region = regions.get(row["region_kato"])
            if region is None:
                problems.append(_("Unknown region %(kato)s.") % {"kato": row["region_kato"] or "—"})
            if row["kind"] not in FacilityKind.values:
                problems.append(_("Unknown kind %(kind)s.") % {"kind": row["kind"] or "—"})
            if problems:
                report.rejected.append(Rejected(line, code, " ".join(problems)))
                continue
            seen.add(code)
            values: dict[str, Any] = {name: row[name] for name in FACILITY_FIELDS if name != "region"}
            values["region"] = region
            facility = existing.get(code)
            if facility is None:
                created = Facility(code=code, **values)
                if _save_row(
                    report,
                    line,
                    code,
                    partial(_create, created, ("code", *FACILITY_FIELDS), by=by, reason=reason),
                ):
                    existing[code] = created
                    report.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(facility, name) != value]
            if not changed:
                report.unchanged += 1
                continue
            if facility.pk in edited:
                kept.append(code)
                report.unchanged += 1
                continue
            if _save_row(report, line, code, partial(_update, facility, values, by=by, reason=reason)):
                report.updated += 1
            else:
                facility.refresh_from_db()
        if kept:
            report.notes.append(
                _("Kept as an administrator corrected them (the file differs): %(codes)s.")
                % {"codes": ", ".join(kept)}
            )
        absent = sorted(set(existing) - seen - {row["code"] for _line, row in rows})
        if absent:
            report.notes.append(
                _("Not in the file, left as they are: %(codes)s.") % {"codes": ", ".join(absent)}
            )

    return _run(FACILITIES, path, body)


# --- the act-type catalogue ------------------------------------------------------------------------------------


def act_type_values(row: dict[str, str]) -> dict[str, Any]:
    """An act type's fields from a row of supervision_act_types.csv: the columns migration 0002 writes, read the
    same way (the migration cannot import this module; tests/test_reference.py checks that the two agree)."""
    return {
        "ordering": int(row["ordering"]),
        "name_en": row["name_en"],
        "name_ru": row["name_ru"],
        "name_kk": row["name_kk"],
        "answered_by": row["answered_by"],
        "term_value": int(row["term_value"]) if row["term_value"] else None,
        "term_unit": row["term_unit"],
        "legal_source": row["legal_source"],
        "legal_source_kk": row.get("legal_source_kk", ""),
        "legal_source_ru": row.get("legal_source_ru", ""),
        "source_url": row["source_url"],
        "verified": row["verified"].strip().lower() == "true",
        "note": row["note"],
        "note_kk": row.get("note_kk", ""),
        "note_ru": row.get("note_ru", ""),
    }


def act_types_load(*, path: Path | None = None, by: Actor = SETUP) -> LoadReport:
    """Add the act types of `path` (default data/reference/supervision_act_types.csv) that the table lacks. A type
    already there stays as it is — the migration's default or an administrator's correction."""
    path = path or source_path(None, ACT_TYPES)
    reason = f"{LOADER_REASON} {ACT_TYPES}"

    def body(report: LoadReport) -> None:
        rows = _read_csv(path, ACT_TYPE_COLUMNS)
        existing = set(ActType.objects.values_list("code", flat=True))
        seen: set[str] = set()
        for line, row in rows:
            code = row["code"]
            if code in seen:
                report.rejected.append(Rejected(line, code, _("The same code appears earlier in the file.")))
                continue
            seen.add(code)
            if code in existing:
                report.unchanged += 1
                continue
            try:
                values = act_type_values(row)
            except ValueError:
                report.rejected.append(
                    Rejected(line, code, _("The ordering and the time limit are whole numbers."))
                )
                continue
            act_type = ActType(code=code, **values)
            fields = ("code", *values)
            if _save_row(report, line, code, partial(_create, act_type, fields, by=by, reason=reason)):
                report.created += 1

    return _run(ACT_TYPES, path, body)


def supervision_load(
    *, source: Path | None = None, by: Actor = SETUP, datasets: tuple[str, ...] = DATASETS
) -> list[LoadReport]:
    """Both data sets, each from `source` when the folder has its file, otherwise from data/reference."""
    loaders = {FACILITIES: facilities_load, ACT_TYPES: act_types_load}
    return [loaders[name](path=source_path(source, name), by=by) for name in datasets]
