"""Every read of appeals for a user. Visibility is decided once, in `appeal_list`'s base queryset."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.db import connections, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.access import office_subtree_ids, office_subtree_q
from prokuratura.core.calendar import add_working_days
from prokuratura.core.models import Department
from prokuratura.core.pagination import (
    DEFAULT_COUNT_CAP,
    SEARCH_COUNT_CAP,
    CappedPaginator,
    OrderedIdsPaginator,
)

from .access import appeals_visible_branches, appeals_visible_q
from .models import (
    OPEN_STATUSES,
    Appeal,
    AppealAttachment,
    AppealKind,
    AppealNote,
    AppealTransition,
    ApplicantType,
    Status,
    Topic,
)
from .rules import rule
from .search import search_worth_walking

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

LIST_RELATED = ("office", "region", "topic", "assignee")
# Newest first; the search walk merges its branches in the same order.
LIST_ORDER = ("-registered_on", "-id")
# What the staff list page shows of an appeal (appeal_results.html, with `office_code`): its rows are read and built
# from these alone.
LIST_PAGE_COLUMNS = (
    "reg_number",
    "registered_on",
    "applicant_name",
    "subject",
    "status",
    "repeated_of",
    "is_late",
    "due_date",
)
# What the triage table shows (triage_table.html).
TRIAGE_PAGE_COLUMNS = ("reg_number", "subject", "received_at", "forward_due", "status")
# What the deadline tables show (deadline_table.html: the home page's cards and the deadlines page).
DEADLINE_PAGE_COLUMNS = (
    "reg_number",
    "subject",
    "status",
    "due_date",
    "assignee__first_name",
    "assignee__last_name",
)


def appeal_base(*, user: User) -> QuerySet[Appeal]:
    return Appeal.objects.filter(appeals_visible_q(user=user))


def appeal_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Appeal]:
    """Appeals the user may see, filtered. Keys: q (full text), kind, status, region, office (with its
    subtree), topic, assignee, registered_from, registered_to, overdue, repeated, late, urgent."""
    qs = _filtered(appeal_base(user=user), filters or {})
    return qs.select_related(*LIST_RELATED).order_by(*LIST_ORDER)


def _filtered(qs: QuerySet[Appeal], filters: dict[str, Any]) -> QuerySet[Appeal]:
    if filters.get("q"):
        from .search import appeal_search_filter

        qs = appeal_search_filter(qs, filters["q"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status"):
        status = filters["status"]
        qs = qs.filter(status__in=OPEN_STATUSES) if status == "open" else qs.filter(status=status)
    if filters.get("region"):
        qs = qs.filter(region=filters["region"])
    if filters.get("office"):
        office = filters["office"]
        qs = qs.filter(office_subtree_q(field="office", office=office))
    if filters.get("topic"):
        qs = qs.filter(topic=filters["topic"])
    if filters.get("assignee"):
        qs = qs.filter(assignee=filters["assignee"])
    if filters.get("registered_from"):
        qs = qs.filter(registered_on__gte=filters["registered_from"])
    if filters.get("registered_to"):
        qs = qs.filter(registered_on__lte=filters["registered_to"])
    if filters.get("overdue"):
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    if filters.get("repeated"):
        qs = qs.filter(repeated_of__isnull=False)
    if filters.get("late"):
        qs = qs.filter(is_late=True)
    if filters.get("urgent"):
        qs = qs.filter(is_urgent_report=True)
    return qs


def appeal_list_page(
    *, user: User, filters: dict[str, Any] | None = None, page_number: Any = 1, per_page: int = 50
) -> Page:
    """The list page's page: its rows and the capped count (`list_count_cap`), as the staff list shows them.

    A plain list counts and pages as two queries (CappedPaginator). A full-text search reads the ids of its first
    cap + 1 matches in the list's order once, which gives the count and the page (OrderedIdsPaginator). On
    PostgreSQL, when the words are common and the reader has few offices, that id query is the record rule's
    branches as a UNION ALL merged in order, so it reads only rows the reader may see, newest first, and stops at
    the cap (`_branch_union`; docs/PERFORMANCE.md, "Search").
    """
    filters = filters or {}
    cap = list_count_cap(filters)
    if not filters.get("q"):
        listed = _page_rows(appeal_list(user=user, filters=filters).select_related(None))
        paginator: CappedPaginator = CappedPaginator(listed, per_page, cap=cap)
        return paginator.get_page(page_number)
    ids = _search_ids(user=user, filters=filters, limit=cap + 1)
    paginator = OrderedIdsPaginator(ids, per_page, cap=cap, fetch=_rows_by_id)
    return paginator.get_page(page_number)


def _search_ids(*, user: User, filters: dict[str, Any], limit: int) -> Any:
    """The first `limit` matching ids in the list's order: a list, or a query the paginator slices."""
    using = Appeal.objects.db
    # PostgreSQL only: SQLite's FTS5 hands back every match at once, so a UNION would run it once per branch.
    branches = appeals_visible_branches(user=user) if connections[using].vendor == "postgresql" else None
    if not branches or not search_worth_walking(filters["q"], limit=limit, using=using):
        return appeal_list(user=user, filters=filters).values_list("pk", flat=True)
    union = _branch_union(branches=branches, filters=filters)
    # The planner prices the GIN index's bitmap far below what collecting every match of a common word costs,
    # and would build it once per branch; walking each branch's index newest first is what stops at the cap.
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        return [pk for pk, _registered_on in union[:limit]]


