"""The numbers of the treaty register: how many bilateral agreements in criminal matters Kazakhstan had on a date,
with how many states, by kind of cooperation and by region of the world, how that changed over the years, which
multilateral conventions it was party to, and — beside the register's own count — the official statements made
around that time. Reads only.

How a bilateral instrument is counted on a date D (everything follows from the dates, not from `status`, which
only describes today):

- signed by D: the signature date is known and the *last* day its precision allows is on or before D, so a
  treaty known only as "2011-02" counts from 2011-02-28 and one known as "1997" from 1997-12-31 — never before
  it certainly was signed;
- ratified by D: Kazakhstan's ratification (same rule for its precision) or the entry into force is on or before
  D; a treaty in force was ratified even when the ratification act was not found;
- in force on D: the entry into force is on or before D and it was not terminated by D. Most instruments of the
  register have no entry-into-force date, so this column is a lower bound and the page says so;
- signed and ratified are events, so an instrument terminated since still counts as signed and ratified
  (the total of agreements *concluded*, as official statements count them); it no longer counts as in force.
  How many of each column were terminated by D is given as `terminated` so the reader can subtract them;
  a termination without a date (status "terminated" only) counts as terminated on every D, as its date
  is unknown;
- the headline total is the instruments with any of the three by D (an instrument whose only known date is its
  entry into force still counts), and `states` the distinct partner states of those;
- undated: instruments with no date at all (signature, ratification, entry into force). They exist in the
  register but cannot be placed in time, so they are not in any figure; their number is given beside them.

One instrument may cover several kinds of cooperation (the register stores e.g. the 1997 Kyrgyz
extradition-and-prosecution agreement once, with two subjects): it counts once in every total and under each of
its subjects, so the subject rows add up to more than the total. Each partner state is in one region of the
world, so the region rows add up to the total.

Queries: every function loads the instruments once (two or three queries, whatever their number) and counts in
Python; the register holds about a hundred instruments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prokuratura.core.reference import WORLD_REGIONS, world_region_label

from .models import (
    KAZAKHSTAN,
    Instrument,
    InstrumentParty,
    OfficialStatement,
    Precision,
    Subject,
    partial_date_last_day,
)

# The columns of every table, in the order the page, the chart and the CSV show them.
STATUS_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("signed", _("Signed")),
    ("ratified", _("Ratified")),
    ("in_force", _("In force")),
)
STATUS_KEYS: tuple[str, ...] = tuple(key for key, _label in STATUS_COLUMNS)
UNKNOWN_REGION = ""
WEB_SCHEMES = ("https://", "http://")


@dataclass(frozen=True)
class Figure:
    """A number of distinct instruments and the sorted names of their distinct partner states."""

    count: int
    states: tuple[str, ...]

    @property
    def state_count(self) -> int:
        return len(self.states)


@dataclass(frozen=True)
class StatusRow:
    """One row of a status table: a subject or a region of the world (or the total)."""

    code: str
    label: str
    signed: int
    ratified: int
    in_force: int
    states: int  # distinct partner states of the instruments in the row (any of the three)

    @property
    def cells(self) -> tuple[int, int, int]:
        return (self.signed, self.ratified, self.in_force)


@dataclass(frozen=True)
class BilateralCounts:
    on_date: dt.date
    total: Figure  # signed, ratified or in force by the date
    signed: Figure
    ratified: Figure
    in_force: Figure
    terminated: StatusRow  # of each column, how many were terminated by the date
    undated: int  # instruments with no date at all, counted nowhere
    by_subject: list[StatusRow]  # an instrument counts under each of its subjects
    subject_total: StatusRow  # distinct instruments: not the sum of the rows
    by_region: list[StatusRow]
    region_total: StatusRow


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    on_date: dt.date  # 31 December, or today for the current year
    signed: int
    ratified: int
    in_force: int
    states: int

    @property
    def cells(self) -> tuple[int, int, int]:
        return (self.signed, self.ratified, self.in_force)


@dataclass(frozen=True)
class NearStatement:
    statement: OfficialStatement
    days_apart: int  # 0 when the date falls in the period the statement's (partial) date stands for
    nearest: bool
    # The register's own count on the statement's date (its last possible day): signed, ratified, in force.
    register: tuple[int, int, int] | None = None

    @property
    def sources(self) -> list[str]:
        return [url.strip() for url in self.statement.source_url.split("|") if url.strip()]

    @property
    def links(self) -> list[str]:
        """The sources that are web addresses: only these become links (never a `javascript:` one)."""
        return [url for url in self.sources if url.lower().startswith(WEB_SCHEMES)]

    @property
    def other_sources(self) -> list[str]:
        return [url for url in self.sources if not url.lower().startswith(WEB_SCHEMES)]


@dataclass(frozen=True)
class StatementsNear:
    on_date: dt.date
    years: int | None  # None: every statement
    rows: list[NearStatement]
    undated: int  # statements whose date is not known, left out of a window
    total: int  # statements in the register


@dataclass(frozen=True)
class MultilateralRow:
    instrument: Instrument
    party_since: dt.date | None
    party_since_label: str
    in_force_since: dt.date | None  # for Kazakhstan, where a source states it
    in_force: bool


@dataclass(frozen=True)
class MultilateralSummary:
    on_date: dt.date
    party: list[MultilateralRow]  # Kazakhstan party by the date
    date_unknown: list[Instrument]  # party today, but since when is not known
    in_force: int = field(default=0)


# --- the rules -------------------------------------------------------------------------------------------------


def _last_day(value: dt.date | None, precision: str) -> dt.date | None:
    return None if value is None else partial_date_last_day(value, precision)


@dataclass(frozen=True)
class _Facts:
    """What the rules need of one instrument, computed once."""

    instrument: Instrument
    signed_from: dt.date | None
    ratified_from: dt.date | None
    in_force_from: dt.date | None
    terminated_from: dt.date | None  # dt.date.min for a termination without a date
    partner: str  # the partner's name in the active language
    region: str
    subjects: tuple[str, ...]

    @property
    def undated(self) -> bool:
        return self.signed_from is None and self.ratified_from is None and self.in_force_from is None

    def signed_by(self, day: dt.date) -> bool:
        return self.signed_from is not None and self.signed_from <= day

    def ratified_by(self, day: dt.date) -> bool:
        return (self.ratified_from is not None and self.ratified_from <= day) or (
            self.in_force_from is not None and self.in_force_from <= day
        )

    def entered_into_force_by(self, day: dt.date) -> bool:
        return self.in_force_from is not None and self.in_force_from <= day

    def terminated_by(self, day: dt.date) -> bool:
        return self.terminated_from is not None and self.terminated_from <= day

    def in_force_on(self, day: dt.date) -> bool:
        return self.entered_into_force_by(day) and not self.terminated_by(day)

    def counted_on(self, day: dt.date) -> bool:
        return self.signed_by(day) or self.ratified_by(day)


def _facts(instrument: Instrument) -> _Facts:
    terminated = instrument.terminated_date
    if terminated is None and instrument.status == Instrument.Status.TERMINATED:
        terminated = dt.date.min
    partner = instrument.partner
    return _Facts(
        instrument=instrument,
        signed_from=_last_day(instrument.signed_date, instrument.signed_precision),
        ratified_from=_last_day(instrument.ratified_date, instrument.ratified_precision),
        in_force_from=instrument.in_force_date,
        terminated_from=terminated,
        partner=partner.name if partner else "",
        region=(partner.world_region if partner else "") or UNKNOWN_REGION,
        subjects=tuple(s.subject for s in instrument.subjects.all()),
    )


def bilateral_register() -> list[_Facts]:
    """Every bilateral instrument with its partner and subjects, as the reads below count them: two queries.
    A page that shows several of the reads loads this once and passes it to each as `facts`."""
    instruments = (
        Instrument.objects.filter(kind=Instrument.Kind.BILATERAL)
        .select_related("partner")
        .prefetch_related("subjects")
        .order_by("pk")
    )
    return [_facts(instrument) for instrument in instruments]


def _names(facts: Iterable[_Facts]) -> tuple[str, ...]:
    return tuple(sorted({f.partner for f in facts}, key=lambda name: (name.casefold(), name)))


def _row(code: str, label: Any, facts: Sequence[_Facts], day: dt.date) -> StatusRow:
    return StatusRow(
        code=code,
        label=str(label),
        signed=sum(1 for f in facts if f.signed_by(day)),
        ratified=sum(1 for f in facts if f.ratified_by(day)),
        in_force=sum(1 for f in facts if f.in_force_on(day)),
        states=len({f.partner for f in facts if f.counted_on(day)}),
    )


def _region_label(code: str) -> str:
    return str(_("Region not known")) if code == UNKNOWN_REGION else world_region_label(code)


def _counts(facts: list[_Facts], day: dt.date) -> BilateralCounts:
    counted = [f for f in facts if f.counted_on(day)]
    signed = [f for f in facts if f.signed_by(day)]
    ratified = [f for f in facts if f.ratified_by(day)]
    in_force = [f for f in facts if f.in_force_on(day)]
    terminated = StatusRow(
        code="terminated",
        label=str(_("Terminated by the date")),
        signed=sum(1 for f in signed if f.terminated_by(day)),
        ratified=sum(1 for f in ratified if f.terminated_by(day)),
        in_force=sum(1 for f in facts if f.entered_into_force_by(day) and f.terminated_by(day)),
        states=len({f.partner for f in counted if f.terminated_by(day)}),
    )
    by_subject = []
    for subject in Subject:
        members = [f for f in counted if subject.value in f.subjects]
        if members:
            by_subject.append(_row(subject.value, subject.label, members, day))
    regions = [*WORLD_REGIONS, UNKNOWN_REGION]
    by_region = []
    for region in regions:
        members = [f for f in counted if f.region == region]
        if members:
            by_region.append(_row(region, _region_label(region), members, day))
    for region in sorted({f.region for f in counted} - set(regions)):
        by_region.append(_row(region, _region_label(region), [f for f in counted if f.region == region], day))
    total_row = _row("total", _("All instruments (each counted once)"), counted, day)
    return BilateralCounts(
        on_date=day,
        total=Figure(len(counted), _names(counted)),
        signed=Figure(len(signed), _names(signed)),
        ratified=Figure(len(ratified), _names(ratified)),
        in_force=Figure(len(in_force), _names(in_force)),
        terminated=terminated,
        undated=sum(1 for f in facts if f.undated),
        by_subject=by_subject,
        subject_total=total_row,
        by_region=by_region,
        region_total=total_row,
    )


# --- the public reads ------------------------------------------------------------------------------------------


def bilateral_counts_on(*, on_date: dt.date, facts: Sequence[_Facts] | None = None) -> BilateralCounts:
    """The bilateral instruments signed, ratified and in force on `on_date`, their partner states, by subject
    and by region of the world (rules in the module's docstring). Two queries (none given `facts`)."""
    return _counts(bilateral_register() if facts is None else list(facts), on_date)


def bilateral_series(
    *,
    start_year: int | None = None,
    end_year: int | None = None,
    today: dt.date | None = None,
    facts: Sequence[_Facts] | None = None,
) -> list[SeriesPoint]:
    """Signed, ratified and in force at the end of each year (for the current year: today), from `start_year`
    (default: the first year any instrument has a date) to `end_year` (default and at most: this year).
    Two queries (none given `facts`)."""
    today = today or timezone.localdate()
    facts = bilateral_register() if facts is None else facts
    if start_year is None:
        years = [
            day.year
            for f in facts
            for day in (f.signed_from, f.ratified_from, f.in_force_from)
            if day is not None and day <= today
        ]
        start_year = min(years, default=today.year)
    end_year = today.year if end_year is None else min(end_year, today.year)
    points = []
    for year in range(start_year, end_year + 1):
        day = today if year == today.year else dt.date(year, 12, 31)
        row = _row(str(year), str(year), facts, day)
        points.append(SeriesPoint(year, day, row.signed, row.ratified, row.in_force, row.states))
    return points


def _shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _days_apart(statement: OfficialStatement, day: dt.date) -> int:
    """Days from `day` to the period the statement's partial date stands for (0 inside it)."""
    assert statement.date is not None  # noqa: S101 - callers pass dated statements only
    first = statement.date
    last = partial_date_last_day(first, statement.date_precision or Precision.DAY)
    if day < first:
        return (first - day).days
    if day > last:
        return -(day - last).days
    return 0


def statements_near(
    *, on_date: dt.date, years: int | None = 2, facts: Sequence[_Facts] | None = None
) -> StatementsNear:
    """The official statements dated within `years` years either side of `on_date` (all of them for None),
    in date order, the nearest marked (several when equally near). A statement known only to the month or
    year is near when any day it may stand for is. Beside each, the register's own signed / ratified / in force
    count on the statement's date. Three queries (one given `facts`)."""
    statements = list(OfficialStatement.objects.order_by("date", "id"))
    dated = [s for s in statements if s.date is not None]
    if years is None:
        chosen = dated
    else:
        low, high = _shift_years(on_date, -years), _shift_years(on_date, years)
        chosen = [
            s
            for s in dated
            if s.date is not None
            and s.date <= high
            and partial_date_last_day(s.date, s.date_precision or Precision.DAY) >= low
        ]
    distances = [_days_apart(s, on_date) for s in chosen]
    nearest = min((abs(d) for d in distances), default=None)
    if not chosen:
        facts = []
    elif facts is None:
        facts = bilateral_register()
    rows = []
    for s, d in zip(chosen, distances, strict=True):
        assert s.date is not None  # noqa: S101 - `chosen` holds dated statements only
        then = partial_date_last_day(s.date, s.date_precision or Precision.DAY)
        register = _row("", "", facts, then).cells
        rows.append(NearStatement(s, d, abs(d) == nearest, register))
    undated = [s for s in statements if s.date is None]
    if years is None:
        rows += [NearStatement(s, 0, False) for s in undated]
    return StatementsNear(
        on_date=on_date,
        years=years,
        rows=rows,
        undated=0 if years is None else len(undated),
        total=len(statements),
    )


def multilateral_on(*, on_date: dt.date) -> MultilateralSummary:
    """The multilateral conventions Kazakhstan was party to on `on_date`: its party entry's date (ratification
    or accession; the instrument's ratification date when the entry has none), counted from the last day the
    date's precision allows, and whether a source says it was in force for Kazakhstan by then. Conventions
    Kazakhstan is party to with no known date are listed apart. Two queries."""
    kazakhstan = Prefetch(
        "parties",
        queryset=InstrumentParty.objects.filter(country_id=KAZAKHSTAN).order_by(),
        to_attr="kazakhstan_parties",
    )
    instruments = (
        Instrument.objects.filter(kind=Instrument.Kind.MULTILATERAL)
        .prefetch_related(kazakhstan)
        .order_by("family", "signed_date", "short_name", "code")
    )
    party: list[MultilateralRow] = []
    date_unknown: list[Instrument] = []
    for instrument in instruments:
        entries: list[InstrumentParty] = getattr(instrument, "kazakhstan_parties", [])
        entry = entries[0] if entries else None
        if entry is not None and entry.status != InstrumentParty.Status.PARTY:
            continue
        if entry is None and instrument.status not in (
            Instrument.Status.IN_FORCE,
            Instrument.Status.RATIFIED,
        ):
            continue
        if instrument.terminated_date is not None and instrument.terminated_date <= on_date:
            continue
        since: dt.date | None = instrument.ratified_date
        precision = instrument.ratified_precision
        if entry is not None and entry.date is not None:
            since, precision = entry.date, entry.date_precision
        if since is None:
            date_unknown.append(instrument)
            continue
        if partial_date_last_day(since, precision) > on_date:
            continue
        in_force_since = entry.in_force_date if entry is not None else None
        party.append(
            MultilateralRow(
                instrument=instrument,
                party_since=since,
                party_since_label=entry.date_display if entry and entry.date else instrument.ratified_display,
                in_force_since=in_force_since,
                in_force=in_force_since is not None and in_force_since <= on_date,
            )
        )
    return MultilateralSummary(
        on_date=on_date,
        party=party,
        date_unknown=date_unknown,
        in_force=sum(1 for row in party if row.in_force),
    )
