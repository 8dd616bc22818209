"""Every read of appeals for a user. Visibility is decided once, in `appeal_list`'s base queryset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page
from django.db import connections, transaction
from django.db.models import BooleanField, Count, F, Func, OrderBy, Q, QuerySet, Value
from django.utils import timezone

from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.access import BRANCH_OFFICES_MAX, office_subtree_ids, office_subtree_q
from prokuratura.core.calendar import add_working_days
from prokuratura.core.models import Department, Office
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
    OfficeAppealSetting,
    Status,
    StatusRank,
    Topic,
)
from .rules import rule
from .search import (
    search_estimate,
    search_may_be_worth_walking,
    search_worth_walking,
    words_looked_up_once,
)

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

LIST_RELATED = ("office", "region", "topic", "assignee")
# Newest first; the search walk merges its branches in the same order.
LIST_ORDER = ("-registered_on", "-id")

# Whose appeals the list shows (the "view", kept in the URL): assigned to the reader, of the reader's office and the
# offices below it, or all the reader may see. Each is inside the record rule; none widens it.
VIEW_MINE, VIEW_OFFICE, VIEW_ALL = "mine", "office", "all"
LIST_VIEWS = (VIEW_MINE, VIEW_OFFICE, VIEW_ALL)

# The list's orders, by the `sort` parameter: a key, or "-" and a key for the other direction. Each is read from an
# index in both directions (migrations 0004 and 0012; by number the unique index of reg_number), so a page stops
# after its rows. Anything else falls back to DEFAULT_SORT.
LIST_SORTS: dict[str, tuple[Any, ...]] = {
    "registered": ("registered_on", "id"),
    "due": ("due_date", "id"),
    "number": ("reg_number",),
    "status": (StatusRank(), "due_date", "id"),
}
DEFAULT_SORT = "-registered"
# What a column header's first click asks for: the newest registrations and the nearest terms come first.
SORT_FIRST_DIRECTION = {"registered": "-registered", "due": "due", "number": "number", "status": "status"}

# What the staff list page shows of an appeal (appeal_results.html), and what the page's checks need (whether the
# reader may assign it: its status, whether it is anonymous, its office's place in the tree; its version for the
# stale-form check): its rows are read and built from these alone, the office and the prosecutor by one join each.
LIST_PAGE_COLUMNS = (
    "reg_number",
    "registered_on",
    "applicant_name",
    "applicant_type",
    "subject",
    "status",
    "repeated_of",
    "is_late",
    "due_date",
    "updated_at",
    "office",
    "office__code",
    "office__path",
    "office__name_kk",
    "office__name_ru",
    "office__name_en",
    "assignee",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__middle_name",
)
# An export is the list as it stands (filters, view, order), cut here so a national register cannot be exported
# whole by accident or exhaust the server; the page and the file say so.
EXPORT_ROW_CAP = DEFAULT_COUNT_CAP
EXPORT_CHUNK = 500
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
# The same of a prosecutor's own appeals: the prosecutor is the reader (deadline_lists).
DEADLINE_MINE_COLUMNS = ("reg_number", "subject", "status", "due_date", "assignee")


def appeal_base(*, user: User) -> QuerySet[Appeal]:
    return Appeal.objects.filter(appeals_visible_q(user=user))


def appeal_list(
    *,
    user: User,
    filters: dict[str, Any] | None = None,
    view: str = VIEW_ALL,
    sort: str = DEFAULT_SORT,
) -> QuerySet[Appeal]:
    """Appeals the user may see, filtered. Keys: q (full text), kind, status, region, office (with its
    subtree), topic, assignee, registered_from, registered_to, overdue, repeated, late, urgent. `view` narrows it to
    the user's own appeals or office (LIST_VIEWS); `sort` orders it (LIST_SORTS; an unknown value is the default)."""
    qs = _filtered(appeal_base(user=user), filters or {}).filter(_view_q(user=user, view=view))
    return qs.select_related(*LIST_RELATED).order_by(*list_ordering(sort))


def default_list_view(*, user: User) -> str:
    """Where a reader's list starts: a prosecutor from the appeals assigned to them, a registrar or a head from
    their office's, national readers (auditors) and anyone without an office from all they may see."""
    if user.office_id is not None and user.has_role(Role.REGISTRAR, Role.HEAD):
        return VIEW_OFFICE
    if user.has_role(Role.PROSECUTOR):
        return VIEW_MINE
    return VIEW_ALL


def list_view_or_default(value: Any, *, user: User) -> str:
    """The `view` parameter when it names a view, else the reader's default: a bad value is never an error."""
    return value if value in LIST_VIEWS else default_list_view(user=user)


