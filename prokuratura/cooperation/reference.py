"""Loading the treaty register from data/reference (files compiled from public sources, see its README).

- `kz_bilateral_criminal_treaties.csv` + `kz_bilateral_treaties_addendum.csv` (two more, same columns): one row per
  treaty and cooperation type. Rows of one instrument (same partner, date of signature and ratification law — the
  KG 1997 and TR 1995 agreements) become one Instrument with two subjects, so 79 + 2 rows give 79 instruments.
- `multilateral_conventions.csv` + `cooperation_instruments.csv` (the service's own file: each convention's
  resolver family, offence scope as crime categories, the facts its scope needs (UNTOC art. 3), whom its `*` party
  row stands for, and which convention replaces which, each with its basis) + `convention_parties.csv` (who is
  party; a `*` row means "every UN member not listed otherwise" for a UN convention, "the Council of Europe's
  member states" for CETS 141 — convention_parties.README.md).
- `coe_member_states.csv`: the Council of Europe's member states with the dates of membership (OrganisationMembership).
- `cooperation_titles.csv` (the service's own file): the official Russian and Kazakh titles, with their sources.
- `kz_treaty_aggregates.csv`: official headline counts, stored as statements.

Idempotent and versioned: each data set's version is the SHA-256 of its files; a run records a ReferenceImport
and a second run with the same files reports nothing created or updated. Facts an administrator corrected
(Instrument.corrections) are kept, and the report says so. Dates are never invented: an empty cell stays empty.
Every data set loads in one transaction; a bad row is rejected with its reason and leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from prokuratura.core.models import Country, CrimeCategory
from prokuratura.core.reference import (
    DEFAULT_SOURCE,
    LoadReport,
    ReferenceDataError,
    Rejected,
    _read_csv,
    _reason,
    _run,
)

from .models import (
    KAZAKHSTAN,
    Confidence,
    Instrument,
    InstrumentParty,
    InstrumentSubject,
    OfficialStatement,
    OpenToGroup,
    Organisation,
    OrganisationMembership,
    Precision,
    ReferenceImport,
    ScopeCondition,
    Subject,
)

BILATERAL, MULTILATERAL, STATEMENTS = "bilateral_treaties", "multilateral_conventions", "treaty_statements"
MEMBERSHIPS, TITLES = "organisation_members", "instrument_titles"
DATASETS = (BILATERAL, MULTILATERAL, STATEMENTS, MEMBERSHIPS, TITLES)
FILES = {
    BILATERAL: ("kz_bilateral_criminal_treaties.csv", "kz_bilateral_treaties_addendum.csv"),
    MULTILATERAL: ("multilateral_conventions.csv", "cooperation_instruments.csv", "convention_parties.csv"),
    STATEMENTS: ("kz_treaty_aggregates.csv",),
    MEMBERSHIPS: ("coe_member_states.csv",),
    TITLES: ("cooperation_titles.csv",),
}
WILDCARD_GROUPS = {g.value for g in OpenToGroup if g.value}

BILATERAL_TYPES = {
    "mla_criminal": Subject.MLA,
    "legal_assistance_civil_criminal": Subject.LEGAL_ASSISTANCE,
    "extradition": Subject.EXTRADITION,
    "transfer_sentenced": Subject.TRANSFER_SENTENCED,
    "transfer_proceedings": Subject.TRANSFER_PROCEEDINGS,
}
COVERS = {
    "mla": Subject.MLA,
    "extradition": Subject.EXTRADITION,
    "transfer_sentenced": Subject.TRANSFER_SENTENCED,
    "transfer_proceedings": Subject.TRANSFER_PROCEEDINGS,
    "confiscation": Subject.CONFISCATION,
    "asset_recovery": Subject.CONFISCATION,
}
BILATERAL_STATUS = {
    "in_force": Instrument.Status.IN_FORCE,
    "ratified": Instrument.Status.RATIFIED,
    "signed": Instrument.Status.SIGNED,
    "unknown": Instrument.Status.UNKNOWN,
}
PARTY_STATUS = {s.value: s.value for s in InstrumentParty.Status}

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_LAW_DATE = re.compile(r"\bof (\d{4}-\d{2}-\d{2})")
_KZ_IN_FORCE = re.compile(r"in force (?:for KZ )?(\d{4}-\d{2}-\d{2})")
_LEADING_NUMBER = re.compile(r"^(\d+)(?:\s|$)")


def parse_partial_date(text: str) -> tuple[dt.date | None, str]:
    """'2011-02' → (2011-02-01, month); '1997' → (1997-01-01, year); '' → (None, day). Raises ValueError."""
    text = (text or "").strip()
    if not text:
        return None, Precision.DAY
    match = _PARTIAL.match(text)
    if not match:
        raise ValueError(_("%(value)s is not a date (YYYY-MM-DD, YYYY-MM or YYYY).") % {"value": text})
    year, month, day = match.groups()
    if day:
        return dt.date(int(year), int(month), int(day)), Precision.DAY
    if month:
        return dt.date(int(year), int(month), 1), Precision.MONTH
    return dt.date(int(year), 1, 1), Precision.YEAR


def _digest(paths: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.name.encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def _paths(source: Path | None, dataset: str) -> list[Path]:
    paths = []
    for name in FILES[dataset]:
        if source is not None and (source / name).is_file():
            paths.append(source / name)
        else:
            paths.append(DEFAULT_SOURCE / name)
    return paths


class _InstrumentWriter:
    """Create or update instruments by import key, keeping administrators' corrections."""

    def __init__(self, report: LoadReport, kind: str) -> None:
        self.report = report
        self.kind = kind
        self.existing = {i.import_key: i for i in Instrument.objects.filter(kind=kind).exclude(import_key="")}
        self.codes = set(Instrument.objects.values_list("code", flat=True))
        self.kept: list[str] = []

    def new_code(self, wanted: str) -> str:
        code, n = slugify(wanted)[:76] or "instrument", 2
        base = code
        while code in self.codes:
            code, n = f"{base}-{n}", n + 1
        self.codes.add(code)
        return code

    def save(
        self,
        *,
        line: int,
        key: str,
        code: str,
        values: dict[str, Any],
        subjects: set[str],
        parties: list[dict[str, Any]],
        categories: list[CrimeCategory] | None = None,
    ) -> Instrument | None:
        obj = self.existing.get(key)
        created = obj is None
        if obj is None:
            obj = Instrument(kind=self.kind, import_key=key, code=self.new_code(code))
        changed = []
        for name, value in values.items():
            if name in obj.corrections:
                if getattr(obj, name) != value:
                    self.kept.append(f"{obj.code}.{name}")
                continue
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed.append(name)
        try:
            with transaction.atomic():
                obj.full_clean(exclude=["code"] if not created else None)
                if created or changed:
                    obj.save()
                rel_changed = self._relations(obj, subjects, parties, categories)
        except ValidationError as error:
            self.report.rejected.append(Rejected(line, key, _reason(error)))
            if not created:
                obj.refresh_from_db()
            return None
        if created:
            self.existing[key] = obj
            self.report.created += 1
        elif changed or rel_changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return obj

    def _relations(
        self,
        obj: Instrument,
        subjects: set[str],
        parties: list[dict[str, Any]],
        categories: list[CrimeCategory] | None,
    ) -> bool:
        changed = False
        if "subjects" not in obj.corrections:
            have = set(obj.subjects.values_list("subject", flat=True))
            for code in subjects - have:
                InstrumentSubject.objects.create(instrument=obj, subject=code)
                changed = True
            gone = have - subjects
            if gone:
                obj.subjects.filter(subject__in=gone).delete()
                changed = True
        if categories is not None and "offence_categories" not in obj.corrections:
            have_ids = set(obj.offence_categories.values_list("pk", flat=True))
            want_ids = {c.pk for c in categories}
            if have_ids != want_ids:
                obj.offence_categories.set(categories)
                changed = True
        if "parties" not in obj.corrections:
            current = {p.country_id: p for p in obj.parties.all()}
            for values in parties:
                iso2 = values["country_id"]
                party = current.pop(iso2, None)
                if party is None:
                    party = InstrumentParty(instrument=obj, **values)
                    party.full_clean(exclude=["instrument"])
                    party.save()
                    changed = True
                    continue
                diffs = [name for name, value in values.items() if getattr(party, name) != value]
                if diffs:
                    for name in diffs:
                        setattr(party, name, values[name])
                    party.full_clean(exclude=["instrument"])
                    party.save()
                    changed = True
            for party in current.values():
                party.delete()
                changed = True
        return changed


