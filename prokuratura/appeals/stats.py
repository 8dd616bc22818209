"""The numbers on appeals: per office or per region, for a period. Reads only; every figure is counted by the
database (one grouped query and one total), never by walking appeals in Python, so the totals are exact.

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

Whose numbers. Figures are aggregates, so they are counted over the user's office and every office below it
regardless of each appeal's sensitivity (a count reveals no content, and leaving restricted appeals out would
make the national total wrong); national roles (core.access.NATIONAL_ROLES, e.g. auditors) count every office.
Grouping is by the office the appeal is with, or by the appeal's own region (where the matter arose), not the
office's region. Groups with no appeal in the period are not listed. Nothing is cached: each request counts anew,
so a new answer shows at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, Sum, TextChoices
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import NATIONAL_ROLES, office_subtree_q
from prokuratura.core.models import Office, Region

from .models import OPEN_STATUSES, Appeal, Outcome

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

HELPED_OUTCOMES = (Outcome.SATISFIED, Outcome.PARTLY_SATISFIED)


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


@dataclass(frozen=True)
class StatsRow:
    code: str  # the office's code or the region's KATO code
    name: str
    depth: int  # the office's depth in the tree (0 for regions), for indenting
    cells: tuple[int, ...]  # in COLUMN_KEYS order

    def figure(self, key: str) -> int:
        return self.cells[COLUMN_KEYS.index(key)]


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


def stats_scope_q(*, user: User) -> Q:
    """The appeals whose numbers the user may see: their office subtree (everything for national roles)."""
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if not user.has_perm(Perm.APPEALS_STATS):
        return Q(pk__in=[])
    if user.has_role(*NATIONAL_ROLES):
        return Q()
    if user.office is None:
        return Q(pk__in=[])
    return office_subtree_q(field="office", office=user.office)


def stats_offices(*, user: User) -> Any:
    """The offices the user may narrow the numbers to (the same scope as `stats_scope_q`)."""
    if not (user and user.is_authenticated and user.is_active and user.has_perm(Perm.APPEALS_STATS)):
        return Office.objects.none()
    if user.has_role(*NATIONAL_ROLES):
        return Office.objects.order_by("path")
    if user.office is None:
        return Office.objects.none()
    return Office.objects.filter(office_subtree_q(field="pk", office=user.office)).order_by("path")


def _measures(today: dt.date) -> dict[str, Any]:
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


def _cells(values: dict[str, Any]) -> tuple[int, ...]:
    return tuple(int(values[key] or 0) for key in COLUMN_KEYS)


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
    within the user's scope and, when given, within `office` and the offices below it. Three queries."""
    today = today or timezone.localdate()
    qs = Appeal.objects.filter(stats_scope_q(user=user)).filter(
        registered_on__gte=period_from, registered_on__lte=period_to
    )
    if office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=office))
    qs = qs.order_by()  # no Meta.ordering in the GROUP BY
    measures = _measures(today)
    key = "region" if group_by == GroupBy.REGION else "office"
    grouped = list(qs.values(key).annotate(**measures))
    totals = _cells(qs.aggregate(**measures))

    ids = [values[key] for values in grouped]
    rows: list[tuple[str, StatsRow]] = []
    if key == "region":
        regions = Region.objects.in_bulk(ids)
        for values in grouped:
            region = regions[values[key]]
            rows.append((region.kato_code, StatsRow(region.kato_code, region.name, 0, _cells(values))))
    else:
        offices = Office.objects.in_bulk(ids)
        for values in grouped:
            item = offices[values[key]]
            rows.append((item.path, StatsRow(item.code, item.name, item.depth, _cells(values))))
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
