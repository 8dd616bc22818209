"""The events calendar: a month grid (`?month=2026-12`, with the list's kind, state and counterpart filters), the
month's events as a table below it for screen readers, the days off of core's working-day calendar shaded with
their names; and the filtered month as an iCalendar file (RFC 5545) for the department's calendar application."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.models import Sensitivity
from prokuratura.core.permissions import SignedInRequest, require
from prokuratura.core.views.records import query_without_page

from .. import selectors
from ..forms import MONTH_FORMAT, CalendarFilterForm
from ..models import Event, EventStatus

ICS_LINE = 75  # octets a content line may have before it is folded (RFC 5545 §3.1)


def _month_query(request: SignedInRequest, first: dt.date) -> str:
    """The page's query with another month (the previous/next links keep the filters)."""
    params = request.GET.copy()
    params.pop("page", None)
    params["month"] = first.strftime(MONTH_FORMAT)
    return params.urlencode()


@require(Perm.RELATIONS_VIEW)
def calendar_month(request: SignedInRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET or None, choices=selectors.event_choices())
    today = timezone.localdate()
    month = selectors.calendar_month(user=request.user, first=form.month_first(today), filters=form.filters())
    context = {
        "form": form,
        "month": month,
        "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        "previous_query": _month_query(request, month.previous),
        "next_query": _month_query(request, month.next),
        "ics_query": _month_query(request, month.first),
        "this_month_query": _month_query(request, today.replace(day=1)),
        "query": query_without_page(request),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "relations/calendar/month.html", context, status=status)


# --- iCalendar -----------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line longer than 75 octets (a continuation starts with a space), never inside a character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = ICS_LINE if not out else ICS_LINE - 1
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _vevent(event: Event, *, url: str, stamp: str, host: str) -> list[str]:
    """An all-day VEVENT. A restricted event leaves the system as its kind and dates only (the file is read in
    another application)."""
    restricted = event.sensitivity == Sensitivity.RESTRICTED
    summary = event.get_kind_display() if restricted else event.title
    if event.status == EventStatus.CANCELLED:
        summary = _("%(title)s (cancelled)") % {"title": summary}
    lines = [
        "BEGIN:VEVENT",
        f"UID:relations-event-{event.pk}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.start_date:%Y%m%d}",
        # DTEND of an all-day event is the day after its last day (non-inclusive).
        f"DTEND;VALUE=DATE:{event.end_date + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"STATUS:{'CANCELLED' if event.status == EventStatus.CANCELLED else 'CONFIRMED'}",
        f"CATEGORIES:{_escape(event.get_kind_display())}",
        f"URL:{url}",
    ]
    if event.place and not restricted:
        lines.append(f"LOCATION:{_escape(event.place)}")
    lines.append("END:VEVENT")
    return lines


@require(Perm.RELATIONS_VIEW)
def calendar_ics(request: SignedInRequest) -> HttpResponse:
    """The filtered month's events as all-day VEVENTs (text/calendar)."""
    form = CalendarFilterForm(request.GET or None, choices=selectors.event_choices())
    first = form.month_first(timezone.localdate())
    events = selectors.events_between(
        user=request.user, start=first, end=selectors.month_last(first), filters=form.filters()
    )
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = request.get_host().split(":")[0] or "prokuratura"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//prokuratura//relations//EN", "CALSCALE:GREGORIAN"]
    for event in events:
        url = request.build_absolute_uri(reverse("relations:event_detail", kwargs={"pk": event.pk}))
        lines += _vevent(event, url=url, stamp=stamp, host=host)
    lines.append("END:VCALENDAR")
    body = "\r\n".join(_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="events-{first:%Y-%m}.ics"'
    return response


urlpatterns: list[URLPattern] = [
    path("calendar/", calendar_month, name="calendar"),
    path("calendar/events.ics", calendar_ics, name="calendar_ics"),
]
