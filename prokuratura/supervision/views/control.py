"""The control page: overdue acts, acts without a result and inspections past their period (supervision.control),
for the scope chosen — mine, my office and below, all I may see — each list whole and paged on its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.pagination import CappedPaginator
from prokuratura.core.permissions import SignedInRequest, require

from ..control import (
    NO_TERM_RESULT_AFTER_DAYS,
    SCOPE_ALL,
    SCOPE_MINE,
    SCOPE_OFFICE,
    acts_without_result,
    clean_scope,
    inspections_past_period,
    overdue_acts,
)

PER_PAGE = 25

SCOPE_LABELS = (
    (SCOPE_MINE, _("Mine")),
    (SCOPE_OFFICE, _("My office and below")),
    (SCOPE_ALL, _("All I may see")),
)


@dataclass(frozen=True)
class Section:
    key: str  # the section's anchor and the prefix of its page parameter
    title: Any
    kind: str  # which table: "overdue", "no_result", "inspections"
    page: Any
    capped: bool
    previous_url: str
    next_url: str


def _page_url(params: dict[str, str], key: str, number: int) -> str:
    query = {**params, f"{key}_page": str(number)}
    return (
        "?" + urlencode({name: value for name, value in query.items() if value not in ("", "1")}) + f"#{key}"
    )


def _section(
    *, key: str, title: Any, kind: str, rows: QuerySet[Any], params: dict[str, str], number: Any
) -> Section:
    paginator = CappedPaginator(rows, PER_PAGE)
    page = paginator.get_page(number)
    return Section(
        key=key,
        title=title,
        kind=kind,
        page=page,
        capped=paginator.capped,
        previous_url=_page_url(params, key, page.previous_page_number()) if page.has_previous() else "",
        next_url=_page_url(params, key, page.next_page_number()) if page.has_next() else "",
    )


@require(Perm.SUPERVISION_VIEW)
def control(request: SignedInRequest) -> HttpResponse:
    user = request.user
    scope = clean_scope(request.GET.get("scope"), user=user)
    today = timezone.localdate()
    keys = ("overdue", "no_result", "inspections")
    # Each list keeps the others' pages when it moves.
    params = {"scope": scope, **{f"{key}_page": request.GET.get(f"{key}_page", "") for key in keys}}
    sections = [
        _section(
            key="overdue",
            title=_("Acts with the answer overdue"),
            kind="overdue",
            rows=overdue_acts(user=user, scope=scope, today=today),
            params=params,
            number=params["overdue_page"],
        ),
        _section(
            key="no_result",
            title=_("Acts without a result"),
            kind="no_result",
            rows=acts_without_result(user=user, scope=scope, today=today),
            params=params,
            number=params["no_result_page"],
        ),
        _section(
            key="inspections",
            title=_("Inspections past their period"),
            kind="inspections",
            rows=inspections_past_period(user=user, scope=scope, today=today),
            params=params,
            number=params["inspections_page"],
        ),
    ]
    context = {
        "scope": scope,
        "scopes": SCOPE_LABELS,
        "sections": sections,
        "today": today,
        "show_people": scope != SCOPE_MINE,
        "no_term_days": NO_TERM_RESULT_AFTER_DAYS,
    }
    return render(request, "supervision/control.html", context)


urlpatterns = [path("control/", control, name="control")]
