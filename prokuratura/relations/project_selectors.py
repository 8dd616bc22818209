"""Every read of joint projects for a user: visibility is access.projects_visible_q, decided here once, so the list,
its totals and its CSV never show what the project's page would refuse. Also the choices the projects' forms offer
(partners, topics, offices, departments, officers) and the counterpart hierarchy the filters walk down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum

from prokuratura.accounts.roles import Perm
from prokuratura.core.models import Department, Office

from .access import projects_visible_q
from .models import Counterpart, Project, ProjectTransition, Topic
from .selectors import counterpart_family_ids
from .services.projects import PARTNER_KINDS

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

EXPORT_CHUNK = 500


@dataclass(frozen=True)
class ProjectFilters:
    """What the list filters by (all optional): words of the title, the partner's reference or the description;
    a partner with everything below it in the hierarchy; the status; a year the project was under way in (it
    started by its end and had not ended before its start); a topic."""

    q: str = ""
    partner: Counterpart | None = None
    status: str = ""
    year: int | None = None
    topic: Topic | None = None


def words(q: str) -> list[str]:
    return [w for w in q.split() if w][:10]


def project_list(*, user: User, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    f = filters or ProjectFilters()
    qs = Project.objects.filter(projects_visible_q(user=user)).select_related("partner")
    if f.partner is not None:
        qs = qs.filter(partner_id__in=sorted(counterpart_family_ids(f.partner)))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.year is not None:
        qs = qs.filter(start_date__lte=dt.date(f.year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=dt.date(f.year, 1, 1))
        )
    if f.topic is not None:
        qs = qs.filter(topics=f.topic)  # one row a project: a project names a topic once
    for word in words(f.q):
        qs = qs.filter(
            Q(title__icontains=word) | Q(reference__icontains=word) | Q(description__icontains=word)
        )
    return qs.order_by("-start_date", "-id")


def project_budget_totals(projects: QuerySet[Project]) -> list[tuple[str, Decimal]]:
    """The budgets of the listed projects added up per currency (those without a budget left out)."""
    rows = (
        projects.filter(budget__isnull=False)
        .order_by()
        .values("currency")
        .annotate(total=Sum("budget"))
        .order_by("currency")
    )
    return [(row["currency"], row["total"]) for row in rows]


def project_export_rows(*, user: User, filters: ProjectFilters | None = None) -> Iterator[Project]:
    """The list for the CSV, read in chunks (the memory does not grow with the rows)."""
    return (
        project_list(user=user, filters=filters).select_related("manager").iterator(chunk_size=EXPORT_CHUNK)
    )


# --- one project ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectLinks:
    topics: list[Topic]
    offices: list[Office]
    departments: list[Department]


def project_links(*, project: Project) -> ProjectLinks:
    """What a project names (read through access_project): its topics, the offices and departments involved."""
    return ProjectLinks(
        topics=list(project.topics.all()),
        offices=list(project.offices.order_by("path")),
        departments=list(project.departments.select_related("office").order_by("office__path", "code")),
    )


def project_history(*, project: Project) -> QuerySet[ProjectTransition]:
    return project.transitions.select_related("by").order_by("at", "id")


def partner_chain(counterpart: Counterpart) -> list[Counterpart]:
    """From the top organisation down to the counterpart itself (e.g. OSCE › Programme Office in Astana)."""
    return [*counterpart.ancestors(), counterpart]


# --- the forms' choices -----------------------------------------------------------------------------------------


def partner_choices() -> QuerySet[Counterpart]:
    """Who may be a joint project's partner: an organisation, one of its bodies or field offices, a foreign
    authority (active ones), with the two levels above each for its label."""
    return (
        Counterpart.objects.filter(is_active=True, kind__in=sorted(PARTNER_KINDS))
        .select_related("parent__parent")
        .order_by("ordering", "name_en")
    )


def topic_choices() -> QuerySet[Topic]:
    return Topic.objects.order_by("kind", "ordering", "code")


def office_choices() -> QuerySet[Office]:
    return Office.objects.filter(is_active=True).order_by("path")


def department_choices() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True, office__is_active=True).select_related("office")


def relations_workers(*, office: Office | None) -> QuerySet[User]:
    """Active users holding `relations.work` in `office` and the offices below it (who may be made a project's
    officer or a recommendation's officer in charge), by office, then name."""
    from prokuratura.accounts.selectors import users_holding

    return users_holding(permission=Perm.RELATIONS_WORK, office=office)
