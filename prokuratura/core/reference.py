"""Loading reference data: countries, Kazakhstan's regions, crime categories and calendar exceptions.

Each data set loads in its own transaction, row by row through the model layer (`full_clean()`), and is
idempotent: a second run with the same data reports "0 created, 0 updated". A row that fails validation is
rejected with its reason and leaves nothing behind; an error that is not about one row (a missing file or
column, a database failure) rolls the whole data set back. One audit entry summarises each data set's run
that changed something (one per run, not one per row).

Sources (data/reference/README.md names the sources of the shared files):
- countries: pycountry (ISO 3166-1) with its "iso3166-1" gettext catalogues for Russian and Kazakh names;
  the region of the world from `world_regions.csv` (UN M49 regions, written for this service);
- regions: `kz_regions.csv` (KATO codes, kk/ru/en names, administrative centre in en and, in the columns this
  service added, kk/ru);
- crime categories: `crime_categories.csv` (UNODC ICCS 1.0 level-1 sections + the service's focus areas);
- calendar: `kz_nonworking_days.csv`, turned into the CalendarException rows the `holidays` package needs
  for core.calendar to agree with the file (see `calendar_exceptions_load`); the day's name and its legal basis
  in Kazakh and Russian from the columns this service added (`name_kk`, `name_ru`, `legal_basis_kk/_ru`).
A column this service added to a shared file (data/reference/SERVICE_FILES.md lists them) is optional: a copy
of the shared folder without it (`--source`) leaves the stored values of that column as they are.
`--source DIR` points at a newer copy of the shared data folder; a file missing there is read from
data/reference, where the files this service writes itself (world regions, crime categories) live.
"""

from __future__ import annotations

import csv
import datetime as dt
import gettext
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import calendar as working_calendar
from .actors import SETUP
from .audit import audit_record
from .models import AuditEntry, CalendarException, Country, CrimeCategory, Region

DEFAULT_SOURCE = Path(settings.BASE_DIR) / "data" / "reference"

COUNTRIES, REGIONS, CRIME_CATEGORIES, CALENDAR = "countries", "regions", "crime_categories", "calendar"
DATASETS = (COUNTRIES, REGIONS, CRIME_CATEGORIES, CALENDAR)

FILES = {
    COUNTRIES: "world_regions.csv",
    REGIONS: "kz_regions.csv",
    CRIME_CATEGORIES: "crime_categories.csv",
    CALENDAR: "kz_nonworking_days.csv",
}

# Continent-level UN M49 regions stored in Country.world_region.
WORLD_REGIONS = {
    "africa": gettext_lazy("Africa"),
    "americas": gettext_lazy("Americas"),
    "asia": gettext_lazy("Asia"),
    "europe": gettext_lazy("Europe"),
    "oceania": gettext_lazy("Oceania"),
    "antarctica": gettext_lazy("Antarctica"),
}


def world_region_label(code: str) -> str:
    label = WORLD_REGIONS.get(code)
    return str(label) if label is not None else code


class ReferenceDataError(Exception):
    """A data set cannot be loaded at all (missing file or column); nothing of it was saved."""


@dataclass(frozen=True)
class Rejected:
    line: int  # line number in the file (the header is line 1); 0 when not from a file
    key: str
    reason: str


@dataclass
class LoadReport:
    dataset: str
    source: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    skipped: list[Rejected] = field(default_factory=list)  # deliberately not loaded (e.g. unverified rows)
    notes: list[str] = field(default_factory=list)
    fallbacks: dict[str, int] = field(default_factory=dict)  # countries: names filled from another language
    error: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "skipped": len(self.skipped),
        }

    def summary(self) -> str:
        return _(
            "%(dataset)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(rejected)d rejected, %(skipped)d skipped"
        ) % {"dataset": self.dataset, **self.counts()}


# --- helpers -------------------------------------------------------------------------------------------------


def _resolve(source: Path | None, dataset: str) -> Path:
    name = FILES[dataset]
    if source is not None and (source / name).is_file():
        return source / name
    return DEFAULT_SOURCE / name