def _country_ids() -> set[str]:
    ids = set(Country.objects.values_list("iso2", flat=True))
    if not ids:
        raise ReferenceDataError(_("No countries are loaded: run `manage.py load_reference` first."))
    return ids


def _record(report: LoadReport, dataset: str, version: str) -> None:
    ReferenceImport.objects.create(
        dataset=dataset,
        version=version,
        source=report.source,
        started_at=timezone.now(),
        counts=report.counts(),
        rejected=[f"{r.line}:{r.key}: {r.reason}" for r in report.rejected],
    )


def bilateral_load(*, source: Path | None = None) -> LoadReport:
    paths = _paths(source, BILATERAL)
    path = paths[0]
    version = _digest(paths)

    def body(report: LoadReport) -> None:
        countries = _country_ids()
        rows: list[tuple[int, dict[str, str]]] = []
        for one in paths:
            # The addendum's line numbers follow file 1's, so a rejected row's line is unambiguous in the report.
            offset = rows[-1][0] if rows else 0
            found = _read_csv(
                one, ["country_iso2", "treaty_type", "title_en", "signed_date", "status", "source_url"]
            )
            rows.extend((line + offset, row) for line, row in found)
        groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for line, row in rows:
            law = row.get("ratification_law", "")
            if row["signed_date"] and law:
                key = f"{row['country_iso2']}|{row['signed_date']}|{law}"
            else:
                key = f"{row['country_iso2']}|{row['signed_date']}|{row['treaty_type']}"
            groups.setdefault(key, []).append((line, row))
        writer = _InstrumentWriter(report, Instrument.Kind.BILATERAL)
        for key, members in groups.items():
            line, row = members[0]
            iso2 = row["country_iso2"].upper()
            problems = []
            if iso2 not in countries:
                problems.append(_("Unknown country code: %(code)s.") % {"code": iso2 or "—"})
            subjects = set()
            for _line, member in members:
                subject = BILATERAL_TYPES.get(member["treaty_type"])
                if subject is None:
                    problems.append(_("Unknown treaty type: %(type)s.") % {"type": member["treaty_type"]})
                else:
                    subjects.add(str(subject))
            status = BILATERAL_STATUS.get(row["status"])
            if status is None:
                problems.append(_("Unknown status: %(status)s.") % {"status": row["status"]})
            try:
                signed, signed_precision = parse_partial_date(row["signed_date"])
                in_force, _precision = parse_partial_date(row.get("in_force_date", ""))
                law_date = _LAW_DATE.search(row.get("ratification_law", ""))
                ratified = dt.date.fromisoformat(law_date.group(1)) if law_date else None
            except ValueError as error:
                problems.append(str(error))
            if problems:
                report.rejected.append(Rejected(line, key, " ".join(problems)))
                continue
            values = {
                "title_en": row["title_en"],
                "partner_id": iso2,
                "signed_date": signed,
                "signed_precision": signed_precision,
                "signed_place": row.get("signed_place", ""),
                "ratification_act": row.get("ratification_law", ""),
                "ratified_date": ratified,
                "in_force_date": in_force,
                "status": status,
                "all_offences": True,
                "source_url": " | ".join(
                    dict.fromkeys(m["source_url"] for _l, m in members if m["source_url"])
                ),
                "confidence": row.get("confidence") or Confidence.SOURCED,
                "note": "\n".join(m["note"] for _l, m in members if m.get("note")),
            }
            parties = [
                {
                    "country_id": KAZAKHSTAN,
                    "status": InstrumentParty.Status.PARTY,
                    "source_url": values["source_url"],
                },
                {
                    "country_id": iso2,
                    "status": InstrumentParty.Status.PARTY,
                    "source_url": values["source_url"],
                },
            ]
            code = f"kz-{iso2}-{row['signed_date'] or 'undated'}-{'-'.join(sorted(subjects))}"
            writer.save(line=line, key=key, code=code, values=values, subjects=subjects, parties=parties)
        if writer.kept:
            report.notes.append(
                _("Kept the administrator's corrections: %(fields)s.") % {"fields": ", ".join(writer.kept)}
            )
        if report.changed:
            _record(report, BILATERAL, version)

    return _run(BILATERAL, path, body)


