"""Every read of requests for legal assistance for a user: visibility is the record rule of
cooperation.request_access, decided here once, so a list never shows what the detail page would refuse. The
numbers are in `request_stats.py`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from prokuratura.core.access import office_subtree_q

from .completeness import Completeness, request_completeness
from .models_requests import (
    AssistanceRequest,
    Correspondence,
    RefusalAssessment,
    RefusalGround,
    RequestPerson,
    RequestTransition,
    TranslationTask,
)
from .refusal import refusal_suggestions
from .request_access import access_request_persons, may_change_request, requests_visible_q
from .request_transitions import AWAITING, OPEN, REQUESTS

if TYPE_CHECKING:
    from prokuratura.accounts.models import User
    from prokuratura.core.lifecycle import Step
    from prokuratura.core.models import Office


@dataclass(frozen=True)
class RequestFilters:
    """What the register filters by (all optional): free text over number, case number, authority, the partner's
    reference and the offence article; direction, kind, status, partner state, focus area; an office and everything
    below it; a period of the start date (sent or received); only open, only overdue, only mine."""

    q: str = ""
    direction: str = ""
    kind: str = ""
    status: str = ""
    partner: str = ""  # ISO alpha-2
    focus_area: str = ""  # CrimeCategory code
    office: Office | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    open_only: bool = False
    overdue: bool = False
    mine: bool = False


def _words(q: str) -> list[str]:
    return [w for w in q.split() if w][:10]


def request_list(*, user: User, filters: RequestFilters | None = None) -> QuerySet[AssistanceRequest]:
    f = filters or RequestFilters()
    qs = AssistanceRequest.objects.filter(requests_visible_q(user=user)).select_related(
        "office", "partner", "officer", "basis", "focus_area"
    )
    for name in ("direction", "kind", "status"):
        value = getattr(f, name)
        if value:
            qs = qs.filter(**{name: value})
    if f.partner:
        qs = qs.filter(partner_id=f.partner.upper())
    if f.focus_area:
        qs = qs.filter(focus_area__code=f.focus_area)
    if f.office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=f.office))
    if f.date_from:
        qs = qs.filter(Q(sent_on__gte=f.date_from) | Q(received_on__gte=f.date_from))
    if f.date_to:
        qs = qs.filter(Q(sent_on__lte=f.date_to, sent_on__isnull=False) | Q(received_on__lte=f.date_to))
    if f.open_only:
        qs = qs.filter(status__in=OPEN)
    if f.overdue:
        qs = qs.filter(status__in=AWAITING, due_date__lt=timezone.localdate())
    if f.mine:
        qs = qs.filter(officer=user)
    for word in _words(f.q):
        qs = qs.filter(
            Q(number__icontains=word)
            | Q(case_number__icontains=word)
            | Q(foreign_authority__icontains=word)
            | Q(foreign_reference__icontains=word)
            | Q(offence_article__icontains=word)
        )
    return qs.order_by("-created_at", "-id")


@dataclass
class GroundRow:
    ground: str
    label: str
    finding: str
    note: str
    suggestion: str


@dataclass
class RequestDetail:
    """Everything the request's page shows, read once: the completeness check, the persons (None: the user may
    not see the personal data), the letters, translations, the refusal checklist, the history and the steps."""

    record: AssistanceRequest
    completeness: Completeness
    persons: list[RequestPerson] | None
    letters: list[Correspondence]
    translations: list[TranslationTask]
    grounds: list[GroundRow]
    history: list[RequestTransition]
    steps: list[Step]
    may_change: bool
    person_count: int = 0
    overdue: bool = False


def request_grounds(
    *, assistance_request: AssistanceRequest, persons: list[RequestPerson]
) -> list[GroundRow]:
    """The checklist: every ground with its finding so far and what the record suggests."""
    recorded: dict[str, RefusalAssessment] = {g.ground: g for g in assistance_request.grounds.all()}
    hints = refusal_suggestions(assistance_request, persons)
    rows = []
    for ground in RefusalGround:
        found = recorded.get(ground.value)
        rows.append(
            GroundRow(
                ground=ground.value,
                label=str(ground.label),
                finding=found.finding if found else "unassessed",
                note=found.note if found else "",
                suggestion=hints.get(ground.value, ""),
            )
        )
    return rows


def request_detail(
    *, user: User, assistance_request: AssistanceRequest, request: HttpRequest | None = None
) -> RequestDetail:
    """The request's page for `user`, who already passed access_request. Personal data only for who may see it."""
    record = assistance_request
    persons = access_request_persons(user=user, assistance_request=record, request=request)
    all_persons = persons if persons is not None else list(record.persons.select_related("nationality"))
    return RequestDetail(
        record=record,
        completeness=request_completeness(record),
        persons=persons,
        person_count=len(all_persons),
        letters=list(record.letters.select_related("created_by")),
        translations=list(record.translations.all()),
        grounds=request_grounds(assistance_request=record, persons=persons or [])
        if not record.is_outgoing
        else [],
        history=list(record.history.select_related("by")),
        steps=REQUESTS.available(actor=user, record=record),
        may_change=may_change_request(user=user, assistance_request=record),
        overdue=bool(
            record.due_date and record.status in AWAITING and record.due_date < timezone.localdate()
        ),
    )
