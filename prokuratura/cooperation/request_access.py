"""Who may see and change requests for legal assistance.

See (`cooperation.requests_view`): the record rule of core.access — role × office subtree × sensitivity — with
the persons a request names (the officer in charge, the prosecutor or investigator, the author) as participants.
Terrorism and extremism requests are restricted by default: only the people they name and heads over the office
read them, and each read is audited. The persons concerned (personal data) are read like a restricted record
whatever the request's sensitivity: by the people the request names and heads over the office, audited.
Change: the officer in charge or a head over the office, holding `cooperation.requests_work`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import audit_restricted_read, can_see_record, visible_records_q
from prokuratura.core.audit import audit_refusal
from prokuratura.core.models import Sensitivity

from .models_requests import AssistanceRequest, RequestPerson
from .request_transitions import OFFICER

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

PARTICIPANTS = ("officer", "prosecutor", "created_by")


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _may_view(user: User) -> bool:
    return _active(user) and user.has_perm(Perm.COOP_REQUESTS_VIEW)


def requests_visible_q(*, user: User) -> Q:
    if not _may_view(user):
        return Q(pk__in=[])
    return visible_records_q(user=user, participant_fields=PARTICIPANTS)


def _participant_ids(record: AssistanceRequest) -> list[int | None]:
    return [getattr(record, f"{name}_id") for name in PARTICIPANTS]


def can_see_request(*, user: User, assistance_request: AssistanceRequest) -> bool:
    if not _may_view(user):
        return False
    return can_see_record(
        user=user,
        office=assistance_request.office,
        sensitivity=assistance_request.sensitivity,
        participant_ids=[i for i in _participant_ids(assistance_request) if i is not None],
    )


def can_see_persons(*, user: User, assistance_request: AssistanceRequest) -> bool:
    """The personal data of the persons concerned: the people the request names and heads over its office."""
    if not can_see_request(user=user, assistance_request=assistance_request):
        return False
    return can_see_record(
        user=user,
        office=assistance_request.office,
        sensitivity=Sensitivity.RESTRICTED,
        participant_ids=[i for i in _participant_ids(assistance_request) if i is not None],
    )


def may_change_request(*, user: User, assistance_request: AssistanceRequest) -> bool:
    """Edit the request, its persons, letters, translations and checklist: the officer in charge or a head."""
    return _active(user) and user.has_perm(Perm.COOP_REQUESTS_WORK) and OFFICER(user, assistance_request)


def access_request(
    *, user: User, request_id: int, for_write: bool = False, request: HttpRequest | None = None
) -> AssistanceRequest:
    """The request, or 404 when it does not exist or the user may not see it (nobody learns that it exists); 403
    when they may see it but not change it (`for_write`). Reading a restricted request is audited."""
    if not _active(user):
        raise Http404
    # Four joins, not ten: beyond eight tables PostgreSQL plans for longer than the lookup takes (15 ms at ten
    # years, docs/PERFORMANCE.md); the page reads the rest of the request's links as it shows them.
    found = (
        AssistanceRequest.objects.select_related("office", "partner", "basis", "officer")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404
    if not can_see_request(user=user, assistance_request=found):
        # The answer is the same 404 as for a missing request; the attempt is a security entry (issue 13, "bad
        # input": a restricted request asked for without clearance is audited).
        audit_refusal(
            actor=user, what="read", error=Http404("not visible to this user"), obj=found, request=request
        )
        raise Http404
    if for_write and not may_change_request(user=user, assistance_request=found):
        raise PermissionDenied
    audit_restricted_read(user=user, obj=found, sensitivity=found.sensitivity, request=request)
    return found


def access_request_persons(
    *, user: User, assistance_request: AssistanceRequest, request: HttpRequest | None = None
) -> list[RequestPerson] | None:
    """The persons concerned, or None when the user may see the request but not the personal data. Every read is
    audited (personal data)."""
    if not can_see_persons(user=user, assistance_request=assistance_request):
        return None
    persons = list(assistance_request.persons.select_related("nationality"))
    if persons:
        audit_restricted_read(
            user=user, obj=assistance_request, sensitivity=Sensitivity.RESTRICTED, request=request
        )
    return persons
