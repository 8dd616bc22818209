"""The numbers of supervision: per office, region, type of act or month, for a period. Reads only; every figure is
counted by the database (one grouped query per table: inspections, violations, acts), never by walking records in
Python, so the totals are exact. The numbers page, its charts and CSV, the API and — later — the reports module call
`supervision_numbers` and nothing else, so they cannot disagree.

What each figure means, for the period from `date_from` to `date_to` (both days included):

- inspections: inspections whose period starts in the period and that were carried out — ordered or further on;
  an inspection still only planned, or cancelled, is not counted;
- violations found and damage found: violations found in the period (`found_on`), and the sum of their damage;
- acts issued, in all and by type: acts dated in the period (`issued_on`); a withdrawn act is not counted;
- acts satisfied: of those acts, the ones the addressee satisfied fully or partly, or a court granted fully or
  partly (`models.SATISFIED_RESULTS`, `SATISFIED_COURT_RESULTS`);
- persons whose rights were restored, amount recovered, persons brought to disciplinary, administrative or
  criminal responsibility: the sums recorded on those acts.

Whose numbers. Statistics are numbers, not records, so they are counted as the appeals' are
(appeals.stats.stats_scope_q): over the user's office and every office below it regardless of each record's
sensitivity (a count reveals no content, and leaving restricted records out would make the totals wrong); national
roles (core.access.NATIONAL_ROLES, auditors) and everyone at the Prosecutor General's Office (the root of the tree:
analysts there) count every office; a head of a regional office counts the region's offices. It needs
`supervision.view_stats`.

Grouping is by the record's office, by the region of that office, by type of act (acts' figures only), or by month
of each figure's own date. Groups with nothing in the period are not listed, except months: a period of up to
MONTHS_FILLED months lists every month, zeros included, so a chart's axis has no gaps. Nothing is cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Sum, TextChoices
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import counting_scope_q, office_subtree_q
from prokuratura.core.models import Office, Region

from .models import (
    SATISFIED_RESULTS,
    Act,
    ActStatus,
    ActType,
    CourtResult,
    Inspection,
    InspectionStatus,
    Violation,
)

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

SATISFIED_COURT_RESULTS = (CourtResult.SATISFIED, CourtResult.PARTLY)
# Inspections that were never carried out: still only planned, or cancelled.
NOT_CARRIED_OUT = (InspectionStatus.PLANNED, InspectionStatus.CANCELLED)
# Up to this many months every month is listed (zeros included); beyond, only the months with figures.
MONTHS_FILLED = 36


class Group(TextChoices):
    OFFICE = "office", _("Office")
    REGION = "region", _("Region")
    ACT_TYPE = "act_type", _("Type of act")
    MONTH = "month", _("Month")


INSPECTION_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("inspections", _("Inspections")),
    ("violations", _("Violations found")),
    ("damage", _("Damage found, tenge")),
)
ACTS_COLUMN: tuple[tuple[str, Any], ...] = (("acts", _("Acts issued")),)
RESULT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("acts_satisfied", _("Acts satisfied")),
    ("persons_restored", _("Persons whose rights were restored")),
    ("amount_recovered", _("Amount recovered, tenge")),
    ("persons_disciplinary", _("Brought to disciplinary responsibility")),
    ("persons_administrative", _("Brought to administrative responsibility")),
    ("persons_criminal", _("Brought to criminal responsibility")),
)
TYPE_PREFIX = "type:"
# What each grouping but the month's groups by.
GROUP_FIELDS: dict[str, str] = {"office": "office", "region": "office__region", "act_type": "act_type"}
ACT_SUMS = (
    "persons_restored",
    "amount_recovered",
    "persons_disciplinary",
    "persons_administrative",
    "persons_criminal",
)

Figure = int | Decimal | None


@dataclass(frozen=True)
class Figures:
    """One row's (or the totals') figures. Inspections, violations and damage are None when grouped by type of
    act, which they have none of."""

    inspections: int | None = 0
    violations: int | None = 0
    damage: Decimal | None = Decimal("0")
    acts: int = 0
    acts_by_type: Mapping[str, int] = field(default_factory=dict)  # act type code → acts issued
    acts_satisfied: int = 0
    persons_restored: int = 0
    amount_recovered: Decimal = Decimal("0")
    persons_disciplinary: int = 0
    persons_administrative: int = 0
    persons_criminal: int = 0

    def value(self, key: str) -> Figure:
        """The figure of a column key ("acts", "type:protest", …)."""
        if key.startswith(TYPE_PREFIX):
            return self.acts_by_type.get(key.removeprefix(TYPE_PREFIX), 0)
        value: Figure = getattr(self, key)
        return value

    @property
    def persons_responsible(self) -> int:
        return self.persons_disciplinary + self.persons_administrative + self.persons_criminal


@dataclass(frozen=True)
class NumbersRow:
    key: str  # the office's code, the region's KATO code, the act type's code, or "2026-03"
    name: str
    depth: int  # the office's depth in the tree (0 otherwise), for indenting
    figures: Figures
    cells: tuple[Figure, ...]  # in the columns' order
    main_cells: tuple[Figure, ...]  # the columns other than per type of act (Numbers.main_columns)
    type_cells: tuple[Figure, ...]  # the per-type columns (Numbers.type_columns)


@dataclass(frozen=True)
class Numbers:
    group: str
    date_from: dt.date
    date_to: dt.date
    office: Office | None
    region: Region | None
    columns: tuple[tuple[str, Any], ...]  # (key, label), in the table's order
    act_types: tuple[tuple[str, str], ...]  # (code, name) of the per-type columns
    rows: list[NumbersRow]
    totals: Figures
    total_cells: tuple[Figure, ...]

    @property
    def main_columns(self) -> tuple[tuple[str, Any], ...]:
        return tuple(column for column in self.columns if not column[0].startswith(TYPE_PREFIX))

    @property
    def type_columns(self) -> tuple[tuple[str, Any], ...]:
        return tuple(column for column in self.columns if column[0].startswith(TYPE_PREFIX))

    @property
    def main_totals(self) -> tuple[Figure, ...]:
        return tuple(self.totals.value(key) for key, _label in self.main_columns)

    @property
    def type_totals(self) -> tuple[Figure, ...]:
        return tuple(self.totals.value(key) for key, _label in self.type_columns)

    @property
    def group_label(self) -> Any:
        return Group(self.group).label


# --- whose numbers ---------------------------------------------------------------------------------------------


def _may_count(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(Perm.SUPERVISION_STATS))


def numbers_scope_q(*, user: User, field: str = "office") -> Q:
    """The records whose numbers the user may count: their office subtree (everything for national roles)."""
    if not _may_count(user):
        return Q(pk__in=[])
    return counting_scope_q(user=user, field=field)


def numbers_offices(*, user: User) -> QuerySet[Office]:
    """The offices the user may narrow the numbers to (the scope of `numbers_scope_q`), in tree order."""
    if not _may_count(user):
        return Office.objects.none()
    return Office.objects.filter(numbers_scope_q(user=user, field="pk")).order_by("path")


def numbers_regions(*, user: User) -> QuerySet[Region]:
    """The regions of those offices."""
    if not _may_count(user):
        return Region.objects.none()
    offices = Office.objects.filter(numbers_scope_q(user=user, field="pk")).values("region")
    return Region.objects.filter(pk__in=offices).order_by("kato_code")


def numbers_office(*, user: User, code: str) -> Office | None:
    """The office with this code if the user may narrow the numbers to it, else None (the API's filter)."""
    return numbers_offices(user=user).filter(code=code.strip()).first()


def numbers_region(*, user: User, kato_code: str) -> Region | None:
    """The region with this KATO code if it has an office in the user's scope, else None."""
    return numbers_regions(user=user).filter(kato_code=kato_code.strip()).first()


# --- counting --------------------------------------------------------------------------------------------------


def _counted(
    model: type[Any],
    date_field: str,
    *,
    user: User,
    date_from: dt.date,
    date_to: dt.date,
    office: Office | None,
    region: Region | None,
) -> QuerySet[Any]:
    qs = model.objects.filter(numbers_scope_q(user=user)).filter(
        **{f"{date_field}__gte": date_from, f"{date_field}__lte": date_to}
    )
    if office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=office))
    if region is not None:
        qs = qs.filter(office__region=region)
    return qs.order_by()  # no Meta.ordering in the GROUP BY


