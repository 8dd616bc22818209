"""Acts of prosecutorial response: the list, drafting one (in an inspection, on an appeal, after a visit to a place
of detention, or on its own), editing a draft, and its page with the lifecycle's steps (issue, the reply, the court
decision, the result, withdraw). The letter itself (PDF/DOCX) is views/letters.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.appeals.access import access_appeal
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

from .. import selectors, services
from ..access import access_act, access_inspection, access_visit, may_change_act
from ..forms_records import ActFilterForm, ActForm, violation_choices
from ..models import Act, ActStatus
from ..transitions import ACTS

# Once issued, an act is a letter: it has its number and date and may be downloaded.
NO_LETTER = frozenset({ActStatus.DRAFT, ActStatus.WITHDRAWN})


def overdue(act: Act) -> bool:
    """Issued, its answer due, and the due date past."""
    return act.status == ActStatus.ISSUED and act.due_date is not None and act.due_date < timezone.localdate()


@require(Perm.SUPERVISION_VIEW)
def act_list(request: SignedInRequest) -> HttpResponse:
    form = ActFilterForm(request.GET or None, user=request.user)
    page = paginate(request, selectors.act_list(user=request.user, filters=form.filters()))
    for row in page.object_list:
        row.overdue = overdue(row)  # type: ignore[attr-defined]
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "supervision/act_list.html", context, status=status)


def _source(request: SignedInRequest) -> dict[str, Any]:
    """What the act is drafted on (`?inspection=`, `?appeal=` or `?visit=`), read for writing: 404 for what the
    user may not see, 403 for what they may see but not act on."""
    user = request.user
    for name in ("inspection", "appeal", "visit"):
        value = request.GET.get(name, "")
        if not value.isdigit():
            continue
        record_id = int(value)
        if name == "inspection":
            record: Any = access_inspection(
                user=user, inspection_id=record_id, for_write=True, request=request
            )
        elif name == "appeal":
            record = access_appeal(user=user, appeal_id=record_id, for_write=True, request=request)
        else:
            record = access_visit(user=user, visit_id=record_id, for_write=True, request=request)
        return {name: record}
    return {}


def _addressee(source: dict[str, Any]) -> dict[str, str]:
    """Who the act is likely addressed to: the body inspected, the body complained about, the facility's
    authority."""
    if inspection := source.get("inspection"):
        return {
            "addressee_name": inspection.subject_name,
            "addressee_official": inspection.subject_official,
            "addressee_bin": inspection.subject_bin,
        }
    if appeal := source.get("appeal"):
        return {"addressee_name": appeal.respondent_body, "addressee_official": appeal.respondent_official}
    if visit := source.get("visit"):
        return {"addressee_name": visit.facility.authority or visit.facility.name}
    return {}


def _form_context(source: dict[str, Any], form: ActForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, "source": source, "act_types": list(selectors.act_types()), **extra}


@require(Perm.SUPERVISION_WORK)
def act_create(request: SignedInRequest) -> HttpResponse:
    user = request.user
    source = _source(request)
    violations = violation_choices(user=user, **source)
    if request.method == "POST":
        form = ActForm(request.POST, violations=violations)
        if form.is_valid():
            try:
                act = services.act_draft(
                    by=user,
                    data=form.data_for_service(),
                    submission_key=submission_key(request, form),
                    request=request,
                    **source,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The act is drafted: check its text, then sign and issue it."))
                return redirect("supervision:act_detail", act_id=act.pk)
        return render(request, "supervision/act_form.html", _form_context(source, form), status=400)
    language = "kk" if (request.LANGUAGE_CODE or "")[:2] == "kk" else "ru"
    initial = {"submission_key": new_submission_key(), "language": language, **_addressee(source)}
    form = ActForm(violations=violations, initial=initial)
    return render(request, "supervision/act_form.html", _form_context(source, form))


@require(Perm.SUPERVISION_WORK)
def act_edit(request: SignedInRequest, act_id: int) -> HttpResponse:
    user = request.user
    act = access_act(user=user, act_id=act_id, for_write=True, request=request)
    if act.status != ActStatus.DRAFT:
        messages.error(request, _("An issued act is not changed."))
        return redirect("supervision:act_detail", act_id=act.pk)
    violations = violation_choices(user=user, inspection=act.inspection, appeal=act.appeal)
    source = {"act": act}
    if request.method == "POST":
        form = ActForm(request.POST, violations=violations, draft=False)
        if form.is_valid():
            try:
                services.act_update(by=user, act=act, data=form.data_for_service(), request=request)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("supervision:act_detail", act_id=act.pk)
        return render(request, "supervision/act_form.html", _form_context(source, form, act=act), status=400)
    form = ActForm(violations=violations, draft=False, initial=ActForm.initial_from(act))
    return render(request, "supervision/act_form.html", _form_context(source, form, act=act))


def _detail_context(
    request: SignedInRequest, act: Act, *, bound: dict[str, StepForm] | None = None
) -> dict[str, Any]:
    user = request.user
    return {
        "act": act,
        "overdue": overdue(act),
        "violations": list(selectors.act_violations(act=act)),
        "actions": step_actions(ACTS, actor=user, record=act, bound=bound),
        "history": history_rows(ACTS, selectors.act_history(act=act)),
        "may_edit": act.status == ActStatus.DRAFT and may_change_act(user=user, act=act),
        "has_letter": act.status not in NO_LETTER,
    }


@require(Perm.SUPERVISION_VIEW)
def act_detail(request: SignedInRequest, act_id: int) -> HttpResponse:
    act = access_act(user=request.user, act_id=act_id, request=request)
    return render(request, "supervision/act_detail.html", _detail_context(request, act))


@require(Perm.SUPERVISION_VIEW)
@require_POST
def act_step(request: SignedInRequest, act_id: int, step: str) -> HttpResponse:
    act = access_act(user=request.user, act_id=act_id, request=request)
    form, done = take_step(request, ACTS, act, step)
    if done is not None:
        messages.success(request, done)
        return redirect("supervision:act_detail", act_id=act.pk)
    act = access_act(user=request.user, act_id=act_id)
    context = _detail_context(request, act, bound={step: form})
    context["failed_action"] = step
    return render(request, "supervision/act_detail.html", context, status=400)


urlpatterns = [
    path("acts/", act_list, name="act_list"),
    path("acts/new/", act_create, name="act_create"),
    path("acts/<int:act_id>/", act_detail, name="act_detail"),
    path("acts/<int:act_id>/edit/", act_edit, name="act_edit"),
    path("acts/<int:act_id>/do/<slug:step>/", act_step, name="act_step"),
]
