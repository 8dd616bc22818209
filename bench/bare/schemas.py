"""The body of `POST /api/v1/appeals` (prokuratura/appeals/api.py: AppealIn, ApplicantIn) as plain ninja schemas:
the same fields, types, limits and choices, without the app. prokuratura/tests/test_bench_http.py checks that the
field names stay the same as the app's."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

AppealKind = Literal["statement", "complaint", "proposal", "request", "response", "report"]
ApplicantType = Literal["individual", "organisation", "anonymous"]
ReceivedVia = Literal["in_person", "phone", "post", "email", "web", "other_body"]
Sensitivity = Literal["public", "internal", "restricted"]
Language = Literal["kk", "ru", "en"]
TEXT_MAX_LENGTH = 100_000  # prokuratura.appeals.rules.APPEAL_TEXT_MAX_LENGTH


class ApplicantIn(Schema):
    type: ApplicantType
    name: str = Field("", max_length=300)
    iin: str = Field("", max_length=12)
    bin: str = Field("", max_length=12)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=500)
    language: Language = "ru"
    consent_personal_data: bool = False


class AppealIn(Schema):
    kind: AppealKind
    subject: str = Field(..., min_length=1, max_length=300)
    text: str = Field(..., min_length=1, max_length=TEXT_MAX_LENGTH)
    region: str
    topic: str
    applicant: ApplicantIn
    received_via: ReceivedVia = "other_body"
    received_at: dt.datetime | None = None
    respondent_body: str = Field("", max_length=300)
    respondent_official: str = Field("", max_length=300)
    crime_focus: str | None = None
    decision_learned_on: dt.date | None = None
    is_urgent_report: bool = False
    sensitivity: Sensitivity = "internal"
    office: str | None = None


class BareOut(Schema):
    id: int
    received_at: dt.datetime
