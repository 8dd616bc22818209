"""The legal-basis resolver: which instruments apply to a request to a partner state, and why each does or does not.

Given a partner state, a kind of cooperation, an offence (ICCS section and/or focus area), the facts that decide a
convention's scope (transnational? an organised criminal group? the financing of terrorism?) and a date, the
resolver tries the tiers in order — a bilateral treaty in force, a regional convention (CIS, SCO, Council of
Europe, OAS) to which both states are party, a UN convention covering the offence — and falls back on reciprocity
with a written assurance (BasisRule "reciprocity", law as data) only when none applies; otherwise reciprocity is
"not needed". Every candidate carries the reasons it applies or does not (and the one that decides), the warnings an
officer must know before relying on it (an entry into force no source confirms, an unverified party record, a
presumed party, a fact of the scope not yet shown) as translated sentences, the compilers' research notes apart,
and its sources. The answer opens with one line (`Resolution.headline`): what to use, why, and what to check.

A convention's "*" party row means what the convention's data says (Instrument.open_to_group): for a UN convention
every UN member state not listed otherwise; for a Council of Europe convention (CETS 141) the Council of Europe's
member states on the date asked (OrganisationMembership), so CETS 141 is not offered for China or the United States.
A convention's scope beyond its offence categories is data too (Instrument.scope_conditions, with its article in
scope_source, loaded from data/reference/cooperation_instruments.csv): UNTOC only where the offence is transnational
and involves an organised criminal group, the ICSFT only for the financing of terrorism.

Pure reads: the register is reference data visible to everyone holding `cooperation.view`, so the functions take
no user; the views and the API check the permission. The views, the API and the requests module all call
`legal_basis_resolve`; `in_force_between` answers "what was in force between Kazakhstan and X on D".

The queries do not depend on the number of instruments: one for the state, one for the crime categories, one for
the instruments and three prefetches (subjects, the two states' party rows, offence categories), one for the state's
memberships of organisations, one for its profile (the headline's checks), one for the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from prokuratura.core.models import Country, CrimeCategory

from .models import (
    KAZAKHSTAN,
    Answer,
    BasisRule,
    Confidence,
    CountryProfile,
    Instrument,
    InstrumentParty,
    OpenToGroup,
    Organisation,
    OrganisationMembership,
    Precision,
    ScopeCondition,
    Subject,
    partial_date_display,
    partial_date_last_day,
)

Tier = Literal["bilateral", "regional", "un", "reciprocity"]
TIERS: tuple[Tier, ...] = ("bilateral", "regional", "un", "reciprocity")
RECIPROCITY_RULE = "reciprocity"

# How a candidate stands: an instrument applies or not; reciprocity is the fallback when nothing applies and
# "not needed" when something does.
Status = Literal["applies", "not_applicable", "fallback", "not_needed"]

# The answers the form gives about a fact of a convention's scope.
FACT_YES, FACT_NO, FACT_UNKNOWN = "yes", "no", "unknown"
FACT_ANSWERS = (FACT_YES, FACT_NO, FACT_UNKNOWN)


def condition_clause(code: str) -> str:
    """The fact a condition of scope asks for, as a clause to put in a sentence."""
    clauses: dict[str, str] = {
        ScopeCondition.TRANSNATIONAL: _("the offence is transnational in nature"),
        ScopeCondition.ORGANISED_GROUP: _("an organised criminal group is involved"),
        ScopeCondition.TERRORIST_FINANCING: _("the offence is the financing of terrorism"),
    }
    return clauses.get(code, code)


def wildcard_group(instrument: Instrument) -> str:
    """Whom the convention's "*" party row stands for ("" when it has none). A row loaded before the group was
    recorded reads by the convention's family: a Council of Europe convention's "*" means the Council's members."""
    if not instrument.open_to_all_states:
        return OpenToGroup.NONE
    if instrument.open_to_group:
        return instrument.open_to_group
    return OpenToGroup.COE if instrument.family == Instrument.Family.COE else OpenToGroup.UN


def member_on(memberships: Iterable[OrganisationMembership], organisation: str, on_date: dt.date) -> bool:
    return any(m.organisation == organisation and m.is_member_on(on_date) for m in memberships)


