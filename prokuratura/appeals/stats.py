"""The numbers on appeals: per office or per region, for a period. Reads only; every figure is summed by the
database (one grouped query and one total) from the tally (`AppealTally`), never by walking appeals in Python, so
the totals are exact.

What each figure means. The figures describe the appeals *registered* in the period (`registered_on` from
`period_from` to `period_to`, both days included) and what has become of them as of `today`:

- received: all of them;
- in work: still open (`OPEN_STATUSES`, a reopened appeal included);
- answered: `answered_on` is set, i.e. answered (and possibly closed since) or left without consideration — the
  workflow stamps `answered_on` on both. Reopening clears it, so a reopened appeal is in work, not answered;
- answered on time: `answered_on <= due_date`, where `due_date` is the term in force: the statutory 15 working
  days (APPC art. 76 p. 1) or the term a head lawfully extended it to (art. 76 p. 2);
- overdue: open with `due_date < today` (the last day of the term has passed with no answer), or answered with
  `answered_on > due_date`. An appeal counts once even if both were ever true;
- forwarded to the competent body (APPC art. 65) is an outcome, neither answered nor overdue: its term is the
  separate forwarding term;
- by outcome: one column per `Outcome`; a reopened appeal has none until it is answered again;
- people helped: the sum of `persons_restored` over appeals satisfied fully or partly with rights restored.

So, in every row and in the total: received = in work + answered + forwarded, and answered = on time + (overdue
answered); both identities are pinned in tests/test_stats.py.

The trend (`appeal_stats_trend`) counts the same figures per month of registration — per year when the period
covers more than two years — so its points add up to the table's totals. The dashboard's charts are drawn from
these same two functions (views/stats.py), never from figures of their own.

Whose numbers. Figures are aggregates, so they are counted over the user's office and every office below it
regardless of each appeal's sensitivity (a count reveals no content, and leaving restricted appeals out would
make the national total wrong); national roles (core.access.NATIONAL_ROLES, e.g. auditors) count every office.
Grouping is by the office the appeal is with, or by the appeal's own region (where the matter arose), not the
office's region. Groups with no appeal in the period are not listed.

Where the figures come from. Counting the appeals themselves takes seconds at millions of appeals, so the
dashboard reads `AppealTally`: the same figures counted ahead per office, region, registration day and due date,
which the database's own triggers (migration 0016) bring up to date in the transaction of every write to the
appeals — a new answer shows at once, as before, and nothing is a day stale. Every figure is a sum over the
period's rows; "overdue" is the late answers plus the open appeals of the rows whose due date is before `today`,
so it is exact for any `today`. The count from the appeals is kept as `appeal_stats_live` and
`appeal_stats_trend_live`: tests/test_stats_tally.py holds the two equal after every kind of write, and
`manage.py appeal_tally_check` (weekly) compares the table with a fresh count (appeals/tally.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Sum, TextChoices
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import counting_scope_q, office_subtree_q
from prokuratura.core.models import Office, Region

from .models import OPEN_STATUSES, Appeal, AppealTally, Outcome
from .tally import HELPED_OUTCOMES

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


class GroupBy(TextChoices):
    OFFICE = "office", _("Office")
    REGION = "region", _("Region")


# The columns, in the order the dashboard and the CSV show them.
MAIN_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("received", _("Received")),
    ("in_work", _("In work")),
    ("answered", _("Answered")),
    ("on_time", _("Answered on time")),
    ("overdue", _("Overdue")),
)
OUTCOME_COLUMNS: tuple[tuple[str, Any], ...] = tuple(
    (f"outcome_{outcome.value}", outcome.label) for outcome in Outcome
)
TAIL_COLUMNS: tuple[tuple[str, Any], ...] = (("persons_helped", _("People helped")),)
COLUMNS = MAIN_COLUMNS + OUTCOME_COLUMNS + TAIL_COLUMNS
COLUMN_KEYS: tuple[str, ...] = tuple(key for key, _label in COLUMNS)
# What the charts draw (and the tables beside them show): how many came in, were answered, and ran late.
CHART_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("received", _("Received")),
    ("answered", _("Answered")),
    ("overdue", _("Overdue")),
)
# Up to this many months the trend is drawn month by month, beyond it year by year.
TREND_MONTHS_MAX = 24


@dataclass(frozen=True)
class StatsRow:
    code: str  # the office's code or the region's KATO code
    name: str
    depth: int  # the office's depth in the tree (0 for regions), for indenting
    cells: tuple[int, ...]  # in COLUMN_KEYS order

    def figure(self, key: str) -> int:
        return self.cells[COLUMN_KEYS.index(key)]

    def chart_cells(self) -> tuple[int, ...]:
        return _part(self.cells, CHART_COLUMNS)

    def main_cells(self) -> tuple[int, ...]:
        return _part(self.cells, MAIN_COLUMNS)

    def outcome_cells(self) -> tuple[int, ...]:
        return _part(self.cells, OUTCOME_COLUMNS)

    def tail_cells(self) -> tuple[int, ...]:
        return _part(self.cells, TAIL_COLUMNS)


def _part(cells: tuple[int, ...], columns: tuple[tuple[str, Any], ...]) -> tuple[int, ...]:
    """The figures of `columns` (MAIN_COLUMNS, OUTCOME_COLUMNS or TAIL_COLUMNS) out of a full row."""
    return tuple(cells[COLUMN_KEYS.index(key)] for key, _label in columns)


@dataclass(frozen=True)
class StatsTable:
    group_by: str
    period_from: dt.date
    period_to: dt.date
    office: Office | None
    today: dt.date
    rows: list[StatsRow]
    totals: tuple[int, ...]
    columns: tuple[tuple[str, Any], ...] = COLUMNS
    main_columns: tuple[tuple[str, Any], ...] = MAIN_COLUMNS
    outcome_columns: tuple[tuple[str, Any], ...] = OUTCOME_COLUMNS
    tail_columns: tuple[tuple[str, Any], ...] = TAIL_COLUMNS

    def total(self, key: str) -> int:
        return self.totals[COLUMN_KEYS.index(key)]

    def chart_totals(self) -> tuple[int, ...]:
        return _part(self.totals, CHART_COLUMNS)

    def main_totals(self) -> tuple[int, ...]:
        return _part(self.totals, MAIN_COLUMNS)

    def outcome_totals(self) -> tuple[int, ...]:
        return _part(self.totals, OUTCOME_COLUMNS)

    def tail_totals(self) -> tuple[int, ...]:
        return _part(self.totals, TAIL_COLUMNS)


class TrendUnit(TextChoices):
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


@dataclass(frozen=True)
class TrendPoint:
    start: dt.date  # the first day of the month or year
    label: str  # "03.2026" or "2026", as the chart's axis and the table's rows read
    cells: tuple[int, ...]  # in COLUMN_KEYS order

    def figure(self, key: str) -> int:
        return self.cells[COLUMN_KEYS.index(key)]

    def chart_cells(self) -> tuple[int, ...]:
        return _part(self.cells, CHART_COLUMNS)


@dataclass(frozen=True)
class StatsTrend:
    unit: str  # TrendUnit
    period_from: dt.date
    period_to: dt.date
    office: Office | None
    today: dt.date
    points: list[TrendPoint]
    totals: tuple[int, ...]  # the points summed, column by column: the table's totals
    chart_columns: tuple[tuple[str, Any], ...] = CHART_COLUMNS

    def chart_totals(self) -> tuple[int, ...]:
        return _part(self.totals, CHART_COLUMNS)


def stats_scope_q(*, user: User) -> Q:
    """The appeals whose numbers the user may see: their office subtree (everything for national roles)."""
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if not user.has_perm(Perm.APPEALS_STATS):
        return Q(pk__in=[])
    return counting_scope_q(user=user)


def stats_offices(*, user: User) -> Any:
    """The offices the user may narrow the numbers to (the same scope as `stats_scope_q`)."""
    if not (user and user.is_authenticated and user.is_active and user.has_perm(Perm.APPEALS_STATS)):
        return Office.objects.none()
    return Office.objects.filter(counting_scope_q(user=user, field="pk")).order_by("path")


def _live_measures(today: dt.date) -> dict[str, Any]:
    """The figures counted from the appeals themselves (`appeal_stats_live`)."""
    open_ = Q(status__in=OPEN_STATUSES)
    measures: dict[str, Any] = {
        "received": Count("pk"),
        "in_work": Count("pk", filter=open_),
        "answered": Count("pk", filter=Q(answered_on__isnull=False)),
        "on_time": Count("pk", filter=Q(answered_on__lte=F("due_date"))),
        "overdue": Count("pk", filter=(open_ & Q(due_date__lt=today)) | Q(answered_on__gt=F("due_date"))),
    }
    for outcome in Outcome:
        measures[f"outcome_{outcome.value}"] = Count("pk", filter=Q(outcome=outcome.value))
    measures["persons_helped"] = Coalesce(
        Sum("persons_restored", filter=Q(rights_restored=True, outcome__in=HELPED_OUTCOMES)), 0
    )
    return measures


# The tally's sums are named apart from its columns (an annotation may not take a field's name).
TALLY_PREFIX = "figure_"


def _tally_measures(today: dt.date) -> dict[str, Any]:
    """The same figures summed from the tally's rows: each column's sum; overdue is the late answers plus the
    open appeals whose due date is before `today` (AppealTally.open_not_late)."""
    measures: dict[str, Any] = {
        f"{TALLY_PREFIX}{key}": Coalesce(Sum(key), 0) for key in COLUMN_KEYS if key != "overdue"
    }
    measures[f"{TALLY_PREFIX}overdue"] = Coalesce(Sum("late_answered"), 0) + Coalesce(
        Sum("open_not_late", filter=Q(due_date__lt=today)), 0
    )
    return measures


@dataclass(frozen=True)
class _Source:
    """Where the figures are counted: the tally (the dashboard) or the appeals (`*_live`)."""

    model: type[Appeal] | type[AppealTally]
    prefix: str

    def measures(self, today: dt.date) -> dict[str, Any]:
        return _tally_measures(today) if self.model is AppealTally else _live_measures(today)

    def cells(self, values: Mapping[str, Any]) -> tuple[int, ...]:
        return tuple(int(values[f"{self.prefix}{key}"] or 0) for key in COLUMN_KEYS)

    def counted(
        self, *, user: User, period_from: dt.date, period_to: dt.date, office: Office | None
    ) -> QuerySet[Any]:
        """The rows the figures count: registered in the period, in the user's scope and under `office` (the
        scope and the office are the appeal's office, which is the tally row's)."""
        qs = self.model._default_manager.filter(stats_scope_q(user=user)).filter(
            registered_on__gte=period_from, registered_on__lte=period_to
        )
        if office is not None:
            qs = qs.filter(office_subtree_q(field="office", office=office))
        return qs.order_by()  # no Meta.ordering in the GROUP BY


TALLY = _Source(AppealTally, TALLY_PREFIX)
LIVE = _Source(Appeal, "")


def appeal_stats(
    *,
    user: User,
    period_from: dt.date,
    period_to: dt.date,
    group_by: str = GroupBy.OFFICE,
    office: Office | None = None,
    today: dt.date | None = None,
) -> StatsTable:
    """The figures (see the module's docstring) per office or region for appeals registered in the period,
    within the user's scope and, when given, within `office` and the offices below it. Three queries, on the
    tally."""
    return _stats(
        TALLY,
        user=user,
        period_from=period_from,
        period_to=period_to,
        group_by=group_by,
        office=office,
        today=today,
    )


def appeal_stats_live(
    *,
    user: User,
    period_from: dt.date,
    period_to: dt.date,
    group_by: str = GroupBy.OFFICE,
    office: Office | None = None,
    today: dt.date | None = None,
) -> StatsTable:
    """`appeal_stats` counted from the appeals themselves rather than the tally: what the tally must equal."""
    return _stats(
        LIVE,
        user=user,
        period_from=period_from,
        period_to=period_to,
        group_by=group_by,
        office=office,
        today=today,
    )


def _stats(
    source: _Source,
    *,
    user: User,
    period_from: dt.date,
    period_to: dt.date,
    group_by: str,
    office: Office | None,
    today: dt.date | None,
) -> StatsTable:
    today = today or timezone.localdate()
    qs = source.counted(user=user, period_from=period_from, period_to=period_to, office=office)
    measures = source.measures(today)
    key = "region" if group_by == GroupBy.REGION else "office"
    grouped = list(qs.values(key).annotate(**measures))
    totals = source.cells(qs.aggregate(**measures))

    ids = [values[key] for values in grouped]
    rows: list[tuple[str, StatsRow]] = []
    if key == "region":
        regions = Region.objects.in_bulk(ids)
        for values in grouped:
            region = regions[values[key]]
            rows.append((region.kato_code, StatsRow(region.kato_code, region.name, 0, source.cells(values))))
    else:
        offices = Office.objects.in_bulk(ids)
        for values in grouped:
            item = offices[values[key]]
            rows.append((item.path, StatsRow(item.code, item.name, item.depth, source.cells(values))))
    rows.sort(key=lambda pair: pair[0])
    return StatsTable(
        group_by=key,
        period_from=period_from,
        period_to=period_to,
        office=office,
        today=today,
        rows=[row for _sort, row in rows],
        totals=totals,
    )


def trend_unit(*, period_from: dt.date, period_to: dt.date) -> str:
    """Months when the period covers at most TREND_MONTHS_MAX calendar months, else years."""
    months = (period_to.year - period_from.year) * 12 + period_to.month - period_from.month + 1
    return TrendUnit.MONTH if months <= TREND_MONTHS_MAX else TrendUnit.YEAR


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    day, out = first.replace(day=1), []
    while day <= last:
        out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def appeal_stats_trend(
    *,
    user: User,
    period_from: dt.date,
    period_to: dt.date,
    office: Office | None = None,
    today: dt.date | None = None,
) -> StatsTrend:
    """The same figures as `appeal_stats`, per month (or year, see `trend_unit`) of registration. One query, on
    the tally.

    By month every month of the period is listed, those without an appeal as zeros (at most TREND_MONTHS_MAX
    points). By year the points run from the first to the last year that has an appeal, zeros between: a period
    typed as 0001–9999 gives as many points as there are years of data, not ten thousand."""
    return _trend(TALLY, user=user, period_from=period_from, period_to=period_to, office=office, today=today)


def appeal_stats_trend_live(
    *,
    user: User,
    period_from: dt.date,
    period_to: dt.date,
    office: Office | None = None,
    today: dt.date | None = None,
) -> StatsTrend:
    """`appeal_stats_trend` counted from the appeals themselves rather than the tally."""
    return _trend(LIVE, user=user, period_from=period_from, period_to=period_to, office=office, today=today)


def _trend(
    source: _Source,
    *,
    user: User,
    period_from: dt.date,
    period_to: dt.date,
    office: Office | None,
    today: dt.date | None,
) -> StatsTrend:
    today = today or timezone.localdate()
    unit = trend_unit(period_from=period_from, period_to=period_to)
    qs = source.counted(user=user, period_from=period_from, period_to=period_to, office=office)
    trunc = TruncMonth("registered_on") if unit == TrendUnit.MONTH else TruncYear("registered_on")
    rows: Iterable[Mapping[str, Any]] = (
        qs.annotate(bucket=trunc).values("bucket").annotate(**source.measures(today))
    )
    grouped: dict[dt.date, tuple[int, ...]] = {values["bucket"]: source.cells(values) for values in rows}
    if unit == TrendUnit.MONTH:
        starts = _month_starts(period_from, period_to)
    elif grouped:
        starts = [dt.date(year, 1, 1) for year in range(min(grouped).year, max(grouped).year + 1)]
    else:
        starts = []
    zero = tuple(0 for _key in COLUMN_KEYS)
    points = [
        TrendPoint(
            start=start,
            label=f"{start.month:02d}.{start.year:04d}" if unit == TrendUnit.MONTH else f"{start.year:04d}",
            cells=grouped.get(start, zero),
        )
        for start in starts
    ]
    totals = tuple(sum(column) for column in zip(*(point.cells for point in points), strict=True)) or zero
    return StatsTrend(
        unit=unit,
        period_from=period_from,
        period_to=period_to,
        office=office,
        today=today,
        points=points,
        totals=totals,
    )
