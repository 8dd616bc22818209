"""Who may see what: role × office subtree × sensitivity.

Objects are fetched for a user only through `access_<entity>(*, user, id, for_write=False)`. They answer
404 (Http404) both for "does not exist" and "you may not see it", so nobody can probe what exists, and 403
(PermissionDenied) only where the user may see but not change. Reading a restricted record is audited.

The rule for any record that belongs to an office and carries a sensitivity (`can_see_record`):
- public: every active staff member;
- internal: staff of the owning office or of any office above it; auditors (oversight reads);
- restricted: the persons the record names (e.g. the assigned prosecutor) and heads of the owning office
  or of an office above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from prokuratura.accounts.roles import Perm

from .audit import audit_record
from .models import AuditEntry, Department, Office, Sensitivity

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# Roles whose work is national: they see every office's internal records.
NATIONAL_ROLES = frozenset({"auditor"})


def _active_staff(user: User) -> bool:
    # Typed `User`, yet a request's AnonymousUser may reach here at run time: this check refuses it.
    return bool(user and user.is_authenticated and user.is_active)


def offices_visible_to(*, user: User) -> QuerySet[Office]:
    """Offices whose internal records the user may read: their own office and everything below it."""
    if not _active_staff(user):
        return Office.objects.none()
    if user.has_role(*NATIONAL_ROLES):
        return Office.objects.all()
    if user.office is None:
        return Office.objects.none()
    return _subtree(user.office)


def _in_chain(user: User, office: Office | None) -> bool:
    """True when the user's office is the record's office or above it."""
    if office is None or user.office is None:
        return False
    return office.is_within(user.office)


def can_see_record(
    *, user: User, office: Office | None, sensitivity: str, participant_ids: Iterable[int] = ()
) -> bool:
    if not _active_staff(user):
        return False
    if sensitivity == Sensitivity.PUBLIC:
        return True
    if user.pk in set(participant_ids):
        return True
    if sensitivity == Sensitivity.INTERNAL:
        if user.has_role(*NATIONAL_ROLES):
            return True
        return _in_chain(user, office)
    if sensitivity == Sensitivity.RESTRICTED:
        if not user.has_role("head"):
            return False
        return _in_chain(user, office)
    return False  # an unknown sensitivity is never readable


def visible_records_q(
    *,
    user: User,
    office_field: str = "office",
    sensitivity_field: str = "sensitivity",
    participant_fields: Iterable[str] = (),
) -> Q:
    """The queryset form of `can_see_record`, so a list never shows what the detail page would refuse."""
    if not _active_staff(user):
        return Q(pk__in=[])
    if user.has_role("head") and user.office is not None and user.office.parent_id is None:
        # A head of the root office: every office is below, so every record of a known sensitivity is readable.
        # Said as one condition on one column rather than "public OR mine OR internal OR restricted", which the
        # database cannot see is always true: a count over a big table can then be an index-only scan.
        return Q(**{f"{sensitivity_field}__in": Sensitivity.values})
    q = Q(**{sensitivity_field: Sensitivity.PUBLIC})
    for name in participant_fields:
        q |= Q(**{name: user.pk})
    national, head = user.has_role(*NATIONAL_ROLES), user.has_role("head")
    if national:
        q |= Q(**{sensitivity_field: Sensitivity.INTERNAL})
    if (head or not national) and user.office is not None:
        subtree = office_subtree_q(field=office_field, office=user.office, literal=True)
        if not national:
            q |= Q(**{sensitivity_field: Sensitivity.INTERNAL}) & subtree
        if head:
            q |= Q(**{sensitivity_field: Sensitivity.RESTRICTED}) & subtree
    return q


# Beyond this many offices in a reader's subtree the rule is not split office by office (visible_records_branches).
BRANCH_OFFICES_MAX = 64


def visible_records_branches(
    *,
    user: User,
    office_field: str = "office",
    sensitivity_field: str = "sensitivity",
    participant_fields: Iterable[str] = (),
) -> list[Q] | None:
    """`visible_records_q` as disjoint conditions whose union is the same rule, or None where that is no gain.

    Each branch is a row set one index can read in a list's order — the public records, one office's internal
    (and, for a head, restricted) records, the records naming the user — so a search can be written as a UNION ALL
    of the branches that PostgreSQL merges in order (Merge Append) and stops at the cap, reading only rows the user
    may see instead of walking the whole register (docs/PERFORMANCE.md, "Search"). Branches are made disjoint so the
    union counts each record once. None for a national reader (the rule then covers most of the register), a
    user without an office, or a subtree of more than BRANCH_OFFICES_MAX offices.
    """
    if not _active_staff(user) or user.office_id is None or user.has_role(*NATIONAL_ROLES):
        return None
    office = user.office
    if office is None or office.parent_id is None:  # the root office's head or staff: the whole country
        return None
    offices = office_subtree_ids(office)
    if len(offices) > BRANCH_OFFICES_MAX:
        return None
    office_sensitivities = [Sensitivity.INTERNAL]
    if user.has_role("head"):
        office_sensitivities.append(Sensitivity.RESTRICTED)
    public = Q(**{sensitivity_field: Sensitivity.PUBLIC})
    branches, covered = [public], public
    # The records naming the user come before the offices' records: most of a user's own appeals are in their
    # offices too, and a branch that excluded those would read them all to find the few from elsewhere.
    for name in participant_fields:
        mine = Q(**{name: user.pk})
        branches.append(mine & ~covered)
        covered |= mine
    branches += [
        Q(**{office_field: office_id, f"{sensitivity_field}__in": office_sensitivities}) & ~covered
        for office_id in offices
    ]
    return branches


def counting_scope_q(*, user: User, field: str = "office") -> Q:
    """The records whose numbers the user may count (statistics are numbers, not records): their office and the
    offices below it; every office for national roles. The caller checks the module's statistics permission."""
    if not _active_staff(user):
        return Q(pk__in=[])
    if user.has_role(*NATIONAL_ROLES):
        return Q()
    if user.office is None:
        return Q(pk__in=[])
    return office_subtree_q(field=field, office=user.office)


