"""The legal-basis resolver: which instruments apply to a request to a partner state, and why each does or does not.

Given a partner state, a kind of cooperation, an offence (ICCS section and/or focus area) and a date, the resolver
tries the tiers in order — a bilateral treaty in force, a regional convention (CIS, SCO, Council of Europe, OAS) to
which both states are party, a UN convention covering the offence — and ends with reciprocity with a written
assurance, which is always available (BasisRule "reciprocity", law as data). Every candidate carries the reasons it
applies or does not, the warnings an officer must know before relying on it (an entry into force no source
confirms, an unverified party record, the "every UN member not listed is a party" assumption) and its sources.

Pure reads: the register is reference data visible to everyone holding `cooperation.view`, so the functions take
no user; the views and the API check the permission. The views, the API and the requests module all call
`legal_basis_resolve`; `in_force_between` answers "what was in force between Kazakhstan and X on D".

The queries do not depend on the number of instruments: one for the state, one for the crime categories, one for
the instruments and three prefetches (subjects, the two states' party rows, offence categories), one for the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from prokuratura.core.models import Country, CrimeCategory

from .models import (
    KAZAKHSTAN,
    BasisRule,
    Confidence,
    Instrument,
    InstrumentParty,
    Precision,
    Subject,
    partial_date_display,
    partial_date_last_day,
)

Tier = Literal["bilateral", "regional", "un", "reciprocity"]
TIERS: tuple[Tier, ...] = ("bilateral", "regional", "un", "reciprocity")
RECIPROCITY_RULE = "reciprocity"

# Criminal MLA is part of "legal assistance in civil and criminal matters" (the CIS conventions, several bilateral
# treaties), so a request of either kind is served by an instrument of either subject.
KIND_SUBJECTS: dict[str, tuple[str, ...]] = {
    Subject.MLA: (Subject.MLA, Subject.LEGAL_ASSISTANCE),
    Subject.LEGAL_ASSISTANCE: (Subject.LEGAL_ASSISTANCE, Subject.MLA),
}


def tier_label(tier: str) -> str:
    labels = {
        "bilateral": _("Bilateral treaty"),
        "regional": _("Regional convention"),
        "un": _("UN convention"),
        "reciprocity": _("Reciprocity"),
    }
    return labels.get(tier, tier)


@dataclass
class Candidate:
    """One possible legal basis and the resolver's verdict on it."""

    instrument: Instrument | None  # None for reciprocity
    tier: Tier
    applies: bool
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    in_force_confirmed: bool = True  # False: relied on a ratification; no source gives the entry into force
    legal_basis: str = ""  # for reciprocity: the law the rule rests on

    @property
    def title(self) -> str:
        return self.instrument.title if self.instrument is not None else str(tier_label("reciprocity"))

    @property
    def tier_label(self) -> str:
        return tier_label(self.tier)


@dataclass
class Resolution:
    country: str
    kind: str
    on_date: dt.date
    candidates: list[Candidate]  # applicable first (in tier order), then the rest with their reasons
    applicable: list[Candidate]  # in tier order; reciprocity is always the last
    warnings: list[str]  # those of the applicable instruments, each naming its instrument
    iccs_section: str = ""
    focus_area: str = ""
    country_name: str = ""
    offences: list[CrimeCategory] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(Subject(self.kind).label)

    @property
    def treaty_applies(self) -> bool:
        return any(c.instrument is not None for c in self.applicable)

    @property
    def not_applicable(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.applies]


# --- input ------------------------------------------------------------------------------------------------------


def _partner(country: str) -> Country:
    code = (country or "").strip().upper()
    if code == KAZAKHSTAN:
        raise ValidationError({"country": _("Choose a partner state other than Kazakhstan.")})
    found = Country.objects.filter(iso2=code).first() if len(code) == 2 else None
    if found is None:
        raise ValidationError({"country": _("Unknown country code: %(code)s.") % {"code": code or "—"}})
    return found