def _read_csv(path: Path, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs, values stripped. Raises ReferenceDataError for a missing file or column."""
    if not path.is_file():
        raise ReferenceDataError(_("The file %(path)s does not exist.") % {"path": path})
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(
                _("The file %(path)s lacks the column(s): %(columns)s.")
                % {"path": path, "columns": ", ".join(missing)}
            )
        rows = []
        for row in reader:
            if None in row:  # more cells than header columns
                row["__extra__"] = "yes"
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}))
        return rows


def _reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


class _Upserter:
    """Create or update one model's rows by a key, counting what happened; each row in its own savepoint."""

    def __init__(self, report: LoadReport, model: type[models.Model], key_field: str) -> None:
        self.report, self.model, self.key_field = report, model, key_field
        self.existing = {getattr(obj, key_field): obj for obj in model._default_manager.all()}
        self.seen: set[Any] = set()

    def reject(self, line: int, key: Any, reason: str) -> None:
        self.report.rejected.append(Rejected(line, str(key), reason))

    def save(self, line: int, key: Any, values: dict[str, Any]) -> None:
        if key in self.seen:
            self.reject(line, key, _("The same key appears earlier in the file."))
            return
        self.seen.add(key)
        obj = self.existing.get(key)
        if obj is None:
            obj = self.model(**{self.key_field: key}, **values)
            changed: list[str] | None = None
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if not changed:
                self.report.unchanged += 1
                return
            for name in changed:
                setattr(obj, name, values[name])
        try:
            obj.full_clean()
            with transaction.atomic():
                if changed is None:
                    obj.save(force_insert=True)
                else:
                    obj.save(update_fields=changed)
        except ValidationError as error:
            if changed is not None:
                obj.refresh_from_db()
            self.reject(line, key, _reason(error))
            return
        except DatabaseError as error:
            self.reject(line, key, str(error))
            return
        if changed is None:
            self.existing[key] = obj
            self.report.created += 1
        else:
            self.report.updated += 1


def source_path(source: Path | None, name: str) -> Path:
    """The file `name` in `source` when it is there (a newer copy), otherwise the repository's copy."""
    if source is not None and (source / name).is_file():
        return source / name
    return DEFAULT_SOURCE / name


def _run(
    dataset: str,
    path: Path,
    body: Callable[[LoadReport], None],
    *,
    object_type: str = "core.reference",
    command: str = "load_reference",
) -> LoadReport:
    """The data set in one transaction, with one audit entry (`object_type`, reason "<command> <dataset>") summing
    up a run that changed something."""
    report = LoadReport(dataset=dataset, source=str(path))
    try:
        with transaction.atomic():
            body(report)
            if report.changed:
                audit_record(
                    actor=SETUP,
                    action=AuditEntry.Action.UPDATE,
                    object_type=object_type,
                    object_id=dataset,
                    object_repr=f"reference data: {dataset}",
                    changes={
                        **report.counts(),
                        "source": report.source,
                        "rejected_rows": [f"{r.line}:{r.key}" for r in report.rejected],
                    },
                    reason=f"{command} {dataset}",
                )
    except ReferenceDataError as error:
        return LoadReport(dataset=dataset, source=str(path), error=str(error))
    return report


# --- countries -----------------------------------------------------------------------------------------------


def _country_catalogues() -> tuple[gettext.NullTranslations, gettext.NullTranslations]:
    """pycountry's Russian and Kazakh "iso3166-1" catalogues (an empty one where a catalogue is missing)."""
    import pycountry

    def load(language: str) -> gettext.NullTranslations:
        try:
            return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            return gettext.NullTranslations()

    return load("ru"), load("kk")


def _translated(catalogue: gettext.NullTranslations, msgid: str) -> str | None:
    # The catalogues translate Latin names into Cyrillic: getting the msgid back means "not translated".
    text = catalogue.gettext(msgid)
    return text if text and text != msgid else None


def countries_load(*, source: Path | None = None) -> LoadReport:
    """All ISO 3166-1 countries from pycountry, names in en/ru/kk, the continent from world_regions.csv."""
    import pycountry

    path = _resolve(source, COUNTRIES)

    def body(report: LoadReport) -> None:
        regions: dict[str, str] = {}
        for line, row in _read_csv(path, ["iso2", "world_region"]):
            if row["world_region"] not in WORLD_REGIONS:
                report.rejected.append(
                    Rejected(
                        line,
                        row["iso2"],
                        _("Unknown region of the world “%(region)s”.") % {"region": row["world_region"]},
                    )
                )
                continue
            regions[row["iso2"].upper()] = row["world_region"]
        ru, kk = _country_catalogues()
        kk_from_ru = kk_from_en = ru_from_en = 0
        upsert = _Upserter(report, Country, "iso2")
        for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
            name_en = country.name
            name_ru = _translated(ru, name_en)
            if name_ru is None:
                ru_from_en += 1
                name_ru = name_en
            name_kk = _translated(kk, name_en)
            if name_kk is None:
                if name_ru != name_en:
                    kk_from_ru += 1
                else:
                    kk_from_en += 1
                name_kk = name_ru
            upsert.save(
                0,
                country.alpha_2,
                {
                    "iso3": country.alpha_3,
                    "numeric": country.numeric,
                    "name_en": name_en,
                    "name_ru": name_ru,
                    "name_kk": name_kk,
                    "world_region": regions.get(country.alpha_2, ""),
                },
            )
        without_region = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in regions)
        report.notes.append(
            _(
                "Kazakh names missing from pycountry's catalogue: %(kk_ru)d filled with the Russian name, "
                "%(kk_en)d with the English name; Russian names missing: %(ru_en)d filled with the English name."
            )
            % {"kk_ru": kk_from_ru, "kk_en": kk_from_en, "ru_en": ru_from_en}
        )
        if without_region:
            report.notes.append(
                _("No region of the world for: %(codes)s.") % {"codes": ", ".join(without_region)}
            )
        report.fallbacks = {"kk_from_ru": kk_from_ru, "kk_from_en": kk_from_en, "ru_from_en": ru_from_en}

    return _run(COUNTRIES, path, body)