def _grouped(qs: QuerySet[Any], group: str, date_field: str, *extra: str) -> QuerySet[Any]:
    """`qs` grouped by the group's key, named "key" (and by `extra` fields)."""
    if group == Group.MONTH:
        return qs.annotate(key=TruncMonth(date_field)).values("key", *extra)
    return qs.annotate(key=F(GROUP_FIELDS[group])).values("key", *extra)


def _act_measures() -> dict[str, Any]:
    satisfied = Q(result__in=SATISFIED_RESULTS) | Q(court_result__in=SATISFIED_COURT_RESULTS)
    measures: dict[str, Any] = {"acts": Count("pk"), "acts_satisfied": Count("pk", filter=satisfied)}
    measures.update({name: Sum(name) for name in ACT_SUMS})
    return measures


class _Tally:
    """One group's figures while they are added up from the grouped rows."""

    def __init__(self, *, with_inspections: bool) -> None:
        self.inspections: int | None = 0 if with_inspections else None
        self.violations: int | None = 0 if with_inspections else None
        self.damage: Decimal | None = Decimal("0") if with_inspections else None
        self.acts = 0
        self.acts_by_type: dict[str, int] = {}
        self.sums: dict[str, Any] = dict.fromkeys(ACT_SUMS, 0)
        self.sums["amount_recovered"] = Decimal("0")
        self.acts_satisfied = 0

    def add_acts(self, values: Mapping[str, Any], type_code: str | None) -> None:
        self.acts += values["acts"]
        self.acts_satisfied += values["acts_satisfied"]
        if type_code is not None:
            self.acts_by_type[type_code] = self.acts_by_type.get(type_code, 0) + values["acts"]
        for name in ACT_SUMS:
            self.sums[name] += values[name] or 0

    def add(self, other: _Tally) -> None:
        if self.inspections is not None and other.inspections is not None:
            self.inspections += other.inspections
        if self.violations is not None and other.violations is not None:
            self.violations += other.violations
        if self.damage is not None and other.damage is not None:
            self.damage += other.damage
        self.acts += other.acts
        self.acts_satisfied += other.acts_satisfied
        for code, count in other.acts_by_type.items():
            self.acts_by_type[code] = self.acts_by_type.get(code, 0) + count
        for name in ACT_SUMS:
            self.sums[name] += other.sums[name]

    def figures(self) -> Figures:
        return Figures(
            inspections=self.inspections,
            violations=self.violations,
            damage=self.damage,
            acts=self.acts,
            acts_by_type=dict(self.acts_by_type),
            acts_satisfied=self.acts_satisfied,
            persons_restored=int(self.sums["persons_restored"]),
            amount_recovered=Decimal(self.sums["amount_recovered"]),
            persons_disciplinary=int(self.sums["persons_disciplinary"]),
            persons_administrative=int(self.sums["persons_administrative"]),
            persons_criminal=int(self.sums["persons_criminal"]),
        )


