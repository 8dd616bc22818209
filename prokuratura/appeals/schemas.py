"""The API's inputs for the appeal lifecycle's steps (named in appeals.transitions; endpoints made by
core.lifecycle_api). Each gives the step service's keyword arguments."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field

from prokuratura.core.lifecycle_api import MAX_ID, StepSchema
from prokuratura.core.models import Department, Office


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