def multilateral_load(*, source: Path | None = None) -> LoadReport:
    conventions_path, extra_path, parties_path = _paths(source, MULTILATERAL)
    version = _digest([conventions_path, extra_path, parties_path])

    def body(report: LoadReport) -> None:
        countries = _country_ids()
        categories = {c.code: c for c in CrimeCategory.objects.all()}
        extra = {
            row["short_name"]: (line, row)
            for line, row in _read_csv(
                extra_path,
                ["short_name", "parties_name", "code", "family", "all_offences", "offence_categories"],
            )
        }
        party_rows: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for line, row in _read_csv(
            parties_path, ["convention", "country_iso2", "status", "date", "confidence"]
        ):
            party_rows.setdefault(row["convention"], []).append((line, row))
        rows = _read_csv(
            conventions_path,
            [
                "short_name",
                "title_en",
                "adopted_date",
                "in_force_date",
                "kazakhstan_status",
                "kazakhstan_date",
            ],
        )
        writer = _InstrumentWriter(report, Instrument.Kind.MULTILATERAL)
        pending_supersedes: list[tuple[int, dict[str, Any]]] = []
        for line, row in rows:
            name = row["short_name"]
            problems = []
            meta_line, meta = extra.get(name, (0, {}))
            if not meta:
                problems.append(
                    _("%(name)s is not described in cooperation_instruments.csv.") % {"name": name}
                )
            chosen = []
            for code in filter(None, (c.strip() for c in meta.get("offence_categories", "").split(";"))):
                if code not in categories:
                    problems.append(_("Unknown crime category: %(code)s.") % {"code": code})
                else:
                    chosen.append(categories[code])
            scope_conditions = []
            for code in filter(None, (c.strip() for c in meta.get("scope_conditions", "").split(";"))):
                if code not in ScopeCondition.values:
                    problems.append(_("Unknown condition of scope: %(code)s.") % {"code": code})
                else:
                    scope_conditions.append(code)
            try:
                adopted, adopted_precision = parse_partial_date(row["adopted_date"])
                in_force, _precision = parse_partial_date(row["in_force_date"])
                kz_date, kz_precision = parse_partial_date(row["kazakhstan_date"])
            except ValueError as error:
                problems.append(str(error))
            if problems:
                report.rejected.append(Rejected(line, name, " ".join(problems)))
                continue
            subjects = set()
            for token in row.get("covers", "").split(";"):
                word = token.strip().split(" ")[0]
                if word in COVERS:
                    subjects.add(str(COVERS[word]))
            act = row.get("kazakhstan_act", "")
            kz_in_force_match = _KZ_IN_FORCE.search(act)
            kz_in_force = dt.date.fromisoformat(kz_in_force_match.group(1)) if kz_in_force_match else None
            kz_status = row["kazakhstan_status"]
            if kz_status == "party":
                status = Instrument.Status.IN_FORCE if kz_in_force else Instrument.Status.RATIFIED
            elif kz_status == "not_party":
                status = Instrument.Status.NOT_PARTY
            else:
                status = Instrument.Status.UNKNOWN
            values = {
                "short_name": name,
                "family": meta["family"],
                "title_en": row["title_en"],
                "signed_date": adopted,
                "signed_precision": adopted_precision,
                "in_force_date": in_force,
                "ratification_act": act,
                "ratified_date": kz_date if kz_status == "party" else None,
                "ratified_precision": kz_precision,
                "status": status,
                "all_offences": meta["all_offences"] == "yes",
                "offence_scope": row.get("offence_scope", ""),
                "depositary": row.get("depositary", ""),
                "source_url": row.get("source_url", ""),
                "confidence": row.get("confidence") or Confidence.SOURCED,
                "note": "\n".join(filter(None, [row.get("note", ""), meta.get("basis", "")])),
                "open_to_all_states": False,
                "open_to_all_confidence": Confidence.UNVERIFIED,
                "open_to_group": OpenToGroup.NONE,
                "scope_conditions": scope_conditions,
                "scope_source": meta.get("scope_basis", "") if scope_conditions else "",
            }
            parties: dict[str, dict[str, Any]] = {}
            for p_line, p_row in party_rows.get(meta["parties_name"], []) if meta["parties_name"] else []:
                iso2 = p_row["country_iso2"].upper()
                if iso2 == "*":
                    # Whom "*" stands for is the convention's own (convention_parties.README.md): its
                    # cooperation_instruments.csv row says it, and a "*" nobody explained is refused.
                    group = meta.get("wildcard", "")
                    if group not in WILDCARD_GROUPS:
                        report.rejected.append(
                            Rejected(
                                p_line,
                                f"{meta['parties_name']}:*",
                                _(
                                    "cooperation_instruments.csv does not say which states the “*” row of "
                                    "%(name)s stands for (column wildcard: un or coe)."
                                )
                                % {"name": meta["parties_name"]},
                            )
                        )
                        continue
                    values["open_to_all_states"] = p_row["status"] == "party"
                    values["open_to_all_confidence"] = p_row["confidence"] or Confidence.UNVERIFIED
                    values["open_to_group"] = group if values["open_to_all_states"] else OpenToGroup.NONE
                    continue
                reason = ""
                if iso2 not in countries:
                    reason = _("Unknown country code: %(code)s.") % {"code": iso2 or "—"}
                elif p_row["status"] not in PARTY_STATUS:
                    reason = _("Unknown status: %(status)s.") % {"status": p_row["status"]}
                try:
                    p_date, p_precision = parse_partial_date(p_row["date"])
                except ValueError as error:
                    reason = str(error)
                if reason:
                    report.rejected.append(Rejected(p_line, f"{meta['parties_name']}:{iso2}", reason))
                    continue
                if iso2 in parties:
                    report.rejected.append(
                        Rejected(
                            p_line,
                            f"{meta['parties_name']}:{iso2}",
                            _("The same key appears earlier in the file."),
                        )
                    )
                    continue
                parties[iso2] = {
                    "country_id": iso2,
                    "status": p_row["status"],
                    "date": p_date,
                    "date_precision": p_precision,
                    "in_force_date": None,
                    "source_url": p_row.get("source_url", ""),
                    "confidence": p_row["confidence"] or Confidence.UNVERIFIED,
                    "note": p_row.get("note", ""),
                }
            kz = parties.get(KAZAKHSTAN)
            if kz_status == "party":
                if kz is None:
                    kz = parties[KAZAKHSTAN] = {
                        "country_id": KAZAKHSTAN,
                        "status": InstrumentParty.Status.PARTY,
                        "date": kz_date,
                        "date_precision": kz_precision,
                        "in_force_date": None,
                        "source_url": row.get("source_url", ""),
                        "confidence": row.get("confidence") or Confidence.SOURCED,
                        "note": act,
                    }
                elif kz["date"] is None:
                    kz["date"], kz["date_precision"] = kz_date, kz_precision
                kz["in_force_date"] = kz_in_force
            instrument = writer.save(
                line=line,
                key=name,
                code=meta["code"],
                values=values,
                subjects=subjects,
                parties=list(parties.values()),
                categories=chosen,
            )
            if instrument is not None and meta.get("supersedes"):
                pending_supersedes.append((line, {"obj": instrument, "code": meta["supersedes"]}))
        for line, item in pending_supersedes:
            obj = item["obj"]
            target = Instrument.objects.filter(code=item["code"]).first()
            if target is None:
                report.rejected.append(
                    Rejected(line, obj.code, _("Unknown instrument code: %(code)s.") % {"code": item["code"]})
                )
            elif obj.supersedes_id != target.pk and "supersedes" not in obj.corrections:
                obj.supersedes = target
                obj.save(update_fields=["supersedes"])
        if writer.kept:
            report.notes.append(
                _("Kept the administrator's corrections: %(fields)s.") % {"fields": ", ".join(writer.kept)}
            )
        if report.changed:
            _record(report, MULTILATERAL, version)

    return _run(MULTILATERAL, conventions_path, body)