def wildcard_includes(
    instrument: Instrument, memberships: Iterable[OrganisationMembership], on_date: dt.date
) -> bool:
    """Does the convention's "*" row take a state (whose memberships are given, and which has no row of its own)
    to be a party on the date?"""
    group = wildcard_group(instrument)
    if group == OpenToGroup.UN:
        return True
    if group == OpenToGroup.COE:
        return member_on(memberships, Organisation.COE, on_date)
    return False


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
class Source:
    """A source as the page shows it: a link named by its site, or the reference as written."""

    text: str
    url: str = ""


def source_display(value: str) -> Source:
    if value.startswith(("http://", "https://")):
        host = urlsplit(value).hostname or value
        return Source(text=host.removeprefix("www."), url=value)
    return Source(text=value)


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
    summary: str = ""  # one line: why it applies (in force since …), or the reason that rules it out
    checks: list[str] = field(default_factory=list)  # short phrases: what to confirm before relying on it
    notes: list[str] = field(default_factory=list)  # the compilers' research notes behind the warnings
    status: Status = "applies"

    @property
    def title(self) -> str:
        return self.instrument.title if self.instrument is not None else str(tier_label("reciprocity"))

    @property
    def tier_label(self) -> str:
        return tier_label(self.tier)

    @property
    def source_links(self) -> list[Source]:
        return [source_display(s) for s in self.sources]


@dataclass
class Resolution:
    country: str
    kind: str
    on_date: dt.date
    # The applicable ones first (in tier order), then reciprocity, then the rest with their reasons.
    candidates: list[Candidate]
    # In tier order; reciprocity only when nothing else applies (then it is the only one).
    applicable: list[Candidate]
    warnings: list[str]  # those of the applicable instruments, each naming its instrument
    iccs_section: str = ""
    focus_area: str = ""
    country_name: str = ""
    offences: list[CrimeCategory] = field(default_factory=list)
    headline: str = ""  # one line: what to use, why, and what to check
    reciprocity: Candidate | None = None  # the fallback, or "not needed" when an instrument applies
    facts: dict[str, str] = field(default_factory=dict)  # ScopeCondition code → yes / no / unknown

    @property
    def kind_label(self) -> str:
        return str(Subject(self.kind).label)

    @property
    def treaty_applies(self) -> bool:
        return any(c.instrument is not None for c in self.applicable)

    @property
    def first(self) -> Candidate | None:
        """What the headline recommends."""
        return self.applicable[0] if self.applicable else None

    @property
    def not_applicable(self) -> list[Candidate]:
        """The instruments that do not apply (reciprocity, fallback or not needed, is not among them)."""
        return [c for c in self.candidates if not c.applies and c.instrument is not None]


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
    notes: list[str] = field(default_factory=list)
    presumed: bool = False  # a party by the "*" row or an unverified record: the headline says to check it


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
        # The compilers' note ("from memory", "not verified against the chart") is research, not advice: the
        # warning says what it means in the reader's language and the note stays behind a disclosure.
        standing.warnings.append(_("Relies on an unverified party record for %(state)s.") % {"state": state})
        standing.presumed = True
    if row.note.strip():
        standing.notes.append(f"{state}: {row.note.strip()}")
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


def _left_organisation(
    memberships: Sequence[OrganisationMembership], organisation: str, on_date: dt.date
) -> OrganisationMembership | None:
    """The state's last membership of the organisation if it had ended by the date and it is not a member again."""
    if member_on(memberships, organisation, on_date):
        return None
    ended = [
        m
        for m in memberships
        if m.organisation == organisation and m.member_until is not None and m.member_until <= on_date
    ]
    return max(ended, key=lambda m: m.member_until or dt.date.min) if ended else None


