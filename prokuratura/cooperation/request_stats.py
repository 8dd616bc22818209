"""The numbers of the requests for legal assistance: how many, of which direction, kind, partner state and offence
area, with what outcome; how long the execution took per partner state (median and 90th percentile); which are
overdue now. Reads only; every count is made by the database (grouped queries), never by walking records in Python,
so the totals are exact. The numbers page, its chart and CSV, the API and the reports module call
`request_numbers` and nothing else, so they cannot disagree.

For the reports module::

    from prokuratura.cooperation.request_stats import NumbersFilters, request_numbers

    numbers = request_numbers(user=user, filters=NumbersFilters(date_from=..., date_to=...))
    numbers.total.total                  # requests started in the period
    numbers.table("partner").rows        # CountRow per partner state: .total, .value("executed"), .cells
    numbers.durations                    # DurationRow per partner state and direction: .count, .median, .p90
    numbers.overdue_total, numbers.overdue_by_office, numbers.overdue_by_partner

What each figure means, for the period `date_from`–`date_to` (both days included):

- the requests counted are those that *started* in the period: an outgoing request on the day it was sent
  (`sent_on`), an incoming one on the day it was received (`received_on`). An outgoing request not sent yet (draft,
  checked, signed, or withdrawn before sending) has not started and is in no figure;
- counts by direction, kind, partner state, focus area and ICCS section, each split by outcome (`Outcome`): still
  open (any status of `request_transitions.OPEN`), executed, partly executed, refused, withdrawn, materials sent
  back (an incoming request whose execution was sent back to the partner: it was executed too, so the
  executed figure of incoming requests is "executed" + "materials sent"). Requests without a focus area or an ICCS
  section are in a row "Not stated" (key "");
- time to execution in days: from the start (`sent_on` or `received_on`) to `executed_on`, of the requests that
  started in the period and were executed in full or in part (statuses executed, partly executed, materials
  sent; a refusal is not an execution), per partner state and direction — the partner's speed (outgoing) and ours
  (incoming) are not mixed. The median and the 90th percentile are PostgreSQL's `percentile_cont`: sorted values
  v₀…vₙ₋₁, rank r = p·(n−1), the value v⌊r⌋ + (r−⌊r⌋)·(v⌊r⌋₊₁ − v⌊r⌋). With whole days and p = 0.5 or 0.9 the
  result is a multiple of 0.1, so it is returned exactly as a Decimal with one decimal place. The database returns
  a histogram (days → how many) and the percentiles are read off it, which works alike on SQLite and PostgreSQL;
- overdue: as of `today`, the requests awaiting the partner or the executing body (`request_transitions.AWAITING`)
  whose due date has passed — *whatever their start date* (an overdue request sent years ago is still overdue),
  within the office, direction and kind chosen; by owning office and by partner state, with the oldest due date.

Whose numbers. Statistics are numbers, not records, so they are counted as supervision's and the appeals' are
(core.access.counting_scope_q): over the user's office and every office below it, every office for national roles
(auditors) and for the Prosecutor General's Office (the root), regardless of each record's sensitivity — a
restricted (terrorism, extremism) request is counted, since a count carries none of its content and leaving it out
would make the totals wrong. It needs `cooperation.view_stats` (Perm.COOP_STATS); without it every figure is 0.
Nothing is cached.

Queries: five grouped counts, one histogram, one overdue count, and the names of the partner states, crime
categories and offices that occur (three small reads) — ten in all, whatever the number of requests.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    TextChoices,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import counting_scope_q, office_subtree_q
from prokuratura.core.models import Country, CrimeCategory, Office

from .models_requests import AssistanceRequest, Direction, RequestKind, RequestStatus
from .request_transitions import AWAITING, OPEN

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

S = RequestStatus


class Outcome(TextChoices):
    """The outcome groups of the numbers: every status still running is "open"; each end state is its own."""

    OPEN = "open", pgettext_lazy("request outcome", "Open")
    EXECUTED = "executed", _("Executed")
    PARTLY_EXECUTED = "partly_executed", _("Partly executed")
    REFUSED = "refused", pgettext_lazy("request", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("request", "Withdrawn")
    MATERIALS_SENT = "materials_sent", _("Materials sent back")


OUTCOME_OF_STATUS: dict[str, str] = {
    **dict.fromkeys(OPEN, Outcome.OPEN.value),
    S.EXECUTED: Outcome.EXECUTED.value,
    S.PARTLY_EXECUTED: Outcome.PARTLY_EXECUTED.value,
    S.REFUSED: Outcome.REFUSED.value,
    S.WITHDRAWN: Outcome.WITHDRAWN.value,
    S.MATERIALS_SENT: Outcome.MATERIALS_SENT.value,
}
assert set(OUTCOME_OF_STATUS) == set(S.values)  # noqa: S101 - every status has its group

# Executed, in full or in part: the requests whose time to execution is measured.
EXECUTED_STATUSES = frozenset({S.EXECUTED, S.PARTLY_EXECUTED, S.MATERIALS_SENT})


class Dimension(TextChoices):
    DIRECTION = "direction", _("Direction")
    KIND = "kind", _("Kind of request")
    PARTNER = "partner", _("Partner state")
    FOCUS_AREA = "focus_area", _("Focus area")
    ICCS_SECTION = "iccs_section", _("ICCS section")


DIMENSION_FIELDS: dict[str, str] = {
    Dimension.DIRECTION: "direction",
    Dimension.KIND: "kind",
    Dimension.PARTNER: "partner",
    Dimension.FOCUS_AREA: "focus_area",
    Dimension.ICCS_SECTION: "offence_category",
}
NOT_STATED = ""  # the key of the row of requests without a focus area or ICCS section
MEDIAN, P90 = Fraction(1, 2), Fraction(9, 10)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class NumbersFilters:
    """What the numbers are counted over: the period of the start date (both days included), and optionally an
    office with the offices below it, a direction and a kind ("" = all)."""

    date_from: dt.date
    date_to: dt.date
    office: Office | None = None
    direction: str = ""
    kind: str = ""


@dataclass(frozen=True)
class CountRow:
    key: str  # direction or kind code, ISO alpha-2, crime-category code; "" for "not stated"
    name: str
    total: int
    by_outcome: dict[str, int]  # Outcome value → count (every outcome present, zeros included)

    def value(self, outcome: str) -> int:
        return self.by_outcome.get(outcome, 0)

    @property
    def cells(self) -> tuple[int, ...]:
        """The counts in the order of `Outcome`."""
        return tuple(self.by_outcome[o] for o in Outcome.values)


@dataclass(frozen=True)
class CountTable:
    dimension: str
    label: Any
    rows: list[CountRow]
    totals: CountRow


@dataclass(frozen=True)
class DurationRow:
    partner: str  # ISO alpha-2; "" in the totals
    partner_name: str
    direction: str
    count: int  # executed requests measured
    median: Decimal | None  # days, one decimal place; None when nothing was executed
    p90: Decimal | None
    shortest: int | None
    longest: int | None

    @property
    def direction_label(self) -> str:
        return str(Direction(self.direction).label)


@dataclass(frozen=True)
class OverdueRow:
    key: str  # office code or ISO alpha-2
    name: str
    depth: int  # the office's depth in the tree (0 for partner states), for indenting
    count: int
    oldest_due: dt.date


@dataclass(frozen=True)
class RequestNumbers:
    date_from: dt.date
    date_to: dt.date
    today: dt.date  # the day "overdue" is counted on
    office: Office | None
    direction: str
    kind: str
    outcomes: tuple[tuple[str, Any], ...]  # (Outcome value, label): the count tables' columns
    tables: list[CountTable]  # one per Dimension, in its order
    durations: list[DurationRow]  # per partner state (by name) and direction
    duration_totals: list[DurationRow]  # per direction, all partner states together
    overdue_by_office: list[OverdueRow]  # in tree order
    overdue_by_partner: list[OverdueRow]  # the most overdue requests first
    overdue_total: int

    @property
    def total(self) -> CountRow:
        """All requests started in the period, by outcome."""
        return self.tables[0].totals

    def table(self, dimension: str) -> CountTable:
        return next(t for t in self.tables if t.dimension == dimension)


# --- whose numbers ---------------------------------------------------------------------------------------------


def _may_count(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(Perm.COOP_STATS))


def numbers_scope_q(*, user: User, field: str = "office") -> Q:
    """The requests whose numbers the user may count (see the module's docstring)."""
    if not _may_count(user):
        return Q(pk__in=[])
    return counting_scope_q(user=user, field=field)


def numbers_offices(*, user: User) -> QuerySet[Office]:
    """The offices the user may narrow the numbers to, in tree order."""
    if not _may_count(user):
        return Office.objects.none()
    return Office.objects.filter(numbers_scope_q(user=user, field="pk")).order_by("path")


def numbers_office(*, user: User, code: str) -> Office | None:
    """The office with this code if the user may narrow the numbers to it, else None (the API's filter)."""
    return numbers_offices(user=user).filter(code=code.strip()).first()


# --- percentiles -----------------------------------------------------------------------------------------------


def percentile_cont(histogram: list[tuple[int, int]], p: Fraction) -> Decimal | None:
    """PostgreSQL's `percentile_cont(p)` of the values a histogram [(value, how many)] sorted by value holds,
    computed exactly (None when it is empty). The result is rounded to a tenth only in representation: for whole
    values and p = 1/2 or 9/10 it is a multiple of 1/10 (docstring above)."""
    n = sum(count for _value, count in histogram)
    if n == 0:
        return None
    rank = p * (n - 1)
    low = math.floor(rank)
    fraction = rank - low

    def value_at(index: int) -> int:
        seen = 0
        for value, count in histogram:
            seen += count
            if index < seen:
                return value
        return histogram[-1][0]

    below = value_at(low)
    above = value_at(low + 1) if fraction else below
    exact = Fraction(below) + fraction * (above - below)
    result = Decimal(exact.numerator) / Decimal(exact.denominator)
    return result.quantize(TENTH)


# --- counting --------------------------------------------------------------------------------------------------


def _start_in_period(date_from: dt.date, date_to: dt.date) -> Q:
    return Q(direction=Direction.OUTGOING, sent_on__gte=date_from, sent_on__lte=date_to) | Q(
        direction=Direction.INCOMING, received_on__gte=date_from, received_on__lte=date_to
    )


def _scoped(*, user: User, filters: NumbersFilters) -> QuerySet[AssistanceRequest]:
    """The requests of the user's counting scope within the filters' office, direction and kind (not the period)."""
    qs = AssistanceRequest.objects.filter(numbers_scope_q(user=user))
    if filters.office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=filters.office))
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by()  # no Meta.ordering in the GROUP BY