# --- regions -------------------------------------------------------------------------------------------------

_KATO = re.compile(r"[0-9]{9}")


def regions_load(*, source: Path | None = None, include_unverified: bool = False) -> LoadReport:
    path = _resolve(source, REGIONS)
    columns = ["kato_code", "unit_type", "name_en", "name_kk", "name_ru", "admin_center_en", "source_url"]

    def body(report: LoadReport) -> None:
        upsert = _Upserter(report, Region, "kato_code")
        for line, row in _read_csv(path, columns):
            key = row["kato_code"]
            if row.get("__extra__"):
                upsert.reject(line, key, _("The row has more cells than the header has columns."))
                continue
            if not _KATO.fullmatch(key):
                upsert.reject(line, key, _("A KATO code has 9 digits."))
                continue
            if row.get("confidence") == "unverified" and not include_unverified:
                report.skipped.append(Rejected(line, key, _("unverified (use --include-unverified)")))
                continue
            upsert.save(
                line,
                key,
                {
                    "unit_type": row["unit_type"],
                    "name_en": row["name_en"],
                    "name_kk": row["name_kk"],
                    "name_ru": row["name_ru"],
                    "admin_center": row["admin_center_en"],
                    **_optional(row, admin_center_kk="admin_center_kk", admin_center_ru="admin_center_ru"),
                    "source_url": row["source_url"],
                },
            )

    return _run(REGIONS, path, body)


# --- crime categories ----------------------------------------------------------------------------------------


def crime_categories_load(*, source: Path | None = None) -> LoadReport:
    path = _resolve(source, CRIME_CATEGORIES)
    columns = ["code", "kind", "ordering", "name_en", "name_ru", "name_kk", "source"]

    def body(report: LoadReport) -> None:
        upsert = _Upserter(report, CrimeCategory, "code")
        for line, row in _read_csv(path, columns):
            key = row["code"]
            if row.get("__extra__"):
                upsert.reject(line, key, _("The row has more cells than the header has columns."))
                continue
            try:
                ordering = int(row["ordering"])
            except ValueError:
                upsert.reject(line, key, _("The ordering must be a whole number."))
                continue
            upsert.save(
                line,
                key,
                {
                    "kind": row["kind"],
                    "ordering": ordering,
                    "name_en": row["name_en"],
                    "name_ru": row["name_ru"],
                    "name_kk": row["name_kk"],
                    "source": row["source"],
                },
            )

    return _run(CRIME_CATEGORIES, path, body)


# --- calendar ------------------------------------------------------------------------------------------------

_ROW_KINDS = {
    "holiday": CalendarException.Kind.DAY_OFF,
    "moved_day_off": CalendarException.Kind.DAY_OFF,
    "working_day_on_weekend": CalendarException.Kind.WORKING_DAY,
}
RECONCILE_REASON = "Working day according to the reference data (the holidays package marks it as a day off)"
# The same note in Kazakh and Russian: stored with the row, as the file's own notes are.
RECONCILE_REASON_KK = (
    "Анықтамалық деректер бойынша жұмыс күні (holidays пакетінде демалыс күні деп белгіленген)"
)
RECONCILE_REASON_RU = "Рабочий день по справочным данным (в пакете holidays отмечен как выходной)"


def _optional(row: dict[str, str], **fields: str) -> dict[str, str]:
    """{field: row[column]} for the optional columns the file has (see the module's docstring)."""
    return {field: row[column] for field, column in fields.items() if column in row}