def clean_sort(value: Any) -> str:
    """The `sort` parameter when it is one of LIST_SORTS either way, else DEFAULT_SORT."""
    if isinstance(value, str) and value.removeprefix("-") in LIST_SORTS:
        return value
    return DEFAULT_SORT


def list_ordering(sort: str) -> list[OrderBy]:
    """The ORDER BY of `sort`, every part in the same direction, so one index read forwards or backwards serves
    it."""
    sort = clean_sort(sort)
    descending = sort.startswith("-")
    parts = [F(part) if isinstance(part, str) else part for part in LIST_SORTS[sort.removeprefix("-")]]
    return [part.desc() if descending else part.asc() for part in parts]


def _view_q(*, user: User, view: str) -> Q:
    if view == VIEW_MINE:
        return Q(assignee=user.pk)
    if view == VIEW_OFFICE:
        if user.office is None:
            return Q(pk__in=[])
        # The ids as a list, as the record rule reads them (one query a request, shared with the rule).
        return office_subtree_q(field="office", office=user.office, literal=True)
    return Q()


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
    *,
    user: User,
    filters: dict[str, Any] | None = None,
    view: str = VIEW_ALL,
    sort: str = DEFAULT_SORT,
    page_number: Any = 1,
    per_page: int = 50,
) -> Page:
    """The list page's page: its rows and the capped count (`list_count_cap`), as the staff list shows them.

    A plain list counts and pages as two queries (CappedPaginator). A full-text search reads the ids of its first
    cap + 1 matches in the list's order once, which gives the count and the page (OrderedIdsPaginator). On
    PostgreSQL, when the words are common, the reader has few offices and the list is in its default order, that id
    query is the record rule's branches as a UNION ALL merged in order, so it reads only rows the reader may see,
    newest first, and stops at the cap (`_branch_union`; docs/PERFORMANCE.md, "Search").
    """
    filters = filters or {}
    cap = list_count_cap(filters)
    if not filters.get("q"):
        listed = _page_rows(appeal_list(user=user, filters=filters, view=view, sort=sort))
        offices = _office_stretches(user=user, filters=filters, view=view, sort=sort)
        if offices:
            paginator: CappedPaginator = _MergedPaginator(
                listed,
                per_page,
                cap=cap,
                ids_until=lambda n: _numbers_by_office(listed=listed, offices=offices, sort=sort, limit=n),
                fetch=_rows_by_id,
            )
        else:
            paginator = CappedPaginator(listed, per_page, cap=cap)
        return paginator.get_page(page_number)
    with words_looked_up_once():
        ids = _search_ids(user=user, filters=filters, view=view, sort=sort, limit=cap + 1)
    paginator = OrderedIdsPaginator(ids, per_page, cap=cap, fetch=_rows_by_id)
    return paginator.get_page(page_number)


def _search_ids(
    *, user: User, filters: dict[str, Any], view: str = VIEW_ALL, sort: str = DEFAULT_SORT, limit: int
) -> Any:
    """The first `limit` matching ids in the list's order: a list, or a query the paginator slices."""
    using = Appeal.objects.db
    listed = appeal_list(user=user, filters=filters, view=view, sort=sort).values_list("pk", flat=True)
    # The branches are merged in the default order only, and "assigned to me" is one index already.
    if clean_sort(sort) != DEFAULT_SORT or view == VIEW_MINE:
        return listed
    # PostgreSQL only: SQLite's FTS5 hands back every match at once, so a UNION would run it once per branch.
    if connections[using].vendor != "postgresql":
        return listed
    branches = appeals_visible_branches(user=user)
    walk = search_worth_walking(filters["q"], limit=limit, using=using)
    if not branches and not walk:
        # Words the planner multiplies into a rare match may go together and be common: look among the newest
        # appeals first (0.9 s at 1 M for «заработная плата», 72,346 matches, collected from the GIN index).
        if search_may_be_worth_walking(filters["q"], limit=limit, using=using):
            newest = _newest_matches(listed, limit=limit, using=using)
            if newest is not None:
                return newest
        # A reader who sees every appeal, and words the estimate calls rare: collect the matches from the GIN index
        # and sort them. Left alone, the planner may walk the whole date index instead, expecting matches to turn
        # up soon; for a word that matches nothing (a typo) that read every appeal (1.8 s at 1 M; docs/PERFORMANCE.md,
        # "Search", and "Load: 60 s at capacity").
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
            return list(listed[:limit])
    if not branches or not walk:
        return listed
    view_q = _view_q(user=user, view=view)
    union = _branch_union(branches=[b & view_q for b in branches], filters=filters)
    # The planner prices the GIN index's bitmap far below what collecting every match of a common word costs,
    # and would build it once per branch; walking each branch's index newest first is what stops at the cap.
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        return [pk for pk, _registered_on in union[:limit]]