def _coe_standing(
    *, instrument: Instrument, state: str, memberships: Sequence[OrganisationMembership], on_date: dt.date
) -> _Standing:
    """A state without a row of its own, read against a Council of Europe convention's "*" row: a party only if it
    was a member state of the Council of Europe on the date."""
    current = [m for m in memberships if m.organisation == Organisation.COE and m.is_member_on(on_date)]
    if current:
        since = min(m.member_from for m in current)
        standing = _Standing(
            True,
            _(
                "%(state)s is presumed a party as a member state of the Council of Europe (a member since %(date)s)."
            )
            % {"state": state, "date": _day(since)},
            presumed=True,
        )
        if instrument.open_to_all_confidence != Confidence.SOURCED:
            standing.warnings.append(
                _(
                    "Relies on the assumption that every member state of the Council of Europe is a party to "
                    "%(instrument)s (unverified)."
                )
                % {"instrument": _instrument_name(instrument)}
            )
        return standing
    left = _left_organisation(memberships, Organisation.COE, on_date)
    if left is not None and left.member_until is not None:
        return _Standing(
            False,
            _(
                "%(state)s is not a party as far as the register knows: only the Council of Europe's member states "
                "are presumed parties, and %(state)s ceased to be a member on %(date)s."
            )
            % {"state": state, "date": _day(left.member_until)},
        )
    later = [m for m in memberships if m.organisation == Organisation.COE and m.member_from > on_date]
    if later:
        return _Standing(
            False,
            _(
                "%(state)s is not a party as far as the register knows: only the Council of Europe's member states "
                "are presumed parties, and %(state)s became a member only on %(date)s."
            )
            % {"state": state, "date": _day(min(m.member_from for m in later))},
        )
    return _Standing(
        False,
        _(
            "%(state)s is not a party as far as the register knows: it is not a member state of the Council of "
            "Europe, and the register lists no accession of its own."
        )
        % {"state": state},
    )


def _partner_standing(
    *,
    instrument: Instrument,
    row: InstrumentParty | None,
    partner: Country,
    on_date: dt.date,
    kazakhstan_listed: bool,
    memberships: Sequence[OrganisationMembership],
) -> _Standing:
    state = partner.name
    group = wildcard_group(instrument)
    if row is not None:
        standing = _row_standing(row=row, state=state, instrument=instrument, on_date=on_date)
        left = (
            _left_organisation(memberships, Organisation.COE, on_date) if group == OpenToGroup.COE else None
        )
        if standing.ok and left is not None and left.member_until is not None:
            # Russia: its own row says "party"; leaving the Council of Europe does not of itself end that, but no
            # source in the register confirms it still holds.
            standing.warnings.append(
                _(
                    "%(state)s ceased to be a member of the Council of Europe on %(date)s; confirm with the Council "
                    "of Europe's Treaty Office that it is still a party to %(instrument)s."
                )
                % {
                    "state": state,
                    "date": _day(left.member_until),
                    "instrument": _instrument_name(instrument),
                }
            )
            standing.presumed = True
        return standing
    if group == OpenToGroup.COE:
        return _coe_standing(instrument=instrument, state=state, memberships=memberships, on_date=on_date)
    if group == OpenToGroup.UN:
        standing = _Standing(
            True,
            _("%(state)s is presumed a party: the register lists only the states that are not.")
            % {"state": state},
            presumed=True,
        )
        if instrument.open_to_all_confidence != Confidence.SOURCED:
            standing.warnings.append(
                _(
                    "Relies on the assumption that every UN member not listed as a non-party is a party "
                    "(unverified)."
                )
            )
        else:
            standing.presumed = False
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


