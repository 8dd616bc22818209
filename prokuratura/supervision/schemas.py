"""The API's inputs for the lifecycles' steps (named in supervision.transitions; endpoints made by
core.lifecycle_api), each giving the step service's keyword arguments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field

from prokuratura.core.lifecycle_api import StepSchema

from .models import ActResult, CourtResult


class EmptyIn(StepSchema):
    pass


class ReasonIn(StepSchema):
    reason: str = Field(..., min_length=1, max_length=5000)


class OptionalReasonIn(StepSchema):
    reason: str = Field("", max_length=5000)


class InspectionExtendIn(StepSchema):
    until: dt.date
    reason: str = Field(..., min_length=1, max_length=5000)


class InspectionCompleteIn(StepSchema):
    results: str = Field(..., min_length=1, max_length=20000)
    completed_on: dt.date | None = None


class ActIssueIn(StepSchema):
    issued_on: dt.date | None = Field(None, description="Default: today.")
    due_date: dt.date | None = Field(
        None, description="Only where the act names its own term, or a shorter one than the law's."
    )


class ActReplyIn(StepSchema):
    reply_on: dt.date
    result: ActResult
    reply_number: str = Field("", max_length=60)
    reply_summary: str = Field("", max_length=20000)


class OutcomeIn(StepSchema):
    # No `ge=0`: the service (Outcome.check) refuses a negative number with a message in the user's language,
    # where a schema constraint would answer in pydantic's English.
    persons_restored: int = Field(0, le=10**9, description="Not negative.")
    amount_recovered: Decimal = Field(
        Decimal("0"), max_digits=18, decimal_places=2, description="In tenge, not negative."
    )
    persons_disciplinary: int = Field(0, le=10**9, description="Not negative.")
    persons_administrative: int = Field(0, le=10**9, description="Not negative.")
    persons_criminal: int = Field(0, le=10**9, description="Not negative.")

    def outcome(self) -> Any:
        from .services import Outcome

        return Outcome(
            persons_restored=self.persons_restored,
            amount_recovered=self.amount_recovered,
            persons_disciplinary=self.persons_disciplinary,
            persons_administrative=self.persons_administrative,
            persons_criminal=self.persons_criminal,
        )


class ActResultIn(OutcomeIn):
    reason: str = Field("", max_length=5000)

    def inputs(self) -> dict[str, Any]:
        return {"outcome": self.outcome(), "reason": self.reason}


class ActCourtIn(OutcomeIn):
    court_decision_on: dt.date
    court_result: CourtResult

    def inputs(self) -> dict[str, Any]:
        return {
            "court_decision_on": self.court_decision_on,
            "court_result": str(self.court_result),
            "outcome": self.outcome(),
        }
