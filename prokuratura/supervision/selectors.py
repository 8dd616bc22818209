"""Every read of supervision records for a user: visibility is the record rule of supervision.access, decided here
once, so a list never shows what the detail page would refuse. Control lists are in `control.py`, the numbers in
`stats.py`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import office_subtree_q

from .access import acts_visible_q, inspections_visible_q, violations_visible_q, visits_visible_q
from .models import (
    Act,
    ActTransition,
    ActType,
    DetentionVisit,
    Facility,
    Inspection,
    InspectionTransition,
    Violation,
)

if TYPE_CHECKING:
    from prokuratura.accounts.models import User
    from prokuratura.appeals.models import Appeal
    from prokuratura.core.models import Office


@dataclass(frozen=True)
class ListFilters:
    """What the lists filter by (all optional): a free-text `q` over number, subject/addressee and text; status;
    kind or type; an office and everything below it; a period of the record's date."""

    q: str = ""
    status: str = ""
    kind: str = ""  # inspection kind, act type code, facility kind
    office: Office | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    mine: bool = False


def _words(q: str) -> list[str]:
    return [w for w in q.split() if w][:10]


def inspection_list(*, user: User, filters: ListFilters | None = None) -> QuerySet[Inspection]:
    f = filters or ListFilters()
    qs = Inspection.objects.filter(inspections_visible_q(user=user)).select_related("office", "responsible")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=f.office))
    if f.date_from:
        qs = qs.filter(period_start__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(period_start__lte=f.date_to)
    if f.mine:
        qs = qs.filter(responsible=user)
    for word in _words(f.q):
        qs = qs.filter(
            Q(number__icontains=word)
            | Q(subject_name__icontains=word)
            | Q(subject_bin=word)
            | Q(topics__icontains=word)
        )
    return qs.order_by("-period_start", "-id")


def act_list(*, user: User, filters: ListFilters | None = None) -> QuerySet[Act]:
    f = filters or ListFilters()
    qs = Act.objects.filter(acts_visible_q(user=user)).select_related("office", "act_type", "author")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(act_type__code=f.kind)
    if f.office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=f.office))
    if f.date_from:
        qs = qs.filter(issued_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(issued_on__lte=f.date_to)
    if f.mine:
        qs = qs.filter(author=user)
    for word in _words(f.q):
        qs = qs.filter(
            Q(number__icontains=word) | Q(addressee_name__icontains=word) | Q(subject__icontains=word)
        )
    return qs.order_by("-issued_on", "-id")


def violation_list(*, user: User, filters: ListFilters | None = None) -> QuerySet[Violation]:
    f = filters or ListFilters()
    qs = Violation.objects.filter(violations_visible_q(user=user)).select_related(
        "office", "inspection", "appeal"
    )
    if f.kind:
        qs = qs.filter(category=f.kind)
    if f.office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=f.office))
    if f.date_from:
        qs = qs.filter(found_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(found_on__lte=f.date_to)
    for word in _words(f.q):
        qs = qs.filter(Q(description__icontains=word) | Q(law_violated__icontains=word))
    return qs.order_by("-found_on", "-id")


def visit_list(*, user: User, filters: ListFilters | None = None) -> QuerySet[DetentionVisit]:
    f = filters or ListFilters()
    qs = DetentionVisit.objects.filter(visits_visible_q(user=user)).select_related(
        "office", "facility", "facility__region", "prosecutor"
    )
    if f.kind:
        qs = qs.filter(facility__kind=f.kind)
    if f.office is not None:
        qs = qs.filter(office_subtree_q(field="office", office=f.office))
    if f.date_from:
        qs = qs.filter(visited_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(visited_on__lte=f.date_to)
    if f.mine:
        qs = qs.filter(prosecutor=user)
    for word in _words(f.q):
        qs = qs.filter(
            Q(findings__icontains=word)
            | Q(facility__name_ru__icontains=word)
            | Q(facility__name_kk__icontains=word)
        )
    return qs.order_by("-visited_on", "-id")


# --- one record's related rows -----------------------------------------------------------------------------------


def inspection_violations(*, user: User, inspection: Inspection) -> QuerySet[Violation]:
    return violation_list(user=user).filter(inspection=inspection).order_by("found_on", "id")


def inspection_acts(*, user: User, inspection: Inspection) -> QuerySet[Act]:
    return act_list(user=user).filter(inspection=inspection).order_by("issued_on", "id")


def act_violations(*, act: Act) -> QuerySet[Violation]:
    """The violations an act answers (the act was read through access_act: its own links are shown)."""
    return act.violations.order_by("found_on", "id")


def visit_acts(*, user: User, visit: DetentionVisit) -> QuerySet[Act]:
    return act_list(user=user).filter(visit=visit).order_by("issued_on", "id")


def appeal_supervision(*, user: User, appeal: Appeal) -> dict[str, Any]:
    """What supervision records an appeal led to (its detail page, the other way of the link): inspections opened
    on it, violations found while answering it, acts issued on it — those the user may see."""
    if not user.has_perm(Perm.SUPERVISION_VIEW):
        return {"inspections": [], "violations": [], "acts": []}
    return {
        "inspections": list(inspection_list(user=user).filter(ground_appeal=appeal)),
        "violations": list(violation_list(user=user).filter(appeal=appeal)),
        "acts": list(act_list(user=user).filter(appeal=appeal)),
    }


def inspection_history(*, inspection: Inspection) -> QuerySet[InspectionTransition]:
    return inspection.history.select_related("by").order_by("at", "id")


def act_history(*, act: Act) -> QuerySet[ActTransition]:
    return act.history.select_related("by").order_by("at", "id")


# --- reference data --------------------------------------------------------------------------------------------


def act_types(*, active_only: bool = True) -> QuerySet[ActType]:
    qs = ActType.objects.prefetch_related(Prefetch("templates"))
    return qs.filter(is_active=True) if active_only else qs


def facilities(*, region_id: int | None = None, active_only: bool = True) -> QuerySet[Facility]:
    qs = Facility.objects.select_related("region")
    if active_only:
        qs = qs.filter(is_active=True)
    if region_id:
        qs = qs.filter(region_id=region_id)
    return qs
