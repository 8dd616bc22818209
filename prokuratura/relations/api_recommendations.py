"""Recommendations and their implementation through the API: /api/v1/relations/recommendations… — list (the list
page's filters, paginated), read one (404 for "missing or not yours"), record (idempotent with an
`Idempotency-Key`), correct (PUT; PATCH: the fields sent), the history of the implementation status, and the
lifecycle's steps (core.lifecycle_api from transitions.RECOMMENDATIONS: start, report progress with evidence,
note, close, reopen). Unknown ids and codes answer 422 naming the field, before anything is saved."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.pagination import paginate

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import (
    CREATE_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    IdempotencyKey,
    PageNumberPagination,
    api_permission,
    api_submission_key,
    api_user,
)
from prokuratura.core.lifecycle_api import MAX_ID, add_step_endpoints

from .access import access_event, access_recommendation
from .api_events import (
    created,
    merged,
)
from .api_schemas import (
    RelHistoryOut,
    RelRecommendationDetailOut,
    RelRecommendationFilters,
    RelRecommendationIn,
    RelRecommendationOut,
    RelRecommendationPatchIn,
)
from .lookups import Refs, counterpart_by_id, event_by_id
from .models import Event, Recommendation
from .recommendation_selectors import RecommendationFilters, recommendation_history, recommendation_list
from .services import RecommendationData, recommendation_record, recommendation_update
from .transitions import RECOMMENDATIONS

router = Router(tags=["relations"])

URL = "/relations/recommendations"
ONE = URL + "/{int:recommendation_id}"
RECOMMENDATION_ID = Path(..., ge=1, le=MAX_ID)


def _event(request: HttpRequest, refs: Refs, event_id: int | None) -> Event | None:
    """The visit it came from, as the caller may see it (one they may not see is unknown to them)."""
    if event_id is None:
        return None
    try:
        return access_event(user=api_user(request), event_id=event_id, request=request)
    except Http404:
        refs.miss("event_id", _("No such meeting or visit."))
        return None


def _data(request: HttpRequest, payload: RelRecommendationIn) -> RecommendationData:
    refs = Refs()
    data = RecommendationData(
        source_kind=payload.source_kind,
        text=payload.text,
        issued_on=payload.issued_on,
        source=refs.counterpart("source_id", payload.source_id),
        event=_event(request, refs, payload.event_id),
        document=payload.document,
        paragraph=payload.paragraph,
        theme=refs.topic("theme", payload.theme),
        responsible=refs.counterpart("responsible_id", payload.responsible_id),
        officer=refs.user("officer_id", payload.officer_id),
        planned_actions=payload.planned_actions,
        due_date=payload.due_date,
        status=payload.status,
        evidence=payload.evidence,
        sensitivity=payload.sensitivity,
    )
    refs.check()
    return data


def _access(request: HttpRequest, recommendation_id: int, *, for_write: bool = False) -> Recommendation:
    return access_recommendation(
        user=api_user(request), recommendation_id=recommendation_id, for_write=for_write, request=request
    )


@router.get(
    URL,
    response={200: list[RelRecommendationOut], **LIST_ERRORS},
    summary="Recommendations",
    description="The recommendations you may see, newest first; `source` includes everything below it (the UN "
    "special procedures list their mandates'); `overdue`: the planned date passed and not closed. Paginated. "
    "An unknown source or event lists nothing.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.RELATIONS_VIEW)
def relations_recommendations_list(request: HttpRequest, filters: Query[RelRecommendationFilters]) -> Any:
    user = api_user(request)
    source = counterpart_by_id(filters.source)
    event = event_by_id(filters.event)
    found = recommendation_list(
        user=user,
        filters=RecommendationFilters(
            q=filters.q or "",
            source_kind=filters.source_kind or "",
            source=source,
            status=filters.status or "",
            overdue=filters.overdue,
            event=event,
        ),
    ).select_related("office")
    unknown = (filters.source and source is None) or (filters.event and event is None)
    return found.none() if unknown else found


@router.post(
    URL,
    response={201: RelRecommendationDetailOut, **CREATE_ERRORS},
    summary="Record a recommendation",
    description="Made to Kazakhstan by a special procedure, a treaty body, the UPR, OSCE/ODIHR or another; from "
    "a visit (`event_id`) where it came from one; entered late with its status of the day and the evidence. "
    "Send an `Idempotency-Key`: a retry never records a second one.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_recommendations_create(
    request: HttpRequest, payload: RelRecommendationIn, idempotency_key: IdempotencyKey = None
) -> Any:
    user = api_user(request)
    data = _data(request, payload)
    key = api_submission_key(user, idempotency_key)
    return created(
        request,
        idempotency_key,
        lambda: recommendation_record(by=user, data=data, submission_key=key, request=request),
        RelRecommendationDetailOut,
    )


@router.get(
    ONE,
    response={200: RelRecommendationDetailOut, **DETAIL_ERRORS},
    summary="One recommendation",
    description="With its planned actions, evidence, the steps you may take now and its `version` for `If-Match`.",
)
@api_permission(Perm.RELATIONS_VIEW)
def relations_recommendations_detail(request: HttpRequest, recommendation_id: int = RECOMMENDATION_ID) -> Any:
    return _access(request, recommendation_id)


@router.get(
    ONE + "/history",
    response={200: list[RelHistoryOut], **DETAIL_ERRORS},
    summary="The implementation history",
    description="Every step, oldest first: from which status to which, who, when, and why — for a progress report "
    "the evidence.",
)
@api_permission(Perm.RELATIONS_VIEW)
def relations_recommendations_history(
    request: HttpRequest, recommendation_id: int = RECOMMENDATION_ID
) -> Any:
    return list(recommendation_history(recommendation=_access(request, recommendation_id)))


def _current(rec: Recommendation) -> dict[str, Any]:
    return {
        "source_kind": rec.source_kind,
        "text": rec.text,
        "issued_on": rec.issued_on,
        "source_id": rec.source_id,
        "event_id": rec.event_id,
        "document": rec.document,
        "paragraph": rec.paragraph,
        "theme": rec.theme.code if rec.theme else None,
        "responsible_id": rec.responsible_id,
        "officer_id": rec.officer_id,
        "planned_actions": rec.planned_actions,
        "due_date": rec.due_date,
        "status": rec.status,
        "evidence": rec.evidence,
        "sensitivity": rec.sensitivity,
    }


def _update(request: HttpRequest, rec: Recommendation, payload: RelRecommendationIn) -> Any:
    recommendation_update(
        by=api_user(request), recommendation=rec, data=_data(request, payload), request=request
    )
    return _access(request, rec.pk)


@router.put(
    ONE,
    response={200: RelRecommendationDetailOut, **WRITE_ERRORS},
    summary="Correct a recommendation",
    description="With the same checks as recording it; `status` and `evidence` change only by the steps.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_recommendations_update(
    request: HttpRequest, payload: RelRecommendationIn, recommendation_id: int = RECOMMENDATION_ID
) -> Any:
    return _update(request, _access(request, recommendation_id, for_write=True), payload)


@router.patch(
    ONE,
    response={200: RelRecommendationDetailOut, **WRITE_ERRORS},
    summary="Correct some fields of a recommendation",
    description="Only the fields sent change, with the same checks.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_recommendations_patch(
    request: HttpRequest, payload: RelRecommendationPatchIn, recommendation_id: int = RECOMMENDATION_ID
) -> Any:
    rec = _access(request, recommendation_id, for_write=True)
    return _update(request, rec, merged(RelRecommendationIn, _current(rec), payload))


# POST /relations/recommendations/{recommendation_id}/<step> (start, report, note, close, reopen) and GET …/steps.
add_step_endpoints(
    router,
    RECOMMENDATIONS,
    path=ONE,
    id_param="recommendation_id",
    access=access_recommendation,
    response=RelRecommendationDetailOut,
    view_permission=Perm.RELATIONS_VIEW,
)