def _months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    day, out = first.replace(day=1), []
    while day <= last:
        out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _month(value: Any) -> dt.date:
    # TruncMonth of a date is a date; some backends hand back a datetime.
    return value.date() if isinstance(value, dt.datetime) else value


def _rows(
    group: str, tallies: dict[Any, _Tally], keys: tuple[str, ...], types: Iterable[ActType]
) -> list[NumbersRow]:
    """The rows in their order — offices in tree order, regions and types by code or catalogue order, months in
    time order — each named (one query for the offices' or regions' names)."""

    main = tuple(k for k in keys if not k.startswith(TYPE_PREFIX))
    per_type = tuple(k for k in keys if k.startswith(TYPE_PREFIX))

    def row(key: str, name: str, depth: int, item: _Tally) -> NumbersRow:
        figures = item.figures()
        return NumbersRow(
            key=key,
            name=name,
            depth=depth,
            figures=figures,
            cells=tuple(figures.value(k) for k in keys),
            main_cells=tuple(figures.value(k) for k in main),
            type_cells=tuple(figures.value(k) for k in per_type),
        )

    if group == Group.MONTH:
        return [
            row(f"{start:%Y-%m}", f"{start.month:02d}.{start.year:04d}", 0, tallies[start])
            for start in sorted(tallies)
        ]
    if group == Group.ACT_TYPE:
        return [row(t.code, t.name, 0, tallies[t.pk]) for t in types if t.pk in tallies]
    ordered: list[tuple[str, NumbersRow]] = []
    if group == Group.REGION:
        regions = Region.objects.in_bulk([key for key in tallies if key is not None])
        for key, item in tallies.items():
            region = regions.get(key) if key is not None else None
            if region is None:
                # Offices above the regions (the Prosecutor General's Office) have none.
                ordered.append(("~", row("", str(_("No region (national offices)")), 0, item)))
            else:
                ordered.append((region.kato_code, row(region.kato_code, region.name, 0, item)))
    else:
        offices = Office.objects.in_bulk(list(tallies))
        for key, item in tallies.items():
            office = offices[key]
            ordered.append((office.path, row(office.code, office.name, office.depth, item)))
    ordered.sort(key=lambda pair: pair[0])
    return [item for _sort, item in ordered]


