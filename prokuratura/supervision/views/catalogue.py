"""The supervision catalogue: the act types with their time limits as law as data (each row's legal source and
whether it was verified against the law's text), the texts acts start from, and the places of detention.

Everyone who reads reference data (`core.view_reference`: prosecutors, heads, analysts, auditors, administrators)
reads the catalogue — a prosecutor should see which limits are not yet confirmed. Administrators
(`supervision.manage`) correct a type with a source (audited, shown in the type's history), edit its templates and
keep the list of places of detention.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.letters import sheet_html
from prokuratura.core.models import Region
from prokuratura.core.permissions import SignedInRequest, require, user_may

from .. import selectors_catalogue as catalogue
from .. import services
from ..forms_catalogue import ActTemplateForm, ActTypeCorrectionForm, FacilityForm
from ..models import LETTER_LANGUAGES, Facility
from ..services.act_letters import act_template_preview

LANGUAGES = dict(LETTER_LANGUAGES)


def _may_manage(request: SignedInRequest) -> bool:
    """Whether to offer the administrators' links (the views behind them check it again)."""
    return user_may(request.user, Perm.SUPERVISION_MANAGE)


# --- act types ---------------------------------------------------------------------------------------------------


@require(Perm.VIEW_REFERENCE)
def act_type_list(request: SignedInRequest) -> HttpResponse:
    rows = catalogue.act_type_catalogue(user=request.user)
    context = {
        "rows": rows,
        "any_unverified": any(not row.verified for row in rows),
        "may_manage": _may_manage(request),
    }
    return render(request, "supervision/catalogue.html", context)


@require(Perm.VIEW_REFERENCE)
def act_type_detail(request: SignedInRequest, code: str) -> HttpResponse:
    act_type = catalogue.act_type_get(user=request.user, code=code)
    context = {
        "act_type": act_type,
        "templates": catalogue.template_cells(act_type),
        "history": catalogue.act_type_history(user=request.user, act_type=act_type),
        "may_manage": _may_manage(request),
    }
    return render(request, "supervision/act_type_detail.html", context)


@require(Perm.SUPERVISION_MANAGE)
def act_type_edit(request: SignedInRequest, code: str) -> HttpResponse:
    act_type = catalogue.act_type_get(user=request.user, code=code)
    # The form validates a copy, so a refused correction never changes the row the service reads.
    form = ActTypeCorrectionForm(request.POST or None, instance=copy.copy(act_type))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if not form.changes_anything():
                messages.info(request, _("Nothing was changed."))
                return redirect("supervision:act_type_detail", code=act_type.code)
            try:
                services.act_type_update(
                    by=request.user,
                    act_type=act_type,
                    changes=form.changes(),
                    source=form.cleaned_data["source"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The correction was saved and recorded in the audit trail."))
                return redirect("supervision:act_type_detail", code=act_type.code)
        status = 400
    context = {
        "act_type": act_type,
        "form": form,
        "history": catalogue.act_type_history(user=request.user, act_type=act_type),
    }
    return render(request, "supervision/act_type_form.html", context, status=status)


@require(Perm.SUPERVISION_MANAGE)
def act_template_edit(request: SignedInRequest, code: str, language: str) -> HttpResponse:
    """The text acts of a type start from, in one language. "Preview" shows the letter it makes on made-up facts
    without saving; "Save" saves it (audited). Acts already drafted keep their own text."""
    if language not in LANGUAGES:
        raise Http404
    act_type = catalogue.act_type_get(user=request.user, code=code)
    template = act_type.templates_by_language.get(language)  # type: ignore[attr-defined]
    initial = {"subject": template.subject, "body": template.body} if template else {}
    form = ActTemplateForm(request.POST or None, initial=initial, language=language)
    status = 200
    preview = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if "preview" in request.POST:
                    preview = sheet_html(
                        act_template_preview(
                            act_type=act_type,
                            language=language,
                            subject=data["subject"],
                            body=data["body"],
                            office=request.user.office,
                        )
                    )
                else:
                    services.act_template_save(
                        by=request.user,
                        act_type=act_type,
                        language=language,
                        subject=data["subject"],
                        body=data["body"],
                        request=request,
                    )
                    messages.success(request, _("The template was saved."))
                    return redirect("supervision:act_type_detail", code=act_type.code)
            except ValidationError as error:
                add_service_errors(form, error)
        if not form.is_valid():
            status = 400
    context = {
        "act_type": act_type,
        "template": template,
        "form": form,
        "language": language,
        "language_name": LANGUAGES[language],
        "preview": preview,
    }
    return render(request, "supervision/act_template_form.html", context, status=status)


# --- places of detention ------------------------------------------------------------------------------------------


@dataclass
class RegionGroup:
    region: Region
    facilities: list[Facility]


@require(Perm.VIEW_REFERENCE)
def facility_list(request: SignedInRequest) -> HttpResponse:
    regions = list(catalogue.facility_regions(user=request.user))
    chosen = request.GET.get("region", "")
    region = next((r for r in regions if str(r.pk) == chosen), None)
    rows = list(catalogue.facility_catalogue(user=request.user, region=region))
    groups: list[RegionGroup] = []
    for row in rows:
        if not groups or groups[-1].region != row.region:
            groups.append(RegionGroup(region=row.region, facilities=[]))
        groups[-1].facilities.append(row)
    context = {
        "regions": regions,
        "region": region,
        "groups": groups,
        "total": len(rows),
        "may_manage": _may_manage(request),
    }
    return render(request, "supervision/facility_list.html", context)


def _facility_form(request: SignedInRequest, facility_id: int | None) -> HttpResponse:
    facility = catalogue.facility_get(user=request.user, facility_id=facility_id) if facility_id else None
    form = FacilityForm(request.POST or None, instance=copy.copy(facility) if facility else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.facility_save(
                    by=request.user, data=form.data_for_service(), facility=facility, request=request
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if facility is None:
                    messages.success(request, _("The place of detention was added."))
                else:
                    messages.success(request, _("The place of detention was saved."))
                return redirect("supervision:facility_list")
        status = 400
    return render(
        request, "supervision/facility_form.html", {"form": form, "facility": facility}, status=status
    )


@require(Perm.SUPERVISION_MANAGE)
def facility_add(request: SignedInRequest) -> HttpResponse:
    return _facility_form(request, None)


@require(Perm.SUPERVISION_MANAGE)
def facility_edit(request: SignedInRequest, facility_id: int) -> HttpResponse:
    return _facility_form(request, facility_id)


urlpatterns: list[URLPattern] = [
    path("catalogue/", act_type_list, name="catalogue"),
    path("catalogue/act-types/<slug:code>/", act_type_detail, name="act_type_detail"),
    path("catalogue/act-types/<slug:code>/correct/", act_type_edit, name="act_type_edit"),
    path(
        "catalogue/act-types/<slug:code>/templates/<slug:language>/",
        act_template_edit,
        name="act_template_edit",
    ),
    path("catalogue/facilities/", facility_list, name="facility_list"),
    path("catalogue/facilities/new/", facility_add, name="facility_add"),
    path("catalogue/facilities/<int:facility_id>/edit/", facility_edit, name="facility_edit"),
]