def statements_load(*, source: Path | None = None) -> LoadReport:
    (path,) = _paths(source, STATEMENTS)
    version = _digest([path])

    def body(report: LoadReport) -> None:
        rows = _read_csv(path, ["date", "figure", "statement", "source_url"])
        existing = {s.import_key: s for s in OfficialStatement.objects.all()}
        for line, row in rows:
            key = hashlib.sha256(f"{row['date']}|{row['figure']}".encode()).hexdigest()
            try:
                date, precision = parse_partial_date(row["date"])
            except ValueError as error:
                report.rejected.append(Rejected(line, row["date"], str(error)))
                continue
            number = _LEADING_NUMBER.match(row["figure"])
            values = {
                "date": date,
                "date_precision": precision,
                "date_text": row["date"][:100],
                "figure": row["figure"][:200],
                "figure_value": int(number.group(1)) if number else None,
                "statement": row["statement"],
                "source_url": row["source_url"],
                "note": row.get("note", ""),
            }
            obj = existing.get(key)
            if obj is None:
                obj = OfficialStatement(import_key=key, **values)
                try:
                    obj.full_clean()
                except ValidationError as error:
                    report.rejected.append(Rejected(line, row["date"], _reason(error)))
                    continue
                obj.save()
                existing[key] = obj
                report.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                obj.save(update_fields=changed)
                report.updated += 1
            else:
                report.unchanged += 1
        if report.changed:
            _record(report, STATEMENTS, version)

    return _run(STATEMENTS, path, body)