def supervision_numbers(
    *,
    user: User,
    date_from: dt.date,
    date_to: dt.date,
    office: Office | None = None,
    region: Region | None = None,
    group: str = Group.OFFICE,
) -> Numbers:
    """The figures (see the module's docstring) per `group` for the period, within the user's scope and, when
    given, within `office` and the offices below it and the offices of `region`. Five queries grouped by office
    or region, four by month, two by type of act."""
    if group not in Group.values:
        raise ValueError(f"unknown grouping {group!r}; one of {', '.join(Group.values)}")
    scope: dict[str, Any] = {
        "user": user,
        "date_from": date_from,
        "date_to": date_to,
        "office": office,
        "region": region,
    }
    by_type = group == Group.ACT_TYPE
    types = list(ActType.objects.order_by("ordering", "code"))
    type_codes = {t.pk: t.code for t in types}
    tallies: dict[Any, _Tally] = {}

    def tally(key: Any) -> _Tally:
        if key not in tallies:
            tallies[key] = _Tally(with_inspections=not by_type)
        return tallies[key]

    acts = _counted(Act, "issued_on", **scope).exclude(status=ActStatus.WITHDRAWN)
    for values in _grouped(acts, group, "issued_on", "act_type").annotate(**_act_measures()):
        tally(values["key"]).add_acts(values, None if by_type else type_codes.get(values["act_type"]))
    if not by_type:
        inspections = _counted(Inspection, "period_start", **scope).exclude(status__in=NOT_CARRIED_OUT)
        for values in _grouped(inspections, group, "period_start").annotate(inspections=Count("pk")):
            tally(values["key"]).inspections = values["inspections"]
        violations = _counted(Violation, "found_on", **scope)
        for values in _grouped(violations, group, "found_on").annotate(
            violations=Count("pk"), damage=Sum("damage")
        ):
            found = tally(values["key"])
            found.violations = values["violations"]
            found.damage = values["damage"] or Decimal("0")

    if group == Group.MONTH:
        tallies = {_month(key): value for key, value in tallies.items()}
        months = (
            _month_starts(date_from, date_to) if _months_between(date_from, date_to) <= MONTHS_FILLED else []
        )
        for start in months:
            tally(start)

    # The per-type columns: every type in use, and a retired type that still has acts in the period.
    act_types: tuple[tuple[str, str], ...] = ()
    if not by_type:
        used = {code for item in tallies.values() for code in item.acts_by_type}
        act_types = tuple((t.code, t.name) for t in types if t.is_active or t.code in used)
    columns = (
        ACTS_COLUMN + RESULT_COLUMNS
        if by_type
        else INSPECTION_COLUMNS
        + ACTS_COLUMN
        + tuple((f"{TYPE_PREFIX}{code}", name) for code, name in act_types)
        + RESULT_COLUMNS
    )
    keys = tuple(key for key, _label in columns)
    rows = _rows(group, tallies, keys, types)
    total = _Tally(with_inspections=not by_type)
    for item in tallies.values():
        total.add(item)
    totals = total.figures()
    return Numbers(
        group=group,
        date_from=date_from,
        date_to=date_to,
        office=office,
        region=region,
        columns=columns,
        act_types=act_types,
        rows=rows,
        totals=totals,
        total_cells=tuple(totals.value(key) for key in keys),
    )