def _empty_outcomes() -> dict[str, int]:
    return dict.fromkeys(Outcome.values, 0)


def _count_by(qs: QuerySet[AssistanceRequest], field_name: str) -> dict[str, dict[str, int]]:
    """key → outcome → count, from one query grouped by the field and the status."""
    counts: dict[str, dict[str, int]] = {}
    for values in qs.values(field_name, "status").annotate(n=Count("pk")):
        key = values[field_name] if values[field_name] is not None else NOT_STATED
        outcome = OUTCOME_OF_STATUS.get(values["status"])
        if outcome is None:  # a status the lifecycle no longer has: not guessed into a group
            continue
        counts.setdefault(str(key), _empty_outcomes())[outcome] += values["n"]
    return counts


def _row(key: str, name: str, outcomes: dict[str, int]) -> CountRow:
    return CountRow(key=key, name=name, total=sum(outcomes.values()), by_outcome=dict(outcomes))


def _totals(counts: dict[str, dict[str, int]]) -> CountRow:
    total = _empty_outcomes()
    for outcomes in counts.values():
        for outcome, n in outcomes.items():
            total[outcome] += n
    return _row("", str(_("Total")), total)


@dataclass
class _Names:
    """The names of the partner states, crime categories and offices that occur, read once each at the end."""

    countries: set[str] = field(default_factory=set)
    categories: set[int] = field(default_factory=set)

    def country_names(self) -> dict[str, str]:
        if not self.countries:
            return {}
        return {c.iso2: c.name for c in Country.objects.filter(iso2__in=self.countries)}

    def category_rows(self) -> dict[int, CrimeCategory]:
        if not self.categories:
            return {}
        return CrimeCategory.objects.in_bulk(list(self.categories))


