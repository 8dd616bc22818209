"""Meetings and visits and their follow-up tasks through the API: /api/v1/relations/events… and /relations/tasks…

List (the list page's filters, paginated), read one (with participants, agreements, figures, documents' metadata and
tasks; 404 for "missing or not yours"), record (idempotent with an `Idempotency-Key`; the press import's confirmed
draft is posted here), correct (PUT: the whole event; PATCH: the fields sent), the lifecycle's steps
(core.lifecycle_api from transitions.EVENTS), follow-up tasks (add to an event, list mine or my office's, their
steps from transitions.TASKS).

Thin: each operation declares its permission, looks up the ids and codes it was sent — an unknown one answers 422
naming its field, before anything is saved — and calls one service or selector. The lookups shared with the
projects' and recommendations' operations live here too.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import (
    CREATE_ERRORS,
    CREATE_IN_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    IdempotencyKey,
    PageNumberPagination,
    api_permission,
    api_submission_key,
    api_user,
    idempotent,
)
from prokuratura.core.lifecycle_api import MAX_ID, add_step_endpoints

from .access import access_event, access_task
from .api_schemas import (
    RelEventDataIn,
    RelEventDetailOut,
    RelEventFilters,
    RelEventIn,
    RelEventOut,
    RelEventPatchIn,
    RelTaskDetailOut,
    RelTaskFilters,
    RelTaskIn,
    RelTaskOut,
)
from .lookups import Refs, country_by_code
from .models import Counterpart, Event, FollowUpTask
from .selectors import EventFilters, TaskFilters, event_list, task_list
from .services import (
    AgreementData,
    EventData,
    FigureData,
    ParticipantData,
    event_record,
    event_update,
    task_add,
)
from .transitions import EVENTS, TASKS

if TYPE_CHECKING:
    pass

router = Router(tags=["relations"])

EVENTS_URL = "/relations/events"
ONE_EVENT = EVENTS_URL + "/{int:event_id}"
EVENT_ID = Path(..., ge=1, le=MAX_ID)


# --- lookups shared by the relations API ---------------------------------------------------------------------


def merged[S: Schema](schema: type[S], current: dict[str, Any], patch: Schema) -> S:
    """A full input made of the record's current values and the fields a PATCH sent (a field sent as null where
    the record needs a value answers 422 like a bad body)."""
    try:
        return schema.model_validate({**current, **patch.model_dump(exclude_unset=True)})
    except PydanticValidationError as error:
        raise NinjaValidationError(
            [
                {"loc": ("body", "payload", *e["loc"]), "msg": e["msg"], "type": e["type"]}
                for e in error.errors()
            ]
        ) from error


def created(request: HttpRequest, key: str | None, make: Callable[[], Any], out: type[Schema]) -> Any:
    """Run a create once per Idempotency-Key and answer 201 with the record's detail."""

    def create() -> Status[Any]:
        return Status(201, out.model_validate(make(), context={"request": request}))

    return idempotent(request, key=key, create=create)


# --- events ------------------------------------------------------------------------------------------------------


def _children(
    refs: Refs, payload: RelEventDataIn
) -> tuple[list[ParticipantData] | None, list[AgreementData] | None, list[FigureData] | None]:
    from prokuratura.cooperation.models import Instrument

    participants = None
    if payload.participants is not None:
        participants = []
        for number, p in enumerate(payload.participants, start=1):
            code = (p.country or "").strip().upper()
            country = country_by_code(code) if code else None
            if code and country is None:
                refs.miss(
                    "participants",
                    _("Participant %(n)d: unknown state code %(code)s.") % {"n": number, "code": code},
                )
            counterpart = refs.row(
                Counterpart,
                "participants",
                p.counterpart_id,
                _("Participant %(n)d: no such organisation or agency.") % {"n": number},
            )
            participants.append(
                ParticipantData(
                    country=country,
                    counterpart=counterpart,
                    side=p.side,
                    official_name=p.official_name,
                    official_title=p.official_title,
                    heads_delegation=p.heads_delegation,
                    delegation_size=p.delegation_size,
                )
            )
    agreements = None
    if payload.agreements is not None:
        agreements = [
            AgreementData(
                instrument=refs.row(
                    Instrument,
                    "agreements",
                    a.instrument_id,
                    _("Agreement %(n)d: no such treaty in the register.") % {"n": number},
                ),
                title=a.title,
                signed_on=a.signed_on,
            )
            for number, a in enumerate(payload.agreements, start=1)
        ]
    figures = None
    if payload.figures is not None:
        figures = [
            FigureData(value=f.value, text=f.text, subject=f.subject, sentence=f.sentence)
            for f in payload.figures
        ]
    return participants, agreements, figures


