"""Loading international relations' reference data and history from data/reference (`manage.py load_relations`).

- `relations_counterparts.csv` (the service's own file, a source per row): organisations, their bodies, mandates
  and field offices, foreign authorities and domestic agencies, keyed by `code`. A row's parent is named by code,
  before or after it in the file; a hierarchy that loops is refused (every row of the loop, with the chain), and so
  is a row against the rules of `services.counterparts.counterpart_errors` (a mandate belongs to a body, a foreign
  authority names its state…). A counterpart an administrator created or corrected on the page (an audit entry of
  theirs) is kept as they left it, and the report says so. `aliases` (" | " in the file) are stored one per line.
- `relations_topics.csv`: crime focus areas, human-rights and cooperation themes with their keywords, by `code`.
- `relations_statements.csv`: official headline figures of the time (the PGO's statements of 2015-10-22), keyed by
  subject, date and figure.
- `un_special_procedures_visits_kz.csv` (from the shared data folder, copied unchanged): the visits of UN special
  procedures and of the Subcommittee on Prevention of Torture, loaded as held incoming visits whose counterpart is
  the mandate (found by its English name or one of its other names), owned by the root office, public, with their
  sources. `import_key` (a hash of the mandate and the first day) makes a second run update, never duplicate; each
  new event gets its "create" history row and an audit entry by the set-up actor, each update an audit entry.

Migration 0002 loads the first three (so they exist on every new database); this module loads all four, visits
last. Each data set loads in one transaction and each row in its own savepoint: a rejected row is reported with
its line and reason and leaves nothing behind; a missing file or column rolls the data set back. A second run with
the same files reports nothing created or updated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from prokuratura.core.actors import SETUP, Actor
from prokuratura.core.audit import audit_record, diff, snapshot
from prokuratura.core.models import AuditEntry, Country, Office, Sensitivity
from prokuratura.core.reference import (
    LoadReport,
    ReferenceDataError,
    Rejected,
    _read_csv,
    _reason,
    _Upserter,
)
from prokuratura.core.reference import _run as core_run
from prokuratura.core.reference import source_path as core_source_path

from .models import (
    Confidence,
    Counterpart,
    CounterpartKind,
    Event,
    EventKind,
    EventStatus,
    MandateKind,
    RelationsStatement,
    Topic,
    TopicKind,
)
from .services.counterparts import counterpart_errors, split_names
from .transitions import EVENTS

COUNTERPARTS, TOPICS, STATEMENTS, VISITS = (
    "relations_counterparts",
    "relations_topics",
    "relations_statements",
    "un_visits",
)
DATASETS = (COUNTERPARTS, TOPICS, STATEMENTS, VISITS)
FILES = {
    COUNTERPARTS: "relations_counterparts.csv",
    TOPICS: "relations_topics.csv",
    STATEMENTS: "relations_statements.csv",
    VISITS: "un_special_procedures_visits_kz.csv",
}
COUNTERPART_COLUMNS = (
    "code",
    "kind",
    "parent_code",
    "country_iso2",
    "mandate_kind",
    "name_en",
    "name_ru",
    "name_kk",
    "abbreviation_en",
    "abbreviation_ru",
    "abbreviation_kk",
    "aliases",
    "website",
    "source_url",
)
TOPIC_COLUMNS = ("code", "kind", "name_en", "name_ru", "name_kk", "keywords")
STATEMENT_COLUMNS = (
    "subject",
    "date",
    "figure_value",
    "period_years",
    "partner_code",
    "statement",
    "speaker",
    "source_url",
    "note",
)
VISIT_COLUMNS = (
    "mandate_en",
    "mandate_kind",
    "holder_name",
    "visit_start",
    "visit_end",
    "report_symbol",
    "source_url",
    "confidence",
    "note",
)
# The visits file's kinds of mandate; the SPT's visit is a treaty body's.
VISIT_MANDATE_KINDS = {
    "special_rapporteur": MandateKind.SPECIAL_RAPPORTEUR,
    "independent_expert": MandateKind.INDEPENDENT_EXPERT,
    "working_group": MandateKind.WORKING_GROUP,
    "treaty_body_visit": MandateKind.TREATY_BODY,
}
EVENT_FIELDS = (
    "kind",
    "status",
    "title",
    "start_date",
    "end_date",
    "place",
    "country",
    "principal",
    "holder_name",
    "report_symbol",
    "source_url",
    "confidence",
    "note",
    "sensitivity",
    "office",
)
# The audit reason of this loader's entries (an entry on a counterpart with another reason is an administrator's).
LOADER_REASON = "load_relations"


def source_path(source: Path | None, dataset: str) -> Path:
    """The data set's file in `source` when it is there, otherwise the repository's copy."""
    return core_source_path(source, FILES[dataset])


def _run(dataset: str, path: Path, body: Callable[[LoadReport], None]) -> LoadReport:
    return core_run(dataset, path, body, object_type="relations.reference", command=LOADER_REASON)


def _extra_cells(upsert: _Upserter, line: int, key: str, row: dict[str, str]) -> bool:
    if row.get("__extra__"):
        upsert.reject(line, key, _("The row has more cells than the header has columns."))
        return True
    return False


# --- counterparts ------------------------------------------------------------------------------------------------


def administrator_edited_counterparts() -> set[int]:
    """Ids of the counterparts an administrator created or corrected (an audit entry that is not the loader's)."""
    ids = (
        AuditEntry.objects.filter(
            object_type=Counterpart._meta.label_lower,
            action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE],
        )
        .exclude(reason__startswith=LOADER_REASON)
        .values_list("object_id", flat=True)
    )
    return {int(value) for value in ids if value.isdigit()}


