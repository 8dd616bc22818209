"""Reads of the treaty register and the country profiles for a user.

The register is reference data: a user holding `cooperation.view` sees every instrument and profile, anyone else
none (the lists come back empty, the detail reads answer 404 through access.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from prokuratura.accounts.roles import Perm
from prokuratura.core.models import AuditEntry, Country
from prokuratura.core.permissions import user_may
from prokuratura.core.reference_selectors import name_field

from .access import access_country, access_instrument
from .models import (
    KAZAKHSTAN,
    PROFILE_FIELDS,
    Answer,
    CountryProfile,
    CountryProfileVersion,
    Instrument,
    InstrumentParty,
    InstrumentSubject,
    OrganisationMembership,
    Subject,
)
from .resolver import in_force_between, wildcard_includes

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

HISTORY_LIMIT = 50
# A state "takes part" in a convention when it is listed as a party or a signatory.
TAKING_PART = (InstrumentParty.Status.PARTY, InstrumentParty.Status.SIGNATORY)


def _may_view(user: User) -> bool:
    return user_may(user, Perm.COOP_VIEW)


def _words(text: str) -> list[str]:
    return [word.casefold() for word in str(text or "").split() if word.strip()][:10]


def _stem(word: str) -> str:
    """A query word without its last letters, so that a Russian or Kazakh word found in another case still matches
    ("Китая" finds "Китай", "выдаче" finds "выдача", "экстрадиции" finds "экстрадиция")."""
    if len(word) >= 7:
        return word[:-2]
    if len(word) >= 5:
        return word[:-1]
    return word


def _labels_in_every_language(choices: Any) -> dict[str, str]:
    """Each choice's label in Kazakh, Russian and English, to search the register in any of them."""
    labels: dict[str, list[str]] = {value: [] for value, _label in choices.choices}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                labels[value].append(str(label))
    return {value: " ".join(texts) for value, texts in labels.items()}


def _search_texts() -> dict[int, str]:
    """For each instrument, everything the register's search box matches: code, short name, titles in the three
    languages, the partner state's names, and the kind and subjects in the three languages ("выдача", "Китай")."""
    kinds = _labels_in_every_language(Instrument.Kind)
    subjects = _labels_in_every_language(Subject)
    texts: dict[int, list[str]] = {}
    rows = Instrument.objects.values_list(
        "pk",
        "code",
        "kind",
        "short_name",
        "title_en",
        "title_ru",
        "title_kk",
        "partner__name_en",
        "partner__name_ru",
        "partner__name_kk",
    )
    for pk, code, kind, *names in rows:
        texts[pk] = [code, kinds.get(kind, ""), *(name or "" for name in names)]
    for pk, subject in InstrumentSubject.objects.values_list("instrument_id", "subject"):
        texts.setdefault(pk, []).append(subjects.get(subject, ""))
    return {pk: " ".join(parts).casefold() for pk, parts in texts.items()}


# --- instruments ---------------------------------------------------------------------------------------------


def instrument_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Instrument]:
    """Filters: kind, family, status, subject, country (bilateral with it, or a convention listing it as a party
    or signatory) and q (every word, in Kazakh, Russian or English, in a title, the short name, the code, the
    partner state's name or the kind of cooperation: "Китай", "выдача", "экстрадиция")."""
    if not _may_view(user):
        return Instrument.objects.none()
    filters = filters or {}
    qs = Instrument.objects.select_related("partner").prefetch_related("subjects")
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if family := filters.get("family"):
        qs = qs.filter(family=family)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if subject := filters.get("subject"):
        qs = qs.filter(subjects__subject=subject)
    if country := str(filters.get("country") or "").strip().upper():
        listed = InstrumentParty.objects.filter(country_id=country, status__in=TAKING_PART)
        qs = qs.filter(Q(partner_id=country) | Q(pk__in=listed.values("instrument_id")))
    if words := _words(filters.get("q") or ""):
        # SQLite's LIKE folds the case of ASCII letters only, so Cyrillic titles are matched here in Python: the
        # register holds about a hundred instruments.
        stems = [_stem(word) for word in words]
        found = [pk for pk, text in _search_texts().items() if all(stem in text for stem in stems)]
        qs = qs.filter(pk__in=found)
    return qs


