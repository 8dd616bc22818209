"""Reads of reference data and calendar exceptions for the UI (every active staff member with the permission
sees all of it: reference data is not office-bound)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from prokuratura.accounts.roles import Perm

from .models import CalendarException, Country, CrimeCategory, Region

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


def _may(user: User, perm: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))


def name_field() -> str:
    """The name column of the active language (kk, ru or en)."""
    lang = (get_language() or "ru")[:2]
    return f"name_{lang}" if lang in {"kk", "ru", "en"} else "name_ru"


def country_list(*, user: User, q: str = "") -> QuerySet[Country]:
    """Countries by name in the active language; `q` matches an ISO code exactly or any name in part."""
    if not _may(user, Perm.VIEW_REFERENCE):
        return Country.objects.none()
    qs = Country.objects.order_by(name_field(), "iso2")
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(iso2__iexact=q)
            | Q(iso3__iexact=q)
            | Q(name_kk__icontains=q)
            | Q(name_ru__icontains=q)
            | Q(name_en__icontains=q)
        )
    return qs


def region_list(*, user: User) -> QuerySet[Region]:
    if not _may(user, Perm.VIEW_REFERENCE):
        return Region.objects.none()
    return Region.objects.order_by("kato_code")


def crime_category_list(*, user: User, kind: str | None = None) -> QuerySet[CrimeCategory]:
    if not _may(user, Perm.VIEW_REFERENCE):
        return CrimeCategory.objects.none()
    qs = CrimeCategory.objects.order_by("kind", "ordering", "code")
    return qs.filter(kind=kind) if kind else qs


def calendar_exception_list(*, user: User, year: int) -> QuerySet[CalendarException]:
    if not _may(user, Perm.VIEW_CALENDAR):
        return CalendarException.objects.none()
    return CalendarException.objects.filter(date__year=year).order_by("date")