def _choice_table(dimension: str, counts: dict[str, dict[str, int]], choices: Iterable[Any]) -> CountTable:
    rows = [_row(c.value, str(c.label), counts[c.value]) for c in choices if c.value in counts]
    return CountTable(dimension, Dimension(dimension).label, rows, _totals(counts))


def _not_stated() -> str:
    return str(_("Not stated"))


def _partner_table(counts: dict[str, dict[str, int]], names: dict[str, str]) -> CountTable:
    rows = [_row(key, names.get(key, key), outcomes) for key, outcomes in counts.items()]
    rows.sort(key=lambda row: (-row.total, row.name))
    return CountTable(Dimension.PARTNER, Dimension(Dimension.PARTNER).label, rows, _totals(counts))


def _category_table(
    dimension: str, counts: dict[str, dict[str, int]], categories: dict[int, CrimeCategory]
) -> CountTable:
    stated = []
    for key, outcomes in counts.items():
        if key == NOT_STATED:
            continue
        category = categories.get(int(key))
        if category is None:
            continue
        stated.append(((category.ordering, category.code), _row(category.code, category.name, outcomes)))
    stated.sort(key=lambda pair: pair[0])
    rows = [row for _order, row in stated]
    if NOT_STATED in counts:
        rows.append(_row(NOT_STATED, _not_stated(), counts[NOT_STATED]))
    return CountTable(dimension, Dimension(dimension).label, rows, _totals(counts))


