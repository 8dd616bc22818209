"""Writes of the treaty register and the country profiles. Each validates, saves in one transaction and audits.

An administrator's correction of a treaty fact is recorded twice: in the audit trail (before/after, with the
source in the reason) and in `Instrument.corrections`, which the reference import reads so that a later run keeps
the administrator's value instead of overwriting it with the file's. The keys of `corrections` are the names the
import uses: model field names, and "subjects", "offence_categories", "parties" for the related rows.

A country profile is versioned: every save increments `version` and stores a snapshot of PROFILE_FIELDS in
CountryProfileVersion. The edit form posts the version it showed, and a save against an older version is refused
(optimistic concurrency), so one officer never silently overwrites another's change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.core.audit import audit_record, diff, snapshot
from prokuratura.core.models import AuditEntry, Country, CrimeCategory

from .models import (
    KAZAKHSTAN,
    PROFILE_FIELDS,
    Confidence,
    CountryProfile,
    CountryProfileVersion,
    Instrument,
    InstrumentParty,
    InstrumentSubject,
    Precision,
    Subject,
    partial_date_first_day,
)

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# The facts an administrator may correct. `code`, `kind` and `partner` identify the instrument and are fixed: a
# bilateral treaty with another state is another treaty.
INSTRUMENT_FACT_FIELDS = (
    "short_name",
    "title_en",
    "title_ru",
    "title_kk",
    "family",
    "signed_date",
    "signed_precision",
    "signed_place",
    "ratification_act",
    "ratified_date",
    "ratified_precision",
    "in_force_date",
    "terminated_date",
    "status",
    "all_offences",
    "offence_scope",
    "central_authorities",
    "channels",
    "languages",
    "reservations",
    "depositary",
    "supersedes",
    "open_to_all_states",
    "open_to_all_confidence",
    "source_url",
    "confidence",
    "note",
)
INSTRUMENT_CREATE_FIELDS = ("code", "kind", "partner", *INSTRUMENT_FACT_FIELDS)
# A date and its precision are one fact: correcting either keeps both from the import.
DATE_PRECISION = {"signed_date": "signed_precision", "ratified_date": "ratified_precision"}
PARTY_FIELDS = ("status", "date", "date_precision", "in_force_date", "source_url", "confidence", "note")


def _bilateral_message() -> str:
    return _("A bilateral treaty has exactly two parties: Kazakhstan and the partner state.")


def _unknown_country(code: str) -> str:
    return _("Unknown country code: %(code)s.") % {"code": code or "—"}


def _country(code: Any, *, field: str) -> Country:
    if isinstance(code, Country):
        return code
    iso2 = str(code or "").strip().upper()
    found = Country.objects.filter(iso2=iso2).first() if len(iso2) == 2 else None
    if found is None:
        raise ValidationError({field: _unknown_country(iso2)}, code="unknown_country")
    return found


def _normalise_partial_dates(instrument: Instrument) -> None:
    """A date known to the month or the year is stored as the first day of it (models.py)."""
    for date_field, precision_field in DATE_PRECISION.items():
        value: dt.date | None = getattr(instrument, date_field)
        if value is not None:
            setattr(
                instrument, date_field, partial_date_first_day(value, getattr(instrument, precision_field))
            )


def _category_codes(categories: Iterable[CrimeCategory]) -> list[str]:
    return sorted(c.code for c in categories)


def _fact_text(value: Any) -> str:
    """A fact as the text `corrections` keeps (and the import compares to nothing: it only checks the key)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Instrument):
        return value.code
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _instrument_facts(instrument: Instrument) -> dict[str, Any]:
    facts = snapshot(instrument, INSTRUMENT_FACT_FIELDS)
    if instrument.pk:
        facts["offence_categories"] = _category_codes(instrument.offence_categories.all())
    return facts


def _source_reason(source: str, reason: str) -> str:
    parts = [_("Source: %(source)s") % {"source": source.strip()}] if source.strip() else []
    if reason.strip():
        parts.append(reason.strip())
    return "\n".join(parts)


def _correction(*, by: User, value: str, previous: str, source: str, at: str) -> dict[str, str]:
    return {
        "value": value,
        "previous": previous,
        "source": source.strip(),
        "by": by.get_username(),
        "at": at,
    }


def _parties_text(instrument: Instrument) -> str:
    rows = instrument.parties.order_by("country_id").values_list("country_id", "status")
    return ", ".join(f"{iso2}:{status}" for iso2, status in rows)


def _check_bilateral_parties(instrument: Instrument, codes: Iterable[str]) -> None:
    codes = list(codes)
    if instrument.kind != Instrument.Kind.BILATERAL:
        return
    if len(codes) != 2 or set(codes) != {KAZAKHSTAN, instrument.partner_id}:
        raise ValidationError({"parties": _bilateral_message()}, code="bilateral_parties")


