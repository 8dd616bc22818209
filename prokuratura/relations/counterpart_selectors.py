"""Reading organisations and counterparts, and the topics: the hierarchy as a tree, the search, one counterpart
with its parent chain, children and the records that name it (counted among those the user may see).

Counterparts are reference data (about a hundred rows, a few hundred at most): the tree reads them in one query
and the search runs in Python, case-folded, so a Russian or Kazakh query finds the same rows on SQLite (whose
LIKE folds only ASCII) as on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from prokuratura.accounts.roles import Perm

from .access import events_visible_q, projects_visible_q, recommendations_visible_q
from .models import (
    Counterpart,
    CounterpartKind,
    Event,
    Participant,
    Project,
    Recommendation,
    Topic,
    TopicKind,
)
from .services.counterparts import split_names

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# Longer queries are cut (a search box, not a document).
MAX_QUERY = 100


def _require_view(user: User) -> None:
    if not (user and user.is_authenticated and user.is_active and user.has_perm(Perm.RELATIONS_VIEW)):
        raise PermissionDenied


def fold(text: str) -> str:
    """Case and spacing ignored, ё read as е (Russian texts write both)."""
    return " ".join(text.casefold().replace("ё", "е").split())


def search_text(counterpart: Counterpart) -> str:
    """Everything a search looks in: the code, the names and short forms in three languages, the other names."""
    parts = [
        counterpart.code,
        counterpart.name_en,
        counterpart.name_ru,
        counterpart.name_kk,
        counterpart.abbreviation_en,
        counterpart.abbreviation_ru,
        counterpart.abbreviation_kk,
        *split_names(counterpart.aliases),
    ]
    return "\n".join(fold(part) for part in parts if part)


def matches(counterpart: Counterpart, query: str) -> bool:
    """Every word of the query appears in the counterpart's names (any language, any of its other names)."""
    words = fold(query[:MAX_QUERY]).split()
    text = search_text(counterpart)
    return all(word in text for word in words)


@dataclass
class TreeRow:
    counterpart: Counterpart
    depth: int
    matched: bool = True  # False: shown only as the context (an ancestor) of a row that matched


def _all() -> list[Counterpart]:
    return list(Counterpart.objects.select_related("country").order_by("ordering", "name_en", "pk"))


def counterpart_tree(
    *, user: User, kind: str = "", q: str = "", include_inactive: bool = True
) -> list[TreeRow]:
    """The hierarchy in order (organisation → body → mandate), each row with its depth. With a kind or a query,
    the rows that match and, for context, their ancestors."""
    _require_view(user)
    rows = _all()
    by_id = {c.pk: c for c in rows}
    children: dict[int | None, list[Counterpart]] = {}
    for c in rows:
        parent = c.parent_id if c.parent_id in by_id else None
        children.setdefault(parent, []).append(c)
    filtered = bool(kind or q.strip())
    wanted = {
        c.pk
        for c in rows
        if (not kind or c.kind == kind)
        and (not q.strip() or matches(c, q))
        and (include_inactive or c.is_active)
    }
    shown = set(wanted)
    if filtered:
        for pk in wanted:
            node = by_id[pk].parent_id
            while node is not None and node in by_id and node not in shown:
                shown.add(node)
                node = by_id[node].parent_id
    result: list[TreeRow] = []
    visited: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            if c.pk in visited:
                continue
            visited.add(c.pk)
            if c.pk in shown:
                result.append(TreeRow(counterpart=c, depth=depth, matched=c.pk in wanted))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return result


def counterpart_search_ids(
    *, user: User, kind: str = "", parent: int | None = None, q: str = ""
) -> list[int]:
    """The ids of the counterparts that match, in the tree's order (for the API's paginated list)."""
    return [
        row.counterpart.pk
        for row in counterpart_tree(user=user, kind=kind, q=q)
        if row.matched and (parent is None or row.counterpart.parent_id == parent)
    ]


