"""Recommendations and their implementation (as OHCHR's recommendation-tracking databases): the list (filters,
counts by status, CSV), recording one (also from a visit: `?event=<id>`, or for a mandate: `?source=<id>`) and
correcting it, its page with the source chain, the visit, the RECOMMENDATIONS lifecycle's steps and the history of
the status with each report's evidence.

Every recommendation is read through access_recommendation, a visit through access_event (404 when the user may
not see it); the writes are services.recommendations', the steps RECOMMENDATIONS.perform's (via take_step)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core.lifecycle import StepForm
from prokuratura.core.permissions import SignedInRequest, require
from prokuratura.core.views.records import (
    add_errors,
    history_rows,
    new_submission_key,
    paginate,
    query_without_page,
    step_actions,
    submission_key,
    take_step,
)

from .. import recommendation_selectors as selectors
from ..access import access_event, access_recommendation, may_change_recommendation
from ..forms_recommendations import RecommendationFilterForm, RecommendationForm
from ..models import Event, ImplementationStatus, Recommendation, RecommendationSource
from ..services import recommendation_record, recommendation_update
from ..transitions import RECOMMENDATIONS
from .projects import csv_response, filter_errors

FORM_TEMPLATE = "relations/recommendations/form.html"
DETAIL_TEMPLATE = "relations/recommendations/detail.html"
# The form's second button: save, then record the visit's next recommendation.
ANOTHER = "another"


def _digits(value: str) -> int | None:
    return int(value) if value.isdigit() else None


# --- the list ---------------------------------------------------------------------------------------------------


@require(Perm.RELATIONS_VIEW)
def recommendation_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = RecommendationFilterForm(request.GET or None, user=user)
    found = selectors.recommendation_list(user=user, filters=form.filters())
    page = paginate(request, found)
    today = timezone.localdate()
    for row in page.object_list:
        row.is_overdue = selectors.is_overdue(row, today=today)  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page": page,
        "counts": selectors.recommendation_status_counts(found),
        "query": query_without_page(request),
        "may_work": user.has_perm(Perm.RELATIONS_WORK),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "relations/recommendations/list.html", context, status=status)


@require(Perm.RELATIONS_VIEW)
@never_cache
def recommendation_export(request: SignedInRequest) -> HttpResponse:
    """The list as CSV, with the list's filters."""
    user = request.user
    form = RecommendationFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return filter_errors(form)
    statuses = dict(ImplementationStatus.choices)
    kinds = dict(RecommendationSource.choices)
    headers = [
        _("Document"),
        _("Paragraph"),
        _("Made on"),
        _("Made by"),
        _("Mandate or body"),
        _("Recommendation"),
        _("Theme"),
        _("Responsible body"),
        _("Implementation"),
        _("Status as of"),
        _("Planned by"),
        _("Officer in charge"),
    ]
    rows = (
        [
            r.document,
            r.paragraph,
            r.issued_on,
            kinds.get(r.source_kind, r.source_kind),
            r.source.name if r.source else "",
            r.text,
            r.theme.name if r.theme else "",
            r.responsible.name if r.responsible else "",
            statuses.get(r.status, r.status),
            r.status_changed_on,
            r.due_date,
            r.officer.full_name if r.officer else "",
        ]
        for r in selectors.recommendation_export_rows(user=user, filters=form.filters())
    )
    return csv_response(f"recommendations-{timezone.localdate():%Y%m%d}.csv", headers, rows)


# --- recording and correcting -----------------------------------------------------------------------------------


def _create_initial(request: SignedInRequest) -> tuple[dict[str, Any], Event | None]:
    """The new form's starting values: from the visit `?event=<id>` (which the user must see: 404 otherwise) or
    the mandate or body `?source=<id>`."""
    initial: dict[str, Any] = {"submission_key": new_submission_key(), "issued_on": timezone.localdate()}
    event: Event | None = None
    event_id = _digits(request.GET.get("event", ""))
    if event_id is not None:
        event = access_event(user=request.user, event_id=event_id, request=request)
        initial.update(RecommendationForm.initial_for_event(event))
    source_id = _digits(request.GET.get("source", ""))
    if source_id is not None and (source := selectors.source_get(source_id=source_id)) is not None:
        initial.update(RecommendationForm.initial_for_source(source))
    return initial, event