def _event_data(
    refs: Refs, payload: RelEventDataIn, *, held: bool = False, source_text: str = ""
) -> EventData:
    return EventData(
        kind=payload.kind,
        title=payload.title,
        start_date=payload.start_date,
        end_date=payload.end_date,
        held=held,
        place=payload.place,
        country=refs.country("country", payload.country),
        host=refs.counterpart("host_id", payload.host_id),
        principal=refs.counterpart("principal_id", payload.principal_id),
        holder_name=payload.holder_name,
        topics=refs.topics("topics", payload.topics),
        summary=payload.summary,
        outcomes=payload.outcomes,
        report_symbol=payload.report_symbol,
        source_url=payload.source_url,
        source_text=source_text,
        note=payload.note,
        sensitivity=payload.sensitivity,
    )


def _access(request: HttpRequest, event_id: int, *, for_write: bool = False) -> Event:
    return access_event(user=api_user(request), event_id=event_id, for_write=for_write, request=request)


def _detail(request: HttpRequest, event_id: int) -> RelEventDetailOut:
    return RelEventDetailOut.model_validate(_access(request, event_id), context={"request": request})


@router.get(
    EVENTS_URL,
    response={200: list[RelEventOut], **LIST_ERRORS},
    summary="Meetings and visits",
    description="The events you may see, newest first, with the list page's filters; paginated (`page`, "
    "`page_size`). `counterpart` includes everything below it: the UN lists the visits of its mandates.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.RELATIONS_VIEW)
def relations_events_list(request: HttpRequest, filters: Query[RelEventFilters]) -> Any:
    found: QuerySet[Event] = event_list(
        user=api_user(request),
        filters=EventFilters(
            q=filters.q or "",
            kind=filters.kind or "",
            status=filters.status or "",
            date_from=filters.date_from,
            date_to=filters.date_to,
            state=(filters.country or "").upper(),
            counterpart=filters.counterpart,
            topic=filters.topic or "",
            special_procedures=filters.special_procedures,
        ),
    )
    return found.select_related("office")


@router.post(
    EVENTS_URL,
    response={201: RelEventDetailOut, **CREATE_ERRORS},
    summary="Record a meeting or visit",
    description="Planned, or held (`held: true`) when it already took place, in your office, with its "
    "participants (each a state by ISO code or an organisation or agency by id), the agreements signed (a treaty "
    "of the register by id, or a title) and the figures stated — the press import's confirmed draft is posted "
    "here. Unknown ids and codes answer 422 naming the field; bad values 422 with a message per field; nothing is "
    "saved. Send an `Idempotency-Key`: a retry never records a second event.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_events_create(
    request: HttpRequest, payload: RelEventIn, idempotency_key: IdempotencyKey = None
) -> Any:
    user = api_user(request)
    refs = Refs()
    data = _event_data(refs, payload, held=payload.held, source_text=payload.source_text)
    participants, agreements, figures = _children(refs, payload)
    refs.check()

    def make() -> Event:
        return event_record(
            by=user,
            data=data,
            participants=participants,
            agreements=agreements,
            figures=figures,
            submission_key=api_submission_key(user, idempotency_key),
            request=request,
        )

    return created(request, idempotency_key, make, RelEventDetailOut)


@router.get(
    ONE_EVENT,
    response={200: RelEventDetailOut, **DETAIL_ERRORS},
    summary="One meeting or visit",
    description="With its participants, agreements, figures, documents (metadata), follow-up tasks, the steps you "
    "may take now and its `version` for `If-Match`. One you may not see answers 404 like one that does not exist.",
)
@api_permission(Perm.RELATIONS_VIEW)
def relations_events_detail(request: HttpRequest, event_id: int = EVENT_ID) -> Any:
    return _detail(request, event_id)


def _update(request: HttpRequest, event: Event, payload: RelEventDataIn) -> Any:
    user = api_user(request)
    refs = Refs()
    data = _event_data(refs, payload)
    participants, agreements, figures = _children(refs, payload)
    refs.check()
    event_update(
        by=user,
        event=event,
        data=data,
        participants=participants,
        agreements=agreements,
        figures=figures,
        request=request,
    )
    return _detail(request, event.pk)


@router.put(
    ONE_EVENT,
    response={200: RelEventDetailOut, **WRITE_ERRORS},
    summary="Correct a meeting or visit",
    description="The whole event, with the same checks as recording it; the participants, agreements and figures "
    "are replaced when sent and left as they are when omitted. The status changes only by the steps.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_events_update(request: HttpRequest, payload: RelEventDataIn, event_id: int = EVENT_ID) -> Any:
    return _update(request, _access(request, event_id, for_write=True), payload)


def _event_current(event: Event) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "title": event.title,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "place": event.place,
        "country": event.country_id,
        "host_id": event.host_id,
        "principal_id": event.principal_id,
        "holder_name": event.holder_name,
        "topics": [t.code for t in event.topics.all()],
        "summary": event.summary,
        "outcomes": event.outcomes,
        "report_symbol": event.report_symbol,
        "source_url": event.source_url,
        "note": event.note,
        "sensitivity": event.sensitivity,
    }


@router.patch(
    ONE_EVENT,
    response={200: RelEventDetailOut, **WRITE_ERRORS},
    summary="Correct some fields of a meeting or visit",
    description="Only the fields sent change (a list sent replaces the event's), with the same checks.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_events_patch(request: HttpRequest, payload: RelEventPatchIn, event_id: int = EVENT_ID) -> Any:
    event = _access(request, event_id, for_write=True)
    return _update(request, event, merged(RelEventDataIn, _event_current(event), payload))


# POST /relations/events/{event_id}/<step> (hold, cancel, replan) and GET …/steps.
add_step_endpoints(
    router,
    EVENTS,
    path=ONE_EVENT,
    id_param="event_id",
    access=access_event,
    response=RelEventDetailOut,
    view_permission=Perm.RELATIONS_VIEW,
)


# --- follow-up tasks ---------------------------------------------------------------------------------------------


@router.post(
    ONE_EVENT + "/tasks",
    response={201: RelTaskDetailOut, **CREATE_IN_ERRORS},
    summary="Add a follow-up task",
    description="What the event left to do, its owner (a user who works on international relations) and due "
    "date. Send an `Idempotency-Key` to make a retry safe.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_event_tasks_add(
    request: HttpRequest, payload: RelTaskIn, event_id: int = EVENT_ID, idempotency_key: IdempotencyKey = None
) -> Any:
    user = api_user(request)
    event = _access(request, event_id)
    refs = Refs()
    owner = refs.user("owner_id", payload.owner_id)
    refs.check()

    def make() -> FollowUpTask:
        return task_add(
            by=user, event=event, title=payload.title, owner=owner, due_date=payload.due_date, request=request
        )

    return created(request, idempotency_key, make, RelTaskDetailOut)


@router.get(
    "/relations/tasks",
    response={200: list[RelTaskOut], **LIST_ERRORS},
    summary="Follow-up tasks",
    description="Yours (`scope=mine`, the default) or your office's and the offices' below (`scope=office`) that "
    "you may see, by due date; a status, or only the open ones overdue. Paginated.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.RELATIONS_VIEW)
def relations_tasks_list(request: HttpRequest, filters: Query[RelTaskFilters]) -> Any:
    return task_list(
        user=api_user(request),
        filters=TaskFilters(scope=filters.scope, status=filters.status or "", overdue=filters.overdue),
    ).select_related("owner")


@router.get(
    "/relations/tasks/{int:task_id}",
    response={200: RelTaskDetailOut, **DETAIL_ERRORS},
    summary="One follow-up task",
    description="With the steps you may take now and its `version` for `If-Match`.",
)
@api_permission(Perm.RELATIONS_VIEW)
def relations_tasks_detail(request: HttpRequest, task_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    task = access_task(user=api_user(request), task_id=task_id, request=request)
    return RelTaskDetailOut.model_validate(task, context={"request": request})


# POST /relations/tasks/{task_id}/<step> (start, complete, reschedule, cancel, reopen) and GET …/steps.
add_step_endpoints(
    router,
    TASKS,
    path="/relations/tasks/{int:task_id}",
    id_param="task_id",
    access=access_task,
    response=RelTaskDetailOut,
    view_permission=Perm.RELATIONS_VIEW,
)
