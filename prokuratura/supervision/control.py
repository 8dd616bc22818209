"""Control lists: what waits for someone to act on it.

- **Overdue acts**: issued, and the addressee's answer was due before today (`due_date < today`).
- **Acts without a result**: the reply has come (or the matter went to court) and nobody has recorded what came of
  it; or the act has no due date — claims and protests to court wait for a court, a warning for nothing — and was
  issued more than `NO_TERM_RESULT_AFTER_DAYS` days ago with nothing recorded since.
- **Inspections past their period**: ordered or in progress, and the period ended before today.

Whose (`scope`): "mine" — the acts I am the prosecutor of and the inspections I am responsible for; "office" — those
of my office and the offices below it; "all" — everything I may see. Every scope narrows the record rule of
supervision.access (`*_visible_q`), never widens it, so a list never shows what the detail page would refuse.

Each list is read from an index in its order, most overdue first: acts by `(status, due_date)` (or `(office,
status, due_date)`, `(author, status, due_date)`), inspections by `(status, period_end)` (or `(office, status,
period_end)`); acts without a result by the same status indexes, oldest act first.

The home panels, the control page, the API and the daily e-mails all read these functions, so they agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.access import NATIONAL_ROLES, office_subtree_q
from prokuratura.core.models import Sensitivity

from .access import acts_visible_q, inspections_visible_q
from .models import Act, ActStatus, Inspection, InspectionStatus

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# An act with no due date (its type sets no term and the act named none: a claim or protest to court waits for the
# court, a warning waits for nothing) counts as "without a result" once it is this many days old with nothing
# recorded. The law sets no such limit: 30 days is the service's own choice, a month being the longest term the
# catalogue gives an addressee (a submission, one month), so by then a result is to be expected or chased.
NO_TERM_RESULT_AFTER_DAYS = 30

SCOPE_MINE, SCOPE_OFFICE, SCOPE_ALL = "mine", "office", "all"
SCOPES = (SCOPE_MINE, SCOPE_OFFICE, SCOPE_ALL)

# The statuses each list reads.
AWAITING_REPLY = ActStatus.ISSUED
ANSWERED_WITHOUT_RESULT = (ActStatus.REPLIED, ActStatus.IN_COURT)
# Every act either control list can hold (the partial index act_open_control covers exactly these).
OPEN_CONTROL_STATUSES = (AWAITING_REPLY, *ANSWERED_WITHOUT_RESULT)
RUNNING_INSPECTION = (InspectionStatus.ORDERED, InspectionStatus.IN_PROGRESS)

# A home page shows the first few of each list; the control page has them all.
HOME_LIST_LIMIT = 5

ACT_RELATED = ("office", "act_type", "author")
INSPECTION_RELATED = ("office", "responsible")


def default_scope(*, user: User) -> str:
    """What a user's control page opens on: heads their office, national readers (auditors) everything they may
    see, everyone else their own acts and inspections."""
    if user.has_role(Role.HEAD):
        return SCOPE_OFFICE
    if user.has_role(*NATIONAL_ROLES):
        return SCOPE_ALL
    return SCOPE_MINE


def clean_scope(value: object, *, user: User) -> str:
    """`value` when it names a scope, else the user's default."""
    return value if isinstance(value, str) and value in SCOPES else default_scope(user=user)


def _scope_q(*, user: User, scope: str, person_field: str) -> Q:
    if scope == SCOPE_MINE:
        return Q(**{person_field: user.pk})
    if scope == SCOPE_OFFICE:
        if user.office is None:
            return Q(pk__in=[])
        # The ids as a list, as the record rule reads them (one small query per request, shared with the rule).
        return office_subtree_q(field="office", office=user.office, literal=True)
    if scope == SCOPE_ALL:
        return Q()
    raise ValueError(f"unknown control scope {scope!r}; one of {', '.join(SCOPES)}")


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def overdue_q(*, today: dt.date) -> Q:
    return Q(status=AWAITING_REPLY, due_date__lt=today)


def without_result_q(*, today: dt.date) -> Q:
    cutoff = today - dt.timedelta(days=NO_TERM_RESULT_AFTER_DAYS)
    return Q(status__in=ANSWERED_WITHOUT_RESULT) | Q(
        status=AWAITING_REPLY, due_date__isnull=True, issued_on__lt=cutoff
    )


