"""Who may see and change an appeal.

See: `appeals.view` and the record rule of core.access (role × office subtree × sensitivity); the assigned
prosecutor and the registrar who registered it always see it. Change: the step's own permission
(transitions.STEP_PERMISSION) and, for work on the substance, being the assigned prosecutor or a head of the
appeal's office or an office above it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import (
    audit_restricted_read,
    can_see_record,
    visible_records_branches,
    visible_records_q,
)

from .models import Appeal

PARTICIPANT_FIELDS = ("assignee_id", "registered_by_id")
PARTICIPANTS = ("assignee", "registered_by")


def _may_view(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(Perm.APPEALS_VIEW))


def appeals_visible_q(*, user: Any) -> Q:
    if not _may_view(user):
        return Q(pk__in=[])
    return visible_records_q(user=user, participant_fields=PARTICIPANTS)


def appeals_visible_branches(*, user: Any) -> list[Q] | None:
    """`appeals_visible_q` as disjoint branches (core.access.visible_records_branches), or None."""
    if not _may_view(user):
        return None
    return visible_records_branches(user=user, participant_fields=PARTICIPANTS)


def can_see_appeal(*, user: Any, appeal: Appeal) -> bool:
    if not user.has_perm(Perm.APPEALS_VIEW):
        return False
    return can_see_record(
        user=user,
        office=appeal.office,
        sensitivity=appeal.sensitivity,
        participant_ids=[getattr(appeal, name) for name in PARTICIPANT_FIELDS],
    )


def is_head_over(*, user: Any, appeal: Appeal) -> bool:
    """A head of the appeal's office or of an office above it."""
    if not user.has_role("head") or user.office_id is None:
        return False
    return appeal.office.path.startswith(user.office.path)


def may_work_on(*, user: Any, appeal: Appeal) -> bool:
    """The assigned prosecutor, or a head over the appeal's office."""
    if not user.has_perm(Perm.APPEALS_WORK):
        return False
    if appeal.assignee_id == user.pk:
        return True
    return is_head_over(user=user, appeal=appeal)


def access_appeal(
    *, user: Any, appeal_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> Appeal:
    """The appeal, or 404 when it does not exist or the user may not see it; 403 when they may see it but
    not change it (`for_write`). Reading a restricted appeal is audited."""
    if not (user and user.is_authenticated and user.is_active):
        raise Http404
    appeal = (
        Appeal.objects.select_related(
            "office",
            "department",
            "assignee",
            "registered_by",
            "region",
            "topic",
            "crime_focus",
            "repeated_of",
        )
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise Http404
    if not can_see_appeal(user=user, appeal=appeal):
        raise Http404
    if for_write and not (may_work_on(user=user, appeal=appeal) or is_head_over(user=user, appeal=appeal)):
        raise PermissionDenied
    audit_restricted_read(user=user, obj=appeal, sensitivity=appeal.sensitivity, request=request)
    return appeal