def office_subtree_q(*, field: str, office: Office, literal: bool = False) -> Q:
    """Records whose `field` is `office` or an office below it.

    As `field IN (SELECT id FROM core_office WHERE path LIKE 'prefix%')` rather than a join, so a big table can be
    read in the order of its own index (newest first) and stop at the page's end; for the root office it is no
    condition at all.

    `literal=True` reads the offices' ids first (one small query) and puts them in the condition as a list. The
    record rule uses it: inside its OR (public, or mine, or internal in my subtree) PostgreSQL can combine the
    indexes of every branch — with the search index too — only when the list is a constant, while a subquery
    there becomes a filter evaluated row by row (docs/PERFORMANCE.md, "Search").
    """
    if office.parent_id is None:
        return Q()
    ids = office_subtree_ids(office) if literal else _subtree(office).values("pk")
    return Q(**{f"{field}__in": ids})


def _subtree(office: Office) -> QuerySet[Office]:
    return Office.objects.filter(path__startswith=office.path)


def office_subtree_ids(office: Office) -> list[int]:
    """The ids of `office` and the offices below it, read once per Office instance (a request's user's office
    is one instance, so its lists and counts share the one query)."""
    cached: list[int] | None = getattr(office, "_subtree_ids", None)
    if cached is None:
        cached = sorted(_subtree(office).values_list("pk", flat=True))
        office._subtree_ids = cached  # type: ignore[attr-defined]
    return cached


def checked_record[R: Model](
    *,
    user: User,
    found: R | None,
    can_see: Callable[[R], bool],
    may_change: Callable[[R], bool],
    for_write: bool,
    request: HttpRequest | None,
    sensitivity: str | None = None,
) -> R:
    """The one rule of a module's `access_*` helpers: 404 when the record does not exist or the user may not see
    it (so nobody learns that it exists), 403 when they may see it but not change it (`for_write`); a restricted
    read is audited. `sensitivity`: the record's own unless it reads by another's (a task by its event's)."""
    if found is None or not can_see(found):
        raise Http404
    if for_write and not may_change(found):
        raise PermissionDenied
    level = sensitivity if sensitivity is not None else getattr(found, "sensitivity", "")
    audit_restricted_read(user=user, obj=found, sensitivity=level, request=request)
    return found


def audit_restricted_read(
    *, user: User, obj: Model, sensitivity: str, request: HttpRequest | None = None
) -> None:
    if sensitivity == Sensitivity.RESTRICTED:
        audit_record(actor=user, action=AuditEntry.Action.READ, obj=obj, request=request)


def access_office(*, user: User, office_id: int, for_write: bool = False) -> Office:
    if not _active_staff(user):
        raise Http404
    if not user.has_perm(Perm.VIEW_OFFICES):
        raise Http404
    office = Office.objects.select_related("parent", "region").filter(pk=office_id).first()
    if office is None:
        raise Http404
    if for_write and not user.has_perm(Perm.MANAGE_OFFICES):
        raise PermissionDenied
    return office


def access_department(*, user: User, department_id: int, for_write: bool = False) -> Department:
    """Departments are organisational facts, visible like offices to every staff member who may see offices."""
    if not _active_staff(user):
        raise Http404
    if not user.has_perm(Perm.VIEW_OFFICES):
        raise Http404
    department = Department.objects.select_related("office").filter(pk=department_id).first()
    if department is None:
        raise Http404
    if for_write and not user.has_perm(Perm.MANAGE_OFFICES):
        raise PermissionDenied
    return department


def access_user(*, user: User, user_id: int, for_write: bool = False) -> User:
    from prokuratura.accounts.selectors import user_list

    if not _active_staff(user):
        raise Http404
    if not (user.has_perm(Perm.VIEW_USERS) or user.pk == user_id):
        raise Http404
    target = user_list(user=user).filter(pk=user_id).first() if user.pk != user_id else user
    if target is None:
        raise Http404
    if for_write and not user.has_perm(Perm.MANAGE_USERS):
        raise PermissionDenied
    return target


def access_audit_entry(*, user: User, seq: int) -> AuditEntry:
    if not (_active_staff(user) and user.has_perm(Perm.VIEW_AUDIT)):
        raise Http404
    entry = AuditEntry.objects.select_related("actor").filter(seq=seq).first()
    if entry is None:
        raise Http404
    return entry
