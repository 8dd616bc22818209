"""User and role administration: who works where, with which roles, and which roles must use 2FA."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from prokuratura.accounts import selectors, services
from prokuratura.accounts.forms.admin import RolePolicyForm, UserFilterForm, UserForm
from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.core.access import access_user
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.permissions import SignedInRequest, require

PAGE_SIZE = 50


@require(Perm.VIEW_USERS)
def user_list(request: SignedInRequest) -> HttpResponse:
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    form = UserFilterForm(params or None)
    valid = form.is_valid() if form.is_bound else True
    filters = form.cleaned_data if form.is_bound and valid else {}
    if filters.get("office"):
        filters = filters | {"office": filters["office"].pk}
    users = selectors.user_list(user=request.user, filters=filters)
    page = Paginator(users, PAGE_SIZE).get_page(page_number)
    context = {"form": form, "page": page, "query": params.urlencode()}
    return render(request, "accounts/user_list.html", context, status=200 if valid else 400)


@require(Perm.VIEW_USERS)
def user_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    person = access_user(user=request.user, user_id=pk)
    context = {
        "person": person,
        "has_2fa": user_has_device(person, confirmed=True),
        "may_manage": request.user.has_perm(Perm.MANAGE_USERS),
    }
    return render(request, "accounts/user_detail.html", context)


@require(Perm.MANAGE_USERS)
def user_add(request: SignedInRequest) -> HttpResponse:
    form = UserForm(request.POST or None, creating=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                person = services.user_create(
                    by=request.user,
                    data=form.user_data(),
                    roles=set(form.cleaned_data["roles"]),
                    password=None if form.cleaned_data["no_password"] else form.cleaned_data["password"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The account was created."))
                return redirect("accounts:user_detail", pk=person.pk)
        status = 400
    return render(request, "accounts/user_form.html", {"form": form, "person": None}, status=status)


@require(Perm.MANAGE_USERS)
def user_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    person = access_user(user=request.user, user_id=pk, for_write=True)
    form = UserForm(request.POST or None, initial=UserForm.initial_for(person))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.user_update(
                    by=request.user,
                    user=person,
                    data=form.user_data(),
                    roles=set(form.cleaned_data["roles"]),
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The account was saved."))
                return redirect("accounts:user_detail", pk=person.pk)
        status = 400
    return render(request, "accounts/user_form.html", {"form": form, "person": person}, status=status)


@require(Perm.MANAGE_USERS)
@require_POST
def user_reset_2fa(request: SignedInRequest, pk: int) -> HttpResponse:
    person: User = access_user(user=request.user, user_id=pk, for_write=True)
    removed = services.user_reset_2fa(by=request.user, user=person, request=request)
    if removed:
        messages.success(
            request,
            _(
                "Two-factor authentication was reset. %(name)s will set it up again at the next sign-in if a role requires it."
            )
            % {"name": person.full_name},
        )
    else:
        messages.info(request, _("%(name)s had no two-factor device.") % {"name": person.full_name})
    return redirect("accounts:user_detail", pk=person.pk)


@require(Perm.MANAGE_ROLE_POLICY)
def role_policies(request: SignedInRequest) -> HttpResponse:
    form = RolePolicyForm(request.POST or None, policies=selectors.role_policy_list())
    if request.method == "POST" and form.is_valid():
        services.role_policies_set(by=request.user, policies=form.choices(), request=request)
        messages.success(request, _("The role policies were saved."))
        return redirect("accounts:role_policies")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/role_policies.html", {"form": form}, status=status)
