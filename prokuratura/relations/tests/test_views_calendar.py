"""The events calendar: the month grid with its filters and days off, bad months refused, a fixed number of queries,
and the .ics export (all-day VEVENTs; a restricted event named by its kind only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prokuratura.core.models import Sensitivity

from ..models import EventKind
from . import factories as f

pytestmark = pytest.mark.django_db


def _next_month() -> dt.date:
    return (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).replace(day=1)


def test_month_grid_filters_and_queries(client_for, cast, django_assert_max_num_queries):
    first = _next_month()
    osce = f.counterpart("osce", name_en="OSCE")
    talks = f.event(
        by=cast.intl_officer,
        held=False,
        start_date=first + dt.timedelta(days=2),
        end_date=first + dt.timedelta(days=2),
        title="Talks",
        principal=osce,
    )
    f.event(
        by=cast.intl_officer,
        held=False,
        start_date=first + dt.timedelta(days=3),
        end_date=first + dt.timedelta(days=3),
        kind=EventKind.TRAINING,
        title="Training",
        participants=[],
    )
    client = client_for(cast.intl_officer)
    month = first.strftime("%Y-%m")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("relations:calendar"), {"month": month})
    assert response.status_code == 200
    assert [e.title for e in response.context["month"].events] == ["Talks", "Training"]
    html = response.content.decode()
    assert reverse("relations:event_detail", args=[talks.pk]) in html and 'id="calendar-table"' in html
    only = client.get(reverse("relations:calendar"), {"month": month, "counterpart": osce.pk})
    assert [e.title for e in only.context["month"].events] == ["Talks"]
    previous = (first - dt.timedelta(days=1)).replace(day=1).strftime("%Y-%m")
    assert (
        f"month={previous}" in only.context["previous_query"]
        and f"counterpart={osce.pk}" in only.context["previous_query"]
    )


def test_bad_month_refused_and_the_current_month_shown(client_for, cast):
    response = client_for(cast.intl_officer).get(reverse("relations:calendar"), {"month": "2026-13"})
    assert response.status_code == 400
    assert response.context["month"].first == timezone.localdate().replace(day=1)
    assert client_for(cast.outsider).get(reverse("relations:calendar")).status_code == 403


def test_ics_export_of_the_month(client_for, cast):
    first = _next_month()
    f.event(
        by=cast.intl_officer,
        held=False,
        start_date=first + dt.timedelta(days=4),
        end_date=first + dt.timedelta(days=5),
        title="Visit; of the OSCE, in Astana",
        place="Astana",
    )
    f.event(
        by=cast.head_gpo,
        held=False,
        start_date=first + dt.timedelta(days=6),
        end_date=first + dt.timedelta(days=6),
        title="Confidential negotiation",
        kind=EventKind.NEGOTIATION,
        sensitivity=Sensitivity.RESTRICTED,
        place="Secret place",
    )
    response = client_for(cast.head_gpo).get(
        reverse("relations:calendar_ics"), {"month": first.strftime("%Y-%m")}
    )
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 2
    assert f"DTSTART;VALUE=DATE:{first + dt.timedelta(days=4):%Y%m%d}" in body
    assert f"DTEND;VALUE=DATE:{first + dt.timedelta(days=6):%Y%m%d}" in body  # the day after the last
    assert "SUMMARY:Visit\\; of the OSCE\\, in Astana" in body
    assert "Confidential negotiation" not in body and "Secret place" not in body
    assert "SUMMARY:Negotiation round" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
