"""The appeals REST operations: registration by other systems (idempotent), lists, one appeal, the workflow steps
and the deadline lists. Thin: each declares its permission, parses a schema, calls a service or selector."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import (
    IDEMPOTENCY_HEADER,
    IDEMPOTENCY_KEY_DESCRIPTION,
    IDEMPOTENCY_KEY_MAX_LENGTH,
    KeysetPagination,
    api_permission,
    api_user,
    errors,
    idempotent,
)
from prokuratura.core.models import CrimeCategory, Office, Region, Sensitivity

from . import selectors, services
from .access import access_appeal
from .models import (
    Appeal,
    AppealKind,
    ApplicantType,
    Channel,
    ReceivedVia,
    Topic,
)
from .models import (
    Status as AppealStatus,
)

router = Router(tags=["appeals"])

MAX_ID = 2**63 - 1
Language = Literal["kk", "ru", "en"]


class ApplicantIn(Schema):
    type: ApplicantType
    name: str = Field("", max_length=300)
    iin: str = Field(
        "", max_length=12, description="Individual identification number (check digit verified)."
    )
    bin: str = Field("", max_length=12, description="Business identification number (check digit verified).")
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=500)
    language: Language = "ru"
    consent_personal_data: bool = Field(
        False, description="Required for a named applicant: consent to the processing of personal data."
    )


class AppealIn(Schema):
    kind: AppealKind
    subject: str = Field(..., min_length=1, max_length=300)
    text: str = Field(..., min_length=1, max_length=100_000)
    region: str = Field(..., description="KATO code of the region or city of republican significance.")
    topic: str = Field(..., description="Topic code (GET /appeals/topics).")
    applicant: ApplicantIn
    received_via: ReceivedVia = ReceivedVia.OTHER_BODY
    received_at: dt.datetime | None = Field(None, description="When it was received; now when omitted.")
    respondent_body: str = Field("", max_length=300)
    respondent_official: str = Field("", max_length=300)
    crime_focus: str | None = Field(None, description="Code of a crime focus area, e.g. `focus_cybercrime`.")
    decision_learned_on: dt.date | None = Field(
        None, description="For a complaint: when the applicant learned of it."
    )
    is_urgent_report: bool = False
    sensitivity: Sensitivity = Sensitivity.INTERNAL
    office: str | None = Field(None, description="Office code, overriding the routing rules.")


class AppealOut(Schema):
    id: int
    reg_number: str
    tracking_code: str
    kind: AppealKind
    status: AppealStatus
    channel: Channel
    received_at: dt.datetime
    registered_on: dt.date
    due_date: dt.date
    statutory_due_date: dt.date
    office: str = Field(..., alias="office.code")
    region: str = Field(..., alias="region.kato_code")
    topic: str = Field(..., alias="topic.code")
    subject: str
    applicant_type: ApplicantType
    applicant_name: str
    assignee_id: int | None
    is_late: bool
    is_urgent_report: bool
    repeated_of_id: int | None
    outcome: str
    answered_on: dt.date | None


class AppealDetailOut(AppealOut):
    text: str
    answer_text: str
    extended_until: dt.date | None
    extension_reason: str
    forwarded_to: str
    rights_restored: bool
    persons_restored: int


class AppealFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Full-text search.")
    kind: AppealKind | None = None
    status: AppealStatus | Literal["open"] | None = None
    region: str | None = Field(None, description="KATO code.")
    topic: str | None = Field(None, description="Topic code.")
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    overdue: bool | None = None


class TopicOut(Schema):
    code: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str


class AssignIn(Schema):
    assignee_id: int = Field(..., ge=1, le=MAX_ID)
    reason: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)


class OptionalReasonIn(Schema):
    reason: str = Field("", max_length=5000)


class ExtendIn(Schema):
    until: dt.date
    reason: str = Field(..., min_length=1, max_length=5000)


class AnswerIn(Schema):
    outcome: Literal["satisfied", "partly", "explained", "rejected"]
    answer_text: str = Field(..., min_length=1, max_length=100_000)
    rights_restored: bool = False
    persons_restored: int = Field(0, ge=0, le=1_000_000)


class ForwardIn(Schema):
    forwarded_to: str = Field(..., min_length=1, max_length=300)
    reason: str = Field(..., min_length=1, max_length=5000)


class DeadlinesOut(Schema):
    today: dt.date
    soon_until: dt.date
    counts: dict[str, int]
    due_today: list[AppealOut]
    due_soon: list[AppealOut]
    overdue: list[AppealOut]


def _lookup(model: Any, field: str, value: str | None, name: str, message: str) -> Any:
    if value in (None, ""):
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise ValidationError({name: message})
    return found


def _appeal_data(payload: AppealIn) -> services.AppealData:
    errors_found: dict[str, str] = {}
    region: Any = None
    topic: Any = None
    focus: Any = None
    office: Any = None
    try:
        region = _lookup(Region, "kato_code", payload.region, "region", _("Unknown region code."))
    except ValidationError as exc:
        errors_found.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        topic = _lookup(Topic, "code", payload.topic, "topic", _("Unknown topic code."))
    except ValidationError as exc:
        errors_found.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        focus = _lookup(
            CrimeCategory, "code", payload.crime_focus, "crime_focus", _("Unknown crime focus area code.")
        )
    except ValidationError as exc:
        errors_found.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        office = _lookup(Office, "code", payload.office, "office", _("Unknown office code."))
    except ValidationError as exc:
        errors_found.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors_found:
        raise ValidationError(errors_found)
    a = payload.applicant
    return services.AppealData(
        kind=payload.kind,
        subject=payload.subject,
        text=payload.text,
        region=region,
        topic=topic,
        applicant_type=a.type,
        received_via=payload.received_via,
        received_at=payload.received_at,
        applicant_name=a.name,
        applicant_iin=a.iin,
        applicant_bin=a.bin,
        applicant_email=a.email,
        applicant_phone=a.phone,
        applicant_address=a.address,
        applicant_language=a.language,
        consent_personal_data=a.consent_personal_data,
        respondent_body=payload.respondent_body,
        respondent_official=payload.respondent_official,
        crime_focus=focus,
        decision_learned_on=payload.decision_learned_on,
        is_urgent_report=payload.is_urgent_report,
        sensitivity=payload.sensitivity,
        office=office,
    )


@router.post(
    "/appeals",
    response={201: AppealDetailOut, 200: AppealDetailOut, **errors(400, 401, 403, 409, 415, 422)},
    summary="Register an appeal",
    description="Registers an appeal received by another system, with the same rules as the staff form "
    "(registration date, 15-working-day term, routing, anonymous and late complaints, repeats). Send an "
    "`Idempotency-Key`: a retry with the same key never registers a second appeal.",
)
@api_permission(Perm.APPEALS_REGISTER)
def appeals_create(
    request: HttpRequest,
    payload: AppealIn,
    idempotency_key: str | None = Header(
        None,
        alias=IDEMPOTENCY_HEADER,
        min_length=1,
        max_length=IDEMPOTENCY_KEY_MAX_LENGTH,
        description=IDEMPOTENCY_KEY_DESCRIPTION,
    ),
) -> Any:
    user = api_user(request)

    def create() -> Status[AppealDetailOut]:
        result = services.appeal_register(
            by=user,
            channel=Channel.API,
            data=_appeal_data(payload),
            # Also kept on the appeal itself, so a retry after the idempotency record expired finds it too.
            submission_key=f"api:{user.pk}:{idempotency_key}" if idempotency_key else None,
            request=request,
        )
        return Status(201 if result.created else 200, AppealDetailOut.model_validate(result.appeal))

    return idempotent(request, key=idempotency_key, create=create)


@router.get(
    "/appeals",
    response={200: list[AppealOut], **errors(401, 403, 422)},
    summary="Appeals",
    description="The appeals you may see, newest first, filtered; keyset-paginated (`after` = the last id seen).",
)
@paginate(KeysetPagination, field="id", descending=True)
@api_permission(Perm.APPEALS_VIEW)
def appeals_list(request: HttpRequest, filters: Query[AppealFilters]) -> Any:
    values: dict[str, Any] = filters.model_dump(exclude_none=True)
    if "region" in values:
        values["region"] = Region.objects.filter(kato_code=values["region"]).first() or -1
    if "topic" in values:
        values["topic"] = Topic.objects.filter(code=values["topic"]).first() or -1
    return selectors.appeal_list(user=api_user(request), filters=values)


@router.get(
    "/appeals/topics",
    response={200: list[TopicOut], **errors(401, 403)},
    summary="Appeal topics",
    description="The active topics of the taxonomy (codes for registration).",
)
@api_permission(Perm.APPEALS_VIEW)
def appeals_topics(request: HttpRequest) -> Any:
    return list(selectors.topics_active())


@router.get(
    "/appeals/deadlines",
    response={200: DeadlinesOut, **errors(401, 403, 422)},
    summary="Deadline lists",
    description="Open appeals due today, due within the reminder window and overdue: yours (`mine`) or of your "
    "office and the offices below it (`office`).",
)
@api_permission(Perm.APPEALS_VIEW)
def appeals_deadlines(request: HttpRequest, scope: Literal["mine", "office"] = "mine") -> Any:
    return selectors.deadline_lists(user=api_user(request), scope=scope, limit=200)


@router.get(
    "/appeals/{appeal_id}",
    response={200: AppealDetailOut, **errors(401, 403, 404, 422)},
    summary="One appeal",
    description="With its text and answer. Appeals of offices you may not see answer 404; reading a restricted "
    "appeal is written to the audit trail.",
)
@api_permission(Perm.APPEALS_VIEW)
def appeals_detail(request: HttpRequest, appeal_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return access_appeal(user=api_user(request), appeal_id=appeal_id, request=request)


def _step(request: HttpRequest, appeal_id: int, perform: Any) -> Appeal:
    user = api_user(request)
    appeal = access_appeal(user=user, appeal_id=appeal_id, request=request)
    perform(user, appeal)
    return access_appeal(user=user, appeal_id=appeal_id)


STEP_ERRORS = errors(400, 401, 403, 404, 415, 422)


@router.post(
    "/appeals/{appeal_id}/assign",
    response={200: AppealDetailOut, **STEP_ERRORS},
    summary="Assign",
    description="A head assigns the appeal to a prosecutor of its office or an office below it.",
)
@api_permission(Perm.APPEALS_ASSIGN)
def appeals_assign(
    request: HttpRequest, payload: AssignIn, appeal_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    from prokuratura.accounts.models import User

    def perform(user: Any, appeal: Appeal) -> None:
        assignee = User.objects.filter(pk=payload.assignee_id).select_related("office").first()
        if assignee is None:
            raise ValidationError({"assignee_id": _("No such user.")})
        services.appeal_assign(
            by=user, appeal=appeal, assignee=assignee, reason=payload.reason, request=request
        )

    return _step(request, appeal_id, perform)


@router.post(
    "/appeals/{appeal_id}/start",
    response={200: AppealDetailOut, **STEP_ERRORS},
    summary="Start the review",
    description="The assigned prosecutor (or a head) starts work on an assigned appeal.",
)
@api_permission(Perm.APPEALS_WORK)
def appeals_start(request: HttpRequest, appeal_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return _step(
        request, appeal_id, lambda u, a: services.appeal_start_review(by=u, appeal=a, request=request)
    )


@router.post(
    "/appeals/{appeal_id}/extend",
    response={200: AppealDetailOut, **STEP_ERRORS},
    summary="Extend the term",
    description="A head's reasoned decision; at most two months in total from registration (APPC art. 76).",
)
@api_permission(Perm.APPEALS_EXTEND)
def appeals_extend(
    request: HttpRequest, payload: ExtendIn, appeal_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    return _step(
        request,
        appeal_id,
        lambda u, a: services.appeal_extend(
            by=u, appeal=a, until=payload.until, reason=payload.reason, request=request
        ),
    )


@router.post(
    "/appeals/{appeal_id}/answer",
    response={200: AppealDetailOut, **STEP_ERRORS},
    summary="Answer",
    description="Records the decision and the answer; the applicant is e-mailed the answer letter.",
)
@api_permission(Perm.APPEALS_WORK)
def appeals_answer(
    request: HttpRequest, payload: AnswerIn, appeal_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    return _step(
        request,
        appeal_id,
        lambda u, a: services.appeal_answer(by=u, appeal=a, request=request, **payload.model_dump()),
    )


@router.post(
    "/appeals/{appeal_id}/forward",
    response={200: AppealDetailOut, **STEP_ERRORS},
    summary="Forward to the competent body",
    description="Outside the office's competence: forwarded within 3 working days (APPC art. 65); the "
    "applicant is told.",
)
@api_permission(Perm.APPEALS_WORK)
def appeals_forward(
    request: HttpRequest, payload: ForwardIn, appeal_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    return _step(
        request,
        appeal_id,
        lambda u, a: services.appeal_forward(by=u, appeal=a, request=request, **payload.model_dump()),
    )


@router.post(
    "/appeals/{appeal_id}/leave",
    response={200: AppealDetailOut, **STEP_ERRORS},
    summary="Leave without consideration",
    description="With the reasons (e.g. anonymous, or the same matter already answered).",
)
@api_permission(Perm.APPEALS_WORK)
def appeals_leave(
    request: HttpRequest, payload: ReasonIn, appeal_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    return _step(
        request,
        appeal_id,
        lambda u, a: services.appeal_leave_without_consideration(
            by=u, appeal=a, reason=payload.reason, request=request
        ),
    )


@router.post(
    "/appeals/{appeal_id}/close",
    response={200: AppealDetailOut, **STEP_ERRORS},
    summary="Close",
    description="A head closes an answered appeal.",
)
@api_permission(Perm.APPEALS_CLOSE)
def appeals_close(
    request: HttpRequest, payload: OptionalReasonIn, appeal_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    return _step(
        request,
        appeal_id,
        lambda u, a: services.appeal_close(by=u, appeal=a, reason=payload.reason, request=request),
    )


@router.post(
    "/appeals/{appeal_id}/reopen",
    response={200: AppealDetailOut, **STEP_ERRORS},
    summary="Reopen",
    description="When a complaint about the answer succeeds: a new 15-working-day term from today.",
)
@api_permission(Perm.APPEALS_REOPEN)
def appeals_reopen(
    request: HttpRequest, payload: ReasonIn, appeal_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    return _step(
        request,
        appeal_id,
        lambda u, a: services.appeal_reopen(by=u, appeal=a, reason=payload.reason, request=request),
    )