# Where a search the planner calls rare, whose words may go together, is first looked for (`_newest_matches`): among
# the register's newest 1,000 appeals, then the 4,000 before them if the first ones promise enough matches there.
# A row costs about 6 µs (1 M appeals), so a probe that finds too few costs 6 ms and the whole of it 30 ms.
SEARCH_PROBE_WINDOWS = (1000, 5000)


def _newest_matches(listed: QuerySet[Any], *, limit: int, using: str) -> list[int] | None:
    """The first `limit` ids of `listed` (a search, newest first) when they are all among the register's newest
    appeals (SEARCH_PROBE_WINDOWS), else None.

    Every appeal of a window is checked, in the list's order, so once `limit` of them match they are the first
    `limit` matches of all. A window is a range of (registered_on, id), the date index's keys, so its walk starts and
    stops at its edges whatever it finds; a register smaller than a window is read whole. The next window is read
    only if the matches so far, at the same rate, would fill the page there."""
    found: list[int] = []
    newest = Appeal.objects.using(using).order_by(*LIST_ORDER).values_list("registered_on", "pk")
    previous: tuple[Any, int] | None = None
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        for i, size in enumerate(SEARCH_PROBE_WINDOWS):
            window = listed if previous is None else listed.filter(_RegisteredAfter(*previous, negated=True))
            edge = next(iter(newest[size : size + 1]), None)
            if edge is not None:
                window = window.filter(_RegisteredAfter(*edge))
            found += window[: limit - len(found)]
            if len(found) >= limit or edge is None:
                return found
            following = SEARCH_PROBE_WINDOWS[i + 1] if i + 1 < len(SEARCH_PROBE_WINDOWS) else None
            if following is None or len(found) * following < limit * size:
                return None
            previous = edge
    return None  # pragma: no cover - the loop returns


class _RegisteredAfter(Func):
    """`(registered_on, id) > (day, pk)` (negated: `<=`): a row comparison, which a btree index on (registered_on,
    id) reads as one range, where `registered_on >= day AND …` would read the whole of the edge's day."""

    output_field = BooleanField()

    def __init__(self, day: dt.date, pk: int, *, negated: bool = False) -> None:
        super().__init__(F("registered_on"), F("pk"), Value(day), Value(pk))
        self.operator = "<=" if negated else ">"

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        (day_col, p1), (id_col, p2), (day, p3), (pk, p4) = (
            compiler.compile(e) for e in self.source_expressions
        )
        return f"(({day_col}, {id_col}) {self.operator} ({day}, {pk}))", [*p1, *p2, *p3, *p4]


# A search whose matches the planner estimates at most RARE_SEARCH_SHARE of the register is answered from the matches'
# ids when there turn out to be at most RARE_SEARCH_IDS_MAX. A word the planner has no statistics for is estimated at
# about 1 % of the register, whether it matches nothing or thousands.
RARE_SEARCH_SHARE = 0.02
RARE_SEARCH_IDS_MAX = 5000


def appeal_search_by_id(*, user: User, filters: dict[str, Any], view: str = VIEW_ALL) -> QuerySet[Appeal]:
    """`appeal_list` for the API's keyset pages (newest id first), with a word search that stays fast.

    Ordered by id with a LIMIT, the planner walks the primary key backwards and checks each appeal when it expects
    the words' matches to turn up soon; for a word that matches nothing (a typo) that read every appeal (1.8 s at
    1 M). When the planner expects few matches (at most RARE_SEARCH_SHARE; `search_estimate`), their ids are
    collected from the GIN index first, stopping past RARE_SEARCH_IDS_MAX (then the plain query is kept: a word that
    common is met soon on the walk), and the page is read by key. PostgreSQL only: SQLite's full-text table answers
    with its matches anyway."""
    with words_looked_up_once():
        return _search_by_id(user=user, filters=filters, view=view)


def _search_by_id(*, user: User, filters: dict[str, Any], view: str) -> QuerySet[Appeal]:
    listed = appeal_list(user=user, filters=filters, view=view)
    using = Appeal.objects.db
    query = filters.get("q")
    if not query or connections[using].vendor != "postgresql":
        return listed
    estimate = search_estimate(query, using=using)
    if estimate is None or estimate[0] > RARE_SEARCH_SHARE * estimate[1]:
        return listed
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        ids = list(listed.order_by().values_list("pk", flat=True)[: RARE_SEARCH_IDS_MAX + 1])
    if len(ids) > RARE_SEARCH_IDS_MAX:
        return listed
    return listed.filter(pk__in=ids)


