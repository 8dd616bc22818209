"""The API's inputs for the appeal lifecycle's steps (named in appeals.transitions; endpoints made by
core.lifecycle_api). Each gives the step service's keyword arguments. Also the list's "assign several" (api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema

from prokuratura.core.lifecycle_api import MAX_ID, StepSchema
from prokuratura.core.models import CrimeCategory, Department, Office, Region

from .models import AppealKind


class ReasonIn(StepSchema):
    reason: str = Field(..., min_length=1, max_length=5000)


class OptionalReasonIn(StepSchema):
    reason: str = Field("", max_length=5000)


class AssignIn(StepSchema):
    assignee_id: int = Field(..., ge=1, le=MAX_ID)
    department: str | None = Field(
        None, max_length=30, description="Department code in the assignee's office."
    )
    reason: str = Field("", max_length=2000)

    def inputs(self) -> dict[str, Any]:
        from prokuratura.accounts.models import User

        assignee = User.objects.filter(pk=self.assignee_id).select_related("office").first()
        if assignee is None:
            raise ValidationError({"assignee_id": _("No such user.")})
        department = None
        if self.department:
            department = Department.objects.filter(office=assignee.office, code=self.department).first()
            if department is None:
                raise ValidationError({"department": _("The department belongs to another office.")})
        return {"assignee": assignee, "department": department, "reason": self.reason}


class RouteIn(StepSchema):
    office: str = Field(..., min_length=1, max_length=30, description="Code of the office to send it to.")
    department: str | None = Field(None, max_length=30, description="Department code in that office.")
    reason: str = Field("", max_length=5000)

    def inputs(self) -> dict[str, Any]:
        office = Office.objects.filter(code=self.office, is_active=True).first()
        if office is None:
            raise ValidationError({"office": _("Unknown office code.")})
        department = None
        if self.department:
            department = Department.objects.filter(office=office, code=self.department).first()
            if department is None:
                raise ValidationError({"department": _("The department belongs to another office.")})
        return {"office": office, "department": department, "reason": self.reason}


class ExtendIn(StepSchema):
    until: dt.date
    reason: str = Field(..., min_length=1, max_length=5000)


class AnswerIn(StepSchema):
    outcome: Literal["satisfied", "partly", "explained", "rejected"]
    answer_text: str = Field(..., min_length=1, max_length=100_000)
    rights_restored: bool = False
    persons_restored: int = Field(0, ge=0, le=1_000_000)


class ForwardIn(StepSchema):
    forwarded_to: str = Field(..., min_length=1, max_length=300)
    reason: str = Field(..., min_length=1, max_length=5000)


class CorrectIn(StepSchema):
    """Only the fields to change; codes as in registration (region by KATO, topic and crime focus by code)."""

    kind: AppealKind | None = None
    subject: str | None = Field(None, min_length=1, max_length=300)
    text: str | None = Field(None, min_length=1, max_length=100_000)
    applicant_name: str | None = Field(None, max_length=300)
    applicant_iin: str | None = Field(None, max_length=12)
    applicant_bin: str | None = Field(None, max_length=12)
    applicant_email: str | None = Field(None, max_length=254)
    applicant_phone: str | None = Field(None, max_length=40)
    applicant_address: str | None = Field(None, max_length=500)
    applicant_language: Literal["kk", "ru", "en"] | None = None
    region: str | None = Field(None, description="KATO code.")
    topic: str | None = Field(None, description="Topic code.")
    crime_focus: str | None = Field(None, description="Crime focus area code; empty string clears it.")
    respondent_body: str | None = Field(None, max_length=300)
    respondent_official: str | None = Field(None, max_length=300)
    decision_learned_on: dt.date | None = None
    reason: str = Field(..., min_length=1, max_length=5000, description="What was wrong.")

    def inputs(self) -> dict[str, Any]:
        from .models import Topic

        given = self.model_dump(exclude_unset=True, exclude={"reason"})
        lookups: dict[str, tuple[Any, str, str]] = {
            "region": (Region, "kato_code", _("Unknown region code.")),
            "topic": (Topic, "code", _("Unknown topic code.")),
            "crime_focus": (CrimeCategory, "code", _("Unknown crime focus area code.")),
        }
        unknown: dict[str, str] = {}
        for name, (model, field, message) in lookups.items():
            if name not in given:
                continue
            if name == "crime_focus" and not given[name]:
                given[name] = None
                continue
            given[name] = model.objects.filter(**{field: given[name]}).first()
            if given[name] is None:
                unknown[name] = message
        if unknown:
            raise ValidationError(unknown)
        return {"details": given, "reason": self.reason}


# --- the list's "assign several" (not a lifecycle step of one appeal: the `assign` step taken on each) -------------


class AssignManyIn(Schema):
    appeal_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        ..., min_length=1, max_length=200, description="The appeals to assign (at most 200)."
    )
    assignee_id: int = Field(..., ge=1, le=MAX_ID, description="The prosecutor (or head) to assign them to.")
    reason: str = Field("", max_length=2000, description="Instructions, recorded with each assignment.")
    versions: dict[int, str] = Field(
        default_factory=dict,
        description="Optional: appeal id → its `version` as you read it. An appeal changed since is not assigned "
        "(`stale`), as a step with `If-Match` would answer 412.",
    )


class AssignResultOut(Schema):
    id: int
    reg_number: str | None = Field(..., description="Null for an appeal not found (or one you may not see).")
    assigned: bool
    error: str | None = Field(
        ...,
        description="Why not: `not_found`, `forbidden`, `stale`, `invalid_transition`, `not_now` or `invalid`.",
    )
    message: str | None = Field(..., description="The reason, in the request's language.")


class AssignManyOut(Schema):
    assigned: int
    refused: int
    results: list[AssignResultOut] = Field(..., description="One per appeal asked for, in the order asked.")