def _histograms(qs: QuerySet[AssistanceRequest]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(partner, direction) → [(days to execution, how many)] sorted by days: one grouped query."""
    start = Case(
        When(direction=Direction.OUTGOING, then=F("sent_on")),
        default=F("received_on"),
        output_field=DateField(),
    )
    took = ExpressionWrapper(F("executed_on") - start, output_field=DurationField())
    rows = (
        qs.filter(status__in=EXECUTED_STATUSES, executed_on__isnull=False)
        .annotate(took=took)
        .values("partner", "direction", "took")
        .annotate(n=Count("pk"))
    )
    histograms: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for values in rows:
        took_value = values["took"]
        days = took_value.days if isinstance(took_value, dt.timedelta) else int(took_value)
        histograms.setdefault((values["partner"], values["direction"]), []).append((days, values["n"]))
    for histogram in histograms.values():
        histogram.sort()
    return histograms


def _merge(histograms: Iterable[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for days, n in histogram:
            merged[days] = merged.get(days, 0) + n
    return sorted(merged.items())


def _duration_row(partner: str, name: str, direction: str, histogram: list[tuple[int, int]]) -> DurationRow:
    return DurationRow(
        partner=partner,
        partner_name=name,
        direction=direction,
        count=sum(n for _days, n in histogram),
        median=percentile_cont(histogram, MEDIAN),
        p90=percentile_cont(histogram, P90),
        shortest=histogram[0][0] if histogram else None,
        longest=histogram[-1][0] if histogram else None,
    )


def _overdue(qs: QuerySet[AssistanceRequest], today: dt.date) -> list[dict[str, Any]]:
    groups = (
        qs.filter(status__in=AWAITING, due_date__lt=today)
        .values("office", "partner")
        .annotate(n=Count("pk"), oldest=Min("due_date"))
    )
    return [dict(values) for values in groups]


def _fold(groups: list[dict[str, Any]], key: str) -> dict[Any, tuple[int, dt.date]]:
    """The overdue groups (office × partner) added up by one of the two: key → (count, oldest due date)."""
    folded: dict[Any, tuple[int, dt.date]] = {}
    for values in groups:
        count, oldest = folded.get(values[key], (0, values["oldest"]))
        folded[values[key]] = (count + values["n"], min(oldest, values["oldest"]))
    return folded


def request_numbers(*, user: User, filters: NumbersFilters, today: dt.date | None = None) -> RequestNumbers:
    """The requests' figures for `filters` within the user's counting scope (see the module's docstring): counts by
    direction, kind, partner state, focus area and ICCS section split by outcome; days to execution per partner
    state and direction; the overdue requests as of `today` (the local date when omitted) by office and partner."""
    if filters.direction and filters.direction not in Direction.values:
        raise ValueError(f"unknown direction {filters.direction!r}")
    if filters.kind and filters.kind not in RequestKind.values:
        raise ValueError(f"unknown kind {filters.kind!r}")
    today = today or timezone.localdate()
    scoped = _scoped(user=user, filters=filters)
    started = scoped.filter(_start_in_period(filters.date_from, filters.date_to))

    counts = {dimension: _count_by(started, DIMENSION_FIELDS[dimension]) for dimension in Dimension.values}
    histograms = _histograms(started)
    overdue = _overdue(scoped, today)

    names = _Names()
    names.countries.update(counts[Dimension.PARTNER])
    names.countries.update(partner for partner, _direction in histograms)
    names.countries.update(values["partner"] for values in overdue)
    for dimension in (Dimension.FOCUS_AREA, Dimension.ICCS_SECTION):
        names.categories.update(int(key) for key in counts[dimension] if key != NOT_STATED)
    country_names = names.country_names()
    categories = names.category_rows()

    tables = [
        _choice_table(Dimension.DIRECTION, counts[Dimension.DIRECTION], Direction),
        _choice_table(Dimension.KIND, counts[Dimension.KIND], RequestKind),
        _partner_table(counts[Dimension.PARTNER], country_names),
        _category_table(Dimension.FOCUS_AREA, counts[Dimension.FOCUS_AREA], categories),
        _category_table(Dimension.ICCS_SECTION, counts[Dimension.ICCS_SECTION], categories),
    ]

    durations = [
        _duration_row(partner, country_names.get(partner, partner), direction, histogram)
        for (partner, direction), histogram in histograms.items()
    ]
    direction_order = {value: index for index, value in enumerate(Direction.values)}
    durations.sort(key=lambda row: (row.partner_name, direction_order[row.direction]))
    all_states = str(_("All partner states"))
    duration_totals = [
        _duration_row(
            "",
            all_states,
            direction,
            _merge(h for (_partner, d), h in histograms.items() if d == direction),
        )
        for direction in Direction.values
        if any(d == direction for _partner, d in histograms)
    ]

    by_office = _fold(overdue, "office")
    offices = Office.objects.in_bulk(list(by_office)) if by_office else {}
    overdue_by_office = [
        OverdueRow(key=office.code, name=office.name, depth=office.depth, count=n, oldest_due=oldest)
        for office, (n, oldest) in sorted(
            ((offices[pk], figures) for pk, figures in by_office.items()), key=lambda pair: pair[0].path
        )
    ]
    overdue_by_partner = sorted(
        (
            OverdueRow(key=iso2, name=country_names.get(iso2, iso2), depth=0, count=n, oldest_due=oldest)
            for iso2, (n, oldest) in _fold(overdue, "partner").items()
        ),
        key=lambda row: (-row.count, row.oldest_due, row.name),
    )
    return RequestNumbers(
        date_from=filters.date_from,
        date_to=filters.date_to,
        today=today,
        office=filters.office,
        direction=filters.direction,
        kind=filters.kind,
        outcomes=tuple((o.value, o.label) for o in Outcome),
        tables=tables,
        durations=durations,
        duration_totals=duration_totals,
        overdue_by_office=overdue_by_office,
        overdue_by_partner=overdue_by_partner,
        overdue_total=sum(values["n"] for values in overdue),
    )
