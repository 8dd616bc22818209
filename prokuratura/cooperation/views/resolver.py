"""The legal-basis resolver page: an officer's question (state, kind of cooperation, offence, date) and the
ordered answer with the reasons, warnings and sources. A GET form, so an answer can be bookmarked and shared."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.cache import never_cache

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.htmx import partial_requested
from prokuratura.core.permissions import require

from ..forms_resolver import ResolverForm
from ..resolver import Resolution, legal_basis_resolve, resolver_choices

RESULT_TARGET = "resolver-result"


@require(Perm.COOP_VIEW)
@never_cache
def resolver(request: HttpRequest) -> HttpResponse:
    asked = "kind" in request.GET
    form = ResolverForm(
        request.GET if asked else None,
        initial={"country": request.GET.get("country", "").upper()},
        choices=resolver_choices(),
        today=timezone.localdate(),
    )
    resolution: Resolution | None = None
    if asked and form.is_valid():
        try:
            resolution = legal_basis_resolve(**form.resolve_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
    context = {
        "form": form,
        "asked": asked,
        "resolution": resolution,
    }
    if partial_requested(request, RESULT_TARGET):
        # htmx swaps 2xx responses only, so the form's errors come with 200 here.
        return render(request, "cooperation/resolver_result.html", context)
    status = 400 if asked and resolution is None else 200
    return render(request, "cooperation/resolver.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("resolver/", resolver, name="resolver"),
]