def _office_stretches(*, user: User, filters: dict[str, Any], view: str, sort: str) -> list[int] | None:
    """The offices of a list by number narrowed to an office subtree (the "my office" view, the office filter),
    when there are two to BRANCH_OFFICES_MAX of them; else None.

    A number begins with its office's code, so each office's appeals are one stretch of the numbers' index, and a
    walk of that index from its start reads every stretch before the first one wanted (6 s for a regional head at
    5 M appeals). Each office's stretch is read from (office, reg_number) instead, and merged (_numbers_by_office).
    One office needs no merge; "assigned to me" has (assignee, reg_number). PostgreSQL only: SQLite allows no LIMIT
    in a UNION's parts (and the embedded database serves one office)."""
    if clean_sort(sort).removeprefix("-") != "number" or view == VIEW_MINE:
        return None
    if connections[Appeal.objects.db].vendor != "postgresql":
        return None
    subtrees: list[set[int]] = []
    if view == VIEW_OFFICE and user.office is not None and user.office.parent_id is not None:
        subtrees.append(set(office_subtree_ids(user.office)))
    office = filters.get("office")
    if isinstance(office, Office) and office.parent_id is not None:
        subtrees.append(set(office_subtree_ids(office)))
    if not subtrees:
        return None
    offices = sorted(set.intersection(*subtrees))
    return offices if 2 <= len(offices) <= BRANCH_OFFICES_MAX else None


def _numbers_by_office(*, listed: QuerySet[Appeal], offices: list[int], sort: str, limit: int) -> list[int]:
    """The first `limit` ids of `listed` by number, each office's from its own index, merged in order (PostgreSQL:
    a Merge Append of one index scan per office, each stopping at `limit`)."""
    descending = clean_sort(sort).startswith("-")
    base = listed.select_related(None).order_by(*list_ordering(sort))
    parts = [base.filter(office=office).values_list("pk", "reg_number")[:limit] for office in offices]
    merged = parts[0].union(*parts[1:], all=True).order_by("-reg_number" if descending else "reg_number")
    return [pk for pk, _number in merged[:limit]]


class _MergedPaginator(CappedPaginator):
    """A capped list whose count is the plain capped count, and whose page is read as ids (`ids_until(n)`: the
    first n in the list's order), then the page's rows by key (`fetch`)."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        cap: int,
        ids_until: Callable[[int], list[int]],
        fetch: Callable[[list[int]], Iterable[Appeal]],
    ) -> None:
        super().__init__(object_list, per_page, cap=cap)
        self.ids_until, self.fetch = ids_until, fetch

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        wanted = self.ids_until(top)[bottom:top] if top > bottom else []
        by_id = {row.pk: row for row in self.fetch(wanted)} if wanted else {}
        return Page([by_id[pk] for pk in wanted if pk in by_id], number, self)


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
    """The list page's columns (LIST_PAGE_COLUMNS): the office and the prosecutor by name, joined, not read per
    row."""
    listed = qs.select_related(None).select_related("office", "assignee").only(*LIST_PAGE_COLUMNS)
    # The same join; `office_code` is kept for the callers that read it.
    return listed.annotate(office_code=F("office__code"))


def appeal_export_rows(
    *,
    user: User,
    filters: dict[str, Any] | None = None,
    view: str = VIEW_ALL,
    sort: str = DEFAULT_SORT,
    cap: int = EXPORT_ROW_CAP,
) -> tuple[int, Iterator[Appeal]]:
    """The list as the page shows it (the same filters, view, order and record rule), for a CSV or XLSX export:
    how many rows it holds, counted to `cap` + 1 (more than `cap` means the export is cut), and the first `cap` rows,
    read in chunks from one query (a server-side cursor on PostgreSQL), so the queries do not grow with the rows and
    the server never holds them all."""
    listed = _page_rows(appeal_list(user=user, filters=filters or {}, view=view, sort=sort))
    counted = listed.order_by()[: cap + 1].count()
    return counted, listed[:cap].iterator(chunk_size=EXPORT_CHUNK)


def list_assign_choices(*, user: User, rows: Iterable[Appeal]) -> tuple[set[int], QuerySet[User]]:
    """For the list's "assign the selected" form: which of `rows` the user may assign now (the lifecycle's `assign`
    step: its statuses, permission, actor rule and condition), and the prosecutors and heads those appeals may be
    assigned to — of the appeals' offices and the offices below them (as `assignable_users` for one appeal). The
    step's service checks each appeal again."""
    from .transitions import APPEALS

    step = APPEALS.step("assign")
    assignable = [row for row in rows if APPEALS.may_take(actor=user, record=row, step=step)]
    return {row.pk for row in assignable}, assignable_users_in(offices=[row.office for row in assignable])


