"""Reference data pages: countries, Kazakhstan's regions, crime categories."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from prokuratura.accounts.roles import Perm
from prokuratura.core import reference_selectors as selectors
from prokuratura.core.forms.reference import CountrySearchForm
from prokuratura.core.models import CrimeCategory
from prokuratura.core.permissions import SignedInRequest, require

COUNTRIES_PER_PAGE = 50


@require(Perm.VIEW_REFERENCE)
def reference_index(request: SignedInRequest) -> HttpResponse:
    context = {
        "country_count": selectors.country_list(user=request.user).count(),
        "region_count": selectors.region_list(user=request.user).count(),
        "crime_category_count": selectors.crime_category_list(user=request.user).count(),
    }
    return render(request, "core/reference_index.html", context)


@require(Perm.VIEW_REFERENCE)
def country_list(request: SignedInRequest) -> HttpResponse:
    form = CountrySearchForm(request.GET)
    valid = form.is_valid()
    q = form.cleaned_data.get("q", "") if valid else ""
    paginator = Paginator(selectors.country_list(user=request.user, q=q), COUNTRIES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "q": q,
        "query": urlencode({"q": q}) if q else "",
        "page": page,
        "countries": page.object_list,
    }
    return render(request, "core/country_list.html", context, status=200 if valid else 400)


@require(Perm.VIEW_REFERENCE)
def region_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request, "core/region_list.html", {"regions": list(selectors.region_list(user=request.user))}
    )


@require(Perm.VIEW_REFERENCE)
def crime_category_list(request: SignedInRequest) -> HttpResponse:
    categories = list(selectors.crime_category_list(user=request.user))
    context = {
        "sections": [c for c in categories if c.kind == CrimeCategory.Kind.ICCS_SECTION],
        "focus_areas": [c for c in categories if c.kind == CrimeCategory.Kind.FOCUS_AREA],
    }
    return render(request, "core/crime_category_list.html", context)