def calendar_exceptions_load(*, source: Path | None = None, include_unverified: bool = False) -> LoadReport:
    """CalendarException rows that make core.calendar agree with kz_nonworking_days.csv.

    - `moved_day_off` → day_off and `working_day_on_weekend` → working_day, always (the Ministry's orders are
      recorded even where the `holidays` package knows them, so the table documents them with their source);
    - `holiday` → day_off only where the package alone would make the day a working day;
    - the other way round, a weekday the package makes a day off but the file does not list (as older
      packages did with 2026-08-31) → working_day. The file is taken as complete for each year from 1 January
      to its last row in that year, so a year it covers only partly is not overruled beyond that row.
    Rows marked `unverified` are loaded only with include_unverified; others are reported as skipped.
    """
    path = _resolve(source, CALENDAR)
    columns = ["date", "kind", "name", "legal_basis", "source_url", "confidence"]

    def body(report: LoadReport) -> None:
        upsert = _Upserter(report, CalendarException, "date")
        listed: dict[dt.date, str] = {}
        last_listed: dict[int, dt.date] = {}
        for line, row in _read_csv(path, columns):
            key = row["date"]
            if row.get("__extra__"):
                upsert.reject(line, key, _("The row has more cells than the header has columns."))
                continue
            try:
                day = dt.date.fromisoformat(key)
            except ValueError:
                upsert.reject(line, key, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": key})
                continue
            if row.get("year") and row["year"] != str(day.year):
                upsert.reject(line, key, _("The year column says %(year)s.") % {"year": row["year"]})
                continue
            kind = _ROW_KINDS.get(row["kind"])
            if kind is None:
                upsert.reject(line, key, _("Unknown kind “%(kind)s”.") % {"kind": row["kind"]})
                continue
            if row["confidence"] not in {"sourced", "unverified"}:
                upsert.reject(line, key, _("Unknown confidence “%(value)s”.") % {"value": row["confidence"]})
                continue
            if row["confidence"] == "unverified" and not include_unverified:
                report.skipped.append(Rejected(line, key, _("unverified (use --include-unverified)")))
                continue
            if day in listed:
                upsert.reject(line, key, _("The same key appears earlier in the file."))
                continue
            listed[day] = row["kind"]
            last_listed[day.year] = max(day, last_listed.get(day.year, day))
            if row["kind"] == "holiday" and not working_calendar.statutory_is_working_day(day):
                continue  # the package already makes it a day off
            upsert.save(
                line,
                day,
                {
                    "kind": kind,
                    "reason": row["name"][:300],
                    **{
                        field: value[:300]
                        for field, value in _optional(row, reason_kk="name_kk", reason_ru="name_ru").items()
                    },
                    "legal_basis": row["legal_basis"][:300],
                    **{
                        field: value[:300]
                        for field, value in _optional(
                            row, legal_basis_kk="legal_basis_kk", legal_basis_ru="legal_basis_ru"
                        ).items()
                    },
                    "source_url": row["source_url"],
                },
            )
        # Days the package makes off but the file (complete for the span it covers) does not.
        for year, last in sorted(last_listed.items()):
            day = dt.date(year, 1, 1)
            while day <= last:
                if (
                    day.weekday() < 5
                    and day not in listed
                    and not working_calendar.statutory_is_working_day(day)
                ):
                    upsert.save(
                        0,
                        day,
                        {
                            "kind": CalendarException.Kind.WORKING_DAY,
                            "reason": RECONCILE_REASON,
                            "reason_kk": RECONCILE_REASON_KK,
                            "reason_ru": RECONCILE_REASON_RU,
                            "legal_basis": "",
                            "source_url": "",
                        },
                    )
                day += dt.timedelta(days=1)

    return _run(CALENDAR, path, body)


# --- everything ----------------------------------------------------------------------------------------------


def reference_load(
    *, source: Path | None = None, include_unverified: bool = False, datasets: Iterable[str] = DATASETS
) -> list[LoadReport]:
    """Load the chosen data sets (each atomically) and return one report per data set."""
    chosen = set(datasets)
    loaders: dict[str, Callable[[], LoadReport]] = {
        COUNTRIES: lambda: countries_load(source=source),
        REGIONS: lambda: regions_load(source=source, include_unverified=include_unverified),
        CRIME_CATEGORIES: lambda: crime_categories_load(source=source),
        CALENDAR: lambda: calendar_exceptions_load(source=source, include_unverified=include_unverified),
    }
    return [loaders[name]() for name in DATASETS if name in chosen]
