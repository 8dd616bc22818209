"""Joint projects: the list (filters, budget totals per currency, CSV), recording and correcting a project, its
page with the offices and departments involved, the PROJECTS lifecycle's steps and the history.

Every project is read through access_project (404 when the user may not see it); the writes are services.projects',
the steps PROJECTS.perform's (via take_step, with the version the page was rendered with)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core.csv_export import CSV_BOM, CSV_DELIMITER, text_cell
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

from .. import project_selectors as selectors
from ..access import access_project, may_change_project
from ..forms_projects import ProjectFilterForm, ProjectForm
from ..models import Project, ProjectStatus
from ..services import project_record, project_update
from ..transitions import PROJECTS

FORM_TEMPLATE = "relations/projects/form.html"
DETAIL_TEMPLATE = "relations/projects/detail.html"


# --- CSV (shared with the recommendations' list) ------------------------------------------------------------------


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal | int):
        return value
    return text_cell(str(value))


def csv_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download a spreadsheet opens right in kk-KZ and ru-RU (core.csv_export), no cell a formula."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([text_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return response


def filter_errors(form: forms.Form) -> HttpResponse:
    """A CSV asked for with bad filters: what is wrong, as text (400)."""
    lines = [
        f"{form[name].label}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
    ]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


# --- the list ---------------------------------------------------------------------------------------------------


@require(Perm.RELATIONS_VIEW)
def project_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = ProjectFilterForm(request.GET or None)
    projects = selectors.project_list(user=user, filters=form.filters())
    context = {
        "form": form,
        "page": paginate(request, projects),
        "totals": selectors.project_budget_totals(projects),
        "query": query_without_page(request),
        "may_work": user.has_perm(Perm.RELATIONS_WORK),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "relations/projects/list.html", context, status=status)


@require(Perm.RELATIONS_VIEW)
@never_cache
def project_export(request: SignedInRequest) -> HttpResponse:
    """The list as CSV, with the list's filters."""
    form = ProjectFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return filter_errors(form)
    statuses = dict(ProjectStatus.choices)
    headers = [
        _("Title"),
        _("Partner"),
        _("Partner's reference"),
        _("From"),
        _("To"),
        _("Budget"),
        _("Currency"),
        _("Status"),
        _("Project officer"),
    ]
    rows = (
        [
            p.title,
            p.partner.name,
            p.reference,
            p.start_date,
            p.end_date,
            p.budget,
            p.currency,
            statuses.get(p.status, p.status),
            p.manager.full_name if p.manager else "",
        ]
        for p in selectors.project_export_rows(user=request.user, filters=form.filters())
    )
    return csv_response(f"joint-projects-{timezone.localdate():%Y%m%d}.csv", headers, rows)


# --- recording and correcting -----------------------------------------------------------------------------------


@require(Perm.RELATIONS_WORK)
def project_create(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProjectForm(request.POST, user=user)
        if form.is_valid():
            try:
                project = project_record(
                    by=user,
                    data=form.data_for_service(),
                    submission_key=submission_key(request, form),
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The joint project is recorded."))
                return redirect("relations:project_detail", pk=project.pk)
        return render(request, FORM_TEMPLATE, {"form": form}, status=400)
    initial: dict[str, Any] = {"submission_key": new_submission_key()}
    partner_id = request.GET.get("partner", "")
    if partner_id.isdigit() and selectors.partner_choices().filter(pk=int(partner_id)).exists():
        initial["partner"] = int(partner_id)
    return render(request, FORM_TEMPLATE, {"form": ProjectForm(user=user, initial=initial)})


@require(Perm.RELATIONS_WORK)
def project_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    project = access_project(user=user, project_id=pk, for_write=True, request=request)
    context: dict[str, Any] = {"project": project}
    if request.method == "POST":
        form = ProjectForm(request.POST, user=user, project=project)
        if form.is_valid():
            try:
                project_update(by=user, project=project, data=form.data_for_service(), request=request)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The project's details are saved."))
                return redirect("relations:project_detail", pk=project.pk)
        return render(request, FORM_TEMPLATE, {**context, "form": form}, status=400)
    form = ProjectForm(user=user, project=project, initial=ProjectForm.initial_from(project))
    return render(request, FORM_TEMPLATE, {**context, "form": form})


# --- the project's page -----------------------------------------------------------------------------------------


def _detail_context(
    request: SignedInRequest, project: Project, *, bound: dict[str, StepForm] | None = None
) -> dict[str, Any]:
    user = request.user
    return {
        "project": project,
        "partner_chain": selectors.partner_chain(project.partner),
        "links": selectors.project_links(project=project),
        "actions": step_actions(PROJECTS, actor=user, record=project, bound=bound),
        "history": history_rows(PROJECTS, selectors.project_history(project=project)),
        "may_edit": may_change_project(user=user, project=project),
    }


@require(Perm.RELATIONS_VIEW)
def project_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    project = access_project(user=request.user, project_id=pk, request=request)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, project))


@require(Perm.RELATIONS_VIEW)
@require_POST
def project_step(request: SignedInRequest, pk: int, name: str) -> HttpResponse:
    project = access_project(user=request.user, project_id=pk, request=request)
    form, done = take_step(request, PROJECTS, project, name)
    if done is not None:
        messages.success(request, done)
        return redirect("relations:project_detail", pk=project.pk)
    project = access_project(user=request.user, project_id=pk)  # re-read: the failed step changed nothing
    context = {**_detail_context(request, project, bound={name: form}), "failed_action": name}
    return render(request, DETAIL_TEMPLATE, context, status=400)


urlpatterns: list[URLPattern] = [
    path("projects/", project_list, name="project_list"),
    path("projects/export.csv", project_export, name="project_export"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<int:pk>/step/<slug:name>/", project_step, name="project_step"),
]