def _clean_subjects(subjects: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(str(s) for s in subjects))
    unknown = [code for code in codes if code not in Subject.values]
    if unknown:
        raise ValidationError(
            {"subjects": _("Unknown kind of cooperation: %(codes)s.") % {"codes": ", ".join(unknown)}},
            code="unknown_subject",
        )
    if not codes:
        raise ValidationError({"subjects": _("Choose at least one kind of cooperation.")}, code="no_subject")
    return codes


def _new_party(instrument: Instrument, values: dict[str, Any]) -> InstrumentParty:
    code = values.get("country") or values.get("country_iso2") or values.get("country_id")
    country = _country(code, field="parties")
    party = InstrumentParty(instrument=instrument, country=country)
    for name in PARTY_FIELDS:
        if name in values and values[name] is not None:
            setattr(party, name, values[name])
    if not party.source_url:
        party.source_url = instrument.source_url
    try:
        party.full_clean(exclude=["instrument"], validate_unique=False)
    except ValidationError as error:
        messages = [f"{country.iso2}: {m}" for m in error.messages]
        raise ValidationError({"parties": messages}, code="invalid_party") from None
    return party


# --- instruments ---------------------------------------------------------------------------------------------


def instrument_create(
    *,
    by: User,
    data: dict[str, Any],
    subjects: list[str],
    parties: list[dict[str, Any]],
    request: HttpRequest | None = None,
) -> Instrument:
    """Add an instrument the import does not know (it has no import key, so the import never touches it).

    `data` holds INSTRUMENT_CREATE_FIELDS (`partner` a Country or an ISO code, `offence_categories` optionally a
    list of CrimeCategory); `parties` are dicts with `country` (ISO code) and PARTY_FIELDS. A bilateral treaty's
    parties are exactly Kazakhstan and the partner."""
    errors: dict[str, list[str]] = {}
    values = {key: value for key, value in data.items() if key in INSTRUMENT_CREATE_FIELDS}
    partner = values.pop("partner", None)
    instrument = Instrument(**values)
    if partner not in (None, ""):
        try:
            instrument.partner = _country(partner, field="partner")
        except ValidationError as error:
            errors.update(error.message_dict)
    if not (instrument.source_url or "").strip():
        errors.setdefault("source_url", []).append(_("Name the source of these facts."))
    _normalise_partial_dates(instrument)
    try:
        instrument.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name not in errors:  # an unknown partner code is not also "a treaty needs a partner"
                errors[name] = messages
    try:
        subject_codes = _clean_subjects(subjects)
    except ValidationError as error:
        errors.update(error.message_dict)
    party_rows: list[InstrumentParty] = []
    try:
        party_rows = [_new_party(instrument, party_values) for party_values in parties]
        codes = [p.country_id for p in party_rows]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise ValidationError(
                {"parties": _("A state is listed twice: %(codes)s.") % {"codes": ", ".join(twice)}}
            )
        if "partner" not in errors:
            _check_bilateral_parties(instrument, codes)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    categories = list(data.get("offence_categories") or [])
    with transaction.atomic():
        instrument.save()
        InstrumentSubject.objects.bulk_create(
            [InstrumentSubject(instrument=instrument, subject=code) for code in subject_codes]
        )
        for party in party_rows:
            party.instrument = instrument
            party.save()
        if categories:
            instrument.offence_categories.set(categories)
        after = _instrument_facts(instrument)
        after.update(
            {
                "code": instrument.code,
                "kind": instrument.kind,
                "partner": instrument.partner_id,
                "subjects": sorted(subject_codes),
                "parties": _parties_text(instrument),
            }
        )
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=instrument,
            changes=diff({}, after),
            reason=_source_reason(instrument.source_url, ""),
            request=request,
        )
    return instrument


