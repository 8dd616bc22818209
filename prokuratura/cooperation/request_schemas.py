"""The requests register's API schemas: the lifecycle steps' inputs (named in request_transitions.py; endpoints
made by core.lifecycle_api) and the inputs and outputs of api_requests.py.

Every component carries the `Coop` prefix — the OpenAPI document has one namespace for all apps, and a bare
`ReasonIn`, `Status` or `Direction` of another module would silently replace ours. The model's choices classes
(`Direction`, `Measure`…) are re-made as prefixed enums with the same values for that reason; the step schemas
keep the names request_transitions.py gives them as aliases.

Inputs name reference rows by their codes (partner ISO code, instrument code, crime category code, office code)
and users by their ids; api_requests.py looks them up. Free text carries no `min_length`: the services refuse a
missing value with a message in the user's language, where a schema constraint would answer in pydantic's English.

The detail output reads its related rows (persons, letters, translations, checklist, steps) through
request_selectors.request_detail for the requesting user, taken from the serialisation context ninja passes
(`context["request"]`), once per record.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from prokuratura.core.api_support import api_user
from prokuratura.core.lifecycle_api import StepSchema
from prokuratura.core.models import Office, Sensitivity

from .completeness import LANGUAGE_NAMES
from .models_requests import (
    AssistanceRequest,
    Assurance,
    BasisKind,
    Correspondence,
    Direction,
    ExtraditionPurpose,
    Facts,
    GroundFinding,
    LetterDirection,
    Measure,
    PersonRole,
    RefusalGround,
    RequestKind,
    RequestStatus,
    RequestTransition,
    TranslationStatus,
    TranslationTask,
    Urgency,
)
from .request_transitions import AWAITING, REQUESTS

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

    from .request_selectors import RequestDetail

MAX_ID = 2**63 - 1
LANGUAGE_CODES: list[Any] = sorted(LANGUAGE_NAMES)


def _prefixed(name: str, choices: type[models.TextChoices], doc: str) -> Any:
    """The model's choices as an enum of the same values under a name of this module's own."""
    made = enum.StrEnum(name, [(member.name, member.value) for member in choices], module=__name__)  # type: ignore[misc]
    made.__doc__ = doc
    return made


if TYPE_CHECKING:
    CoopRequestDirection = Direction
    CoopRequestKind = RequestKind
    CoopRequestStatus = RequestStatus
    CoopExtraditionPurpose = ExtraditionPurpose
    CoopMeasure = Measure
    CoopUrgency = Urgency
    CoopBasisKind = BasisKind
    CoopFacts = Facts
    CoopAssurance = Assurance
    CoopPersonRole = PersonRole
    CoopLetterDirection = LetterDirection
    CoopTranslationStatus = TranslationStatus
    CoopRefusalGround = RefusalGround
    CoopGroundFinding = GroundFinding
else:
    CoopRequestDirection = _prefixed(
        "CoopRequestDirection", Direction, "Outgoing (sent by Kazakhstan) or incoming."
    )
    CoopRequestKind = _prefixed("CoopRequestKind", RequestKind, "The kind of request.")
    CoopRequestStatus = _prefixed(
        "CoopRequestStatus", RequestStatus, "Where the request is in its lifecycle."
    )
    CoopExtraditionPurpose = _prefixed(
        "CoopExtraditionPurpose", ExtraditionPurpose, "Extradition for prosecution or to enforce a sentence."
    )
    CoopMeasure = _prefixed("CoopMeasure", Measure, "The assistance an MLA request seeks (UNTOC art. 18(3)).")
    CoopUrgency = _prefixed("CoopUrgency", Urgency, "An urgent request has the shorter control terms.")
    CoopBasisKind = _prefixed(
        "CoopBasisKind",
        BasisKind,
        "A treaty or convention of the register, or reciprocity with an assurance.",
    )
    CoopFacts = _prefixed(
        "CoopFacts", Facts, "What the facts show (UNTOC's scope: transnational, organised group)."
    )
    CoopAssurance = _prefixed("CoopAssurance", Assurance, "An assurance given with the request.")
    CoopPersonRole = _prefixed("CoopPersonRole", PersonRole, "The person's part in the matter.")
    CoopLetterDirection = _prefixed("CoopLetterDirection", LetterDirection, "A letter received or sent.")
    CoopTranslationStatus = _prefixed("CoopTranslationStatus", TranslationStatus, "Where a translation is.")
    CoopRefusalGround = _prefixed(
        "CoopRefusalGround", RefusalGround, "A ground to refuse an incoming request."
    )
    CoopGroundFinding = _prefixed("CoopGroundFinding", GroundFinding, "Whether a refusal ground applies.")


class CoopLetterLanguage(enum.StrEnum):
    """The language a request is written in."""

    KK = "kk"
    RU = "ru"
    EN = "en"


class CoopRequestResult(enum.StrEnum):
    """What the partner did with an outgoing request."""

    EXECUTED = "executed"
    PARTLY_EXECUTED = "partly_executed"
    REFUSED = "refused"


def _value(choice: Any) -> str:
    return "" if choice is None else str(getattr(choice, "value", choice))


# --- the lifecycle's step inputs (request_transitions.py names them; aliases below) ------------------------------


class CoopNoInputIn(StepSchema):
    """The step takes nothing: send `{}`."""


class CoopOptionalReasonIn(StepSchema):
    reason: str = Field("", max_length=5000, description="Why (optional).")


class CoopReasonIn(StepSchema):
    reason: str = Field(
        ..., max_length=5000, description="The reasons of the decision (required, not blank)."
    )


class CoopSendIn(StepSchema):
    sent_on: dt.date | None = Field(None, description="When it was sent; today when omitted.")


class CoopAcknowledgeIn(StepSchema):
    acknowledged_on: dt.date | None = Field(None, description="Not before the sending; today when omitted.")
    foreign_reference: str = Field("", max_length=100, description="The partner's reference, if it gave one.")


class CoopResultIn(StepSchema):
    result: CoopRequestResult
    executed_on: dt.date | None = Field(
        None, description="The date of the partner's answer: not before the sending; today when omitted."
    )
    outcome: str = Field(..., max_length=20000, description="What came of it (required, not blank).")

    def inputs(self) -> dict[str, Any]:
        return {"result": _value(self.result), "executed_on": self.executed_on, "outcome": self.outcome}


class CoopAssignIn(StepSchema):
    executing_body: str = Field("", max_length=300, description="The body that executes the request.")
    executing_office: str | None = Field(
        None, max_length=30, description="Or the prosecutor's office that executes it (its code)."
    )

    def inputs(self) -> dict[str, Any]:
        office = None
        if self.executing_office:
            office = Office.objects.filter(code=self.executing_office).first()
            if office is None:
                raise ValidationError({"executing_office": [_("Unknown office code.")]})
        return {"executing_body": self.executing_body, "executing_office": office}


class CoopExecutionIn(StepSchema):
    executed_on: dt.date | None = Field(
        None, description="Not before the request was received; today when omitted."
    )
    outcome: str = Field(..., max_length=20000, description="What was done (required, not blank).")
    partly: bool = Field(False, description="Executed in part only.")


class CoopMaterialsIn(StepSchema):
    materials_sent_on: dt.date | None = Field(
        None, description="Not before the execution; today when omitted."
    )


# The names request_transitions.py declares (Step(schema=…)).
NoInputIn = CoopNoInputIn
OptionalReasonIn = CoopOptionalReasonIn
ReasonIn = CoopReasonIn
SendIn = CoopSendIn
AcknowledgeIn = CoopAcknowledgeIn
ResultIn = CoopResultIn
AssignIn = CoopAssignIn
ExecutionIn = CoopExecutionIn
MaterialsIn = CoopMaterialsIn


# --- the request: inputs ---------------------------------------------------------------------------------------


class CoopRequestDataIn(Schema):
    """What the officer writes on a request, when recording it and when correcting it."""

    kind: CoopRequestKind
    partner: str = Field(..., max_length=10, description="ISO 3166-1 alpha-2 code of the partner state.")
    foreign_authority: str = Field(..., max_length=300, description="The partner's authority (required).")
    foreign_reference: str = Field("", max_length=100)
    basis_kind: CoopBasisKind | None = Field(
        None, description="Required: a treaty or convention the resolver offers, or reciprocity."
    )
    basis: str | None = Field(
        None,
        max_length=80,
        description="The treaty's or convention's code (GET /cooperation/resolve lists those that apply).",
    )
    reciprocity_assurance: str = Field("", max_length=5000, description="Required on reciprocity.")
    extradition_purpose: CoopExtraditionPurpose | None = None
    measures: list[CoopMeasure] = Field(default_factory=list, max_length=20, description="MLA only.")
    urgency: CoopUrgency = CoopUrgency.NORMAL
    case_number: str = Field("", max_length=30, description="The pre-trial investigation's number (URPI).")
    offence_article: str = Field("", max_length=200, description="The criminal code article.")
    offence_category: str | None = Field(None, max_length=40, description="ICCS section code, e.g. `09`.")
    focus_area: str | None = Field(
        None,
        max_length=40,
        description="Focus area code, e.g. `cybercrime`; terrorism and extremism make the request restricted.",
    )
    transnational: CoopFacts = CoopFacts.UNKNOWN
    organised_group: CoopFacts = CoopFacts.UNKNOWN
    requesting_authority: str = Field("", max_length=300)
    proceedings_subject: str = Field("", max_length=20000)
    conducting_authority: str = Field("", max_length=300)
    facts_summary: str = Field("", max_length=50000)
    assistance_sought: str = Field("", max_length=20000)
    procedure: str = Field("", max_length=20000)
    purpose: str = Field("", max_length=20000)
    penalty: str = Field("", max_length=300)
    limitation: str = Field("", max_length=300)
    warrant: str = Field("", max_length=300)
    judgment: str = Field("", max_length=300)
    sentence_remaining: str = Field("", max_length=100)
    assurances: list[CoopAssurance] = Field(default_factory=list, max_length=10)
    language: CoopLetterLanguage = CoopLetterLanguage.RU
    prosecutor_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The prosecutor or investigator of the domestic case."
    )
    dated: dt.date | None = Field(
        None, description="An incoming request's own date (an outgoing one is dated when signed)."
    )
    sensitivity: Sensitivity | None = Field(
        None, description="Internal when omitted; terrorism and extremism matters are always restricted."
    )


class CoopRequestIn(CoopRequestDataIn):
    direction: CoopRequestDirection
    office: str | None = Field(
        None, max_length=30, description="Office code: yours or one below; yours when omitted."
    )
    officer_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The officer in charge; you when omitted."
    )
    received_on: dt.date | None = Field(None, description="Incoming only, and required for it.")


class CoopRequestUpdateIn(CoopRequestDataIn):
    reason: str = Field("", max_length=5000, description="Why it was corrected (kept in the audit trail).")


class CoopPersonIn(Schema):
    role: CoopPersonRole
    full_name: str = Field(..., max_length=300)
    birth_date: dt.date | None = None
    nationality: str | None = Field(None, max_length=10, description="ISO code of the person's nationality.")
    stateless: bool = False
    location: str = Field("", max_length=300)
    identity_document: str = Field("", max_length=200)
    description: str = Field("", max_length=5000, description="Appearance, identifying marks.")


class CoopLetterIn(Schema):
    direction: CoopLetterDirection
    dated: dt.date
    counterpart: str = Field(..., max_length=300, description="Who the letter is from or to.")
    summary: str = Field(..., max_length=20000)
    reference: str = Field("", max_length=100)


class CoopTranslationIn(Schema):
    language: str = Field(
        ...,
        max_length=3,
        description="ISO 639-1 code of the language translated into.",
        json_schema_extra={"enum": LANGUAGE_CODES},
    )
    document: str = Field(..., max_length=200, description="Which document is translated.")
    due_date: dt.date | None = None
    translator: str = Field("", max_length=200)


class CoopTranslationStatusIn(Schema):
    status: CoopTranslationStatus
    done_on: dt.date | None = Field(None, description="When done; today when omitted.")


class CoopGroundFindingIn(Schema):
    ground: CoopRefusalGround
    finding: CoopGroundFinding
    note: str = Field("", max_length=5000, description="Required when the ground applies.")


class CoopGroundsIn(Schema):
    findings: list[CoopGroundFindingIn] = Field(..., max_length=len(RefusalGround))


class CoopRequestFilters(Schema):
    q: str | None = Field(
        None, max_length=200, description="Words in the number, case number, authority, reference or article."
    )
    direction: CoopRequestDirection | None = None
    kind: CoopRequestKind | None = None
    status: CoopRequestStatus | None = None
    partner: str | None = Field(None, max_length=2, description="ISO code of the partner state.")
    focus_area: str | None = Field(None, max_length=40, description="Focus area code.")
    office: str | None = Field(
        None, max_length=30, description="Office code: that office and those below it."
    )
    date_from: dt.date | None = Field(None, description="Sent or received on or after.")
    date_to: dt.date | None = Field(None, description="Sent or received on or before.")
    open_only: bool = Field(False, description="Only those still running.")
    overdue: bool = Field(False, description="Only those awaiting an answer past their due date.")
    mine: bool = Field(False, description="Only those you are the officer in charge of.")


# --- outputs ---------------------------------------------------------------------------------------------------


def _context_user(context: dict[str, Any] | None) -> User:
    request = (context or {}).get("request")
    if request is None:
        raise RuntimeError("Serialise requests with context={'request': request}.")
    return api_user(request)


def _overdue(obj: AssistanceRequest) -> bool:
    return bool(obj.due_date and obj.status in AWAITING and obj.due_date < timezone.localdate())


class CoopPersonOut(Schema):
    id: int
    role: CoopPersonRole
    full_name: str
    birth_date: dt.date | None
    nationality: str | None = Field(..., alias="nationality_id", description="ISO code.")
    stateless: bool
    location: str
    identity_document: str
    description: str


class CoopLetterOut(Schema):
    id: int
    direction: CoopLetterDirection
    dated: dt.date
    reference: str
    counterpart: str
    summary: str
    has_attachment: bool = Field(..., description="The file is downloaded from the request's page.")
    created_by_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_has_attachment(obj: Correspondence) -> bool:
        return bool(obj.attachment)


class CoopTranslationOut(Schema):
    id: int
    language: str
    language_name: str
    document: str
    translator: str
    status: CoopTranslationStatus
    due_date: dt.date | None
    done_on: dt.date | None

    @staticmethod
    def resolve_language_name(obj: TranslationTask) -> str:
        return _(LANGUAGE_NAMES.get(obj.language, obj.language))


class CoopGroundOut(Schema):
    ground: CoopRefusalGround
    label: str
    finding: CoopGroundFinding
    note: str
    suggestion: str = Field(..., description="What the record itself suggests for this ground.")


class CoopCompletenessItemOut(Schema):
    code: str = Field(..., description="e.g. `facts_summary`, `translation_en`, `assurance_death_penalty`.")
    message: str
    field: str = Field(..., description="The request's field to complete, when there is one.")


class CoopCompletenessOut(Schema):
    complete: bool = Field(
        ..., description="Nothing is missing: an outgoing request may be checked and signed."
    )
    missing: list[CoopCompletenessItemOut]
    warnings: list[CoopCompletenessItemOut] = Field(..., description="To give where possible; not a stop.")


class CoopLanguageOut(Schema):
    code: str
    name: str


class CoopCompletenessCheckOut(CoopCompletenessOut):
    translations_required: list[CoopLanguageOut] = Field(
        ..., description="From the treaty's languages and the partner profile's language requirements."
    )
    assurances_required: list[CoopAssurance] = Field(
        ..., description="Those the partner's profile requires (an outgoing extradition request)."
    )


class CoopRequestHistoryOut(Schema):
    step: str
    from_status: str
    to_status: CoopRequestStatus
    by_id: int | None
    by_name: str
    by_system: str
    at: dt.datetime
    reason: str

    @staticmethod
    def resolve_by_name(obj: RequestTransition) -> str:
        return obj.by.full_name if obj.by is not None else obj.by_system


class CoopRequestOut(Schema):
    """A request as the register lists it."""

    id: int
    number: str
    direction: CoopRequestDirection
    kind: CoopRequestKind
    kind_label: str
    status: CoopRequestStatus
    status_label: str
    urgency: CoopUrgency
    partner: str = Field(..., alias="partner_id", description="ISO code of the partner state.")
    partner_name: str
    foreign_authority: str
    foreign_reference: str
    basis_kind: CoopBasisKind | None
    basis: str | None = Field(..., description="The treaty's or convention's code.")
    case_number: str
    offence_article: str
    focus_area: str | None = Field(..., description="Focus area code.")
    office: str = Field(..., alias="office.code")
    officer_id: int
    officer_name: str
    sensitivity: Sensitivity
    received_on: dt.date | None
    sent_on: dt.date | None
    due_date: dt.date | None
    overdue: bool = Field(..., description="Awaiting an answer past its due date.")
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(obj: AssistanceRequest) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: AssistanceRequest) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_partner_name(obj: AssistanceRequest) -> str:
        return obj.partner.name

    @staticmethod
    def resolve_basis_kind(obj: AssistanceRequest) -> str | None:
        return obj.basis_kind or None

    @staticmethod
    def resolve_basis(obj: AssistanceRequest) -> str | None:
        return obj.basis.code if obj.basis is not None else None

    @staticmethod
    def resolve_focus_area(obj: AssistanceRequest) -> str | None:
        return obj.focus_area.code if obj.focus_area is not None else None

    @staticmethod
    def resolve_officer_name(obj: AssistanceRequest) -> str:
        return obj.officer.full_name

    @staticmethod
    def resolve_overdue(obj: AssistanceRequest) -> bool:
        return _overdue(obj)


def request_detail_for(obj: AssistanceRequest, context: dict[str, Any] | None) -> RequestDetail:
    """The request's detail for the user of the response, read once per record and response."""
    from .request_selectors import request_detail

    cached: RequestDetail | None = obj.__dict__.get("_coop_api_detail")
    if cached is None:
        request = (context or {}).get("request")
        cached = request_detail(user=_context_user(context), assistance_request=obj, request=request)
        obj.__dict__["_coop_api_detail"] = cached
    return cached


