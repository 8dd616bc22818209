"""Offices and departments: the tree, one office's page, and the administrators' forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.accounts.selectors import user_list
from prokuratura.core import selectors, services
from prokuratura.core.access import access_department, access_office
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.forms.offices import DepartmentForm, OfficeFilterForm, OfficeForm
from prokuratura.core.models import Department, Office
from prokuratura.core.permissions import SignedInRequest, require

STAFF_SHOWN = 100


@require(Perm.VIEW_OFFICES)
def office_list(request: SignedInRequest) -> HttpResponse:
    form = OfficeFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    filters = form.cleaned_data if form.is_bound and valid else {}
    tree = selectors.office_tree(user=request.user, filters=filters)
    context = {"form": form, "tree": tree, "filtered": bool(filters and any(filters.values()))}
    return render(request, "core/office_list.html", context, status=200 if valid else 400)


@require(Perm.VIEW_OFFICES)
def office_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    office = access_office(user=request.user, office_id=pk)
    staff = user_list(user=request.user, filters={"office": office.pk})
    context = {
        "office": office,
        "ancestors": selectors.office_ancestors(office=office),
        "children": selectors.office_children(office=office),
        "departments": selectors.office_departments(office=office),
        "staff": list(staff[:STAFF_SHOWN]),
        "staff_total": staff.count(),
        "staff_shown": STAFF_SHOWN,
        "may_manage": request.user.has_perm(Perm.MANAGE_OFFICES),
    }
    return render(request, "core/office_detail.html", context)


def _office_form(request: SignedInRequest, office: Office | None) -> HttpResponse:
    # The form may change the instance it is given while validating; the service reads the office afresh.
    instance = Office.objects.get(pk=office.pk) if office else None
    form = OfficeForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in OfficeForm.Meta.fields}
            try:
                if office is None:
                    saved = services.office_create(by=request.user, data=data)
                    messages.success(request, _("The office was created."))
                else:
                    saved = services.office_update(by=request.user, office=office, data=data)
                    messages.success(request, _("The office was saved."))
                return redirect("core:office_detail", pk=saved.pk)
            except ValidationError as error:
                add_service_errors(form, error)
        status = 400
    return render(request, "core/office_form.html", {"form": form, "office": office}, status=status)


@require(Perm.MANAGE_OFFICES)
def office_add(request: SignedInRequest) -> HttpResponse:
    return _office_form(request, None)


@require(Perm.MANAGE_OFFICES)
def office_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    office = access_office(user=request.user, office_id=pk, for_write=True)
    return _office_form(request, office)


@require(Perm.MANAGE_OFFICES)
def department_add(request: SignedInRequest, pk: int) -> HttpResponse:
    office = access_office(user=request.user, office_id=pk, for_write=True)
    form = DepartmentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in DepartmentForm.Meta.fields} | {"office": office}
            try:
                services.department_create(by=request.user, data=data)
                messages.success(request, _("The department was created."))
                return redirect("core:office_detail", pk=office.pk)
            except ValidationError as error:
                add_service_errors(form, error)
        status = 400
    context = {"form": form, "office": office, "department": None}
    return render(request, "core/office_department_form.html", context, status=status)


@require(Perm.MANAGE_OFFICES)
def department_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    department = access_department(user=request.user, department_id=pk, for_write=True)
    # A copy for the form to change while validating; the service reads the department afresh.
    form = DepartmentForm(request.POST or None, instance=Department.objects.get(pk=department.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in DepartmentForm.Meta.fields}
            try:
                services.department_update(by=request.user, department=department, data=data)
                messages.success(request, _("The department was saved."))
                return redirect("core:office_detail", pk=department.office_id)
            except ValidationError as error:
                add_service_errors(form, error)
        status = 400
    context = {"form": form, "office": department.office, "department": department}
    return render(request, "core/office_department_form.html", context, status=status)