def _branch_union(*, branches: list[Q], filters: dict[str, Any]) -> QuerySet[Any]:
    """The search as a UNION ALL of the record rule's disjoint branches (appeals_visible_branches), newest first."""
    parts = [
        _filtered(Appeal.objects.filter(b), filters).values_list("pk", "registered_on") for b in branches
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-registered_on", "-pk")


def _rows_by_id(ids: list[int]) -> QuerySet[Appeal]:
    # The ids come from the reader's own list; the rows are read by key alone, so the planner has nothing to
    # combine (the search index) for fifty primary keys.
    return _page_rows(Appeal.objects.filter(pk__in=ids))


def _page_rows(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The list page's columns, with the office's code beside them rather than an Office built for each row."""
    return qs.only(*LIST_PAGE_COLUMNS).annotate(office_code=F("office__code"))


def list_count_cap(filters: dict[str, Any] | None) -> int:
    """Where the list's count stops: sooner for a full-text search (core.pagination.SEARCH_COUNT_CAP)."""
    return SEARCH_COUNT_CAP if (filters or {}).get("q") else DEFAULT_COUNT_CAP


@dataclass(frozen=True)
class DeadlineLists:
    today: dt.date
    soon_until: dt.date
    due_today: list[Appeal]
    due_soon: list[Appeal]
    overdue: list[Appeal]
    counts: dict[str, int]
    urgent: list[Appeal]
    # Anonymous appeals no one has triaged yet (appeals.transitions), oldest first: office scope only.
    triage: list[Appeal]
    # Prosecutors' requests for a longer term, waiting for a head's decision: office scope, for heads.
    extension_requests: list[Appeal]


def deadline_lists(
    *,
    user: User,
    scope: str = "mine",
    limit: int = 20,
    today: dt.date | None = None,
    brief: bool = False,
) -> DeadlineLists:
    """Open appeals due today, due within the reminder window (3 working days), and overdue.

    scope "mine": assigned to the user; "office": in the user's office and below (heads, registrars).
    For the office scope, the anonymous appeals still to triage and the urgent reports of crimes or threats still to
    route come first. `brief`: the rows carry only what the deadline tables show (DEADLINE_PAGE_COLUMNS), for the
    pages; the API takes whole rows.
    """
    today = today or timezone.localdate()
    soon_until = add_working_days(today, rule("reminder_working_days"))
    qs = appeal_base(user=user).filter(status__in=OPEN_STATUSES)
    if brief:
        qs = qs.select_related("assignee").only(*DEADLINE_PAGE_COLUMNS)
    else:
        qs = qs.select_related(*LIST_RELATED)
    if scope == "mine":
        qs = qs.filter(assignee=user)
    elif user.office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=user.office))
    else:
        qs = qs.none()
    due_today = qs.filter(due_date=today).order_by("due_date", "id")
    due_soon = qs.filter(due_date__gt=today, due_date__lte=soon_until).order_by("due_date", "id")
    overdue = qs.filter(due_date__lt=today).order_by("due_date", "id")
    office_scope = scope == "office"
    registered = qs.filter(status=Status.REGISTERED).order_by("received_at", "id")
    named = ~Q(applicant_type=ApplicantType.ANONYMOUS)
    urgent = registered.filter(named, is_urgent_report=True) if office_scope else qs.none()
    triage = triage_list(queryset=registered) if office_scope else qs.none()
    requests = (
        qs.filter(extension_requested_until__isnull=False).order_by("due_date", "id")
        if office_scope and user.has_perm(Perm.APPEALS_EXTEND)
        else qs.none()
    )
    return DeadlineLists(
        today=today,
        soon_until=soon_until,
        due_today=list(due_today[:limit]),
        due_soon=list(due_soon[:limit]),
        overdue=list(overdue[:limit]),
        counts=_deadline_counts(qs, today=today, soon_until=soon_until),
        urgent=list(urgent[:limit]),
        triage=list(
            triage.select_related(None).only(*TRIAGE_PAGE_COLUMNS)[:limit] if brief else triage[:limit]
        ),
        extension_requests=list(
            requests.only(*DEADLINE_PAGE_COLUMNS, "extension_requested_until")[:limit]
            if brief
            else requests[:limit]
        ),
    )