def memberships_load(*, source: Path | None = None) -> LoadReport:
    """The Council of Europe's member states (`coe_member_states.csv`), keyed by organisation, state and the date
    it joined; the file is the authority, so a membership no longer in it is removed."""
    (path,) = _paths(source, MEMBERSHIPS)
    version = _digest([path])
    organisation = Organisation.COE

    def body(report: LoadReport) -> None:
        countries = _country_ids()
        rows = _read_csv(path, ["country_iso2", "member_from", "member_until", "source_url", "confidence"])
        existing = {
            (m.country_id, m.member_from): m
            for m in OrganisationMembership.objects.filter(organisation=organisation)
        }
        seen: set[tuple[str, dt.date]] = set()
        for line, row in rows:
            iso2 = row["country_iso2"].upper()
            key = f"{organisation}:{iso2}:{row['member_from']}"
            if iso2 not in countries:
                report.rejected.append(
                    Rejected(line, key, _("Unknown country code: %(code)s.") % {"code": iso2 or "—"})
                )
                continue
            try:
                member_from = dt.date.fromisoformat(row["member_from"])
                member_until = dt.date.fromisoformat(row["member_until"]) if row["member_until"] else None
            except ValueError:
                report.rejected.append(
                    Rejected(line, key, _("Enter the dates as YYYY-MM-DD (member_from, member_until)."))
                )
                continue
            if (iso2, member_from) in seen:
                report.rejected.append(Rejected(line, key, _("The same key appears earlier in the file.")))
                continue
            seen.add((iso2, member_from))
            values = {
                "member_until": member_until,
                "source_url": row["source_url"],
                "confidence": row["confidence"] or Confidence.SOURCED,
                "note": row.get("note", ""),
            }
            obj = existing.get((iso2, member_from))
            if obj is None:
                obj = OrganisationMembership(
                    organisation=organisation, country_id=iso2, member_from=member_from, **values
                )
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if obj.pk is not None and not changed:
                report.unchanged += 1
                continue
            for name in changed:
                setattr(obj, name, values[name])
            try:
                obj.full_clean()
            except ValidationError as error:
                report.rejected.append(Rejected(line, key, _reason(error)))
                continue
            if obj.pk is None:
                obj.save()
                report.created += 1
            else:
                obj.save(update_fields=changed)
                report.updated += 1
        gone = [m.pk for key, m in existing.items() if key not in seen]
        if gone:
            OrganisationMembership.objects.filter(pk__in=gone).delete()
            report.updated += len(gone)
            report.notes.append(
                _("Removed %(count)s membership(s) no longer in the file.") % {"count": len(gone)}
            )
        if report.changed:
            _record(report, MEMBERSHIPS, version)

    return _run(MEMBERSHIPS, path, body)


