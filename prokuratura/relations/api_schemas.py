"""The relations API's inputs and outputs (events, follow-up tasks, joint projects, recommendations, numbers).

Every component carries the `Rel` prefix: the OpenAPI document has one namespace for all apps. Inputs name
reference rows by their ids (counterparts, users, treaties in the register) or codes (states by ISO alpha-2,
topics, offices, departments); the api_* modules look them up and answer 422 naming the field for an unknown one.
Kinds and statuses are plain strings checked by the services, whose messages come in the request's language;
free text carries no `min_length` for the same reason.

The detail outputs read the caller from the serialisation context ninja passes (`context["request"]`) for the
steps they may take now and whether they may change the record.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ninja import Field, Schema
from pydantic import create_model

from prokuratura.core.api_support import api_user
from prokuratura.core.models import Sensitivity

from .access import may_change_event, may_change_project, may_change_recommendation, may_change_task
from .models import Event, FollowUpTask, ParticipantSide, Project, Recommendation
from .transitions import EVENTS, PROJECTS, RECOMMENDATIONS, TASKS

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

MAX_ID = 2**63 - 1
ID = Field(None, ge=1, le=MAX_ID)
TEXT = 20000


def _context_user(context: dict[str, Any] | None) -> User:
    request = (context or {}).get("request")
    if request is None:
        raise RuntimeError("Serialise with context={'request': request}.")
    return api_user(request)


def _steps(lifecycle: Any, obj: Any, context: dict[str, Any] | None) -> list[str]:
    user = _context_user(context)
    return [s.name for s in lifecycle.available(actor=user, record=obj) if s.schema_class is not None]


# --- shared ------------------------------------------------------------------------------------------------------


class RelCounterpartRefOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class RelTopicRefOut(Schema):
    code: str
    name: str


class RelHistoryOut(Schema):
    step: str
    from_status: str
    to_status: str
    by_id: int | None
    by_name: str
    at: dt.datetime
    reason: str = Field(..., description="Why; for a recommendation's progress report, the evidence.")

    @staticmethod
    def resolve_by_name(obj: Any) -> str:
        return obj.by.full_name if obj.by is not None else obj.by_system


# --- events ------------------------------------------------------------------------------------------------------


class RelParticipantIn(Schema):
    side: str = Field(ParticipantSide.PARTNER, max_length=10, description="`partner` or `kz`.")
    country: str | None = Field(None, max_length=2, description="ISO alpha-2 of a state's delegation.")
    counterpart_id: int | None = Field(None, ge=1, le=MAX_ID, description="Or an organisation or agency.")
    official_name: str = Field("", max_length=200)
    official_title: str = Field("", max_length=300)
    heads_delegation: bool = False
    delegation_size: int | None = Field(None, ge=0, le=32767)


class RelAgreementIn(Schema):
    instrument_id: int | None = Field(None, ge=1, le=MAX_ID, description="The treaty in the register…")
    title: str = Field("", max_length=500, description="…or its title.")
    signed_on: dt.date | None = None


class RelFigureIn(Schema):
    value: Decimal = Field(..., max_digits=18, decimal_places=2)
    text: str = Field(..., max_length=100, description="As written, e.g. `500 thousand`.")
    subject: str = Field(..., max_length=300, description="What it counts, e.g. `people`.")
    sentence: str = Field("", max_length=TEXT)


class RelEventDataIn(Schema):
    kind: str = Field(..., max_length=20, description="meeting, incoming_visit, outgoing_visit, …")
    title: str = Field(..., max_length=300)
    start_date: dt.date
    end_date: dt.date | None = Field(None, description="One day when omitted.")
    place: str = Field("", max_length=200)
    country: str | None = Field(
        None, max_length=2, description="ISO alpha-2 of the country it took place in."
    )
    host_id: int | None = Field(None, ge=1, le=MAX_ID)
    principal_id: int | None = Field(None, ge=1, le=MAX_ID, description="The counterpart the event is about.")
    holder_name: str = Field("", max_length=200, description="The mandate holder (a mandate's visit).")
    topics: list[str] = Field(default_factory=list, max_length=50, description="Topic codes.")
    summary: str = Field("", max_length=TEXT)
    outcomes: str = Field("", max_length=TEXT)
    report_symbol: str = Field("", max_length=60)
    source_url: str = Field("", max_length=5000)
    note: str = Field("", max_length=TEXT)
    sensitivity: Sensitivity = Sensitivity.INTERNAL
    participants: list[RelParticipantIn] | None = Field(
        None, max_length=200, description="Replaces the participants; omitted: left as they are."
    )
    agreements: list[RelAgreementIn] | None = Field(None, max_length=100)
    figures: list[RelFigureIn] | None = Field(None, max_length=200)


class RelEventIn(RelEventDataIn):
    held: bool = Field(False, description="It already took place: recorded held (else planned).")
    source_text: str = Field("", max_length=100000, description="The press text an import started from.")


def _patch(schema: type[Schema], name: str, doc: str) -> Any:
    """`schema` with every field optional and not required (a PATCH's body), keeping each field's checks."""
    fields: dict[str, Any] = {}
    for field_name, info in schema.model_fields.items():
        optional = copy.copy(info)
        optional.default, optional.default_factory = None, None
        fields[field_name] = (info.annotation | None, optional)  # type: ignore[operator]
    made = create_model(name, __base__=Schema, __module__=__name__, __doc__=doc, **fields)
    return made


RelEventPatchIn = _patch(
    RelEventDataIn,
    "RelEventPatchIn",
    "Only the fields sent change; the lists, when sent, replace the event's.",
)


class RelEventFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words in the title, place, holder or summary.")
    kind: str | None = Field(None, max_length=20)
    status: str | None = Field(None, max_length=12)
    date_from: dt.date | None = Field(None, alias="from", description="Events that end on or after.")
    date_to: dt.date | None = Field(None, alias="to", description="Events that start on or before.")
    country: str | None = Field(
        None, max_length=2, description="Where it took place, or a participant's state."
    )
    counterpart: int | None = Field(
        None, ge=1, le=MAX_ID, description="Principal, host or participant, with everything below it."
    )
    topic: str | None = Field(None, max_length=40, description="Topic code.")
    special_procedures: bool = Field(False, description="Only the visits of UN special procedures.")


class RelParticipantOut(Schema):
    id: int
    side: str
    country: str | None = Field(..., alias="country_id")
    counterpart: RelCounterpartRefOut | None
    official_name: str
    official_title: str
    heads_delegation: bool
    delegation_size: int | None


class RelAgreementOut(Schema):
    id: int
    instrument_id: int | None
    title: str
    signed_on: dt.date | None


class RelFigureOut(Schema):
    id: int
    value: Decimal
    text: str
    subject: str
    sentence: str


class RelDocumentOut(Schema):
    id: int
    title: str
    created_at: dt.datetime


class RelTaskOut(Schema):
    id: int
    event_id: int
    title: str
    owner_id: int
    owner_name: str
    due_date: dt.date
    status: str
    result: str
    done_on: dt.date | None
    version: str

    @staticmethod
    def resolve_owner_name(obj: FollowUpTask) -> str:
        return obj.owner.full_name

    @staticmethod
    def resolve_version(obj: FollowUpTask) -> str:
        return TASKS.version(obj)


class RelTaskDetailOut(RelTaskOut):
    steps: list[str]
    may_change: bool

    @staticmethod
    def resolve_steps(obj: FollowUpTask, context: dict[str, Any]) -> list[str]:
        return _steps(TASKS, obj, context)

    @staticmethod
    def resolve_may_change(obj: FollowUpTask, context: dict[str, Any]) -> bool:
        return may_change_task(user=_context_user(context), task=obj)


class RelEventOut(Schema):
    id: int
    kind: str
    status: str
    title: str
    start_date: dt.date
    end_date: dt.date
    place: str
    country: str | None = Field(..., alias="country_id")
    principal: RelCounterpartRefOut | None
    holder_name: str
    office: str = Field(..., alias="office.code")
    sensitivity: str


class RelEventDetailOut(RelEventOut):
    version: str = Field(..., description="Send it back as `If-Match` with a step.")
    host: RelCounterpartRefOut | None
    topics: list[RelTopicRefOut]
    summary: str
    outcomes: str
    report_symbol: str
    source_url: str
    confidence: str
    note: str
    participants: list[RelParticipantOut]
    agreements: list[RelAgreementOut]
    figures: list[RelFigureOut]
    documents: list[RelDocumentOut] = Field(
        ..., description="Metadata; the files are downloaded on the page."
    )
    tasks: list[RelTaskOut]
    steps: list[str] = Field(..., description="The lifecycle steps you may take now (POST …/{step}).")
    may_change: bool

    @staticmethod
    def resolve_version(obj: Event) -> str:
        return EVENTS.version(obj)

    @staticmethod
    def resolve_topics(obj: Event) -> list[Any]:
        return list(obj.topics.all())

    @staticmethod
    def resolve_participants(obj: Event) -> list[Any]:
        return list(obj.participants.select_related("counterpart"))

    @staticmethod
    def resolve_agreements(obj: Event) -> list[Any]:
        return list(obj.agreements.all())

    @staticmethod
    def resolve_figures(obj: Event) -> list[Any]:
        return list(obj.figures.all())

    @staticmethod
    def resolve_documents(obj: Event) -> list[Any]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_tasks(obj: Event) -> list[Any]:
        return list(obj.tasks.select_related("owner").order_by("due_date", "id"))

    @staticmethod
    def resolve_steps(obj: Event, context: dict[str, Any]) -> list[str]:
        return _steps(EVENTS, obj, context)

    @staticmethod
    def resolve_may_change(obj: Event, context: dict[str, Any]) -> bool:
        return may_change_event(user=_context_user(context), event=obj)


class RelTaskIn(Schema):
    title: str = Field(..., max_length=500)
    owner_id: int = Field(..., ge=1, le=MAX_ID)
    due_date: dt.date


class RelTaskFilters(Schema):
    scope: str = Field("mine", pattern="^(mine|office)$", description="`mine` (you own them) or `office`.")
    status: str | None = Field(None, max_length=12)
    overdue: bool = False


# --- joint projects ----------------------------------------------------------------------------------------------


class RelProjectIn(Schema):
    partner_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., max_length=500)
    start_date: dt.date
    end_date: dt.date | None = None
    reference: str = Field("", max_length=60)
    budget: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    currency: str = Field("", max_length=3)
    description: str = Field("", max_length=TEXT)
    outputs: str = Field("", max_length=TEXT)
    manager_id: int | None = Field(None, ge=1, le=MAX_ID)
    topics: list[str] = Field(default_factory=list, max_length=50, description="Topic codes.")
    offices: list[str] = Field(default_factory=list, max_length=100, description="Office codes.")
    departments: list[int] = Field(default_factory=list, max_length=100, description="Department ids.")
    status: str = Field(
        "proposed", max_length=12, description="On entry only: proposed, active or completed."
    )
    sensitivity: Sensitivity = Sensitivity.INTERNAL


RelProjectPatchIn = _patch(RelProjectIn, "RelProjectPatchIn", "Only the fields sent change.")


class RelProjectFilters(Schema):
    q: str | None = Field(None, max_length=200)
    partner: int | None = Field(None, ge=1, le=MAX_ID, description="With everything below it.")
    status: str | None = Field(None, max_length=12)
    year: int | None = Field(None, ge=1991, le=2200, description="Under way in that year.")


class RelProjectOut(Schema):
    id: int
    title: str
    partner: RelCounterpartRefOut
    reference: str
    start_date: dt.date
    end_date: dt.date | None
    budget: Decimal | None
    currency: str
    status: str
    office: str = Field(..., alias="office.code")
    sensitivity: str


class RelProjectDetailOut(RelProjectOut):
    version: str
    description: str
    outputs: str
    manager_id: int | None
    topics: list[RelTopicRefOut]
    offices: list[str]
    departments: list[int]
    steps: list[str]
    may_change: bool

    @staticmethod
    def resolve_version(obj: Project) -> str:
        return PROJECTS.version(obj)

    @staticmethod
    def resolve_topics(obj: Project) -> list[Any]:
        return list(obj.topics.all())

    @staticmethod
    def resolve_offices(obj: Project) -> list[str]:
        return sorted(o.code for o in obj.offices.all())

    @staticmethod
    def resolve_departments(obj: Project) -> list[int]:
        return sorted(d.pk for d in obj.departments.all())

    @staticmethod
    def resolve_steps(obj: Project, context: dict[str, Any]) -> list[str]:
        return _steps(PROJECTS, obj, context)

    @staticmethod
    def resolve_may_change(obj: Project, context: dict[str, Any]) -> bool:
        return may_change_project(user=_context_user(context), project=obj)


# --- recommendations ---------------------------------------------------------------------------------------------


class RelRecommendationIn(Schema):
    source_kind: str = Field(..., max_length=20, description="special_procedure, treaty_body, upr, …")
    text: str = Field(..., max_length=TEXT)
    issued_on: dt.date
    source_id: int | None = Field(None, ge=1, le=MAX_ID, description="The mandate or body.")
    event_id: int | None = Field(None, ge=1, le=MAX_ID, description="The visit it came from.")
    document: str = Field("", max_length=120)
    paragraph: str = Field("", max_length=30)
    theme: str | None = Field(None, max_length=40, description="Topic code.")
    responsible_id: int | None = Field(None, ge=1, le=MAX_ID, description="A Kazakh state body.")
    officer_id: int | None = Field(None, ge=1, le=MAX_ID)
    planned_actions: str = Field("", max_length=TEXT)
    due_date: dt.date | None = None
    status: str = Field("not_started", max_length=14, description="On entry only (entered late).")
    evidence: str = Field("", max_length=TEXT, description="On entry only.")
    sensitivity: Sensitivity = Sensitivity.INTERNAL


RelRecommendationPatchIn = _patch(
    RelRecommendationIn, "RelRecommendationPatchIn", "Only the fields sent change."
)


class RelRecommendationFilters(Schema):
    q: str | None = Field(None, max_length=200)
    source_kind: str | None = Field(None, max_length=20)
    source: int | None = Field(
        None, ge=1, le=MAX_ID, description="Mandate or body, with everything below it."
    )
    status: str | None = Field(None, max_length=14)
    overdue: bool = False
    event: int | None = Field(None, ge=1, le=MAX_ID)


class RelRecommendationOut(Schema):
    id: int
    source_kind: str
    source_id: int | None
    event_id: int | None
    document: str
    paragraph: str
    issued_on: dt.date
    text: str
    theme: str | None
    responsible_id: int | None
    status: str
    due_date: dt.date | None
    office: str = Field(..., alias="office.code")
    sensitivity: str

    @staticmethod
    def resolve_theme(obj: Recommendation) -> str | None:
        return obj.theme.code if obj.theme is not None else None


class RelRecommendationDetailOut(RelRecommendationOut):
    version: str
    officer_id: int | None
    planned_actions: str
    evidence: str
    status_changed_on: dt.date | None
    steps: list[str]
    may_change: bool

    @staticmethod
    def resolve_version(obj: Recommendation) -> str:
        return RECOMMENDATIONS.version(obj)

    @staticmethod
    def resolve_steps(obj: Recommendation, context: dict[str, Any]) -> list[str]:
        return _steps(RECOMMENDATIONS, obj, context)

    @staticmethod
    def resolve_may_change(obj: Recommendation, context: dict[str, Any]) -> bool:
        return may_change_recommendation(user=_context_user(context), recommendation=obj)


# --- numbers -----------------------------------------------------------------------------------------------------


class RelNumbersQuery(Schema):
    date: dt.date | None = Field(None, description="The day counted on; today when omitted.")
    years: int = Field(5, ge=1, le=50, description="The visits in the N years before the date.")
    year: int | None = Field(None, ge=1992, le=2200, description="Delegations by state in this year.")


class RelVisitOut(Schema):
    event_id: int
    mandate_id: int
    mandate: str
    mandate_kind: str
    holder: str
    start: dt.date
    end: dt.date
    report_symbol: str


class RelMandateOut(Schema):
    mandate_id: int
    mandate: str
    mandate_kind: str
    count: int
    holders: list[str]
    visits: list[RelVisitOut]


class RelStatementOut(Schema):
    date: dt.date
    stated: int
    counted: int = Field(..., description="From the records, on the statement's date over its period.")
    years: int | None
    statement: str
    speaker: str
    partner_code: str
    sources: list[str]
    note: str
    differs: bool
    nearest: bool = Field(..., description="The nearest to the date asked for.")


class RelVisitsOut(Schema):
    since: dt.date
    total: int
    treaty_body_total: int
    by_mandate: list[RelMandateOut]
    treaty_body_visits: list[RelVisitOut]
    statements: list[RelStatementOut]


class RelStatusRowOut(Schema):
    key: str = Field(..., description="The counterpart's id, or the source kind; '' for the total.")
    name: str
    parent: str = Field(..., description="The partner's top-level organisation (partner rows).")
    counts: dict[str, int]
    total: int


class RelProjectNumbersOut(Schema):
    by_organisation: list[RelStatusRowOut]
    by_partner: list[RelStatusRowOut]
    total: RelStatusRowOut
    statements: list[RelStatementOut]


class RelYearOut(Schema):
    year: int
    received: int
    sent: int


class RelStateOut(Schema):
    iso2: str
    name: str
    received: int
    sent: int


class RelDelegationsOut(Schema):
    by_year: list[RelYearOut]
    by_state: list[RelStateOut]
    state_since: dt.date
    state_until: dt.date


class RelRecommendationNumbersOut(Schema):
    by_status: dict[str, int]
    by_source: list[RelStatusRowOut]
    total: int
    open: int
    implemented: int


class RelNumbersOut(Schema):
    date: dt.date
    years: int
    year: int | None
    visits: RelVisitsOut
    projects: RelProjectNumbersOut
    delegations: RelDelegationsOut
    recommendations: RelRecommendationNumbersOut
