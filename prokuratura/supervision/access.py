"""Who may see and change supervision records.

See (`supervision.view`): the record rule of core.access — role × office subtree × sensitivity — with the persons
a record names (the responsible prosecutor, the act's prosecutor, the visiting prosecutor, the author) as
participants. Visits to places of detention are restricted by default: only the people they name and heads over
the office read them, and each read is audited. Change: `may_change_*` — the prosecutor the record names or a
head over its office (the lifecycles' RESPONSIBLE / AUTHOR rules), holding `supervision.work`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404, HttpRequest

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import can_see_record, checked_record, visible_records_q

from .models import Act, DetentionVisit, Inspection, Violation
from .transitions import AUTHOR, HEAD, RESPONSIBLE

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

INSPECTION_PARTICIPANTS = ("responsible", "created_by")
ACT_PARTICIPANTS = ("author", "created_by")
VIOLATION_PARTICIPANTS = ("created_by",)
VISIT_PARTICIPANTS = ("prosecutor", "created_by")


def _may_view(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(Perm.SUPERVISION_VIEW))


def _visible_q(user: User, participants: tuple[str, ...]) -> Q:
    if not _may_view(user):
        return Q(pk__in=[])
    return visible_records_q(user=user, participant_fields=participants)


def inspections_visible_q(*, user: User) -> Q:
    return _visible_q(user, INSPECTION_PARTICIPANTS)


def acts_visible_q(*, user: User) -> Q:
    return _visible_q(user, ACT_PARTICIPANTS)


def violations_visible_q(*, user: User) -> Q:
    return _visible_q(user, VIOLATION_PARTICIPANTS)


def visits_visible_q(*, user: User) -> Q:
    return _visible_q(user, VISIT_PARTICIPANTS)


def _can_see(
    user: User, record: Inspection | Act | Violation | DetentionVisit, participants: tuple[str, ...]
) -> bool:
    if not _may_view(user):
        return False
    return can_see_record(
        user=user,
        office=record.office,
        sensitivity=record.sensitivity,
        participant_ids=[getattr(record, f"{name}_id") for name in participants],
    )


def can_see_inspection(*, user: User, inspection: Inspection) -> bool:
    return _can_see(user, inspection, INSPECTION_PARTICIPANTS)


def can_see_act(*, user: User, act: Act) -> bool:
    return _can_see(user, act, ACT_PARTICIPANTS)


def can_see_violation(*, user: User, violation: Violation) -> bool:
    return _can_see(user, violation, VIOLATION_PARTICIPANTS)


def can_see_visit(*, user: User, visit: DetentionVisit) -> bool:
    return _can_see(user, visit, VISIT_PARTICIPANTS)


def may_change_inspection(*, user: User, inspection: Inspection) -> bool:
    """Record violations and draft acts in the inspection: its responsible prosecutor or a head over the office."""
    return user.has_perm(Perm.SUPERVISION_WORK) and RESPONSIBLE(user, inspection)


def may_change_act(*, user: User, act: Act) -> bool:
    """Edit a draft act: its prosecutor or a head over the office."""
    return user.has_perm(Perm.SUPERVISION_WORK) and AUTHOR(user, act)


def may_change_violation(*, user: User, violation: Violation) -> bool:
    """Correct a violation: who may change the inspection it was found in, or its author, or a head."""
    if not user.has_perm(Perm.SUPERVISION_WORK):
        return False
    if violation.inspection_id is not None and RESPONSIBLE(user, violation.inspection):
        return True
    return violation.created_by_id == user.pk or HEAD(user, violation)


def may_change_visit(*, user: User, visit: DetentionVisit) -> bool:
    """The visiting prosecutor or a head over the office."""
    if not user.has_perm(Perm.SUPERVISION_WORK):
        return False
    return visit.prosecutor_id == user.pk or HEAD(user, visit)


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def access_inspection(
    *, user: User, inspection_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> Inspection:
    """The inspection, or 404 when it does not exist or the user may not see it; 403 when they may see it but not
    change it (`for_write`). Reading a restricted inspection is audited."""
    if not _active(user):
        raise Http404
    return checked_record(
        user=user,
        found=Inspection.objects.select_related("office", "responsible", "ground_appeal", "created_by")
        .filter(pk=inspection_id)
        .first(),
        can_see=lambda r: can_see_inspection(user=user, inspection=r),
        may_change=lambda r: may_change_inspection(user=user, inspection=r),
        for_write=for_write,
        request=request,
    )


def access_act(
    *, user: User, act_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> Act:
    if not _active(user):
        raise Http404
    return checked_record(
        user=user,
        found=Act.objects.select_related(
            "office", "act_type", "author", "inspection", "appeal", "visit", "signer"
        )
        .filter(pk=act_id)
        .first(),
        can_see=lambda r: can_see_act(user=user, act=r),
        may_change=lambda r: may_change_act(user=user, act=r),
        for_write=for_write,
        request=request,
    )


def access_violation(
    *, user: User, violation_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> Violation:
    if not _active(user):
        raise Http404
    return checked_record(
        user=user,
        found=Violation.objects.select_related("office", "inspection", "appeal", "created_by")
        .filter(pk=violation_id)
        .first(),
        can_see=lambda r: can_see_violation(user=user, violation=r),
        may_change=lambda r: may_change_violation(user=user, violation=r),
        for_write=for_write,
        request=request,
    )


def access_visit(
    *, user: User, visit_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> DetentionVisit:
    """A visit to a place of detention: 404 for anyone the record rule does not admit (they cannot learn it
    exists); every read of a restricted visit is audited."""
    if not _active(user):
        raise Http404
    return checked_record(
        user=user,
        found=DetentionVisit.objects.select_related("office", "facility", "facility__region", "prosecutor")
        .filter(pk=visit_id)
        .first(),
        can_see=lambda r: can_see_visit(user=user, visit=r),
        may_change=lambda r: may_change_visit(user=user, visit=r),
        for_write=for_write,
        request=request,
    )