TITLE_FIELDS = ("title_ru", "title_kk", "title_source")


def titles_load(*, source: Path | None = None) -> LoadReport:
    """The official Russian and Kazakh titles (`cooperation_titles.csv`, the service's own file), by instrument
    code; an empty cell leaves the stored title alone, and a title an administrator corrected is kept."""
    (path,) = _paths(source, TITLES)
    version = _digest([path])

    def body(report: LoadReport) -> None:
        rows = _read_csv(path, ["code", "title_ru", "title_kk", "source_url"])
        instruments = {i.code: i for i in Instrument.objects.all()}
        kept = []
        for line, row in rows:
            instrument = instruments.get(row["code"])
            if instrument is None:
                report.rejected.append(
                    Rejected(
                        line, row["code"], _("Unknown instrument code: %(code)s.") % {"code": row["code"]}
                    )
                )
                continue
            values = {
                "title_ru": row["title_ru"],
                "title_kk": row["title_kk"],
                "title_source": row["source_url"],
            }
            changed = []
            for name, value in values.items():
                if not value:
                    continue
                if name in instrument.corrections:
                    if getattr(instrument, name) != value:
                        kept.append(f"{instrument.code}.{name}")
                    continue
                if getattr(instrument, name) != value:
                    setattr(instrument, name, value)
                    changed.append(name)
            if changed:
                instrument.save(update_fields=[*changed, "updated_at"])
                report.updated += 1
            else:
                report.unchanged += 1
        if kept:
            report.notes.append(
                _("Kept the administrator's corrections: %(fields)s.") % {"fields": ", ".join(kept)}
            )
        if report.changed:
            _record(report, TITLES, version)

    return _run(TITLES, path, body)


def cooperation_load(*, source: Path | None = None, datasets: tuple[str, ...] = DATASETS) -> list[LoadReport]:
    """Load the chosen data sets (each atomically; multilateral after bilateral, the titles after both) and report
    on each."""
    loaders = {
        BILATERAL: bilateral_load,
        MULTILATERAL: multilateral_load,
        STATEMENTS: statements_load,
        MEMBERSHIPS: memberships_load,
        TITLES: titles_load,
    }
    return [loaders[name](source=source) for name in DATASETS if name in datasets]
