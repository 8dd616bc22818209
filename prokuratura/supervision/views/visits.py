"""Visits to places of detention: the list, recording a visit, correcting it, and its page with the follow-up acts.
Visits are restricted by default: reading one is audited (access_visit), and who the record rule does not admit
gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.permissions import SignedInRequest, require
from prokuratura.core.views.records import (
    add_errors,
    new_submission_key,
    paginate,
    query_without_page,
    submission_key,
)

from .. import selectors, services
from ..access import access_visit, may_change_visit
from ..forms_records import VisitFilterForm, VisitForm


@require(Perm.SUPERVISION_VIEW)
def visit_list(request: SignedInRequest) -> HttpResponse:
    form = VisitFilterForm(request.GET or None, user=request.user)
    page = paginate(request, selectors.visit_list(user=request.user, filters=form.filters()))
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "supervision/visit_list.html", context, status=status)


@require(Perm.SUPERVISION_WORK)
def visit_create(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = VisitForm(request.POST, user=user)
        if form.is_valid():
            try:
                visit = services.visit_record(
                    by=user,
                    data=form.data_for_service(),
                    submission_key=submission_key(request, form),
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("supervision:visit_detail", visit_id=visit.pk)
        return render(request, "supervision/visit_form.html", {"form": form}, status=400)
    initial = {"submission_key": new_submission_key(), "visited_on": timezone.localdate()}
    form = VisitForm(user=user, initial=initial)
    return render(request, "supervision/visit_form.html", {"form": form})


@require(Perm.SUPERVISION_WORK)
def visit_edit(request: SignedInRequest, visit_id: int) -> HttpResponse:
    user = request.user
    visit = access_visit(user=user, visit_id=visit_id, for_write=True, request=request)
    context: dict[str, Any] = {"visit": visit}
    if request.method == "POST":
        form = VisitForm(request.POST, user=user, editing=True)
        if form.is_valid():
            try:
                services.visit_update(
                    by=user,
                    visit=visit,
                    data=form.data_for_service(current_sensitivity=visit.sensitivity),
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The visit's record is saved."))
                return redirect("supervision:visit_detail", visit_id=visit.pk)
        context["form"] = form
        return render(request, "supervision/visit_form.html", context, status=400)
    context["form"] = VisitForm(user=user, editing=True, initial=VisitForm.initial_from(visit))
    return render(request, "supervision/visit_form.html", context)


@require(Perm.SUPERVISION_VIEW)
def visit_detail(request: SignedInRequest, visit_id: int) -> HttpResponse:
    user = request.user
    visit = access_visit(user=user, visit_id=visit_id, request=request)
    context = {
        "visit": visit,
        "acts": list(selectors.visit_acts(user=user, visit=visit)),
        "may_change": may_change_visit(user=user, visit=visit),
    }
    return render(request, "supervision/visit_detail.html", context)


urlpatterns = [
    path("visits/", visit_list, name="visit_list"),
    path("visits/new/", visit_create, name="visit_create"),
    path("visits/<int:visit_id>/", visit_detail, name="visit_detail"),
    path("visits/<int:visit_id>/edit/", visit_edit, name="visit_edit"),
]
