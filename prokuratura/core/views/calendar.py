"""The working-day calendar: the year view with its calculator, and the administrators' exception forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core import calendar as working_calendar
from prokuratura.core import services
from prokuratura.core.forms.calendar import (
    AddWorkingDaysForm,
    CalendarExceptionForm,
    CountWorkingDaysForm,
    YearForm,
)
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.models import CalendarException
from prokuratura.core.permissions import SignedInRequest, require
from prokuratura.core.reference_selectors import calendar_exception_list

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


def _bound_if_sent(form_class: type, data: Any, names: tuple[str, ...]) -> Any:
    """A GET form is bound only when one of its fields was sent, so an empty page shows no errors."""
    return form_class(data) if any(name in data for name in names) else form_class()


@require(Perm.VIEW_CALENDAR)
def calendar_year(request: SignedInRequest) -> HttpResponse:
    status = 200
    year = timezone.localdate().year
    year_form = _bound_if_sent(YearForm, request.GET, ("year",))
    if year_form.is_bound:
        if year_form.is_valid():
            year = year_form.cleaned_data["year"]
        else:
            status = 400

    add_form = _bound_if_sent(AddWorkingDaysForm, request.GET, ("start", "days"))
    added = None
    if add_form.is_bound:
        if add_form.is_valid():
            start, days = add_form.cleaned_data["start"], add_form.cleaned_data["days"]
            added = {"start": start, "days": days, "result": working_calendar.add_working_days(start, days)}
        else:
            status = 400

    count_form = _bound_if_sent(CountWorkingDaysForm, request.GET, ("date_from", "date_to"))
    counted = None
    if count_form.is_bound:
        if count_form.is_valid():
            first, last = count_form.cleaned_data["date_from"], count_form.cleaned_data["date_to"]
            counted = {"from": first, "to": last, "count": working_calendar.working_days_between(first, last)}
        else:
            status = 400

    overview = working_calendar.year_overview(year)
    context = {
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1,
        "overview": overview,
        "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        "exceptions": list(calendar_exception_list(user=request.user, year=year)),
        "year_form": year_form,
        "add_form": add_form,
        "added": added,
        "count_form": count_form,
        "counted": counted,
        "may_manage": request.user.has_perm(Perm.MANAGE_CALENDAR),
    }
    return render(request, "core/calendar.html", context, status=status)


def _access_exception(*, user: User, pk: int) -> CalendarException:
    """The row for an administrator (the views require MANAGE_CALENDAR, so everyone else already got 403)."""
    row = CalendarException.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _calendar_url(day: Any) -> str:
    return f"{reverse('core:calendar')}?year={day.year}"


def _exception_form(request: SignedInRequest, row: CalendarException | None) -> HttpResponse:
    # The form validates a copy so a rejected edit never changes the instance the service reads.
    instance = CalendarException.objects.get(pk=row.pk) if row else None
    form = CalendarExceptionForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in CalendarExceptionForm.Meta.fields}
            try:
                saved = services.calendar_exception_save(by=request.user, data=data, instance=row)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if row is None:
                    messages.success(request, _("The calendar exception was added."))
                else:
                    messages.success(request, _("The calendar exception was saved."))
                return redirect(_calendar_url(saved.date))
        status = 400
    return render(request, "core/calendar_exception_form.html", {"form": form, "row": row}, status=status)


@require(Perm.MANAGE_CALENDAR)
def calendar_exception_add(request: SignedInRequest) -> HttpResponse:
    return _exception_form(request, None)


@require(Perm.MANAGE_CALENDAR)
def calendar_exception_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _exception_form(request, _access_exception(user=request.user, pk=pk))


@require(Perm.MANAGE_CALENDAR)
@require_POST
def calendar_exception_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    row = _access_exception(user=request.user, pk=pk)
    day = row.date
    services.calendar_exception_delete(by=request.user, row=row)
    messages.success(
        request, _("The calendar exception for %(date)s was deleted.") % {"date": date_format(day, "d.m.Y")}
    )
    return redirect(_calendar_url(day))