def appeals_selected(*, user: User, ids: Iterable[int]) -> list[Appeal]:
    """The appeals of `ids` the user may see (one query): what a form posted from the list names."""
    return list(appeal_base(user=user).filter(pk__in=list(ids)).select_related("office"))


def assignable_users_in(*, offices: Iterable[Office]) -> QuerySet[User]:
    """Active prosecutors and heads of `offices` and the offices below them, by office, then name: one query."""
    from prokuratura.accounts.models import User

    paths = sorted({office.path for office in offices})
    # An office below another one in the list adds nobody: "path LIKE" the upper one covers it.
    tops = [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]
    if not tops:
        return User.objects.none()
    under = Q()
    for path in tops:
        under |= Q(office__path__startswith=path)
    return (
        User.objects.filter(under, is_active=True)
        .filter(Q(user_roles__role=Role.PROSECUTOR) | Q(user_roles__role=Role.HEAD))
        .select_related("office")
        .distinct()
        .order_by("office__path", "last_name", "first_name", "username")
    )


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

    Each list and count is read from an index of the open appeals (migration 0015), so the SQL costs a few
    milliseconds even nationally; what is left is Python's, and it is kept to what the page shows: the lists the
    scope has are the only queries built (no empty ones compiled), and a prosecutor's own rows are read without
    their prosecutor — it is the reader, set on each row (docs/PERFORMANCE.md, "Lists and search at scale").
    """
    today = today or timezone.localdate()
    soon_until = add_working_days(today, rule("reminder_working_days"))
    mine, office_scope = scope == "mine", scope == "office"
    base = appeal_base(user=user).filter(status__in=OPEN_STATUSES)
    if mine:
        base = base.filter(assignee=user)
    elif user.office is not None:
        base = base.filter(office_subtree_q(field="office", office=user.office))
    else:
        base = base.none()
    if brief and mine:
        qs = base.only(*DEADLINE_MINE_COLUMNS)
    elif brief:
        qs = base.select_related("assignee").only(*DEADLINE_PAGE_COLUMNS)
    else:
        qs = base.select_related(*LIST_RELATED)

    def first(listed: QuerySet[Appeal]) -> list[Appeal]:
        rows = list(listed[:limit])
        if brief and mine:
            for row in rows:
                row.assignee = user  # the reader's own appeals: no join, no second User per row
        return rows

    by_due = ("due_date", "id")
    urgent: list[Appeal] = []
    triage: list[Appeal] = []
    requests: list[Appeal] = []
    if office_scope:
        registered = qs.filter(status=Status.REGISTERED).order_by("received_at", "id")
        named = ~Q(applicant_type=ApplicantType.ANONYMOUS)
        urgent = first(registered.filter(named, is_urgent_report=True))
        waiting = triage_list(queryset=registered)
        triage = list((waiting.select_related(None).only(*TRIAGE_PAGE_COLUMNS) if brief else waiting)[:limit])
        if user.has_perm(Perm.APPEALS_EXTEND):
            asked = qs.filter(extension_requested_until__isnull=False).order_by(*by_due)
            requests = first(
                asked.only(*DEADLINE_PAGE_COLUMNS, "extension_requested_until") if brief else asked
            )
    return DeadlineLists(
        today=today,
        soon_until=soon_until,
        due_today=first(qs.filter(due_date=today).order_by(*by_due)),
        due_soon=first(qs.filter(due_date__gt=today, due_date__lte=soon_until).order_by(*by_due)),
        overdue=first(qs.filter(due_date__lt=today).order_by(*by_due)),
        counts=_deadline_counts(base, today=today, soon_until=soon_until),
        urgent=urgent,
        triage=triage,
        extension_requests=requests,
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


def office_signoff_rows() -> list[tuple[Office, bool]]:
    """Every active office, in tree order, with whether its answers need a head's sign-off (settings page)."""
    required = set(
        OfficeAppealSetting.objects.filter(answer_signoff_required=True).values_list("office_id", flat=True)
    )
    offices = Office.objects.filter(is_active=True).select_related("region").order_by("path")
    return [(office, office.pk in required) for office in offices]
