"""Inspections: the list, planning one (also from an appeal), correcting it, its page with the lifecycle's steps,
its violations and acts; recording a violation (in an inspection or while answering an appeal) and correcting
one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.appeals.access import access_appeal
from prokuratura.appeals.models import Appeal
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
from ..access import access_inspection, access_violation, may_change_inspection
from ..forms_records import INSPECTION_ERROR_FIELDS, InspectionFilterForm, InspectionForm, ViolationForm
from ..models import Inspection, InspectionStatus
from ..transitions import INSPECTION_OPEN, INSPECTION_RUNNING, INSPECTIONS

# An inspection's details may be corrected until it is completed (services.inspection_update).
EDITABLE = frozenset({InspectionStatus.PLANNED}) | INSPECTION_RUNNING


# The violation form shares the inspection's page with the step forms: its fields' ids are its own.
VIOLATION_IDS = "violation-%s"


def past_period(inspection: Inspection) -> bool:
    """Still planned or running after its period ended."""
    return inspection.status in EDITABLE and inspection.period_end < timezone.localdate()


@require(Perm.SUPERVISION_VIEW)
def inspection_list(request: SignedInRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET or None, user=request.user)
    page = paginate(request, selectors.inspection_list(user=request.user, filters=form.filters()))
    for row in page.object_list:
        row.past_period = past_period(row)  # type: ignore[attr-defined]
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "supervision/inspection_list.html", context, status=status)


@require(Perm.SUPERVISION_WORK)
def inspection_create(request: SignedInRequest) -> HttpResponse:
    """Plan an inspection; `?appeal=<id>` fills the form in from an appeal the user may see."""
    user = request.user
    if request.method == "POST":
        form = InspectionForm(request.POST, user=user)
        if form.is_valid():
            try:
                inspection = services.inspection_create(
                    by=user,
                    data=form.data_for_service(),
                    submission_key=submission_key(request, form),
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc, INSPECTION_ERROR_FIELDS)
            else:
                messages.success(request, _("Inspection %(number)s planned.") % {"number": inspection.number})
                return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
        return render(request, "supervision/inspection_form.html", {"form": form}, status=400)
    initial: dict[str, Any] = {"submission_key": new_submission_key(), "period_start": timezone.localdate()}
    appeal: Appeal | None = None
    appeal_id = request.GET.get("appeal", "")
    if appeal_id.isdigit():
        appeal = access_appeal(user=user, appeal_id=int(appeal_id), request=request)
        initial.update(InspectionForm.initial_from_appeal(appeal, user=user))
    form = InspectionForm(user=user, initial=initial)
    return render(request, "supervision/inspection_form.html", {"form": form, "appeal": appeal})


@require(Perm.SUPERVISION_WORK)
def inspection_edit(request: SignedInRequest, inspection_id: int) -> HttpResponse:
    user = request.user
    inspection = access_inspection(user=user, inspection_id=inspection_id, for_write=True, request=request)
    context: dict[str, Any] = {"inspection": inspection}
    if request.method == "POST":
        form = InspectionForm(request.POST, user=user, inspection=inspection)
        if form.is_valid():
            try:
                services.inspection_update(
                    by=user, inspection=inspection, data=form.data_for_service(), request=request
                )
            except ValidationError as exc:
                add_errors(form, exc, INSPECTION_ERROR_FIELDS)
            else:
                messages.success(request, _("The inspection's details are saved."))
                return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
        context["form"] = form
        return render(request, "supervision/inspection_form.html", context, status=400)
    context["form"] = InspectionForm(
        user=user, inspection=inspection, initial=InspectionForm.initial_from(inspection)
    )
    return render(request, "supervision/inspection_form.html", context)


def _detail_context(
    request: SignedInRequest,
    inspection: Inspection,
    *,
    bound: dict[str, StepForm] | None = None,
    violation_form: ViolationForm | None = None,
) -> dict[str, Any]:
    user = request.user
    may_change = may_change_inspection(user=user, inspection=inspection)
    takes_records = may_change and inspection.status in INSPECTION_OPEN
    if takes_records and violation_form is None:
        violation_form = ViolationForm(
            initial={"submission_key": new_submission_key(), "found_on": timezone.localdate()},
            auto_id=VIOLATION_IDS,
        )
    return {
        "inspection": inspection,
        "past_period": past_period(inspection),
        "actions": step_actions(INSPECTIONS, actor=user, record=inspection, bound=bound),
        "violations": list(selectors.inspection_violations(user=user, inspection=inspection)),
        "acts": list(selectors.inspection_acts(user=user, inspection=inspection)),
        "history": history_rows(INSPECTIONS, selectors.inspection_history(inspection=inspection)),
        "may_edit": may_change and inspection.status in EDITABLE,
        "takes_records": takes_records,
        "may_correct": takes_records,
        "violation_form": violation_form if takes_records else None,
    }


@require(Perm.SUPERVISION_VIEW)
def inspection_detail(request: SignedInRequest, inspection_id: int) -> HttpResponse:
    inspection = access_inspection(user=request.user, inspection_id=inspection_id, request=request)
    return render(request, "supervision/inspection_detail.html", _detail_context(request, inspection))


@require(Perm.SUPERVISION_VIEW)
@require_POST
def inspection_step(request: SignedInRequest, inspection_id: int, step: str) -> HttpResponse:
    inspection = access_inspection(user=request.user, inspection_id=inspection_id, request=request)
    form, done = take_step(request, INSPECTIONS, inspection, step)
    if done is not None:
        messages.success(request, done)
        return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
    inspection = access_inspection(user=request.user, inspection_id=inspection_id)
    context = _detail_context(request, inspection, bound={step: form})
    context["failed_action"] = step
    return render(request, "supervision/inspection_detail.html", context, status=400)


# --- violations ------------------------------------------------------------------------------------------------


def _record_violation(
    request: SignedInRequest, *, inspection: Inspection | None = None, appeal: Appeal | None = None
) -> tuple[ViolationForm, Any]:
    form = ViolationForm(request.POST, auto_id=VIOLATION_IDS)
    if not form.is_valid():
        return form, None
    try:
        violation = services.violation_record(
            by=request.user,
            data=form.data_for_service(),
            inspection=inspection,
            appeal=appeal,
            submission_key=submission_key(request, form),
            request=request,
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return form, None
    return form, violation


@require(Perm.SUPERVISION_WORK)
@require_POST
def inspection_violation_new(request: SignedInRequest, inspection_id: int) -> HttpResponse:
    """Record a violation found in the inspection (the form is on the inspection's page, which shows its errors)."""
    inspection = access_inspection(
        user=request.user, inspection_id=inspection_id, for_write=True, request=request
    )
    form, violation = _record_violation(request, inspection=inspection)
    if violation is not None:
        messages.success(request, _("The violation is recorded."))
        return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
    context = _detail_context(request, inspection, violation_form=form)
    context["failed_action"] = "violation"
    return render(request, "supervision/inspection_detail.html", context, status=400)


@require(Perm.SUPERVISION_WORK)
def appeal_violation_new(request: SignedInRequest, appeal_id: int) -> HttpResponse:
    """Record a violation found while answering an appeal."""
    appeal = access_appeal(user=request.user, appeal_id=appeal_id, for_write=True, request=request)
    if request.method == "POST":
        form, violation = _record_violation(request, appeal=appeal)
        if violation is not None:
            messages.success(request, _("The violation is recorded."))
            return redirect("appeals:detail", pk=appeal.pk)
        return render(
            request, "supervision/violation_form.html", {"form": form, "appeal": appeal}, status=400
        )
    form = ViolationForm(
        initial={"submission_key": new_submission_key(), "found_on": timezone.localdate()},
        auto_id=VIOLATION_IDS,
    )
    return render(request, "supervision/violation_form.html", {"form": form, "appeal": appeal})


@require(Perm.SUPERVISION_WORK)
def violation_edit(request: SignedInRequest, violation_id: int) -> HttpResponse:
    user = request.user
    violation = access_violation(user=user, violation_id=violation_id, for_write=True, request=request)
    back = (
        reverse("supervision:inspection_detail", kwargs={"inspection_id": violation.inspection_id})
        if violation.inspection_id
        else reverse("appeals:detail", kwargs={"pk": violation.appeal_id})
    )
    if request.method == "POST":
        form = ViolationForm(request.POST, auto_id=VIOLATION_IDS)
        if form.is_valid():
            try:
                services.violation_update(
                    by=user, violation=violation, data=form.data_for_service(), request=request
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The violation is corrected."))
                return redirect(back)
        context = {"form": form, "violation": violation, "back": back}
        return render(request, "supervision/violation_form.html", context, status=400)
    form = ViolationForm(initial=ViolationForm.initial_from(violation), auto_id=VIOLATION_IDS)
    return render(
        request, "supervision/violation_form.html", {"form": form, "violation": violation, "back": back}
    )


urlpatterns = [
    path("inspections/", inspection_list, name="inspection_list"),
    path("inspections/new/", inspection_create, name="inspection_create"),
    path("inspections/<int:inspection_id>/", inspection_detail, name="inspection_detail"),
    path("inspections/<int:inspection_id>/edit/", inspection_edit, name="inspection_edit"),
    path("inspections/<int:inspection_id>/do/<slug:step>/", inspection_step, name="inspection_step"),
    path(
        "inspections/<int:inspection_id>/violations/new/",
        inspection_violation_new,
        name="inspection_violation_new",
    ),
    path("appeals/<int:appeal_id>/violations/new/", appeal_violation_new, name="appeal_violation_new"),
    path("violations/<int:violation_id>/edit/", violation_edit, name="violation_edit"),
]