def _offences(*, iccs_section: str, focus_area: str) -> tuple[list[CrimeCategory], dict[str, str]]:
    wanted = {
        "iccs_section": (iccs_section.strip(), CrimeCategory.Kind.ICCS_SECTION),
        "focus_area": (focus_area.strip(), CrimeCategory.Kind.FOCUS_AREA),
    }
    codes = [code for code, _kind in wanted.values() if code]
    found = {c.code: c for c in CrimeCategory.objects.filter(code__in=codes)} if codes else {}
    chosen: list[CrimeCategory] = []
    problems: dict[str, str] = {}
    for name, (code, kind) in wanted.items():
        if not code:
            continue
        category = found.get(code)
        if category is None or category.kind != kind:
            if kind == CrimeCategory.Kind.ICCS_SECTION:
                problems[name] = _("Unknown ICCS section: %(code)s.") % {"code": code}
            else:
                problems[name] = _("Unknown crime focus area: %(code)s.") % {"code": code}
        else:
            chosen.append(category)
    return chosen, problems


# --- helpers ----------------------------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _day(value: dt.date) -> str:
    """A date in a reason or a warning, as the interface writes dates (dd.mm.yyyy)."""
    return partial_date_display(value, Precision.DAY)


def _split_sources(text: str) -> list[str]:
    return [url.strip() for url in (text or "").split("|") if url.strip()]


