"""Who may see and change an appeal.

See: `appeals.view` and the record rule of core.access (role × office subtree × sensitivity); the assigned
prosecutor and the registrar who registered it always see it. Steps: the lifecycle's declaration
(appeals.transitions, enforced by core.lifecycle). Notes and attachments: `may_change` — the assigned prosecutor
or a head over the appeal's office, holding `appeals.work`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from .transitions import WORKER

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

PARTICIPANT_FIELDS = ("assignee_id", "registered_by_id")
PARTICIPANTS = ("assignee", "registered_by")


def _may_view(user: User) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(Perm.APPEALS_VIEW))


def appeals_visible_q(*, user: User) -> Q:
    if not _may_view(user):
        return Q(pk__in=[])
    return visible_records_q(user=user, participant_fields=PARTICIPANTS)


def appeals_visible_branches(*, user: User) -> list[Q] | None:
    """`appeals_visible_q` as disjoint branches (core.access.visible_records_branches), or None."""
    if not _may_view(user):
        return None
    return visible_records_branches(user=user, participant_fields=PARTICIPANTS)


def can_see_appeal(*, user: User, appeal: Appeal) -> bool:
    if not user.has_perm(Perm.APPEALS_VIEW):
        return False
    return can_see_record(
        user=user,
        office=appeal.office,
        sensitivity=appeal.sensitivity,
        participant_ids=[getattr(appeal, name) for name in PARTICIPANT_FIELDS],
    )


def may_change(*, user: User, appeal: Appeal) -> bool:
    """Whether the user may add notes and files: who works on the appeal (the assigned prosecutor or a head
    over its office, as the lifecycle's steps declare), holding `appeals.work`."""
    return user.has_perm(Perm.APPEALS_WORK) and WORKER(user, appeal)


def access_appeal(
    *, user: User, appeal_id: int, for_write: bool = False, request: HttpRequest | None = None
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
    if for_write and not may_change(user=user, appeal=appeal):
        raise PermissionDenied
    audit_restricted_read(user=user, obj=appeal, sensitivity=appeal.sensitivity, request=request)
    return appeal
