"""The appeals REST operations: registration by other systems (idempotent), lists, one appeal, the workflow steps
and the deadline lists. Thin: each declares its permission, parses a schema, calls a service or selector."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from prokuratura.accounts.roles import Perm
from prokuratura.core.actors import Actor, is_user
from prokuratura.core.api_support import (
    IdempotencyKey,
    KeysetPagination,
    api_permission,
    api_user,
    errors,
    idempotent,
)
from prokuratura.core.lifecycle_api import MAX_ID, add_step_endpoints
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
from .transitions import APPEALS

router = Router(tags=["appeals"])

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
    version: str = Field(..., description="Send it back as `If-Match` with a step to refuse a stale change.")
    text: str
    answer_text: str
    extended_until: dt.date | None
    extension_reason: str
    forwarded_to: str
    rights_restored: bool
    persons_restored: int

    @staticmethod
    def resolve_version(obj: Appeal) -> str:
        return APPEALS.version(obj)


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


class DeadlinesOut(Schema):
    today: dt.date
    soon_until: dt.date
    counts: dict[str, int]
    due_today: list[AppealOut]
    due_soon: list[AppealOut]
    overdue: list[AppealOut]
    triage: list[AppealOut] = Field(
        ..., description="Anonymous appeals waiting to be triaged, oldest first (`scope=office` only)."
    )
    extension_requests: list[AppealOut] = Field(
        ...,
        description="Prosecutors' requests for a longer term waiting for your decision (`scope=office`, heads).",
    )


def _appeal_data(payload: AppealIn) -> services.AppealData:
    """The payload with its codes looked up; every unknown code is named at once, each on its own field."""
    lookups: dict[str, tuple[Any, str, str | None, str]] = {
        "region": (Region, "kato_code", payload.region, _("Unknown region code.")),
        "topic": (Topic, "code", payload.topic, _("Unknown topic code.")),
        "crime_focus": (CrimeCategory, "code", payload.crime_focus, _("Unknown crime focus area code.")),
        "office": (Office, "code", payload.office, _("Unknown office code.")),
    }
    found: dict[str, Any] = {}
    unknown: dict[str, str] = {}
    for name, (model, field, value, message) in lookups.items():
        found[name] = model.objects.filter(**{field: value}).first() if value else None
        if value and found[name] is None:
            unknown[name] = message
    if unknown:
        raise ValidationError(unknown)
    region, topic, focus, office = found["region"], found["topic"], found["crime_focus"], found["office"]
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
    idempotency_key: IdempotencyKey = None,
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


def _access(user: Actor, appeal_id: int, request: HttpRequest) -> Appeal:
    if not is_user(user):
        raise Http404
    return access_appeal(user=user, appeal_id=appeal_id, request=request)


# POST /appeals/{appeal_id}/<step> for each step of the declared lifecycle, and GET /appeals/{appeal_id}/steps.
add_step_endpoints(
    router,
    APPEALS,
    path="/appeals/{appeal_id}",
    id_param="appeal_id",
    access=_access,
    response=AppealDetailOut,
    view_permission=Perm.APPEALS_VIEW,
)
