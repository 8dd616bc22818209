"""Country profiles: what an officer needs to know before sending a request to a partner state, the instruments
that may apply, the profile's history; the international department edits the profiles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.permissions import SignedInRequest, require

from .. import selectors, services
from ..access import access_country
from ..forms import CountryOpenForm, CountryProfileForm, CountrySearchForm
from ..models import CountryProfile

PAGE_SIZE = 50


@require(Perm.COOP_VIEW)
def country_list(request: SignedInRequest) -> HttpResponse:
    choices = selectors.country_choices(user=request.user)
    open_form = CountryOpenForm(request.GET if "country" in request.GET else None, countries=choices)
    if open_form.is_bound and open_form.is_valid():
        return redirect("cooperation:country_detail", iso2=open_form.cleaned_data["country"])
    search = CountrySearchForm(request.GET)
    valid = search.is_valid() and not open_form.is_bound
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    paginator = Paginator(selectors.country_list(user=request.user, q=q), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "search": search,
        "open_form": open_form,
        "q": q,
        "query": urlencode({"q": q}) if q else "",
        "page": page,
        "countries": page.object_list,
    }
    return render(request, "cooperation/country_list.html", context, status=200 if valid else 400)


@require(Perm.COOP_VIEW)
def country_detail(request: SignedInRequest, iso2: str) -> HttpResponse:
    view = selectors.country_profile_get(user=request.user, iso2=iso2)
    if view.country.iso2 != iso2:
        return redirect("cooperation:country_detail", iso2=view.country.iso2)
    context = {
        "view": view,
        "profile": view.profile,
        "country": view.country,
        "resolver_url": reverse("cooperation:resolver") + "?" + urlencode({"country": view.country.iso2}),
    }
    return render(request, "cooperation/country_detail.html", context)


@require(Perm.COOP_EDIT_PROFILES)
def country_edit(request: SignedInRequest, iso2: str) -> HttpResponse:
    country = access_country(user=request.user, iso2=iso2, for_write=True)
    if country.iso2 != iso2:
        return redirect("cooperation:country_edit", iso2=country.iso2)
    profile = CountryProfile.objects.filter(country=country).first() or CountryProfile(
        country=country, version=0
    )
    form = CountryProfileForm(request.POST or None, profile=profile)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = services.country_profile_update(
                    by=request.user,
                    country=country,
                    data=form.profile_data(),
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
                if getattr(error, "code", None) == "stale":
                    status = 409
            else:
                if saved.version == form.cleaned_data["version"]:
                    messages.info(request, _("Nothing was changed."))
                else:
                    messages.success(
                        request,
                        _("The profile was saved as version %(version)d.") % {"version": saved.version},
                    )
                return redirect("cooperation:country_detail", iso2=country.iso2)
    context = {"form": form, "country": country, "profile": profile}
    return render(request, "cooperation/country_form.html", context, status=status)


@require(Perm.COOP_VIEW)
def country_history(request: SignedInRequest, iso2: str) -> HttpResponse:
    country, versions = selectors.country_profile_history(user=request.user, iso2=iso2)
    return render(request, "cooperation/country_history.html", {"country": country, "versions": versions})


urlpatterns: list[URLPattern] = [
    path("countries/", country_list, name="country_list"),
    path("countries/<str:iso2>/", country_detail, name="country_detail"),
    path("countries/<str:iso2>/edit/", country_edit, name="country_edit"),
    path("countries/<str:iso2>/history/", country_history, name="country_history"),
]