def triage_list(*, queryset: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The anonymous appeals of `queryset` (already the reader's) that wait to be triaged, oldest first."""
    return queryset.filter(applicant_type=ApplicantType.ANONYMOUS, status=Status.REGISTERED).order_by(
        "received_at", "id"
    )


def _deadline_counts(qs: QuerySet[Appeal], *, today: dt.date, soon_until: dt.date) -> dict[str, int]:
    """The three lists' sizes in one pass over the open appeals due by `soon_until`."""
    counted = qs.filter(due_date__lte=soon_until).aggregate(
        today=Count("pk", filter=Q(due_date=today)),
        soon=Count("pk", filter=Q(due_date__gt=today)),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
    )
    return {key: counted[key] or 0 for key in ("today", "soon", "overdue")}


def appeal_public_status(*, tracking_code: str) -> Appeal | None:
    """The appeal a tracking code names, for the public status page (no account; the code is the secret)."""
    from .services.intake import normalise_tracking_code

    code = normalise_tracking_code(tracking_code)
    if not code:
        return None
    return Appeal.objects.select_related("office").filter(tracking_code=code).first()


def topics_active() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def kinds() -> list[tuple[str, Any]]:
    return list(AppealKind.choices)


def assignable_users(*, appeal: Appeal) -> QuerySet[User]:
    """Prosecutors and heads of the appeal's office and the offices below it."""
    from prokuratura.accounts.models import User

    return (
        User.objects.filter(is_active=True, office__in=office_subtree_ids(appeal.office))
        .filter(Q(user_roles__role=Role.PROSECUTOR) | Q(user_roles__role=Role.HEAD))
        .select_related("office")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def assignable_departments(*, appeal: Appeal) -> QuerySet[Department]:
    """The active departments of the appeal's office and the offices below it."""
    return Department.objects.filter(office__in=office_subtree_ids(appeal.office), is_active=True)


def appeal_history(*, appeal: Appeal) -> list[AppealTransition]:
    """The lifecycle's history rows, oldest first, each with its note (core.lifecycle.history_note) and the
    system actor's name."""
    from prokuratura.core.actors import SYSTEM_ACTORS

    from .transitions import APPEALS

    rows = list(appeal.transitions.select_related("by"))
    for row in rows:
        row.note = APPEALS.history_note(row.step)  # type: ignore[attr-defined]
        actor = SYSTEM_ACTORS.get(row.by_system)
        row.by_system_label = actor.label if actor else row.by_system  # type: ignore[attr-defined]
    return rows


def appeal_notes(*, appeal: Appeal) -> QuerySet[AppealNote]:
    return appeal.notes.select_related("author")


def appeal_attachments(*, appeal: Appeal) -> QuerySet[AppealAttachment]:
    return appeal.attachments.all()
