"""Every read of recommendations for a user: visibility is access.recommendations_visible_q, decided here once, so
the list, its counts by status and its CSV never show what the recommendation's page would refuse. Also the choices
the recommendations' forms offer (who made it, responsible bodies, themes, visits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .access import events_visible_q, recommendations_visible_q
from .models import (
    Counterpart,
    CounterpartKind,
    Event,
    ImplementationStatus,
    MandateKind,
    Recommendation,
    RecommendationSource,
    RecommendationTransition,
    Topic,
)
from .project_selectors import EXPORT_CHUNK, words
from .selectors import counterpart_family_ids
from .transitions import REC_OPEN

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# Who makes recommendations: an organisation, one of its bodies (a treaty body, ODIHR) or a mandate.
SOURCE_KINDS = (CounterpartKind.ORGANISATION, CounterpartKind.BODY, CounterpartKind.MANDATE)


@dataclass(frozen=True)
class RecommendationFilters:
    """What the list filters by (all optional): words of the text, the document symbol or the paragraph; who made
    it (the kind of source); a mandate or body with everything below it; the theme; the responsible body; the
    implementation status; overdue only (the planned date passed and the recommendation not closed); a visit."""

    q: str = ""
    source_kind: str = ""
    source: Counterpart | None = None
    theme: Topic | None = None
    responsible: Counterpart | None = None
    status: str = ""
    overdue: bool = False
    event: Event | None = None


def recommendation_list(
    *, user: User, filters: RecommendationFilters | None = None
) -> QuerySet[Recommendation]:
    f = filters or RecommendationFilters()
    qs = Recommendation.objects.filter(recommendations_visible_q(user=user)).select_related(
        "theme", "responsible"
    )
    if f.source_kind:
        qs = qs.filter(source_kind=f.source_kind)
    if f.source is not None:
        qs = qs.filter(source_id__in=sorted(counterpart_family_ids(f.source)))
    if f.theme is not None:
        qs = qs.filter(theme=f.theme)
    if f.responsible is not None:
        qs = qs.filter(responsible=f.responsible)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(due_date__lt=timezone.localdate(), status__in=sorted(REC_OPEN))
    if f.event is not None:
        qs = qs.filter(event=f.event)
    for word in words(f.q):
        qs = qs.filter(Q(text__icontains=word) | Q(document__icontains=word) | Q(paragraph__icontains=word))
    return qs.order_by("-issued_on", "document", "paragraph", "id")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def recommendation_status_counts(recommendations: QuerySet[Recommendation]) -> list[StatusCount]:
    """How many of the listed recommendations are in each implementation status (every status, in the
    lifecycle's order, zeros included), in one query."""
    counted = dict(
        recommendations.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [
        StatusCount(value, str(label), counted.get(value, 0)) for value, label in ImplementationStatus.choices
    ]


def is_overdue(recommendation: Recommendation, *, today: dt.date | None = None) -> bool:
    """The planned date passed and the recommendation is not closed."""
    day = today or timezone.localdate()
    due = recommendation.due_date
    return due is not None and recommendation.status in REC_OPEN and due < day


def recommendation_export_rows(
    *, user: User, filters: RecommendationFilters | None = None
) -> Iterator[Recommendation]:
    """The list for the CSV, read in chunks (the memory does not grow with the rows)."""
    return (
        recommendation_list(user=user, filters=filters)
        .select_related("source", "officer")
        .iterator(chunk_size=EXPORT_CHUNK)
    )


def event_recommendations(*, user: User, event: Event) -> QuerySet[Recommendation]:
    """The recommendations a visit or meeting led to, those the user may see (the event's page)."""
    return recommendation_list(user=user, filters=RecommendationFilters(event=event)).order_by(
        "document", "paragraph", "id"
    )


# --- one recommendation -----------------------------------------------------------------------------------------


def recommendation_history(*, recommendation: Recommendation) -> QuerySet[RecommendationTransition]:
    """Every status change, oldest first; a progress report's evidence is its row's reason."""
    return recommendation.transitions.select_related("by").order_by("at", "id")


def source_chain(counterpart: Counterpart | None) -> list[Counterpart]:
    """From the top organisation down to the source itself, e.g. United Nations › Special procedures › Special
    Rapporteur on torture."""
    if counterpart is None:
        return []
    return [*counterpart.ancestors(), counterpart]


def source_kind_for(counterpart: Counterpart | None) -> str:
    """Who made a recommendation, as far as its mandate or body tells: a special procedure or a treaty body;
    "" when it does not tell."""
    if counterpart is None:
        return ""
    if counterpart.is_special_procedure():
        return RecommendationSource.SPECIAL_PROCEDURE
    if counterpart.mandate_kind == MandateKind.TREATY_BODY:
        return RecommendationSource.TREATY_BODY
    return ""


# --- the forms' choices -----------------------------------------------------------------------------------------


def source_choices() -> QuerySet[Counterpart]:
    """The organisations, bodies and mandates that make recommendations (active ones), with the three levels
    above each for its label (UN › Human Rights Council › Special procedures › a mandate)."""
    return (
        Counterpart.objects.filter(is_active=True, kind__in=SOURCE_KINDS)
        .select_related("parent__parent__parent")
        .order_by("ordering", "name_en")
    )


def source_get(*, source_id: int) -> Counterpart | None:
    """A mandate or body (reference data, seen by every reader) by its id, or None."""
    return source_choices().filter(pk=source_id).first()


def responsible_choices() -> QuerySet[Counterpart]:
    """The Kazakh state bodies a recommendation may be given to."""
    return Counterpart.objects.filter(is_active=True, kind=CounterpartKind.DOMESTIC_AGENCY).order_by(
        "ordering", "name_en"
    )


def theme_choices() -> QuerySet[Topic]:
    return Topic.objects.order_by("kind", "ordering", "code")


def event_choices(*, user: User, with_recommendations: bool = False) -> QuerySet[Event]:
    """The visits and meetings the user may see (newest first), to link a recommendation to or to filter by
    (`with_recommendations`: only those that led to one)."""
    qs = Event.objects.filter(events_visible_q(user=user))
    if with_recommendations:
        qs = qs.filter(pk__in=Recommendation.objects.values("event_id"))
    return qs.order_by("-start_date", "-id")