class _Hierarchy:
    """The file's rows with the stored counterparts: each code's kind and parent, to order the rows parents first
    and to find loops."""

    def __init__(self, rows: dict[str, tuple[int, dict[str, str]]], stored: dict[str, Counterpart]) -> None:
        self.rows = rows
        self.stored = stored
        stored_codes = {c.pk: c.code for c in stored.values()}
        self.parent: dict[str, str] = {
            code: stored_codes.get(c.parent_id, "") for code, c in stored.items() if c.parent_id is not None
        }
        self.kind = {code: c.kind for code, c in stored.items()}
        for code, (_line, row) in rows.items():
            self.parent[code] = row["parent_code"]
            self.kind[code] = row["kind"]
        self.parent = {code: parent for code, parent in self.parent.items() if parent}

    def loop(self, code: str) -> list[str] | None:
        """The chain from `code` back to itself when following the parents comes round to it."""
        chain, node = [code], self.parent.get(code)
        while node is not None and node not in chain:
            chain.append(node)
            node = self.parent.get(node)
        return [*chain, code] if node == code else None

    def order(self) -> list[str]:
        """The file's codes, each after its parent (a parent outside the file is already stored)."""
        done: list[str] = []
        placed: set[str] = set()

        def place(code: str, path: tuple[str, ...]) -> None:
            if code in placed or code in path:
                return
            parent = self.parent.get(code)
            if parent in self.rows:
                place(parent, (*path, code))
            placed.add(code)
            done.append(code)

        for code in self.rows:
            place(code, ())
        return done


