"""API: organisations and counterparts (the hierarchy, searchable in three languages) and the topics. Read-only;
administrators correct counterparts on the page (services.counterparts)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import PageNumberPagination, api_permission, api_user, errors

from . import counterpart_selectors as selectors
from .models import Counterpart, CounterpartKind, MandateKind, Topic, TopicKind
from .services.counterparts import split_names

router = Router(tags=["relations"])

MAX_ID = 2**63 - 1


class RelCounterpartOut(Schema):
    id: int
    code: str
    kind: CounterpartKind
    parent_id: int | None = Field(..., description="The organisation or body it belongs to.")
    country: str | None = Field(..., description="ISO 3166-1 alpha-2 code of a foreign authority's state.")
    mandate_kind: MandateKind | None
    name: str = Field(..., description="The name in the request's language.")
    name_kk: str
    name_ru: str
    name_en: str
    abbreviation: str = Field(..., description="The short form in the request's language (or English).")
    abbreviation_kk: str
    abbreviation_ru: str
    abbreviation_en: str
    aliases: list[str] = Field(..., description="Other names and spellings, any language.")
    website: str
    source_url: str = Field(..., description="Sources, separated by ` | `.")
    is_active: bool

    @staticmethod
    def resolve_country(obj: Counterpart) -> str | None:
        return obj.country_id

    @staticmethod
    def resolve_mandate_kind(obj: Counterpart) -> str | None:
        return obj.mandate_kind or None

    @staticmethod
    def resolve_aliases(obj: Counterpart) -> list[str]:
        return split_names(obj.aliases)


class RelCounterpartDetailOut(RelCounterpartOut):
    ancestors: list[int] = Field(..., description="Ids from the top organisation down to the parent.")
    children: list[int] = Field(..., description="Ids of the counterparts directly below it.")

    @staticmethod
    def resolve_ancestors(obj: Counterpart) -> list[int]:
        return [c.pk for c in obj.ancestors()]

    @staticmethod
    def resolve_children(obj: Counterpart) -> list[int]:
        return list(obj.children.order_by("ordering", "name_en").values_list("pk", flat=True))


class RelCounterpartFilters(Schema):
    kind: CounterpartKind | None = None
    parent: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only those directly below this counterpart."
    )
    q: str | None = Field(
        None,
        max_length=100,
        description="Words found in the names, short forms or other names (any language).",
    )


class RelTopicOut(Schema):
    id: int
    code: str
    kind: TopicKind
    name: str = Field(..., description="The name in the request's language.")
    name_kk: str
    name_ru: str
    name_en: str
    keywords: list[str] = Field(..., description="Words the press import looks for; `*` ends a stem.")

    @staticmethod
    def resolve_keywords(obj: Topic) -> list[str]:
        return split_names(obj.keywords)


class RelTopicFilters(Schema):
    kind: TopicKind | None = None


@router.get(
    "/relations/counterparts",
    response={200: list[RelCounterpartOut], **errors(401, 403, 422)},
    summary="Organisations and counterparts",
    description="In the hierarchy's order (organisation → body → mandate), filtered by kind, parent or words.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.RELATIONS_VIEW)
def counterpart_list(request: HttpRequest, filters: Query[RelCounterpartFilters]) -> Any:
    return selectors.counterpart_list(
        user=api_user(request), kind=filters.kind or "", parent=filters.parent, q=filters.q or ""
    )


@router.get(
    "/relations/counterparts/{counterpart_id}",
    response={200: RelCounterpartDetailOut, **errors(401, 403, 404, 422)},
    summary="One counterpart",
    description="With the ids of its parent chain and of the counterparts directly below it.",
)
@api_permission(Perm.RELATIONS_VIEW)
def counterpart_detail(request: HttpRequest, counterpart_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return selectors.counterpart_get(user=api_user(request), counterpart_id=counterpart_id)


@router.get(
    "/relations/topics",
    response={200: list[RelTopicOut], **errors(401, 403, 422)},
    summary="Topics",
    description="Crime focus areas, human-rights themes and cooperation themes, with their keywords.",
)
@api_permission(Perm.RELATIONS_VIEW)
def topic_list(request: HttpRequest, filters: Query[RelTopicFilters]) -> Any:
    return list(selectors.topic_list(user=api_user(request), kind=filters.kind or ""))