class CoopRequestDetailOut(CoopRequestOut):
    """A request with everything on it. `persons` is null when you may not see the personal data of the persons
    concerned (only the people the request names and heads over its office may; each read is audited):
    `person_count` still says how many there are."""

    version: str = Field(..., description="Send it back as `If-Match` with a step or a correction.")
    extradition_purpose: CoopExtraditionPurpose | None
    measures: list[CoopMeasure]
    reciprocity_assurance: str
    offence_category: str | None = Field(..., description="ICCS section code.")
    transnational: CoopFacts
    organised_group: CoopFacts
    requesting_authority: str
    proceedings_subject: str
    conducting_authority: str
    facts_summary: str
    assistance_sought: str
    procedure: str
    purpose: str
    penalty: str
    limitation: str
    warrant: str
    judgment: str
    sentence_remaining: str
    assurances: list[CoopAssurance]
    language: CoopLetterLanguage
    translations_required: list[str] = Field(..., description="ISO 639-1 codes.")
    prosecutor_id: int | None
    executing_body: str
    executing_office: str | None = Field(..., description="The executing office's code.")
    dated: dt.date | None
    signed_on: dt.date | None
    acknowledged_on: dt.date | None
    executed_on: dt.date | None
    materials_sent_on: dt.date | None
    signer_name: str
    signer_position: str
    outcome: str
    refusal_reasons: str
    completeness: CoopCompletenessOut
    persons: list[CoopPersonOut] | None = Field(
        ..., description="Null when you may not see the personal data; see `person_count`."
    )
    person_count: int
    letters: list[CoopLetterOut]
    translations: list[CoopTranslationOut]
    grounds: list[CoopGroundOut] = Field(..., description="The refusal-grounds checklist (incoming only).")
    steps: list[str] = Field(..., description="The lifecycle steps you may take now (POST …/{step}).")
    may_change: bool = Field(..., description="You may correct it and its persons, letters and translations.")

    @staticmethod
    def resolve_version(obj: AssistanceRequest) -> str:
        return REQUESTS.version(obj)

    @staticmethod
    def resolve_extradition_purpose(obj: AssistanceRequest) -> str | None:
        return obj.extradition_purpose or None

    @staticmethod
    def resolve_offence_category(obj: AssistanceRequest) -> str | None:
        return obj.offence_category.code if obj.offence_category is not None else None

    @staticmethod
    def resolve_executing_office(obj: AssistanceRequest) -> str | None:
        return obj.executing_office.code if obj.executing_office is not None else None

    @staticmethod
    def resolve_completeness(obj: AssistanceRequest, context: dict[str, Any]) -> Any:
        return request_detail_for(obj, context).completeness

    @staticmethod
    def resolve_persons(obj: AssistanceRequest, context: dict[str, Any]) -> Any:
        return request_detail_for(obj, context).persons

    @staticmethod
    def resolve_person_count(obj: AssistanceRequest, context: dict[str, Any]) -> int:
        return request_detail_for(obj, context).person_count

    @staticmethod
    def resolve_letters(obj: AssistanceRequest, context: dict[str, Any]) -> Any:
        return request_detail_for(obj, context).letters

    @staticmethod
    def resolve_translations(obj: AssistanceRequest, context: dict[str, Any]) -> Any:
        return request_detail_for(obj, context).translations

    @staticmethod
    def resolve_grounds(obj: AssistanceRequest, context: dict[str, Any]) -> Any:
        return request_detail_for(obj, context).grounds

    @staticmethod
    def resolve_steps(obj: AssistanceRequest, context: dict[str, Any]) -> list[str]:
        return [s.name for s in request_detail_for(obj, context).steps if s.schema_class is not None]

    @staticmethod
    def resolve_may_change(obj: AssistanceRequest, context: dict[str, Any]) -> bool:
        return request_detail_for(obj, context).may_change


__all__ = [
    "AcknowledgeIn",
    "AssignIn",
    "CoopCompletenessCheckOut",
    "CoopCompletenessOut",
    "CoopGroundOut",
    "CoopGroundsIn",
    "CoopLetterIn",
    "CoopLetterOut",
    "CoopPersonIn",
    "CoopPersonOut",
    "CoopRequestDetailOut",
    "CoopRequestFilters",
    "CoopRequestHistoryOut",
    "CoopRequestIn",
    "CoopRequestOut",
    "CoopRequestUpdateIn",
    "CoopTranslationIn",
    "CoopTranslationOut",
    "CoopTranslationStatusIn",
    "ExecutionIn",
    "MaterialsIn",
    "NoInputIn",
    "OptionalReasonIn",
    "ReasonIn",
    "ResultIn",
    "SendIn",
]