def counterparts_load(*, source: Path | None = None) -> LoadReport:
    path = source_path(source, COUNTERPARTS)

    def body(report: LoadReport) -> None:
        rows = _read_csv(path, COUNTERPART_COLUMNS)
        countries = set(Country.objects.values_list("iso2", flat=True))
        if not countries and any(row["country_iso2"] for _line, row in rows):
            raise ReferenceDataError(_("No countries are loaded: run `manage.py load_reference` first."))
        upsert = _Upserter(report, Counterpart, "code")
        stored = cast(dict[str, Counterpart], upsert.existing)
        edited = administrator_edited_counterparts()
        positions: dict[str, int] = {}
        file_rows: dict[str, tuple[int, dict[str, str]]] = {}
        for position, (line, row) in enumerate(rows, start=1):
            code = row["code"]
            if _extra_cells(upsert, line, code, row):
                continue
            if code in file_rows:
                upsert.reject(line, code, _("The same code appears earlier in the file."))
                continue
            file_rows[code] = (line, row)
            positions[code] = position
        hierarchy = _Hierarchy(file_rows, stored)
        refused: set[str] = set()
        kept: list[str] = []
        for code in hierarchy.order():
            line, row = file_rows[code]
            parent_code = row["parent_code"]
            iso2 = row["country_iso2"].upper()
            reasons: list[str] = []
            if loop := hierarchy.loop(code):
                reasons.append(_("The hierarchy loops: %(chain)s.") % {"chain": " → ".join(loop)})
            elif parent_code and parent_code not in file_rows and parent_code not in stored:
                reasons.append(_("Unknown parent “%(code)s”.") % {"code": parent_code})
            elif parent_code in refused:
                reasons.append(_("Its parent “%(code)s” was rejected.") % {"code": parent_code})
            if iso2 and iso2 not in countries:
                reasons.append(_("Unknown state “%(iso2)s”.") % {"iso2": iso2})
            errors = counterpart_errors(
                code=code,
                kind=row["kind"],
                parent_kind=hierarchy.kind.get(parent_code) if parent_code else None,
                country_iso2=iso2 or None,
                mandate_kind=row["mandate_kind"],
                names=(row["name_kk"], row["name_ru"], row["name_en"]),
            )
            reasons.extend(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
            if reasons:
                refused.add(code)
                upsert.reject(line, code, " ".join(reasons))
                continue
            values: dict[str, Any] = {
                "kind": row["kind"],
                "parent_id": stored[parent_code].pk if parent_code else None,
                "country_id": iso2 or None,
                "mandate_kind": row["mandate_kind"],
                "name_en": row["name_en"],
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                "abbreviation_en": row["abbreviation_en"],
                "abbreviation_ru": row["abbreviation_ru"],
                "abbreviation_kk": row["abbreviation_kk"],
                "aliases": "\n".join(split_names(row["aliases"])),
                "website": row["website"],
                "source_url": row["source_url"],
                "ordering": positions[code],
            }
            found = stored.get(code)
            if found is not None and found.pk in edited:
                if any(getattr(found, name) != value for name, value in values.items()):
                    kept.append(code)
                upsert.seen.add(code)
                report.unchanged += 1
                continue
            rejected_before = len(report.rejected)
            upsert.save(line, code, values)
            if len(report.rejected) > rejected_before:
                refused.add(code)
        if kept:
            report.notes.append(
                _("Kept as an administrator corrected them (the file differs): %(codes)s.")
                % {"codes": ", ".join(kept)}
            )

    return _run(COUNTERPARTS, path, body)


# --- topics ------------------------------------------------------------------------------------------------------


def topics_load(*, source: Path | None = None) -> LoadReport:
    path = source_path(source, TOPICS)

    def body(report: LoadReport) -> None:
        upsert = _Upserter(report, Topic, "code")
        for position, (line, row) in enumerate(_read_csv(path, TOPIC_COLUMNS), start=1):
            code = row["code"]
            if _extra_cells(upsert, line, code, row):
                continue
            if row["kind"] not in TopicKind.values:
                upsert.reject(line, code, _("Unknown kind “%(kind)s”.") % {"kind": row["kind"]})
                continue
            upsert.save(
                line,
                code,
                {
                    "kind": row["kind"],
                    "name_en": row["name_en"],
                    "name_ru": row["name_ru"],
                    "name_kk": row["name_kk"],
                    "keywords": "\n".join(split_names(row["keywords"])),
                    "ordering": position,
                },
            )

    return _run(TOPICS, path, body)


# --- official statements -----------------------------------------------------------------------------------------


def _save_row(report: LoadReport, line: int, key: str, save: Callable[[], None]) -> bool:
    """One row's write in its own savepoint; a refusal rejects the row with its reason and leaves nothing."""
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


def _whole_number(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def _statement_save(statement: RelationsStatement, changed: list[str] | None) -> None:
    statement.full_clean()
    if changed is None:
        statement.save(force_insert=True)
    else:
        statement.save(update_fields=changed)


def statements_load(*, source: Path | None = None) -> LoadReport:
    path = source_path(source, STATEMENTS)

    def body(report: LoadReport) -> None:
        codes = set(Counterpart.objects.values_list("code", flat=True))
        existing = {(s.subject, s.date, s.figure_value): s for s in RelationsStatement.objects.all()}
        seen: set[tuple[str, dt.date, int]] = set()
        for line, row in _read_csv(path, STATEMENT_COLUMNS):
            label = f"{row['subject']} {row['date']}"
            try:
                date = dt.date.fromisoformat(row["date"])
                figure = _whole_number(row["figure_value"])
                period = _whole_number(row["period_years"]) if row["period_years"] else None
            except ValueError:
                report.rejected.append(
                    Rejected(
                        line, label, _("The date is YYYY-MM-DD; the figure and the years are whole numbers.")
                    )
                )
                continue
            if row["partner_code"] and row["partner_code"] not in codes:
                report.rejected.append(
                    Rejected(line, label, _("Unknown partner “%(code)s”.") % {"code": row["partner_code"]})
                )
                continue
            key = (row["subject"], date, figure)
            if key in seen:
                report.rejected.append(Rejected(line, label, _("The same key appears earlier in the file.")))
                continue
            seen.add(key)
            values = {
                "period_years": period,
                "partner_code": row["partner_code"],
                "statement": row["statement"],
                "speaker": row["speaker"][:200],
                "source_url": row["source_url"],
                "note": row["note"],
            }
            found = existing.get(key)
            if found is None:
                statement = RelationsStatement(subject=key[0], date=date, figure_value=figure, **values)

                if _save_row(report, line, label, partial(_statement_save, statement, None)):
                    report.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(found, name) != value]
            if not changed:
                report.unchanged += 1
                continue
            for name in changed:
                setattr(found, name, values[name])

            if _save_row(report, line, label, partial(_statement_save, found, changed)):
                report.updated += 1
            else:
                found.refresh_from_db()

    return _run(STATEMENTS, path, body)


# --- the visits of UN special procedures -------------------------------------------------------------------------


def visit_import_key(mandate_en: str, start: str) -> str:
    """The stable key of a visit: the mandate as the file names it and the first day."""
    return hashlib.sha256(f"{' '.join(mandate_en.split()).casefold()}|{start}".encode()).hexdigest()


def _mandates_by_name() -> dict[str, Counterpart]:
    """The mandates by their English name, then by their other names (case and spacing ignored)."""
    by_name: dict[str, Counterpart] = {}
    mandates = list(Counterpart.objects.filter(kind=CounterpartKind.MANDATE).order_by("pk"))
    for mandate in mandates:
        for alias in split_names(mandate.aliases):
            by_name.setdefault(" ".join(alias.split()).casefold(), mandate)
    for mandate in mandates:
        by_name[" ".join(mandate.name_en.split()).casefold()] = mandate
    return by_name


def visit_title(mandate_en: str, note: str) -> str:
    follow_up = "follow-up" in note.casefold()
    title = f"{'Follow-up visit' if follow_up else 'Visit'} of the {mandate_en}"
    return title[:300]


def visits_load(*, source: Path | None = None, by: Actor = SETUP) -> LoadReport:
    """The visits of un_special_procedures_visits_kz.csv as held incoming visits owned by the root office."""
    path = source_path(source, VISITS)
    reason = f"{LOADER_REASON} {VISITS}"

    def body(report: LoadReport) -> None:
        rows = _read_csv(path, VISIT_COLUMNS)
        office = Office.objects.filter(parent__isnull=True).order_by("path").first()
        if office is None:
            report.notes.append(
                _(
                    "The visits need the office tree (they belong to the Prosecutor General's Office): run "
                    "`manage.py seed_demo` or create the offices, then load_relations again."
                )
            )
            return
        if not Country.objects.filter(iso2="KZ").exists():
            raise ReferenceDataError(_("No countries are loaded: run `manage.py load_reference` first."))
        mandates = _mandates_by_name()
        existing = {e.import_key: e for e in Event.objects.filter(import_key__isnull=False)}
        seen: set[str] = set()
        for line, row in rows:
            label = f"{row['mandate_en'][:60]} {row['visit_start']}"
            problems: list[str] = []
            try:
                start = dt.date.fromisoformat(row["visit_start"])
                end = dt.date.fromisoformat(row["visit_end"] or row["visit_start"])
            except ValueError:
                report.rejected.append(Rejected(line, label, _("The dates are YYYY-MM-DD.")))
                continue
            if end < start:
                problems.append(_("The visit cannot end before it starts."))
            mandate = mandates.get(" ".join(row["mandate_en"].split()).casefold())
            expected_kind = VISIT_MANDATE_KINDS.get(row["mandate_kind"])
            if expected_kind is None:
                problems.append(_("Unknown kind of mandate “%(kind)s”.") % {"kind": row["mandate_kind"]})
            if mandate is None:
                problems.append(
                    _(
                        "No mandate is named “%(name)s” (in English or as one of its other names): add it to "
                        "relations_counterparts.csv."
                    )
                    % {"name": row["mandate_en"]}
                )
            elif expected_kind is not None and mandate.mandate_kind != expected_kind:
                problems.append(
                    _("The file calls it %(file)s, the counterpart “%(code)s” %(stored)s.")
                    % {"file": row["mandate_kind"], "code": mandate.code, "stored": mandate.mandate_kind}
                )
            if row["confidence"] not in Confidence.values:
                problems.append(_("Unknown confidence “%(value)s”.") % {"value": row["confidence"]})
            key = visit_import_key(row["mandate_en"], row["visit_start"])
            if key in seen:
                problems.append(_("The same key appears earlier in the file."))
            if problems:
                report.rejected.append(Rejected(line, label, " ".join(problems)))
                continue
            seen.add(key)
            values: dict[str, Any] = {
                "kind": EventKind.INCOMING_VISIT,
                "status": EventStatus.HELD,
                "title": visit_title(row["mandate_en"], row["note"]),
                "start_date": start,
                "end_date": end,
                "place": "",
                "country_id": "KZ",
                "principal_id": mandate.pk if mandate else None,
                "holder_name": row["holder_name"][:200],
                "report_symbol": row["report_symbol"][:60],
                "source_url": row["source_url"],
                "confidence": row["confidence"],
                "note": row["note"],
                "sensitivity": Sensitivity.PUBLIC,
            }
            found = existing.get(key)
            if found is None:
                event = Event(import_key=key, office=office, created_by=None, **values)
                if _save_row(report, line, label, partial(_visit_create, event, by=by, reason=reason)):
                    report.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(found, name) != value]
            if not changed:
                report.unchanged += 1
                continue
            if _save_row(
                report, line, label, partial(_visit_update, found, values, changed, by=by, reason=reason)
            ):
                report.updated += 1
            else:
                found.refresh_from_db()

    return _run(VISITS, path, body)


