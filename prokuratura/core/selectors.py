"""Reads on core data for a user: the office tree, an office's surroundings, the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from prokuratura.accounts.roles import Perm

from .audit import GENESIS, HASHED_FIELDS, entry_hash
from .models import AuditEntry, Department, Office

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# --- offices -------------------------------------------------------------------------------------------------


@dataclass
class OfficeNode:
    """One office in the tree, with the offices below it. `matched` is False for an ancestor shown only so that
    a filtered office keeps its place in the tree."""

    office: Office
    matched: bool = True
    children: list[OfficeNode] = field(default_factory=list)


def _with_staff_count(queryset: QuerySet[Office]) -> QuerySet[Office]:
    return queryset.select_related("region").annotate(
        staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True)
    )


def _visible_offices(user: User) -> QuerySet[Office]:
    # The organisation chart is not secret inside the service: whoever may see offices sees all of them.
    if not (user and user.is_authenticated and user.is_active and user.has_perm(Perm.VIEW_OFFICES)):
        return Office.objects.none()
    return Office.objects.all()


def _ancestor_paths(path: str) -> list[str]:
    segments = [s for s in path.split(".") if s]
    return [".".join(segments[: i + 1]) + "." for i in range(len(segments))]


def _office_matches(office: Office, *, region: Any, text: str) -> bool:
    if region is not None and office.region_id != getattr(region, "pk", region):
        return False
    if text:
        haystack = " ".join((office.code, office.name_kk, office.name_ru, office.name_en)).casefold()
        return text in haystack
    return True


def office_tree(*, user: User, filters: dict[str, Any] | None = None) -> list[OfficeNode]:
    """The office tree as nested nodes, roots first, in one query: ordering by the materialised path gives
    depth-first order, so each office follows its parent.

    The filters (region, text in any of the three names or the code) are applied in Python: the whole tree
    is a few hundred rows, and SQLite's LIKE folds the case of ASCII letters only, so "алматы" would not find
    "Алматы" there. A matching office keeps its ancestors, shown as context, so it stays in its place.
    """
    filters = filters or {}
    offices = list(_with_staff_count(_visible_offices(user)).order_by("path"))
    region = filters.get("region") or None
    text = (filters.get("q") or "").strip().casefold()
    matched_paths: set[str] | None = None
    if region is not None or text:
        matched_paths = {o.path for o in offices if _office_matches(o, region=region, text=text)}
        wanted = {prefix for path in matched_paths for prefix in _ancestor_paths(path)}
        offices = [o for o in offices if o.path in wanted]
    roots: list[OfficeNode] = []
    stack: list[OfficeNode] = []
    for office in offices:
        node = OfficeNode(office=office, matched=matched_paths is None or office.path in matched_paths)
        while stack and not office.is_within(stack[-1].office):
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def office_ancestors(*, office: Office) -> list[Office]:
    """The chain from the root down to the office's parent, for breadcrumbs (one query)."""
    paths = _ancestor_paths(office.path)[:-1]
    if not paths:
        return []
    return list(Office.objects.filter(path__in=paths).order_by("path"))


def office_children(*, office: Office) -> list[Office]:
    return list(_with_staff_count(Office.objects.filter(parent=office)).order_by("path"))


def office_departments(*, office: Office) -> list[Department]:
    return list(
        office.departments.annotate(
            staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True)
        ).order_by("code")
    )


def office_choices() -> QuerySet[Office]:
    """Offices for a select box, in tree order."""
    return Office.objects.order_by("path")


def department_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active departments grouped by office, for a select box with one <optgroup> per office."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for department in (
        Department.objects.select_related("office").filter(is_active=True).order_by("office__path", "code")
    ):
        label, options = groups.setdefault(department.office_id, (str(department.office), []))
        options.append((department.pk, str(department)))
    return list(groups.values())


# --- audit trail ---------------------------------------------------------------------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _may_view_audit(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(Perm.VIEW_AUDIT))


