"""The legal-basis resolver page: an officer's question (state, kind of cooperation, offence, date) and the
ordered answer with the reasons, warnings and sources. A GET form, so an answer can be bookmarked and shared."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from prokuratura.accounts.roles import Perm
from prokuratura.core.permissions import require

from ..forms_resolver import ResolverForm
from ..resolver import Resolution, legal_basis_resolve, resolver_choices

RESULT_TARGET = "resolver-result"


def _url_or_none(name: str, *args: str) -> str | None:
    # The register and the profiles are built alongside the resolver; link to them only where they exist.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


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
            for name, messages in error.message_dict.items():
                form.add_error(name if name in form.fields else None, messages)
    context = {
        "form": form,
        "asked": asked,
        "resolution": resolution,
        "has_treaty_detail": _url_or_none("cooperation:treaty_detail", "code") is not None,
        "country_url": (
            _url_or_none("cooperation:country_detail", resolution.country) if resolution is not None else None
        ),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == RESULT_TARGET:
        # htmx swaps 2xx responses only, so the form's errors come with 200 here.
        return render(request, "cooperation/resolver_result.html", context)
    status = 400 if asked and resolution is None else 200
    return render(request, "cooperation/resolver.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("resolver/", resolver, name="resolver"),
]