def _dedup(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _reached(value: dt.date, precision: str, on_date: dt.date) -> Literal["yes", "partly", "no"]:
    """Had a date known to `precision` come by `on_date`? "partly": on_date falls inside the month/year."""
    if partial_date_last_day(value, precision) <= on_date:
        return "yes"
    if value <= on_date:
        return "partly"
    return "no"


def _tier(instrument: Instrument) -> Tier:
    if instrument.kind == Instrument.Kind.BILATERAL:
        return "bilateral"
    if instrument.family == Instrument.Family.UN:
        return "un"
    return "regional"


def _instrument_name(instrument: Instrument) -> str:
    return instrument.short_name or instrument.title


def _kind_check(instrument: Instrument, kind: str) -> tuple[bool, str]:
    subjects = set(instrument.subject_codes())
    kind_label = _lower_first(str(Subject(kind).label))
    if kind in subjects:
        return True, _("Covers %(kind)s.") % {"kind": kind_label}
    for other in KIND_SUBJECTS.get(kind, ()):
        if other in subjects:
            if other == Subject.LEGAL_ASSISTANCE:
                return True, _(
                    "Covers legal assistance in civil and criminal matters, which includes %(kind)s."
                ) % {"kind": kind_label}
            return True, _("Covers %(subject)s (in criminal matters only).") % {
                "subject": _lower_first(str(Subject(other).label))
            }
    return False, _("Does not cover %(kind)s.") % {"kind": kind_label}


def _offence_check(instrument: Instrument, offences: Sequence[CrimeCategory]) -> tuple[bool, str]:
    if instrument.all_offences:
        return True, _("Not limited to particular offences.")
    scope = list(instrument.offence_categories.all())
    scope_text = ", ".join(_lower_first(c.name) for c in scope)
    if not scope:
        return False, _("Its offence scope is not recorded in the register.")
    if not offences:
        return False, _("Covers only these offences: %(scope)s. Name the offence to check it.") % {
            "scope": scope_text
        }
    codes = {c.code for c in offences}
    matched = [c for c in scope if c.code in codes]
    if matched:
        return True, _("Covers %(offence)s.") % {"offence": ", ".join(_lower_first(c.name) for c in matched)}
    names = [_lower_first(c.name) for c in offences]
    if len(names) == 1:
        return False, _("Does not cover %(offence)s; it covers %(scope)s.") % {
            "offence": names[0],
            "scope": scope_text,
        }
    return False, _("Does not cover %(first)s or %(second)s; it covers %(scope)s.") % {
        "first": names[0],
        "second": names[1],
        "scope": scope_text,
    }


# --- a state's participation in a multilateral instrument -------------------------------------------------------


@dataclass
class _Standing:
    ok: bool
    reason: str
    warnings: list[str] = field(default_factory=list)
    row: InstrumentParty | None = None
    joined: dt.date | None = None
    joined_precision: str = Precision.DAY


def _joined(
    *, state: str, instrument: Instrument, value: dt.date | None, precision: str, on_date: dt.date
) -> _Standing:
    name = _instrument_name(instrument)
    if value is None:
        return _Standing(
            True,
            _("%(state)s is a party (the date it joined is not known).") % {"state": state},
            [
                _(
                    "The date %(state)s joined %(instrument)s is unknown; it is taken to have been a party on %(date)s."
                )
                % {"state": state, "instrument": name, "date": _day(on_date)}
            ],
        )
    label = partial_date_display(value, precision)
    reached = _reached(value, precision, on_date)
    if reached == "no":
        return _Standing(
            False, _("%(state)s became a party only on %(date)s.") % {"state": state, "date": label}
        )
    standing = _Standing(
        True,
        _("%(state)s is a party (since %(date)s).") % {"state": state, "date": label},
        joined=value,
        joined_precision=precision,
    )
    if reached == "partly":
        standing.warnings.append(
            _(
                "%(state)s joined in %(period)s; the exact day is not known, so it may not yet have been a party on %(date)s."
            )
            % {"state": state, "period": label, "date": _day(on_date)}
        )
    return standing


def _row_standing(*, row: InstrumentParty, state: str, instrument: Instrument, on_date: dt.date) -> _Standing:
    label = row.date_display
    if row.status == InstrumentParty.Status.PARTY:
        value = row.date
        precision = row.date_precision
        if value is None and row.country_id == KAZAKHSTAN and instrument.ratified_date:
            value, precision = instrument.ratified_date, instrument.ratified_precision
        standing = _joined(
            state=state, instrument=instrument, value=value, precision=precision, on_date=on_date
        )
    elif row.status == InstrumentParty.Status.WITHDRAWN:
        if row.date is not None and _reached(row.date, row.date_precision, on_date) == "no":
            standing = _Standing(
                True,
                _("%(state)s was a party until it withdrew on %(date)s.") % {"state": state, "date": label},
            )
        elif row.date is not None:
            standing = _Standing(
                False, _("%(state)s withdrew on %(date)s.") % {"state": state, "date": label}
            )
        else:
            standing = _Standing(
                False, _("%(state)s has withdrawn (the date is not known).") % {"state": state}
            )
    elif row.status == InstrumentParty.Status.SIGNATORY:
        standing = _Standing(False, _("%(state)s has signed but is not a party.") % {"state": state})
    else:
        standing = _Standing(False, _("%(state)s is not a party.") % {"state": state})
    standing.row = row
    if row.confidence == Confidence.UNVERIFIED:
        if row.note.strip():
            standing.warnings.append(
                _("Relies on an unverified party record for %(state)s: %(note)s")
                % {"state": state, "note": row.note.strip()}
            )
        else:
            standing.warnings.append(
                _("Relies on an unverified party record for %(state)s.") % {"state": state}
            )
    return standing


def _kazakhstan_standing(
    *, instrument: Instrument, row: InstrumentParty | None, on_date: dt.date
) -> _Standing:
    state = _("Kazakhstan")
    if row is not None:
        return _row_standing(row=row, state=state, instrument=instrument, on_date=on_date)
    status = instrument.status
    if status in (Instrument.Status.IN_FORCE, Instrument.Status.RATIFIED):
        return _joined(
            state=state,
            instrument=instrument,
            value=instrument.ratified_date,
            precision=instrument.ratified_precision,
            on_date=on_date,
        )
    if status == Instrument.Status.NOT_PARTY:
        return _Standing(False, _("Kazakhstan is not a party."))
    if status == Instrument.Status.SIGNED:
        return _Standing(False, _("Signed but not ratified by Kazakhstan as far as the register knows."))
    if status == Instrument.Status.TERMINATED:
        return _Standing(False, _("No longer in force for Kazakhstan."))
    return _Standing(False, _("Kazakhstan's participation is not confirmed."))


def _partner_standing(
    *,
    instrument: Instrument,
    row: InstrumentParty | None,
    partner: Country,
    on_date: dt.date,
    kazakhstan_listed: bool,
) -> _Standing:
    state = partner.name
    if row is not None:
        return _row_standing(row=row, state=state, instrument=instrument, on_date=on_date)
    if instrument.open_to_all_states:
        standing = _Standing(
            True,
            _("%(state)s is presumed a party: the register lists only the states that are not.")
            % {"state": state},
        )
        if instrument.open_to_all_confidence != Confidence.SOURCED:
            if instrument.family == Instrument.Family.UN:
                standing.warnings.append(
                    _(
                        "Relies on the assumption that every UN member not listed as a non-party is a party "
                        "(unverified)."
                    )
                )
            else:
                standing.warnings.append(
                    _(
                        "Relies on the assumption that every state not listed as a non-party of %(instrument)s is a "
                        "party (unverified)."
                    )
                    % {"instrument": _instrument_name(instrument)}
                )
        return standing
    others = getattr(instrument, "listed_parties", 0) - (1 if kazakhstan_listed else 0)
    if others <= 0:
        return _Standing(
            False,
            _("The register does not list the other parties, so whether %(state)s is one is not known.")
            % {"state": state},
        )
    return _Standing(False, _("%(state)s is not a party as far as the register knows.") % {"state": state})


@dataclass
class _Parties:
    kazakhstan: _Standing
    partner: _Standing

    @property
    def both(self) -> bool:
        return self.kazakhstan.ok and self.partner.ok


def _parties(*, instrument: Instrument, partner: Country, on_date: dt.date) -> _Parties:
    rows = {row.country_id: row for row in getattr(instrument, "relevant_parties", [])}
    return _Parties(
        kazakhstan=_kazakhstan_standing(instrument=instrument, row=rows.get(KAZAKHSTAN), on_date=on_date),
        partner=_partner_standing(
            instrument=instrument,
            row=rows.get(partner.iso2),
            partner=partner,
            on_date=on_date,
            kazakhstan_listed=KAZAKHSTAN in rows,
        ),
    )


# --- evaluating one instrument on a date ------------------------------------------------------------------------


@dataclass
class _Verdict:
    ok: bool
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    confirmed: bool = True


def _bilateral_on(instrument: Instrument, on_date: dt.date) -> _Verdict:
    """Was the bilateral treaty in force (or at least ratified by Kazakhstan) on the date?"""
    day = _day(on_date)
    signed = instrument.signed_display
    status = instrument.status
    terminated = instrument.terminated_date
    if terminated is not None and terminated <= on_date:
        return _Verdict(False, [_("Terminated on %(date)s.") % {"date": _day(terminated)}])
    if terminated is None and status == Instrument.Status.TERMINATED:
        return _Verdict(False, [_("Terminated (the date is not known).")])
    if instrument.in_force_date is not None:
        if instrument.in_force_date > on_date:
            return _Verdict(
                False,
                [
                    _("Not yet in force on %(date)s: in force from %(in_force)s.")
                    % {"date": day, "in_force": _day(instrument.in_force_date)}
                ],
            )
        verdict = _Verdict(True, [_("In force since %(date)s.") % {"date": _day(instrument.in_force_date)}])
        if terminated is not None:
            verdict.reasons.append(_("Terminated later, on %(date)s.") % {"date": _day(terminated)})
        return verdict
    if instrument.signed_date is not None and instrument.signed_date > on_date:
        return _Verdict(
            False, [_("Not yet signed on %(date)s (signed %(signed)s).") % {"date": day, "signed": signed}]
        )
    unconfirmed = _("Entry into force is unconfirmed: no source states the date it entered into force.")
    if instrument.ratified_date is not None:
        ratified = instrument.ratified_display
        reached = _reached(instrument.ratified_date, instrument.ratified_precision, on_date)
        if reached == "no":
            return _Verdict(False, [_("Ratified by Kazakhstan only on %(date)s.") % {"date": ratified}])
        verdict = _Verdict(
            True,
            [_("Ratified by Kazakhstan on %(date)s.") % {"date": ratified}],
            [
                _(
                    "Entry into force is unconfirmed: ratified by Kazakhstan on %(date)s, no source states the "
                    "date it entered into force."
                )
                % {"date": ratified}
            ],
            confirmed=False,
        )
        if reached == "partly":
            verdict.warnings.append(
                _("The ratification is known only to %(period)s, so it may have come after %(date)s.")
                % {"period": ratified, "date": day}
            )
        return verdict
    if status == Instrument.Status.IN_FORCE:
        return _Verdict(True, [_("Marked as in force, with no date.")], [unconfirmed], confirmed=False)
    if status == Instrument.Status.RATIFIED:
        return _Verdict(
            True, [_("Marked as ratified by Kazakhstan, with no date.")], [unconfirmed], confirmed=False
        )
    if status == Instrument.Status.SIGNED:
        if signed:
            reason = _("Signed %(date)s but not ratified by Kazakhstan as far as the register knows.") % {
                "date": signed
            }
        else:
            reason = _("Signed but not ratified by Kazakhstan as far as the register knows.")
        return _Verdict(False, [reason])
    if status == Instrument.Status.NOT_PARTY:
        return _Verdict(False, [_("Kazakhstan is not a party.")])
    if signed:
        reason = _(
            "Signed %(date)s; whether it was ratified and entered into force is not known to the register."
        ) % {"date": signed}
    else:
        reason = _("Whether it was ratified and entered into force is not known to the register.")
    return _Verdict(False, [reason])


def _multilateral_on(
    instrument: Instrument, parties: _Parties, on_date: dt.date, replaced_by: Instrument | None
) -> _Verdict:
    """Were both states party to the convention, and was it in force between them, on the date?"""
    verdict = _Verdict(parties.both)
    for standing in (parties.kazakhstan, parties.partner):
        verdict.reasons.append(standing.reason)
        verdict.warnings.extend(standing.warnings)
        if standing.row is not None:
            verdict.sources.extend(_split_sources(standing.row.source_url))
    if replaced_by is not None:
        verdict.ok = False
        verdict.reasons.append(
            _("Replaced by %(instrument)s between states party to both.")
            % {"instrument": _instrument_name(replaced_by)}
        )
    day = _day(on_date)
    in_force: list[dt.date] = []
    if instrument.in_force_date is not None:
        if instrument.in_force_date > on_date:
            verdict.ok = False
            verdict.reasons.append(
                _("Not yet in force on %(date)s: in force from %(in_force)s.")
                % {"date": day, "in_force": _day(instrument.in_force_date)}
            )
        in_force.append(instrument.in_force_date)
    own: list[dt.date] = []
    for standing in (parties.kazakhstan, parties.partner):
        row = standing.row
        if row is None or row.in_force_date is None:
            continue
        own.append(row.in_force_date)
        if row.in_force_date > on_date:
            verdict.ok = False
            verdict.reasons.append(
                _("Not yet in force for %(state)s on %(date)s: in force for it from %(in_force)s.")
                % {"state": row.country.name, "date": day, "in_force": _day(row.in_force_date)}
            )
    if not parties.both:
        return verdict
    if own and max([*own, *in_force]) <= on_date:
        verdict.reasons.append(_("In force since %(date)s.") % {"date": _day(max([*own, *in_force]))})
    elif in_force and in_force[0] <= on_date:
        verdict.reasons.append(
            _("In force since %(date)s (its general entry into force).") % {"date": _day(in_force[0])}
        )
    elif not in_force and not own:
        verdict.confirmed = False
        joined = parties.kazakhstan.joined
        if joined is not None:
            verdict.warnings.append(
                _(
                    "Entry into force is unconfirmed: Kazakhstan joined on %(date)s, no source states the date it "
                    "entered into force."
                )
                % {"date": partial_date_display(joined, parties.kazakhstan.joined_precision)}
            )
        else:
            verdict.warnings.append(
                _("Entry into force is unconfirmed: no source states the date it entered into force.")
            )
    return verdict


def _candidate(
    *,
    instrument: Instrument,
    on_date: dt.date,
    kind: str | None,
    offences: Sequence[CrimeCategory] | None,
    parties: _Parties | None,  # a convention's, as _evaluate_all read them; None for a bilateral treaty
    replaced_by: Instrument | None,
) -> Candidate:
    reasons: list[str] = []
    ok = True
    if kind is not None:
        covered, reason = _kind_check(instrument, kind)
        ok = ok and covered
        reasons.append(reason)
    if offences is not None:
        covered, reason = _offence_check(instrument, offences)
        ok = ok and covered
        reasons.append(reason)
    if instrument.kind == Instrument.Kind.BILATERAL:
        verdict = _bilateral_on(instrument, on_date)
    else:
        assert parties is not None  # noqa: S101 - _evaluate_all reads the parties of every convention
        verdict = _multilateral_on(instrument, parties, on_date, replaced_by)
    return Candidate(
        instrument=instrument,
        tier=_tier(instrument),
        applies=ok and verdict.ok,
        reasons=[*reasons, *verdict.reasons],
        warnings=_dedup(verdict.warnings),
        sources=_dedup([*instrument.sources, *verdict.sources]),
        in_force_confirmed=verdict.confirmed,
    )


def _instruments(partner: Country) -> list[Instrument]:
    rows = InstrumentParty.objects.filter(country_id__in=[KAZAKHSTAN, partner.iso2]).select_related("country")
    return list(
        Instrument.objects.filter(
            Q(kind=Instrument.Kind.BILATERAL, partner_id=partner.iso2) | Q(kind=Instrument.Kind.MULTILATERAL)
        )
        .annotate(listed_parties=Count("parties"))
        .prefetch_related(
            "subjects",
            "offence_categories",
            Prefetch("parties", queryset=rows, to_attr="relevant_parties"),
        )
    )


def _evaluate_all(
    *,
    partner: Country,
    on_date: dt.date,
    kind: str | None,
    offences: Sequence[CrimeCategory] | None,
) -> list[Candidate]:
    instruments = _instruments(partner)
    parties = {
        i.pk: _parties(instrument=i, partner=partner, on_date=on_date)
        for i in instruments
        if i.kind == Instrument.Kind.MULTILATERAL
    }
    # Chisinau 2002 replaces Minsk 1993 between the states party to both: a newer convention both states joined
    # displaces the one it names in `supersedes`.
    replaced: dict[int, Instrument] = {}
    for instrument in instruments:
        if instrument.supersedes_id is not None and instrument.pk in parties and parties[instrument.pk].both:
            replaced[instrument.supersedes_id] = instrument
    candidates = []
    for instrument in instruments:
        multilateral = instrument.kind == Instrument.Kind.MULTILATERAL
        # A convention on another kind of cooperation says nothing about this request; a bilateral treaty with the
        # state is shown anyway, so the officer sees why the treaty they know of does not serve.
        if multilateral and kind is not None and not _kind_check(instrument, kind)[0]:
            continue
        candidates.append(
            _candidate(
                instrument=instrument,
                on_date=on_date,
                kind=kind,
                offences=offences,
                parties=parties.get(instrument.pk),
                replaced_by=replaced.get(instrument.pk),
            )
        )
    return candidates


def _order_key(candidate: Candidate) -> tuple[bool, int, int, str]:
    instrument = candidate.instrument
    signed = instrument.signed_date.toordinal() if instrument and instrument.signed_date else 0
    return (
        not candidate.applies,
        TIERS.index(candidate.tier),
        -signed,
        instrument.code if instrument else "",
    )


def _reciprocity() -> Candidate:
    rule = BasisRule.objects.filter(code=RECIPROCITY_RULE).first()
    if rule is not None:
        return Candidate(
            instrument=None,
            tier="reciprocity",
            applies=True,
            reasons=[rule.text],
            legal_basis=rule.legal_basis,
        )
    return Candidate(
        instrument=None,
        tier="reciprocity",
        applies=True,
        reasons=[
            _(
                "Where no treaty applies, the request may be sent or executed on the principle of reciprocity, with "
                "a written assurance of reciprocity from the other state."
            )
        ],
    )


# --- the public functions ---------------------------------------------------------------------------------------


def legal_basis_resolve(
    *, country: str, kind: str, on_date: dt.date, iccs_section: str = "", focus_area: str = ""
) -> Resolution:
    """The instruments on which a request of `kind` to `country` (ISO alpha-2) about the offence may rest on
    `on_date`, in the order to use them, each with its reasons, warnings and sources; then those that do not
    apply, with the reasons. Raises ValidationError naming the bad field (country, kind, iccs_section,
    focus_area) for an unknown code."""
    problems: dict[str, str] = {}
    partner: Country | None = None
    try:
        partner = _partner(country)
    except ValidationError as error:
        problems.update({k: v[0] for k, v in error.message_dict.items()})
    if kind not in Subject.values:
        problems["kind"] = _("Unknown kind of cooperation: %(kind)s.") % {"kind": kind or "—"}
    offences, offence_problems = _offences(iccs_section=iccs_section or "", focus_area=focus_area or "")
    problems.update(offence_problems)
    if problems or partner is None:
        raise ValidationError(problems)
    evaluated = _evaluate_all(partner=partner, on_date=on_date, kind=kind, offences=offences)
    reciprocity = _reciprocity()
    evaluated.sort(key=_order_key)
    applicable = [c for c in evaluated if c.applies]
    rest = [c for c in evaluated if not c.applies]
    warnings = [
        _("%(instrument)s: %(warning)s") % {"instrument": _instrument_name(c.instrument), "warning": w}
        for c in applicable
        if c.instrument is not None
        for w in c.warnings
    ]
    if not applicable:
        warnings.append(
            _("No treaty or convention in the register applies: the request rests on reciprocity.")
        )
    return Resolution(
        country=partner.iso2,
        kind=kind,
        on_date=on_date,
        candidates=[*applicable, reciprocity, *rest],
        applicable=[*applicable, reciprocity],
        warnings=_dedup(warnings),
        iccs_section=(iccs_section or "").strip(),
        focus_area=(focus_area or "").strip(),
        country_name=partner.name,
        offences=offences,
    )


def in_force_between(*, country: str | Country, on_date: dt.date) -> list[Candidate]:
    """The bilateral treaties and the conventions both states were party to that were in force between Kazakhstan
    and `country` on `on_date`, in tier order. Those resting on a ratification whose entry into force no source
    confirms are included with `in_force_confirmed=False` and the warning; a convention replaced by a newer one
    both states joined (Minsk 1993 by Chisinau 2002) is left out. `country` is an ISO code (ValidationError for
    Kazakhstan or an unknown state) or a Country already read."""
    partner = country if isinstance(country, Country) else _partner(country)
    evaluated = _evaluate_all(partner=partner, on_date=on_date, kind=None, offences=None)
    return sorted((c for c in evaluated if c.applies), key=_order_key)


@dataclass
class ResolverChoices:
    """What the resolver's form offers: the states (those with a bilateral treaty apart) and the offences."""

    treaty_states: list[Country]
    other_states: list[Country]
    iccs_sections: list[CrimeCategory]
    focus_areas: list[CrimeCategory]


def resolver_choices() -> ResolverChoices:
    partners = set(
        Instrument.objects.filter(kind=Instrument.Kind.BILATERAL)
        .values_list("partner_id", flat=True)
        .distinct()
    )
    states = sorted(Country.objects.exclude(iso2=KAZAKHSTAN), key=lambda c: c.name.casefold())
    categories = list(CrimeCategory.objects.order_by("kind", "ordering", "code"))
    return ResolverChoices(
        treaty_states=[c for c in states if c.iso2 in partners],
        other_states=[c for c in states if c.iso2 not in partners],
        iccs_sections=[c for c in categories if c.kind == CrimeCategory.Kind.ICCS_SECTION],
        focus_areas=[c for c in categories if c.kind == CrimeCategory.Kind.FOCUS_AREA],
    )