def _visit_create(event: Event, *, by: Actor, reason: str) -> None:
    event.full_clean(exclude=["submission_key"])
    event.save(force_insert=True)
    EVENTS.record_history(record=event, by=by, step="create", reason=reason)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=event,
        changes={
            name: {"before": None, "after": value} for name, value in snapshot(event, EVENT_FIELDS).items()
        },
        reason=reason,
    )


def _visit_update(
    event: Event, values: dict[str, Any], changed: list[str], *, by: Actor, reason: str
) -> None:
    before = snapshot(event, EVENT_FIELDS)
    for name in changed:
        setattr(event, name, values[name])
    event.full_clean(exclude=["submission_key"])
    event.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=event,
        changes=diff(before, snapshot(event, EVENT_FIELDS)),
        reason=reason,
    )


# --- everything --------------------------------------------------------------------------------------------------


def relations_load(
    *, source: Path | None = None, by: Actor = SETUP, datasets: tuple[str, ...] = DATASETS
) -> list[LoadReport]:
    """The chosen data sets in order (counterparts before the statements and visits that name them), each from
    `source` when the folder has its file, otherwise from data/reference."""
    loaders: dict[str, Callable[[], LoadReport]] = {
        COUNTERPARTS: lambda: counterparts_load(source=source),
        TOPICS: lambda: topics_load(source=source),
        STATEMENTS: lambda: statements_load(source=source),
        VISITS: lambda: visits_load(source=source, by=by),
    }
    return [loaders[name]() for name in DATASETS if name in datasets]