def past_period_q(*, today: dt.date) -> Q:
    return Q(status__in=RUNNING_INSPECTION, period_end__lt=today)


def _rule(*, user: User, scope: str, visible: Q) -> Q:
    """The record rule inside the scope. A head reads every record of their office and the offices below it
    (core.access.can_see_record), so inside that scope the rule is one condition on the sensitivity — which the
    office's index reads at once — rather than the OR of its branches (docs/PERFORMANCE.md, "Supervision at
    national scale")."""
    if (
        scope == SCOPE_OFFICE
        and user.office is not None
        and user.has_role(Role.HEAD)
        and user.has_perm(Perm.SUPERVISION_VIEW)
    ):
        return Q(sensitivity__in=Sensitivity.values)
    return visible


def _acts(*, user: User, scope: str) -> QuerySet[Act]:
    return Act.objects.filter(_rule(user=user, scope=scope, visible=acts_visible_q(user=user))).filter(
        _scope_q(user=user, scope=scope, person_field="author")
    )


def _inspections(*, user: User, scope: str) -> QuerySet[Inspection]:
    return Inspection.objects.filter(
        _rule(user=user, scope=scope, visible=inspections_visible_q(user=user))
    ).filter(_scope_q(user=user, scope=scope, person_field="responsible"))


def overdue_acts(*, user: User, scope: str, today: dt.date | None = None) -> QuerySet[Act]:
    """Issued acts whose answer was due before today, the longest overdue first."""
    return (
        _acts(user=user, scope=scope)
        .filter(overdue_q(today=_today(today)))
        .select_related(*ACT_RELATED)
        .order_by("due_date", "id")
    )


def acts_without_result(*, user: User, scope: str, today: dt.date | None = None) -> QuerySet[Act]:
    """Acts answered (a reply, or the matter in court) with no result recorded, and acts with no due date issued
    more than NO_TERM_RESULT_AFTER_DAYS days ago; the oldest act first."""
    return (
        _acts(user=user, scope=scope)
        .filter(without_result_q(today=_today(today)))
        .select_related(*ACT_RELATED)
        .order_by("issued_on", "id")
    )


def inspections_past_period(*, user: User, scope: str, today: dt.date | None = None) -> QuerySet[Inspection]:
    """Inspections ordered or in progress whose period ended before today, the longest past first."""
    return (
        _inspections(user=user, scope=scope)
        .filter(past_period_q(today=_today(today)))
        .select_related(*INSPECTION_RELATED)
        .order_by("period_end", "id")
    )


@dataclass(frozen=True)
class ControlLists:
    today: dt.date
    scope: str
    overdue_acts: list[Act]
    acts_without_result: list[Act]
    inspections_past_period: list[Inspection]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def control_counts(*, user: User, scope: str, today: dt.date | None = None) -> dict[str, int]:
    """The three lists' sizes: the two act lists in one pass, the inspections in another."""
    today = _today(today)
    overdue, without = overdue_q(today=today), without_result_q(today=today)
    acts = (
        _acts(user=user, scope=scope)
        # The open acts (what the partial index act_open_control holds), not "overdue OR without": PostgreSQL
        # cannot read an OR of the two from one index, and the FILTERs below keep each count exact.
        .filter(status__in=OPEN_CONTROL_STATUSES)
        .order_by()
        .aggregate(overdue=Count("pk", filter=overdue), without=Count("pk", filter=without))
    )
    inspections = _inspections(user=user, scope=scope).filter(past_period_q(today=today)).order_by().count()
    return {
        "overdue_acts": acts["overdue"] or 0,
        "acts_without_result": acts["without"] or 0,
        "inspections_past_period": inspections,
    }


def control_lists(
    *, user: User, scope: str, limit: int | None = None, today: dt.date | None = None
) -> ControlLists:
    """The three lists (each cut at `limit` rows; None: whole) and their full sizes. Five queries (and the user's
    office subtree, once per request)."""
    today = _today(today)

    def cut[T: Model](qs: QuerySet[T]) -> list[T]:
        return list(qs if limit is None else qs[:limit])

    return ControlLists(
        today=today,
        scope=scope,
        overdue_acts=cut(overdue_acts(user=user, scope=scope, today=today)),
        acts_without_result=cut(acts_without_result(user=user, scope=scope, today=today)),
        inspections_past_period=cut(inspections_past_period(user=user, scope=scope, today=today)),
        counts=control_counts(user=user, scope=scope, today=today),
    )