def _parties(
    *,
    instrument: Instrument,
    partner: Country,
    on_date: dt.date,
    memberships: Sequence[OrganisationMembership],
) -> _Parties:
    rows = {row.country_id: row for row in getattr(instrument, "relevant_parties", [])}
    return _Parties(
        kazakhstan=_kazakhstan_standing(instrument=instrument, row=rows.get(KAZAKHSTAN), on_date=on_date),
        partner=_partner_standing(
            instrument=instrument,
            row=rows.get(partner.iso2),
            partner=partner,
            on_date=on_date,
            kazakhstan_listed=KAZAKHSTAN in rows,
            memberships=memberships,
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
    failures: list[str] = field(default_factory=list)  # the reasons that rule it out
    why: str = ""  # when it applies: a clause for the headline ("in force since 01.12.2012")
    checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
        verdict = _Verdict(
            True,
            [_("In force since %(date)s.") % {"date": _day(instrument.in_force_date)}],
            why=_("in force since %(date)s") % {"date": _day(instrument.in_force_date)},
        )
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
            why=_("ratified by Kazakhstan on %(date)s, entry into force unconfirmed") % {"date": ratified},
        )
        if reached == "partly":
            verdict.warnings.append(
                _("The ratification is known only to %(period)s, so it may have come after %(date)s.")
                % {"period": ratified, "date": day}
            )
        return verdict
    if status == Instrument.Status.IN_FORCE:
        return _Verdict(
            True,
            [_("Marked as in force, with no date.")],
            [unconfirmed],
            confirmed=False,
            why=_("marked as in force, with no date"),
        )
    if status == Instrument.Status.RATIFIED:
        return _Verdict(
            True,
            [_("Marked as ratified by Kazakhstan, with no date.")],
            [unconfirmed],
            confirmed=False,
            why=_("marked as ratified by Kazakhstan, with no date"),
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
        verdict.notes.extend(standing.notes)
        if not standing.ok:
            verdict.failures.append(standing.reason)
        if standing.row is not None:
            verdict.sources.extend(_split_sources(standing.row.source_url))
    if replaced_by is not None:
        verdict.ok = False
        reason = _("Replaced by %(instrument)s between states party to both.") % {
            "instrument": _instrument_name(replaced_by)
        }
        verdict.reasons.append(reason)
        verdict.failures.append(reason)
    day = _day(on_date)
    in_force: list[dt.date] = []
    if instrument.in_force_date is not None:
        if instrument.in_force_date > on_date:
            verdict.ok = False
            reason = _("Not yet in force on %(date)s: in force from %(in_force)s.") % {
                "date": day,
                "in_force": _day(instrument.in_force_date),
            }
            verdict.reasons.append(reason)
            verdict.failures.append(reason)
        in_force.append(instrument.in_force_date)
    own: list[dt.date] = []
    for standing in (parties.kazakhstan, parties.partner):
        row = standing.row
        if row is None or row.in_force_date is None:
            continue
        own.append(row.in_force_date)
        if row.in_force_date > on_date:
            verdict.ok = False
            reason = _("Not yet in force for %(state)s on %(date)s: in force for it from %(in_force)s.") % {
                "state": row.country.name,
                "date": day,
                "in_force": _day(row.in_force_date),
            }
            verdict.reasons.append(reason)
            verdict.failures.append(reason)
    if not parties.both:
        return verdict
    if own and max([*own, *in_force]) <= on_date:
        since = _day(max([*own, *in_force]))
        verdict.reasons.append(_("In force since %(date)s.") % {"date": since})
        verdict.why = _("both states are parties, in force since %(date)s") % {"date": since}
    elif in_force and in_force[0] <= on_date:
        verdict.reasons.append(
            _("In force since %(date)s (its general entry into force).") % {"date": _day(in_force[0])}
        )
        verdict.why = _("both states are parties, in force since %(date)s") % {"date": _day(in_force[0])}
    elif not in_force and not own:
        verdict.confirmed = False
        verdict.why = _("both states are parties, entry into force unconfirmed")
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
    if parties.partner.presumed:
        verdict.checks.append(_("the partner state's participation"))
    return verdict


def _scope_check(
    instrument: Instrument, facts: Mapping[str, str]
) -> tuple[bool, list[str], list[str], list[str]]:
    """The facts a convention's scope needs (UNTOC art. 3: transnational, an organised criminal group): "no" rules
    it out, "yes" is a reason, "unknown" keeps it with a warning that the facts must show it."""
    ok, reasons, warnings, checks = True, [], [], []
    basis = instrument.scope_source or _instrument_name(instrument)
    for code in instrument.scope_conditions or []:
        clause = condition_clause(code)
        answer = facts.get(code, FACT_UNKNOWN)
        if answer == FACT_NO:
            ok = False
            reasons.append(
                _(
                    "Outside its scope: it applies only where %(condition)s (%(basis)s), and the facts say otherwise."
                )
                % {"condition": clause, "basis": basis}
            )
        elif answer == FACT_YES:
            reasons.append(_("Within its scope: %(condition)s.") % {"condition": clause})
        else:
            warnings.append(
                _("The facts must show that %(condition)s (%(basis)s); otherwise it does not apply.")
                % {"condition": clause, "basis": basis}
            )
            checks.append(_("that %(condition)s") % {"condition": clause})
    return ok, reasons, warnings, checks


def _candidate(
    *,
    instrument: Instrument,
    on_date: dt.date,
    kind: str | None,
    offences: Sequence[CrimeCategory] | None,
    parties: _Parties | None,  # a convention's, as _evaluate_all read them; None for a bilateral treaty
    replaced_by: Instrument | None,
    facts: Mapping[str, str] | None = None,
) -> Candidate:
    reasons: list[str] = []
    failures: list[str] = []
    warnings: list[str] = []
    checks: list[str] = []
    if kind is not None:
        covered, reason = _kind_check(instrument, kind)
        reasons.append(reason)
        if not covered:
            failures.append(reason)
    if offences is not None:
        covered, reason = _offence_check(instrument, offences)
        reasons.append(reason)
        if not covered:
            failures.append(reason)
        elif facts is not None:
            in_scope, scope_reasons, scope_warnings, scope_checks = _scope_check(instrument, facts)
            reasons.extend(scope_reasons)
            warnings.extend(scope_warnings)
            checks.extend(scope_checks)
            if not in_scope:
                failures.extend(scope_reasons[:1])
    if instrument.kind == Instrument.Kind.BILATERAL:
        verdict = _bilateral_on(instrument, on_date)
    else:
        assert parties is not None  # noqa: S101 - _evaluate_all reads the parties of every convention
        verdict = _multilateral_on(instrument, parties, on_date, replaced_by)
    applies = not failures and verdict.ok
    if not verdict.ok:
        failures.extend(verdict.failures or verdict.reasons[:1])
    if not verdict.confirmed:
        checks.insert(0, _("its entry into force"))
    return Candidate(
        instrument=instrument,
        tier=_tier(instrument),
        applies=applies,
        reasons=[*reasons, *verdict.reasons],
        warnings=_dedup([*verdict.warnings, *warnings]),
        sources=_dedup([*instrument.sources, *verdict.sources]),
        in_force_confirmed=verdict.confirmed,
        summary=verdict.why if applies else (failures[0] if failures else ""),
        checks=_dedup([*checks, *verdict.checks]) if applies else [],
        notes=_dedup(verdict.notes),
        status="applies" if applies else "not_applicable",
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
    facts: Mapping[str, str] | None = None,
) -> list[Candidate]:
    instruments = _instruments(partner)
    memberships = list(OrganisationMembership.objects.filter(country=partner))
    parties = {
        i.pk: _parties(instrument=i, partner=partner, on_date=on_date, memberships=memberships)
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
                facts=facts,
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


def _reciprocity(first: Candidate | None) -> Candidate:
    """The fallback when nothing applies; "not needed" (and not applying) when an instrument does."""
    rule = BasisRule.objects.filter(code=RECIPROCITY_RULE).first()
    if rule is not None:
        text, basis = rule.text, rule.legal_basis
    else:
        text = _(
            "Where no treaty applies, the request may be sent or executed on the principle of reciprocity, with "
            "a written assurance of reciprocity from the other state."
        )
        basis = ""
    if first is not None:
        not_needed = _("Reciprocity is not needed: %(instrument)s applies.") % {"instrument": _mention(first)}
        return Candidate(
            instrument=None,
            tier="reciprocity",
            applies=False,
            reasons=[not_needed, text],
            legal_basis=basis,
            summary=not_needed,
            status="not_needed",
        )
    return Candidate(
        instrument=None,
        tier="reciprocity",
        applies=True,
        reasons=[text],
        legal_basis=basis,
        summary=_("No treaty or convention in the register applies."),
        checks=[_("the written assurance of reciprocity")],
        status="fallback",
    )


# --- the headline -----------------------------------------------------------------------------------------------


def _mention(candidate: Candidate) -> str:
    """How the headline names an instrument: "the 1993 bilateral treaty", a convention by its title in the reader's
    language (its English short name where the register has no translation)."""
    instrument = candidate.instrument
    if instrument is None:
        return str(tier_label("reciprocity"))
    if instrument.kind == Instrument.Kind.BILATERAL:
        # The answer's heading names the state already.
        if instrument.signed_date is not None:
            return _("the %(year)s bilateral treaty") % {"year": instrument.signed_date.year}
        return _("the bilateral treaty")
    return instrument.short_title


def _profile_checks(profile: CountryProfile | None, *, kind: str) -> list[str]:
    """What the state's profile says an officer must see to: dual criminality unless it says none is required, the
    central authority, and for extradition whether it extradites its nationals."""
    checks = []
    if profile is None or profile.dual_criminality != Answer.NO:
        checks.append(_("dual criminality"))
    if kind == Subject.EXTRADITION and (profile is None or profile.extradites_nationals != Answer.YES):
        checks.append(_("whether the requested state extradites its own nationals"))
    if (
        kind == Subject.EXTRADITION
        and profile is not None
        and profile.death_penalty_assurance
        in (
            Answer.YES,
            Answer.CONDITIONAL,
        )
    ):
        checks.append(_("the assurance on the death penalty"))
    checks.append(_("the central authority of the requested state"))
    if profile is not None and profile.language_requirements.strip():
        checks.append(_("the language of the request"))
    return checks


def _headline(first: Candidate | None, checks: list[str]) -> str:
    listed = ", ".join(_dedup(checks))
    if first is None:
        return _(
            "No treaty or convention in the register applies: send the request on the basis of reciprocity, with a "
            "written assurance of reciprocity; check: %(checks)s."
        ) % {"checks": listed or _("the written assurance of reciprocity")}
    why = first.summary
    if listed:
        return _("Use %(instrument)s (%(why)s); check: %(checks)s.") % {
            "instrument": _mention(first),
            "why": why,
            "checks": listed,
        }
    return _("Use %(instrument)s (%(why)s).") % {"instrument": _mention(first), "why": why}


# --- the public functions ---------------------------------------------------------------------------------------


def _facts(facts: Mapping[str, str] | None, problems: dict[str, str]) -> dict[str, str]:
    chosen = {}
    for code, answer in (facts or {}).items():
        if code not in ScopeCondition.values:
            problems[code] = _("Unknown fact of the case: %(code)s.") % {"code": code}
        elif (answer or FACT_UNKNOWN) not in FACT_ANSWERS:
            problems[code] = _("Answer yes, no or unknown.")
        else:
            chosen[code] = answer or FACT_UNKNOWN
    return chosen


def legal_basis_resolve(
    *,
    country: str,
    kind: str,
    on_date: dt.date,
    iccs_section: str = "",
    focus_area: str = "",
    facts: Mapping[str, str] | None = None,
) -> Resolution:
    """The instruments on which a request of `kind` to `country` (ISO alpha-2) about the offence may rest on
    `on_date`, in the order to use them, each with its reasons, warnings and sources; then those that do not
    apply, with the reasons. `facts` answers the questions of a convention's scope ({"transnational": "yes",
    "organised_group": "unknown", …}; a missing one is unknown). Reciprocity is the only basis when nothing else
    applies and is "not needed" otherwise. Raises ValidationError naming the bad field (country, kind,
    iccs_section, focus_area, a fact) for an unknown code."""
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
    chosen_facts = _facts(facts, problems)
    if problems or partner is None:
        raise ValidationError(problems)
    evaluated = _evaluate_all(
        partner=partner, on_date=on_date, kind=kind, offences=offences, facts=chosen_facts
    )
    evaluated.sort(key=_order_key)
    applicable = [c for c in evaluated if c.applies]
    rest = [c for c in evaluated if not c.applies]
    first = applicable[0] if applicable else None
    reciprocity = _reciprocity(first)
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
    profile = CountryProfile.objects.filter(country=partner).first()
    checks = [*(first.checks if first else []), *_profile_checks(profile, kind=kind)]
    if first is None:
        checks.insert(0, _("the written assurance of reciprocity"))
    return Resolution(
        country=partner.iso2,
        kind=kind,
        on_date=on_date,
        candidates=[*applicable, reciprocity, *rest],
        applicable=applicable or [reciprocity],
        warnings=_dedup(warnings),
        iccs_section=(iccs_section or "").strip(),
        focus_area=(focus_area or "").strip(),
        country_name=partner.name,
        offences=offences,
        headline=_headline(first, checks),
        reciprocity=reciprocity,
        facts=chosen_facts,
    )


def in_force_between(*, country: str | Country, on_date: dt.date) -> list[Candidate]:
    """The bilateral treaties and the conventions both states were party to that were in force between Kazakhstan
    and `country` on `on_date`, in tier order. Those resting on a ratification whose entry into force no source
    confirms are included with `in_force_confirmed=False` and the warning; a convention replaced by a newer one
    both states joined (Minsk 1993 by Chisinau 2002) is left out, and so is a Council of Europe convention for a
    state that is neither a member of the Council nor listed. `country` is an ISO code (ValidationError for
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