def instrument_update(
    *,
    by: User,
    instrument: Instrument,
    data: dict[str, Any],
    source: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Instrument:
    """An administrator corrects facts of an instrument, naming the source of the corrected values.

    `data` maps INSTRUMENT_FACT_FIELDS (and optionally `offence_categories`, a list of CrimeCategory) to the new
    values; other keys are ignored. Only the fields whose value changes are recorded, audited and kept from the
    import. Nothing changes: nothing is written."""
    with transaction.atomic():
        row = (
            Instrument.objects.select_for_update(of=("self",)).select_related("partner").get(pk=instrument.pk)
        )
        before = _instrument_facts(row)
        for name, value in data.items():
            if name in INSTRUMENT_FACT_FIELDS:
                setattr(row, name, value)
        if row.channels is None:
            row.channels = []
        _normalise_partial_dates(row)
        categories = data.get("offence_categories")
        after_codes = _category_codes(categories) if categories is not None else before["offence_categories"]
        after = snapshot(row, INSTRUMENT_FACT_FIELDS)
        after["offence_categories"] = after_codes
        if "subjects" in data:
            before["subjects"] = sorted(row.subjects.values_list("subject", flat=True))
            after["subjects"] = sorted(_clean_subjects(data["subjects"]))
        changes = diff(before, after)
        if not changes:
            return row
        if not (source or "").strip():
            raise ValidationError(
                {"source": _("Name the source of the corrected facts.")}, code="source_required"
            )
        changed = set(changes)
        for date_field, precision_field in DATE_PRECISION.items():
            if date_field in changed or precision_field in changed:
                changed |= {date_field, precision_field}
        at = timezone.now().isoformat()
        corrections = dict(row.corrections or {})
        for name in sorted(changed):
            if name in ("offence_categories", "subjects"):
                value, previous = ", ".join(after[name]), ", ".join(before[name])
            else:
                value = _fact_text(getattr(row, name))
                previous = _fact_text(_previous_value(name, before))
            corrections[name] = _correction(by=by, value=value, previous=previous, source=source, at=at)
        row.corrections = corrections
        row.full_clean()
        row.save()
        if categories is not None and "offence_categories" in changes:
            row.offence_categories.set(categories)
        if "subjects" in changes:
            _subjects_replace(row, have=before["subjects"], want=after["subjects"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=row,
            changes=changes,
            reason=_source_reason(source, reason),
            request=request,
        )
    return row


def _previous_value(name: str, before: dict[str, Any]) -> Any:
    value = before.get(name)
    if name == "supersedes":
        # snapshot() keeps foreign keys by id: name the replaced instrument by its code, as the UI does.
        return Instrument.objects.filter(pk=value).values_list("code", flat=True).first() if value else None
    return value


def _subjects_replace(row: Instrument, *, have: list[str], want: list[str]) -> None:
    row.subjects.exclude(subject__in=want).delete()
    InstrumentSubject.objects.bulk_create(
        [InstrumentSubject(instrument=row, subject=code) for code in want if code not in have]
    )


def instrument_set_subjects(
    *,
    by: User,
    instrument: Instrument,
    subjects: list[str],
    source: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Instrument:
    """Correct the kinds of cooperation an instrument covers (kept from the import like any other correction)."""
    codes = _clean_subjects(subjects)
    if not (source or "").strip():
        raise ValidationError(
            {"source": _("Name the source of the corrected facts.")}, code="source_required"
        )
    with transaction.atomic():
        row = Instrument.objects.select_for_update().get(pk=instrument.pk)
        have = sorted(row.subjects.values_list("subject", flat=True))
        want = sorted(codes)
        if have == want:
            return row
        _subjects_replace(row, have=have, want=want)
        row.corrections = {
            **(row.corrections or {}),
            "subjects": _correction(
                by=by,
                value=", ".join(want),
                previous=", ".join(have),
                source=source,
                at=timezone.now().isoformat(),
            ),
        }
        row.save(update_fields=["corrections", "updated_at"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=row,
            changes={"subjects": {"before": have, "after": want}},
            reason=_source_reason(source, reason),
            request=request,
        )
    return row


def _party_changes(iso2: str, before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"parties[{iso2}].{name}": change for name, change in diff(before, after).items()}


def _mark_parties_corrected(*, by: User, row: Instrument, previous: str, source: str) -> None:
    row.corrections = {
        **(row.corrections or {}),
        "parties": _correction(
            by=by,
            value=_parties_text(row),
            previous=previous,
            source=source,
            at=timezone.now().isoformat(),
        ),
    }
    row.save(update_fields=["corrections", "updated_at"])


def instrument_party_save(
    *,
    by: User,
    instrument: Instrument,
    country_iso2: str,
    status: str,
    date: dt.date | None = None,
    date_precision: str = Precision.DAY,
    in_force_date: dt.date | None = None,
    source: str,
    confidence: str = Confidence.SOURCED,
    note: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
) -> InstrumentParty:
    """Add a state's participation in an instrument or correct it. `source` is the party row's source."""
    country = _country(country_iso2, field="country")
    if not (source or "").strip():
        raise ValidationError({"source_url": _("Name the source of this fact.")}, code="source_required")
    with transaction.atomic():
        row = Instrument.objects.select_for_update().get(pk=instrument.pk)
        if row.kind == Instrument.Kind.BILATERAL and country.iso2 not in {KAZAKHSTAN, row.partner_id}:
            raise ValidationError({"country": _bilateral_message()}, code="bilateral_parties")
        previous = _parties_text(row)
        party = InstrumentParty.objects.filter(instrument=row, country=country).first()
        created = party is None
        if party is None:
            party = InstrumentParty(instrument=row, country=country)
        before = {} if created else snapshot(party, PARTY_FIELDS)
        party.status = status
        party.date = partial_date_first_day(date, date_precision) if date is not None else None
        party.date_precision = date_precision
        party.in_force_date = in_force_date
        party.source_url = source.strip()
        party.confidence = confidence
        party.note = note
        party.full_clean(exclude=["instrument", "country"], validate_unique=False)
        changes = _party_changes(country.iso2, before, snapshot(party, PARTY_FIELDS))
        if not changes:
            return party
        party.save()
        _mark_parties_corrected(by=by, row=row, previous=previous, source=source)
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=row,
            changes=changes,
            reason=_source_reason(source, reason),
            request=request,
        )
    return party


def instrument_party_remove(
    *,
    by: User,
    instrument: Instrument,
    country_iso2: str,
    source: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Remove a state from a multilateral instrument's parties (a bilateral treaty keeps its two)."""
    iso2 = str(country_iso2 or "").strip().upper()
    if not (source or "").strip():
        raise ValidationError({"source": _("Name the source of the correction.")}, code="source_required")
    with transaction.atomic():
        row = Instrument.objects.select_for_update().get(pk=instrument.pk)
        party = InstrumentParty.objects.filter(instrument=row, country_id=iso2).first()
        if party is None:
            raise ValidationError(
                {"country": _("%(code)s is not listed among the parties.") % {"code": iso2 or "—"}},
                code="not_listed",
            )
        if row.kind == Instrument.Kind.BILATERAL:
            raise ValidationError({"country": _bilateral_message()}, code="bilateral_parties")
        previous = _parties_text(row)
        before = snapshot(party, PARTY_FIELDS)
        party.delete()
        _mark_parties_corrected(by=by, row=row, previous=previous, source=source)
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=row,
            changes={f"parties[{iso2}]": {"before": before, "after": None}},
            reason=_source_reason(source, reason),
            request=request,
        )


# --- country profiles ----------------------------------------------------------------------------------------


def _stale_message(profile: CountryProfile) -> str:
    who = profile.updated_by.get_username() if profile.updated_by else "—"
    when = timezone.localtime(profile.updated_at).strftime("%d.%m.%Y %H:%M") if profile.updated_at else "—"
    return _(
        "Someone else saved this profile after you opened it (version %(version)d, by %(who)s at %(when)s). "
        "Your changes were not saved: open the profile again, look at the other change and make yours again."
    ) % {"version": profile.version, "who": who, "when": when}


def country_profile_update(
    *,
    by: User,
    country: Country,
    data: dict[str, Any],
    reason: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> CountryProfile:
    """Save a partner state's profile (created on its first save) as a new version.

    `expected_version` is the version the editor started from (0 for a profile not saved yet); when the profile has
    moved on since, the save is refused with a ValidationError (code "stale"). A save that changes nothing writes
    nothing and returns the profile as it is."""
    if country.iso2 == KAZAKHSTAN:
        raise ValidationError(_("Kazakhstan has no partner-state profile."), code="kazakhstan")
    try:
        with transaction.atomic():
            profile = (
                CountryProfile.objects.select_for_update(of=("self",))
                .select_related("updated_by")
                .filter(country=country)
                .first()
            )
            created = profile is None
            if profile is None:
                profile = CountryProfile(country=country, version=0)
            if expected_version is not None and profile.version != expected_version:
                raise ValidationError(_stale_message(profile), code="stale")
            before = {} if created else snapshot(profile, PROFILE_FIELDS)
            for name, value in data.items():
                if name in PROFILE_FIELDS:
                    setattr(profile, name, "" if value is None else value)
            profile.full_clean(exclude=["country"], validate_unique=False)
            after = snapshot(profile, PROFILE_FIELDS)
            changes = diff(before, after)
            if not created and not changes:
                return profile
            now = timezone.now()
            profile.version += 1
            profile.updated_at = now
            profile.updated_by = by
            if created:
                profile.save(force_insert=True)
            else:
                profile.save()
            CountryProfileVersion.objects.create(
                profile=profile,
                version=profile.version,
                data=after,
                changed_by=profile.updated_by,
                changed_at=now,
                reason=reason.strip(),
            )
            audit_record(
                actor=by,
                action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
                obj=profile,
                changes={**changes, "version": {"before": profile.version - 1, "after": profile.version}},
                reason=reason.strip(),
                request=request,
            )
    except IntegrityError:
        # Two first saves of the same profile at once: the other one won.
        current = CountryProfile.objects.select_related("updated_by").filter(country=country).first()
        if current is None:
            raise
        raise ValidationError(_stale_message(current), code="stale") from None
    return profile
