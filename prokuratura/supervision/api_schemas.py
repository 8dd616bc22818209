"""The supervision API's input and output schemas for its records (the lifecycle steps' inputs are in schemas.py,
named by transitions.py).

Inputs name reference rows by their codes (act type, office, facility, crime focus area) and records by their ids;
api.py looks them up. Numbers and amounts carry no `ge=0` here on purpose: the services refuse a negative value
with a message in the user's language, where a schema constraint would answer in pydantic's English.

Outputs that list a record's related rows (an inspection's violations and acts, a visit's acts) read them through
the selectors for the requesting user, taken from the serialisation context ninja passes (`context["request"]`),
so a detail never names a record the user may not see.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema

from prokuratura.core.api_support import api_user
from prokuratura.core.models import Sensitivity

from . import selectors
from .models import (
    Act,
    ActStatus,
    AnsweredBy,
    DetentionVisit,
    FacilityKind,
    Ground,
    Inspection,
    InspectionKind,
    InspectionStatus,
    SubjectKind,
    TermUnit,
    Violation,
    ViolationCategory,
)
from .transitions import ACTS, INSPECTION_RUNNING, INSPECTIONS

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

MAX_ID = 2**63 - 1


def _context_user(context: dict[str, Any] | None) -> User:
    """The user a response is written for (ninja puts the request in the serialisation context)."""
    request = (context or {}).get("request")
    if request is None:
        raise RuntimeError("Serialise supervision records with context={'request': request}.")
    return api_user(request)


def _full_name(user: User | None) -> str | None:
    return user.full_name if user is not None else None


# --- inspections -----------------------------------------------------------------------------------------------


class InspectionIn(Schema):
    kind: InspectionKind
    ground: Ground
    ground_appeal_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The appeal that is the ground (required when `ground` is `appeal`).",
    )
    ground_detail: str = Field(
        "", max_length=500, description="Which instruction, media report or information (required for those)."
    )
    subject_kind: SubjectKind
    subject_name: str = Field(..., min_length=1, max_length=300)
    subject_bin: str = Field("", max_length=12, description="The organisation's BIN (check digit verified).")
    subject_official: str = Field("", max_length=300)
    period_start: dt.date
    period_end: dt.date
    responsible_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The responsible prosecutor; you when omitted."
    )
    office: str | None = Field(
        None, max_length=30, description="Office code: yours or one below it; yours when omitted."
    )
    topics: str = Field("", max_length=5000, description="The scope: what is inspected.")
    crime_categories: list[str] = Field(
        default_factory=list, max_length=50, description="Codes of crime focus areas (ICCS classes)."
    )
    sensitivity: Sensitivity = Sensitivity.INTERNAL


class InspectionUpdateIn(Schema):
    """The details that may be corrected before the inspection is completed. The period's end moves only by the
    `extend` step; the office does not change."""

    kind: InspectionKind
    ground: Ground
    ground_appeal_id: int | None = Field(None, ge=1, le=MAX_ID)
    ground_detail: str = Field("", max_length=500)
    subject_kind: SubjectKind
    subject_name: str = Field(..., min_length=1, max_length=300)
    subject_bin: str = Field("", max_length=12)
    subject_official: str = Field("", max_length=300)
    period_start: dt.date
    responsible_id: int = Field(..., ge=1, le=MAX_ID)
    topics: str = Field("", max_length=5000)
    crime_categories: list[str] = Field(default_factory=list, max_length=50)
    sensitivity: Sensitivity = Sensitivity.INTERNAL


class InspectionOut(Schema):
    id: int
    number: str
    status: InspectionStatus
    kind: InspectionKind
    ground: Ground
    ground_appeal_id: int | None
    subject_kind: SubjectKind
    subject_name: str
    subject_bin: str
    subject_official: str
    period_start: dt.date
    period_end: dt.date
    completed_on: dt.date | None
    office: str = Field(..., alias="office.code")
    office_name: str = Field(..., description="The office's name in the request's language.")
    responsible_id: int
    responsible_name: str | None = Field(..., description="The responsible prosecutor's full name.")
    sensitivity: Sensitivity
    past_period: bool = Field(..., description="Still ordered or in progress after its period ended.")

    @staticmethod
    def resolve_office_name(obj: Inspection) -> str:
        return obj.office.name

    @staticmethod
    def resolve_responsible_name(obj: Inspection) -> str | None:
        return _full_name(obj.responsible)

    @staticmethod
    def resolve_past_period(obj: Inspection) -> bool:
        return obj.status in INSPECTION_RUNNING and obj.period_end < timezone.localdate()


class InspectionDetailOut(InspectionOut):
    version: str = Field(..., description="Send it back as `If-Match` with a step or a change.")
    ground_appeal_reg_number: str | None = Field(..., description="The ground appeal's registration number.")
    ground_detail: str
    topics: str
    results: str
    crime_categories: list[str] = Field(..., description="Codes of the crime focus areas.")
    violation_ids: list[int] = Field(..., description="The violations found in it that you may see.")
    act_ids: list[int] = Field(..., description="Its acts of response that you may see.")

    @staticmethod
    def resolve_version(obj: Inspection) -> str:
        return INSPECTIONS.version(obj)

    @staticmethod
    def resolve_ground_appeal_reg_number(obj: Inspection) -> str | None:
        return obj.ground_appeal.reg_number if obj.ground_appeal is not None else None

    @staticmethod
    def resolve_crime_categories(obj: Inspection) -> list[str]:
        return sorted(c.code for c in obj.crime_categories.all())

    @staticmethod
    def resolve_violation_ids(obj: Inspection, context: dict[str, Any]) -> list[int]:
        rows = selectors.inspection_violations(user=_context_user(context), inspection=obj)
        return list(rows.values_list("id", flat=True))

    @staticmethod
    def resolve_act_ids(obj: Inspection, context: dict[str, Any]) -> list[int]:
        rows = selectors.inspection_acts(user=_context_user(context), inspection=obj)
        return list(rows.values_list("id", flat=True))


class InspectionFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words in the number, subject, BIN or scope.")
    status: InspectionStatus | None = None
    kind: InspectionKind | None = None
    office: str | None = Field(
        None, max_length=30, description="Office code: that office and those below it."
    )
    date_from: dt.date | None = Field(None, description="Period starting on or after.")
    date_to: dt.date | None = Field(None, description="Period starting on or before.")
    mine: bool = Field(False, description="Only those you are responsible for.")


# --- violations ------------------------------------------------------------------------------------------------


class ViolationIn(Schema):
    found_on: dt.date
    description: str = Field(..., min_length=1, max_length=20000)
    law_violated: str = Field(..., min_length=1, max_length=400, description="The act and article violated.")
    category: ViolationCategory
    persons_affected: int = Field(
        0, le=10**9, description="Persons whose rights were violated (not negative)."
    )
    damage: Decimal = Field(
        Decimal("0"), max_digits=18, decimal_places=2, description="Damage in tenge (not negative)."
    )


class ViolationOut(Schema):
    id: int
    office: str = Field(..., alias="office.code")
    inspection_id: int | None
    inspection_number: str | None
    appeal_id: int | None
    appeal_reg_number: str | None
    found_on: dt.date
    description: str
    law_violated: str
    category: ViolationCategory
    persons_affected: int
    damage: Decimal
    sensitivity: Sensitivity

    @staticmethod
    def resolve_inspection_number(obj: Violation) -> str | None:
        return obj.inspection.number if obj.inspection is not None else None

    @staticmethod
    def resolve_appeal_reg_number(obj: Violation) -> str | None:
        return obj.appeal.reg_number if obj.appeal is not None else None


class ViolationFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words in the description or the law violated.")
    category: ViolationCategory | None = None
    office: str | None = Field(
        None, max_length=30, description="Office code: that office and those below it."
    )
    date_from: dt.date | None = Field(None, description="Found on or after.")
    date_to: dt.date | None = Field(None, description="Found on or before.")


# --- acts of response ------------------------------------------------------------------------------------------


class ActIn(Schema):
    act_type: str = Field(
        ..., min_length=1, max_length=40, description="The act type's code (GET /act-types)."
    )
    addressee_name: str = Field(..., min_length=1, max_length=300)
    addressee_official: str = Field("", max_length=300)
    addressee_bin: str = Field("", max_length=12)
    addressee_address: str = Field("", max_length=500)
    language: str = Field("ru", max_length=2, description="`kk` or `ru`: the language of the act.")
    subject: str = Field("", max_length=300, description="Empty: the type's template gives the title.")
    text: str = Field("", max_length=100_000, description="Empty: the type's template gives the text.")
    inspection_id: int | None = Field(None, ge=1, le=MAX_ID)
    appeal_id: int | None = Field(None, ge=1, le=MAX_ID)
    visit_id: int | None = Field(None, ge=1, le=MAX_ID)
    violation_ids: list[int] = Field(
        default_factory=list, max_length=200, description="The violations of the same inspection or appeal."
    )


class ActOut(Schema):
    id: int
    number: str
    status: ActStatus
    act_type: str = Field(..., alias="act_type.code")
    act_type_name: str
    office: str = Field(..., alias="office.code")
    inspection_id: int | None
    appeal_id: int | None
    visit_id: int | None
    author_id: int
    author_name: str | None
    addressee_name: str
    subject: str
    language: str
    issued_on: dt.date | None
    due_date: dt.date | None
    overdue: bool = Field(..., description="Issued, its answer not recorded, and the due date has passed.")
    reply_on: dt.date | None
    result: str
    court_result: str
    sensitivity: Sensitivity

    @staticmethod
    def resolve_act_type_name(obj: Act) -> str:
        return obj.act_type.name

    @staticmethod
    def resolve_author_name(obj: Act) -> str | None:
        return _full_name(obj.author)

    @staticmethod
    def resolve_overdue(obj: Act) -> bool:
        return (
            obj.status == ActStatus.ISSUED
            and obj.due_date is not None
            and obj.due_date < timezone.localdate()
        )


class ActDetailOut(ActOut):
    version: str = Field(..., description="Send it back as `If-Match` with a step.")
    answered_by: AnsweredBy = Field(..., alias="act_type.answered_by")
    addressee_official: str
    addressee_bin: str
    addressee_address: str
    text: str
    signer_name: str
    signer_position: str
    reply_number: str
    reply_summary: str
    court_decision_on: dt.date | None
    persons_restored: int
    amount_recovered: Decimal
    persons_disciplinary: int
    persons_administrative: int
    persons_criminal: int
    violation_ids: list[int]
    pdf_url: str = Field(..., description="The act as a PDF letter.")
    docx_url: str = Field(..., description="The act as a DOCX letter.")

    @staticmethod
    def resolve_version(obj: Act) -> str:
        return ACTS.version(obj)

    @staticmethod
    def resolve_violation_ids(obj: Act) -> list[int]:
        return list(selectors.act_violations(act=obj).values_list("id", flat=True))

    @staticmethod
    def resolve_pdf_url(obj: Act) -> str:
        return reverse("api:supervision_act_letter_pdf", kwargs={"act_id": obj.pk})

    @staticmethod
    def resolve_docx_url(obj: Act) -> str:
        return reverse("api:supervision_act_letter_docx", kwargs={"act_id": obj.pk})


class ActFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words in the number, addressee or title.")
    status: ActStatus | None = None
    act_type: str | None = Field(None, max_length=40, description="The act type's code.")
    office: str | None = Field(
        None, max_length=30, description="Office code: that office and those below it."
    )
    date_from: dt.date | None = Field(None, description="Dated on or after.")
    date_to: dt.date | None = Field(None, description="Dated on or before.")
    mine: bool = Field(False, description="Only your own acts.")


class ActTypeOut(Schema):
    code: str
    name: str = Field(..., description="In the request's language.")
    name_kk: str
    name_ru: str
    name_en: str
    answered_by: AnsweredBy
    term_value: int | None = Field(..., description="Empty: the law sets no fixed term; the act names it.")
    term_unit: TermUnit
    end_moves_to_working_day: bool
    legal_source: str = Field(..., description="As the record keeps it (English).")
    legal_source_kk: str
    legal_source_ru: str
    source_url: str
    verified: bool = Field(..., description="Checked against the law's published text.")
    note: str
    note_kk: str
    note_ru: str
    is_active: bool


# --- visits to places of detention -----------------------------------------------------------------------------


class VisitIn(Schema):
    facility: str = Field(..., min_length=1, max_length=40, description="The place of detention's code.")
    visited_on: dt.date
    findings: str = Field(..., min_length=1, max_length=100_000)
    unannounced: bool = True
    torture_alleged: bool = False
    ill_treatment_alleged: bool = False
    persons_concerned: str = Field("", max_length=20000, description="Required when torture is alleged.")
    persons_count: int = Field(0, le=10**9, description="Not negative.")
    follow_up: str = Field("", max_length=20000)
    sensitivity: Sensitivity = Field(
        Sensitivity.RESTRICTED, description="Restricted unless a head opens the record to more readers."
    )


class VisitOut(Schema):
    """A visit as a list shows it: no findings and no persons (those are read, audited, one visit at a time)."""

    id: int
    office: str = Field(..., alias="office.code")
    facility: str = Field(..., alias="facility.code")
    facility_name: str
    facility_kind: FacilityKind = Field(..., alias="facility.kind")
    region: str = Field(..., alias="facility.region.kato_code")
    visited_on: dt.date
    prosecutor_id: int
    prosecutor_name: str | None
    unannounced: bool
    torture_alleged: bool
    ill_treatment_alleged: bool
    persons_count: int
    sensitivity: Sensitivity

    @staticmethod
    def resolve_facility_name(obj: DetentionVisit) -> str:
        return obj.facility.name

    @staticmethod
    def resolve_prosecutor_name(obj: DetentionVisit) -> str | None:
        return _full_name(obj.prosecutor)


class VisitDetailOut(VisitOut):
    findings: str
    persons_concerned: str
    follow_up: str
    act_ids: list[int] = Field(..., description="Follow-up acts that you may see.")

    @staticmethod
    def resolve_act_ids(obj: DetentionVisit, context: dict[str, Any]) -> list[int]:
        rows = selectors.visit_acts(user=_context_user(context), visit=obj)
        return list(rows.values_list("id", flat=True))


class VisitFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words in the findings or the facility's name.")
    facility_kind: FacilityKind | None = None
    office: str | None = Field(
        None, max_length=30, description="Office code: that office and those below it."
    )
    date_from: dt.date | None = Field(None, description="Visited on or after.")
    date_to: dt.date | None = Field(None, description="Visited on or before.")
    mine: bool = Field(False, description="Only your own visits.")


__all__ = [
    "ActDetailOut",
    "ActFilters",
    "ActIn",
    "ActOut",
    "ActTypeOut",
    "InspectionDetailOut",
    "InspectionFilters",
    "InspectionIn",
    "InspectionOut",
    "InspectionUpdateIn",
    "ViolationFilters",
    "ViolationIn",
    "ViolationOut",
    "VisitDetailOut",
    "VisitFilters",
    "VisitIn",
    "VisitOut",
]
