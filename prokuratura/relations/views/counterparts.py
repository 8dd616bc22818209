"""Pages: the organisations and counterparts (the hierarchy, a counterpart's page, the administrators' add and edit
forms) and the topics.

Everyone who works with international relations reads them (`relations.view`); administrators
(`relations.manage`) add and correct counterparts through `services.counterparts`, audited.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.permissions import SignedInRequest, require, user_may

from .. import counterpart_selectors as selectors
from ..forms_counterparts import CounterpartForm
from ..models import Counterpart, CounterpartKind
from ..services.counterparts import counterpart_create, counterpart_update


@require(Perm.RELATIONS_VIEW)
def counterpart_list(request: SignedInRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in CounterpartKind.values:
        kind = ""
    q = request.GET.get("q", "").strip()[: selectors.MAX_QUERY]
    rows = selectors.counterpart_tree(user=request.user, kind=kind, q=q)
    context = {
        "rows": rows,
        "kind": kind,
        "q": q,
        "kinds": CounterpartKind.choices,
        "filtered": bool(kind or q),
        "matched": sum(1 for row in rows if row.matched),
        "may_manage": user_may(request.user, Perm.RELATIONS_MANAGE),
    }
    return render(request, "relations/counterparts/list.html", context)


@require(Perm.RELATIONS_VIEW)
def counterpart_detail(request: SignedInRequest, counterpart_id: int) -> HttpResponse:
    counterpart = selectors.counterpart_get(user=request.user, counterpart_id=counterpart_id)
    context = {
        "summary": selectors.counterpart_summary(user=request.user, counterpart=counterpart),
        "counterpart": counterpart,
        "may_manage": user_may(request.user, Perm.RELATIONS_MANAGE),
    }
    return render(request, "relations/counterparts/detail.html", context)


def _counterpart_form(request: SignedInRequest, counterpart: Counterpart | None) -> HttpResponse:
    form = CounterpartForm(request.POST or None, instance=copy.copy(counterpart) if counterpart else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if counterpart is None:
                    saved = counterpart_create(by=request.user, data=form.data_for_service(), request=request)
                    messages.success(request, _("The counterpart was added."))
                else:
                    saved = counterpart_update(
                        by=request.user,
                        counterpart=counterpart,
                        data=form.data_for_service(),
                        request=request,
                    )
                    messages.success(request, _("The counterpart was saved."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("relations:counterpart_detail", counterpart_id=saved.pk)
        status = 400
    return render(
        request, "relations/counterparts/form.html", {"form": form, "counterpart": counterpart}, status=status
    )


@require(Perm.RELATIONS_MANAGE)
def counterpart_add(request: SignedInRequest) -> HttpResponse:
    return _counterpart_form(request, None)


@require(Perm.RELATIONS_MANAGE)
def counterpart_edit(request: SignedInRequest, counterpart_id: int) -> HttpResponse:
    counterpart = selectors.counterpart_get(user=request.user, counterpart_id=counterpart_id)
    return _counterpart_form(request, counterpart)


@require(Perm.RELATIONS_VIEW)
def topic_list(request: SignedInRequest) -> HttpResponse:
    groups = selectors.topic_groups(user=request.user)
    return render(request, "relations/counterparts/topics.html", {"groups": groups})


urlpatterns: list[URLPattern] = [
    path("counterparts/", counterpart_list, name="counterpart_list"),
    path("counterparts/new/", counterpart_add, name="counterpart_add"),
    path("counterparts/<int:counterpart_id>/", counterpart_detail, name="counterpart_detail"),
    path("counterparts/<int:counterpart_id>/edit/", counterpart_edit, name="counterpart_edit"),
    path("topics/", topic_list, name="topic_list"),
]
