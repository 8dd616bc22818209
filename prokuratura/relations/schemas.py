"""The API's inputs for the relations lifecycles' steps that ask more than a reason (named in
relations.transitions; endpoints made by core.lifecycle_api)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field

from prokuratura.core.lifecycle_api import StepSchema


class EventHoldIn(StepSchema):
    outcomes: str = Field("", max_length=20000)
    start_date: dt.date | None = Field(None, description="Where the dates moved; default: as planned.")
    end_date: dt.date | None = None


class TaskCompleteIn(StepSchema):
    result: str = Field(..., min_length=1, max_length=20000)
    done_on: dt.date | None = Field(None, description="Default: today.")


class TaskRescheduleIn(StepSchema):
    due_date: dt.date
    reason: str = Field(..., min_length=1, max_length=5000)


class ProjectCompleteIn(StepSchema):
    outputs: str = Field(..., min_length=1, max_length=20000)
    end_date: dt.date | None = Field(None, description="Default: today.")


class RecommendationStartIn(StepSchema):
    planned_actions: str = Field(..., min_length=1, max_length=20000)
    due_date: dt.date | None = None


class RecommendationReportIn(StepSchema):
    status: Literal["in_progress", "partially", "implemented"]
    evidence: str = Field(..., min_length=1, max_length=20000)