def counterpart_list(
    *, user: User, kind: str = "", parent: int | None = None, q: str = ""
) -> QuerySet[Counterpart]:
    """The matching counterparts as a query in the tree's order."""
    ids = counterpart_search_ids(user=user, kind=kind, parent=parent, q=q)
    position = {pk: n for n, pk in enumerate(ids)}
    order = Case(*(When(pk=pk, then=Value(n)) for pk, n in position.items()), output_field=IntegerField())
    queryset = Counterpart.objects.select_related("parent", "country").filter(pk__in=ids)
    return queryset.annotate(tree_position=order).order_by("tree_position") if ids else queryset


def counterpart_get(*, user: User, counterpart_id: int) -> Counterpart:
    """One counterpart, or 404."""
    _require_view(user)
    found = Counterpart.objects.select_related("parent", "country").filter(pk=counterpart_id).first()
    if found is None:
        raise Http404
    return found


@dataclass
class CounterpartSummary:
    counterpart: Counterpart
    ancestors: list[Counterpart]
    children: list[Counterpart]
    aliases: list[str]
    events: int = 0
    projects: int = 0
    recommendations: int = 0


def events_naming_q(counterpart: Counterpart) -> Q:
    """The events a counterpart is the principal, the host or a participant of."""
    return (
        Q(principal=counterpart)
        | Q(host=counterpart)
        | Q(pk__in=Participant.objects.filter(counterpart=counterpart).values("event_id"))
    )


def counterpart_summary(*, user: User, counterpart: Counterpart) -> CounterpartSummary:
    """The counterpart's page: its parent chain, the counterparts below it, and how many of the events, joint
    projects and recommendations the user may see name it."""
    _require_view(user)
    return CounterpartSummary(
        counterpart=counterpart,
        ancestors=counterpart.ancestors(),
        children=list(counterpart.children.select_related("country").order_by("ordering", "name_en")),
        aliases=split_names(counterpart.aliases),
        events=Event.objects.filter(events_visible_q(user=user)).filter(events_naming_q(counterpart)).count(),
        projects=Project.objects.filter(projects_visible_q(user=user), partner=counterpart).count(),
        recommendations=Recommendation.objects.filter(
            recommendations_visible_q(user=user), source=counterpart
        ).count(),
    )


def counterpart_parent_choices(*, counterpart: Counterpart | None = None) -> QuerySet[Counterpart]:
    """The counterparts another may belong to: not itself nor one below it (an organisation, body or field office;
    a foreign authority or domestic agency may hold a unit, e.g. the Anti-Terrorism Centre of the NSC)."""
    queryset = Counterpart.objects.exclude(kind=CounterpartKind.MANDATE).order_by("ordering", "name_en")
    if counterpart is None or counterpart.pk is None:
        return queryset
    below: set[int] = {counterpart.pk}
    frontier = [counterpart.pk]
    parents = list(Counterpart.objects.values_list("pk", "parent_id"))
    while frontier:
        frontier = [pk for pk, parent in parents if parent in frontier and pk not in below]
        below.update(frontier)
    return queryset.exclude(pk__in=below)


@dataclass
class TopicGroup:
    kind: str
    label: str
    topics: list[Topic]


def topic_groups(*, user: User) -> list[TopicGroup]:
    """The topics by kind (crime focus areas, human-rights themes, cooperation themes), each with its keywords."""
    _require_view(user)
    topics = list(Topic.objects.order_by("kind", "ordering", "code"))
    groups = []
    for kind in TopicKind:
        members = [t for t in topics if t.kind == kind]
        if members:
            groups.append(TopicGroup(kind=kind.value, label=str(kind.label), topics=members))
    return groups


def topic_list(*, user: User, kind: str = "") -> QuerySet[Topic]:
    _require_view(user)
    queryset = Topic.objects.order_by("kind", "ordering", "code")
    return queryset.filter(kind=kind) if kind else queryset