def audit_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[AuditEntry]:
    """Sealed audit entries the user may browse (auditors: all of them), filtered, newest first. The chain's
    pages show an entry once it has its number: `audit_unsealed_count` says how many are still waiting."""
    from prokuratura.accounts.models import User

    if not _may_view_audit(user):
        return AuditEntry.objects.none()
    filters = filters or {}
    qs = AuditEntry.objects.defer("changes").filter(seq__isnull=False)
    if actor := (filters.get("actor") or "").strip():
        # By id, so the (actor, created_at) index serves it; actor_repr only records the name at the time.
        qs = qs.filter(actor_id__in=User.objects.filter(username__iexact=actor).values("pk"))
    if action := filters.get("action"):
        qs = qs.filter(action=action)
    if object_type := (filters.get("object_type") or "").strip():
        qs = qs.filter(object_type=object_type.lower())
    if object_id := (filters.get("object_id") or "").strip():
        qs = qs.filter(object_id=object_id)
    if date_from := filters.get("date_from"):
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to := filters.get("date_to"):
        qs = qs.filter(created_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return qs.order_by("-seq")


def audit_unsealed_count(*, user: User) -> int:
    """Entries committed in the last moments and not yet sealed into the chain (core.audit.audit_seal)."""
    if not _may_view_audit(user):
        return 0
    return AuditEntry.objects.filter(seq__isnull=True).count()


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    older: int | None  # pass as ?before= to get the next (older) page
    newer: int | None  # pass as ?after= to get the previous (newer) page


def audit_page(
    queryset: QuerySet[AuditEntry], *, before: int | None = None, after: int | None = None, size: int = 50
) -> AuditPage:
    """One page of a filtered trail by keyset on seq: `WHERE seq < cursor ORDER BY seq DESC LIMIT n` stays as
    fast on page 10,000 as on page 1, where OFFSET would read and throw away every row before the page."""
    if after is not None:
        rows = list(queryset.filter(seq__gt=after).order_by("seq")[: size + 1])
        has_newer = len(rows) > size
        entries = list(reversed(rows[:size]))
        has_older = bool(entries) and queryset.filter(seq__lt=entries[-1].seq).exists()
    else:
        page_qs = queryset if before is None else queryset.filter(seq__lt=before)
        rows = list(page_qs.order_by("-seq")[: size + 1])
        has_older = len(rows) > size
        entries = rows[:size]
        has_newer = before is not None and queryset.filter(seq__gte=before).exists()
    return AuditPage(
        entries=entries,
        older=entries[-1].seq if entries and has_older else None,
        newer=entries[0].seq if entries and has_newer else None,
    )


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: Any
    after: Any


def _display(value: Any) -> Any:
    """None and "" stay distinguishable for the template; containers are shown as JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def audit_change_rows(*, entry: AuditEntry) -> list[ChangeRow]:
    rows = []
    for name, change in sorted((entry.changes or {}).items()):
        if isinstance(change, dict) and set(change) == {"before", "after"}:
            rows.append(ChangeRow(name, _display(change["before"]), _display(change["after"])))
        else:
            rows.append(ChangeRow(name, None, _display(change)))
    return rows


@dataclass(frozen=True)
class EntryCheck:
    hash_ok: bool
    follows_previous: bool | None  # None when the previous entry is missing
    has_next: bool


def audit_entry_check(*, entry: AuditEntry) -> EntryCheck:
    """Whether one entry's own hash checks out, whether it links to the entry before it, and whether another
    follows it (for the page's "next" link). An entry not yet sealed has no hash and no place to check."""
    if entry.seq is None:
        return EntryCheck(hash_ok=False, follows_previous=None, has_next=False)
    hash_ok = entry_hash({name: getattr(entry, name) for name in HASHED_FIELDS}) == entry.hash
    has_next = AuditEntry.objects.filter(seq__gt=entry.seq).exists()
    if entry.seq == 1:
        return EntryCheck(hash_ok, entry.prev_hash == GENESIS, has_next)
    previous_hash = AuditEntry.objects.filter(seq=entry.seq - 1).values_list("hash", flat=True).first()
    follows = None if previous_hash is None else previous_hash == entry.prev_hash
    return EntryCheck(hash_ok, follows, has_next)