@require(Perm.RELATIONS_WORK)
def recommendation_create(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = RecommendationForm(request.POST, user=user)
        if form.is_valid():
            try:
                rec = recommendation_record(
                    by=user,
                    data=form.data_for_service(),
                    submission_key=submission_key(request, form),
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The recommendation is recorded."))
                if request.POST.get(ANOTHER) and rec.event_id:
                    return redirect(f"{reverse('relations:recommendation_create')}?event={rec.event_id}")
                return redirect("relations:recommendation_detail", pk=rec.pk)
        event = form.cleaned_data.get("event")
        return render(request, FORM_TEMPLATE, {"form": form, "event": event}, status=400)
    initial, event = _create_initial(request)
    form = RecommendationForm(user=user, initial=initial)
    return render(request, FORM_TEMPLATE, {"form": form, "event": event})


@require(Perm.RELATIONS_WORK)
def recommendation_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    rec = access_recommendation(user=user, recommendation_id=pk, for_write=True, request=request)
    context: dict[str, Any] = {"recommendation": rec}
    if request.method == "POST":
        form = RecommendationForm(request.POST, user=user, recommendation=rec)
        if form.is_valid():
            try:
                recommendation_update(
                    by=user, recommendation=rec, data=form.data_for_service(), request=request
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The recommendation's details are saved."))
                return redirect("relations:recommendation_detail", pk=rec.pk)
        return render(request, FORM_TEMPLATE, {**context, "form": form}, status=400)
    form = RecommendationForm(user=user, recommendation=rec, initial=RecommendationForm.initial_from(rec))
    return render(request, FORM_TEMPLATE, {**context, "form": form})


# --- the recommendation's page ----------------------------------------------------------------------------------


def _detail_context(
    request: SignedInRequest, rec: Recommendation, *, bound: dict[str, StepForm] | None = None
) -> dict[str, Any]:
    user = request.user
    may_change = may_change_recommendation(user=user, recommendation=rec)
    return {
        "recommendation": rec,
        "source_chain": selectors.source_chain(rec.source),
        "overdue": selectors.is_overdue(rec),
        "actions": step_actions(RECOMMENDATIONS, actor=user, record=rec, bound=bound),
        "history": history_rows(RECOMMENDATIONS, selectors.recommendation_history(recommendation=rec)),
        "may_edit": may_change,
        "may_add_another": bool(rec.event_id) and user.has_perm(Perm.RELATIONS_WORK),
    }


@require(Perm.RELATIONS_VIEW)
def recommendation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    rec = access_recommendation(user=request.user, recommendation_id=pk, request=request)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, rec))


@require(Perm.RELATIONS_VIEW)
@require_POST
def recommendation_step(request: SignedInRequest, pk: int, name: str) -> HttpResponse:
    rec = access_recommendation(user=request.user, recommendation_id=pk, request=request)
    form, done = take_step(request, RECOMMENDATIONS, rec, name)
    if done is not None:
        messages.success(request, done)
        return redirect("relations:recommendation_detail", pk=rec.pk)
    rec = access_recommendation(user=request.user, recommendation_id=pk)  # re-read: the step changed nothing
    context = {**_detail_context(request, rec, bound={name: form}), "failed_action": name}
    return render(request, DETAIL_TEMPLATE, context, status=400)


urlpatterns: list[URLPattern] = [
    path("recommendations/", recommendation_list, name="recommendation_list"),
    path("recommendations/export.csv", recommendation_export, name="recommendation_export"),
    path("recommendations/new/", recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/", recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/edit/", recommendation_edit, name="recommendation_edit"),
    path("recommendations/<int:pk>/step/<slug:name>/", recommendation_step, name="recommendation_step"),
]