def instrument_get(*, user: User, code: str) -> Instrument:
    """One instrument with everything its page shows (404 through access_instrument)."""
    instrument = access_instrument(user=user, code=code)
    prefetch_related_objects(
        [instrument],
        "subjects",
        "offence_categories",
        "superseded_by",
    )
    instrument.party_rows = list(  # type: ignore[attr-defined]
        instrument.parties.select_related("country").order_by("country__name_en")
    )
    return instrument


@dataclass
class HistoryChange:
    field: str
    label: str
    before: Any
    after: Any


@dataclass
class HistoryEntry:
    seq: int | None  # None until the entry is sealed into the chain
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    reason: str
    changes: list[HistoryChange]


def _field(model: type[Any], name: str) -> Any:
    return model._meta.get_field(name)


def _field_label(model: type[Any], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def instrument_history(*, user: User, instrument: Instrument) -> list[HistoryEntry]:
    """The audit trail of one instrument (its creation and each correction), newest first, for everyone who may
    read the register: who changed which fact, from what to what, and on what source. No addresses."""
    if not _may_view(user):
        return []
    entries = AuditEntry.objects.filter(
        object_type=Instrument._meta.label_lower, object_id=str(instrument.pk)
    ).order_by("-id")[:HISTORY_LIMIT]
    return [
        HistoryEntry(
            seq=entry.seq,
            at=entry.created_at,
            actor=entry.actor_repr,
            action=entry.action,
            action_label=entry.get_action_display(),
            reason=entry.reason,
            changes=[
                HistoryChange(
                    field=name,
                    label=_field_label(Instrument, name),
                    before=change.get("before"),
                    after=change.get("after"),
                )
                for name, change in sorted((entry.changes or {}).items())
                if isinstance(change, dict)
            ],
        )
        for entry in entries
    ]


# --- countries -----------------------------------------------------------------------------------------------


def country_list(*, user: User, q: str = "") -> QuerySet[Country]:
    """Every partner state with at least one instrument in the register (a bilateral treaty, or a convention listing
    it as a party or signatory) or a saved profile, annotated with `bilateral_count`, `multilateral_count` and
    `profile_version` (None: no profile yet)."""
    if not _may_view(user):
        return Country.objects.none()
    bilateral = (
        Instrument.objects.filter(kind=Instrument.Kind.BILATERAL, partner_id=OuterRef("pk"))
        .order_by()
        .values("partner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    multilateral = (
        InstrumentParty.objects.filter(
            country_id=OuterRef("pk"),
            status__in=TAKING_PART,
            instrument__kind=Instrument.Kind.MULTILATERAL,
        )
        .order_by()
        .values("country_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    zero = Value(0, output_field=IntegerField())
    qs = (
        Country.objects.exclude(iso2=KAZAKHSTAN)
        .annotate(
            bilateral_count=Coalesce(Subquery(bilateral, output_field=IntegerField()), zero),
            multilateral_count=Coalesce(Subquery(multilateral, output_field=IntegerField()), zero),
            profile_version=F("profile__version"),
        )
        .filter(Q(bilateral_count__gt=0) | Q(multilateral_count__gt=0) | Q(profile__isnull=False))
    )
    if words := _words(q):
        texts = qs.values_list("iso2", "iso3", "name_en", "name_ru", "name_kk")
        found = [
            iso2 for iso2, *parts in texts if all(w in " ".join([iso2, *parts]).casefold() for w in words)
        ]
        qs = qs.filter(iso2__in=found)
    return qs.order_by(name_field(), "iso2")


def country_choices(*, user: User) -> list[Country]:
    """Every state but Kazakhstan, by name in the active language: to open the profile of any state."""
    if not _may_view(user):
        return []
    return sorted(Country.objects.exclude(iso2=KAZAKHSTAN), key=lambda c: c.name.casefold())


@dataclass
class ApplicableInstrument:
    instrument: Instrument
    in_force_today: bool = False
    in_force_confirmed: bool = (
        True  # False: the resolver relies on a ratification no entry into force confirms
    )
    warnings: list[str] = field(default_factory=list)


@dataclass
class CountryProfileView:
    country: Country
    profile: CountryProfile  # unsaved (version 0) when nobody has written one yet
    bilateral: list[ApplicableInstrument]
    multilateral: list[ApplicableInstrument]
    today: dt.date
    in_force_known: bool  # the resolver answered "in force today"

    @property
    def saved(self) -> bool:
        return self.profile.version > 0


def _in_force_today(country: Country, today: dt.date) -> dict[int, Any]:
    candidates = in_force_between(country=country, on_date=today)
    return {c.instrument.pk: c for c in candidates if c.instrument is not None}


def country_profile_get(*, user: User, iso2: str) -> CountryProfileView:
    """A partner state's profile (or an empty, unsaved one) and the instruments that may apply: the bilateral
    treaties with it and the conventions both states are listed in (or open to all states and not excluding it);
    the resolver marks those in force today."""
    country = access_country(user=user, iso2=iso2)
    profile = CountryProfile.objects.select_related("updated_by").filter(
        country=country
    ).first() or CountryProfile(country=country, version=0)
    today = timezone.localdate()
    in_force = _in_force_today(country, today)
    bilateral = list(
        Instrument.objects.filter(kind=Instrument.Kind.BILATERAL, partner=country)
        .prefetch_related("subjects")
        .order_by("signed_date", "code")
    )
    listed = {
        (instrument_id, country_id): status
        for instrument_id, country_id, status in InstrumentParty.objects.filter(
            country_id__in=[KAZAKHSTAN, country.iso2], instrument__kind=Instrument.Kind.MULTILATERAL
        ).values_list("instrument_id", "country_id", "status")
    }
    conventions = []
    memberships = list(OrganisationMembership.objects.filter(country=country))
    kz_memberships = list(OrganisationMembership.objects.filter(country_id=KAZAKHSTAN))
    for instrument in Instrument.objects.filter(kind=Instrument.Kind.MULTILATERAL).prefetch_related(
        "subjects"
    ):
        kz = listed.get((instrument.pk, KAZAKHSTAN))
        other = listed.get((instrument.pk, country.iso2))
        # A "*" row stands for the convention's own group (the UN's members, the Council of Europe's): CETS 141
        # is not listed for China.
        kz_in = kz in TAKING_PART or (kz is None and wildcard_includes(instrument, kz_memberships, today))
        other_in = other in TAKING_PART or (
            other is None and wildcard_includes(instrument, memberships, today)
        )
        if (kz_in and other_in) or instrument.pk in in_force:
            conventions.append(instrument)
    conventions.sort(key=lambda i: (i.family, i.signed_date or dt.date.max, i.code))

    def mark(instrument: Instrument) -> ApplicableInstrument:
        candidate = in_force.get(instrument.pk)
        if candidate is None:
            return ApplicableInstrument(instrument=instrument)
        return ApplicableInstrument(
            instrument=instrument,
            in_force_today=True,
            in_force_confirmed=candidate.in_force_confirmed,
            warnings=list(candidate.warnings),
        )

    return CountryProfileView(
        country=country,
        profile=profile,
        bilateral=[mark(i) for i in bilateral],
        multilateral=[mark(i) for i in conventions],
        today=today,
        in_force_known=True,  # the resolver always answers for a state access_country found
    )


@dataclass
class ProfileChange:
    field: str
    label: str
    before: str
    after: str


@dataclass
class ProfileVersionRow:
    version: int
    changed_by: User | None
    changed_at: dt.datetime
    reason: str
    changes: list[ProfileChange]
    data: dict[str, Any]


def _profile_value(name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if name in {"dual_criminality", "extradites_nationals", "death_penalty_assurance"}:
        return str(dict(Answer.choices).get(value, value))
    return str(value)


def country_profile_history(*, user: User, iso2: str) -> tuple[Country, list[ProfileVersionRow]]:
    """The saved versions of a state's profile, newest first, each with what changed since the one before."""
    country = access_country(user=user, iso2=iso2)
    versions = list(
        CountryProfileVersion.objects.filter(profile_id=country.iso2)
        .select_related("changed_by")
        .order_by("version")
    )
    empty = {name: _field(CountryProfile, name).get_default() for name in PROFILE_FIELDS}
    rows = []
    previous: dict[str, Any] = empty
    for version in versions:
        data = version.data or {}
        changes = [
            ProfileChange(
                field=name,
                label=_field_label(CountryProfile, name),
                before=_profile_value(name, previous.get(name)),
                after=_profile_value(name, data.get(name)),
            )
            for name in PROFILE_FIELDS
            if (previous.get(name) or "") != (data.get(name) or "")
        ]
        rows.append(
            ProfileVersionRow(
                version=version.version,
                changed_by=version.changed_by,
                changed_at=version.changed_at,
                reason=version.reason,
                changes=changes,
                data=data,
            )
        )
        previous = data
    rows.reverse()
    return country, rows
