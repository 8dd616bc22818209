"""The appeals REST operations: registration by other systems (idempotent), lists, one appeal, the workflow steps
and the deadline lists. Thin: each declares its permission, parses a schema, calls a service or selector."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import (
    IdempotencyKey,
    KeysetPagination,
    api_permission,
    api_submission_key,
    api_user,
    errors,
    idempotent,
)
from prokuratura.core.lifecycle_api import MAX_ID, add_step_endpoints
from prokuratura.core.memo import by_code
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
from .rules import APPEAL_TEXT_MAX_LENGTH
from .schemas import AssignManyIn, AssignManyOut, AssignResultOut
from .services.lists import appeal_assign_many
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
    text: str = Field(..., min_length=1, max_length=APPEAL_TEXT_MAX_LENGTH)
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
    office_name: str = Field(..., description="The office's name in the request's language.")
    region: str = Field(..., alias="region.kato_code")
    topic: str = Field(..., alias="topic.code")
    subject: str
    applicant_type: ApplicantType
    applicant_name: str
    assignee_id: int | None
    assignee_name: str | None = Field(..., description="The assigned prosecutor's full name.")
    is_late: bool
    is_urgent_report: bool
    repeated_of_id: int | None
    outcome: str
    answered_on: dt.date | None

    @staticmethod
    def resolve_office_name(obj: Appeal) -> str:
        return obj.office.name

    @staticmethod
    def resolve_assignee_name(obj: Appeal) -> str | None:
        return obj.assignee.full_name if obj.assignee_id and obj.assignee else None


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
    view: Literal["mine", "office", "all"] = Field(
        "all",
        description="Whose appeals: assigned to you, of your office and the offices below it, or all you may see.",
    )
    q: str | None = Field(None, max_length=200, description="Full-text search.")
    kind: AppealKind | None = None
    status: AppealStatus | Literal["open"] | None = None
    region: str | None = Field(None, description="KATO code.")
    topic: str | None = Field(None, description="Topic code.")
    office: str | None = Field(
        None, max_length=30, description="Office code: that office and the offices below it."
    )
    assignee_id: int | None = Field(None, ge=1, le=MAX_ID, description="The assigned prosecutor's id.")
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
        # Small reference tables: the process's copy (core.memo), not a query per code.
        found[name] = by_code(model, field).get(value) if value else None
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
            submission_key=api_submission_key(user, idempotency_key),
            request=request,
        )
        return Status(201 if result.created else 200, AppealDetailOut.model_validate(result.appeal))

    return idempotent(request, key=idempotency_key, create=create)


@router.get(
    "/appeals",
    response={200: list[AppealOut], **errors(401, 403, 422)},
    summary="Appeals",
    description="The appeals you may see, newest first (by id), filtered; keyset-paginated (`after` = the last id "
    "seen). `view` narrows them to yours or your office's; an unknown office code lists nothing.",
)
@paginate(KeysetPagination, field="id", descending=True)
@api_permission(Perm.APPEALS_VIEW)
def appeals_list(request: HttpRequest, filters: Query[AppealFilters]) -> Any:
    values: dict[str, Any] = filters.model_dump(exclude_none=True)
    view = values.pop("view", selectors.VIEW_ALL)
    if "region" in values:
        values["region"] = Region.objects.filter(kato_code=values["region"]).first() or -1
    if "topic" in values:
        values["topic"] = Topic.objects.filter(code=values["topic"]).first() or -1
    if "office" in values:
        values["office"] = Office.objects.filter(code=values["office"]).first()
        if values["office"] is None:
            return Appeal.objects.none()
    if "assignee_id" in values:
        values["assignee"] = values.pop("assignee_id")
    return selectors.appeal_search_by_id(user=api_user(request), filters=values, view=view)


@router.post(
    "/appeals/assign",
    response={200: AssignManyOut, **errors(400, 401, 403, 409, 415, 422)},
    summary="Assign several appeals",
    description="The `assign` step taken on each appeal, each on its own (as `POST /appeals/{appeal_id}/assign`): "
    "one refusal does not undo the others, and the answer says for each appeal whether it was assigned and, if "
    "not, why. Appeals you may not see are reported `not_found`. Send an `Idempotency-Key` to make a retry safe.",
)
@api_permission(Perm.APPEALS_ASSIGN)
def appeals_assign_many(
    request: HttpRequest, payload: AssignManyIn, idempotency_key: IdempotencyKey = None
) -> Any:
    from prokuratura.accounts.models import User

    user = api_user(request)
    assignee = User.objects.filter(pk=payload.assignee_id).select_related("office").first()
    if assignee is None:
        raise ValidationError({"assignee_id": _("No such user.")})

    def assign() -> AssignManyOut:
        results = appeal_assign_many(
            by=user,
            appeal_ids=payload.appeal_ids,
            assignee=assignee,
            reason=payload.reason,
            versions=payload.versions,
            request=request,
        )
        return AssignManyOut(
            assigned=sum(r.done for r in results),
            refused=sum(not r.done for r in results),
            results=[
                AssignResultOut(
                    id=r.appeal_id,
                    reg_number=r.reg_number or None,
                    assigned=r.done,
                    error=r.code or None,
                    message=r.message or None,
                )
                for r in results
            ],
        )

    return idempotent(request, key=idempotency_key, create=assign)


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


class LetterOut(Schema):
    kind: str = Field(..., description="receipt, answer, extension or forwarding.")
    issued: bool = Field(
        ...,
        description="True for a letter sent with its own outgoing number (the receipt and "
        "letters of appeals answered before letters were numbered are drawn from the template).",
    )
    number: str = Field(..., description="The outgoing number; the registration number for the receipt.")
    date: dt.date | None = Field(..., description="The date of the letter.")
    language: str
    subject: str
    signer_name: str
    signer_position: str
    pdf_url: str
    docx_url: str


@router.get(
    "/appeals/{appeal_id}/letters",
    response={200: list[LetterOut], **errors(401, 403, 404, 422)},
    summary="The letters to the applicant",
    description="Each letter the applicant is sent at the appeal's present stage, with its number, date and "
    "signer, and where to download it as PDF or DOCX (the same number and dates in both).",
)
@api_permission(Perm.APPEALS_VIEW)
def appeals_letters(request: HttpRequest, appeal_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    appeal = access_appeal(user=api_user(request), appeal_id=appeal_id, request=request)
    issued = services.issued_letters(appeal=appeal)
    out = []
    for kind in services.letter_kinds_available(appeal=appeal):
        letter = (
            services.letter_from_record(issued[kind])
            if kind in issued
            else services.letter_render(appeal=appeal, kind=kind)
        )
        out.append(
            {
                "kind": kind,
                "issued": kind in issued,
                "number": letter.number,
                "date": letter.date,
                "language": letter.language,
                "subject": letter.subject,
                "signer_name": letter.signer,
                "signer_position": letter.signer_position,
                "pdf_url": reverse("appeals:letter", args=[appeal.pk, kind, "pdf"]),
                "docx_url": reverse("appeals:letter", args=[appeal.pk, kind, "docx"]),
            }
        )
    return out


# POST /appeals/{appeal_id}/<step> for each step of the declared lifecycle, and GET /appeals/{appeal_id}/steps.
add_step_endpoints(
    router,
    APPEALS,
    path="/appeals/{appeal_id}",
    id_param="appeal_id",
    access=access_appeal,
    response=AppealDetailOut,
    view_permission=Perm.APPEALS_VIEW,
)
