"""The events', calendar's and tasks' reads: filters (the hierarchy walked down, a state through a participant,
special procedures only), visibility, the calendar's grid and days off, the tasks' scopes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prokuratura.core.models import CalendarException, Sensitivity

from .. import selectors
from ..models import CounterpartKind, EventKind, MandateKind, TaskStatus
from ..services import ParticipantData, task_add, task_complete
from . import factories as f

pytestmark = pytest.mark.django_db


def _visit(by, mandate, **values):
    values.setdefault("kind", EventKind.INCOMING_VISIT)
    values.setdefault("title", f"Visit of {mandate.code}")
    values.setdefault("participants", [])
    return f.event(by=by, principal=mandate, **values)


def test_counterpart_filter_includes_everything_below_it(cast):
    torture = f.un_mandate("sr-torture")
    osce = f.counterpart("osce", name_en="OSCE")
    visit = _visit(cast.intl_officer, torture, holder_name="Juan E. Méndez")
    meeting = f.event(by=cast.intl_officer, principal=osce, participants=[])
    un = torture.parent.parent
    family = selectors.counterpart_family_ids(un)
    assert {un.pk, torture.parent.pk, torture.pk} <= family and osce.pk not in family
    found = selectors.event_list(user=cast.intl_officer, filters=selectors.EventFilters(counterpart=un.pk))
    assert list(found) == [visit]
    # As a participant, the OSCE's meeting is found too; the visit is not.
    by_osce = selectors.event_list(
        user=cast.intl_officer, filters=selectors.EventFilters(counterpart=osce.pk)
    )
    assert list(by_osce) == [meeting]


def test_state_filter_reads_participants_and_the_place(cast):
    us = f.country("US")
    fr = f.country("FR", "France")
    with_us = f.event(by=cast.intl_officer, participants=[ParticipantData(country=us)], title="With the U.S.")
    in_france = f.event(by=cast.intl_officer, kind=EventKind.OUTGOING_VISIT, country=fr, title="Paris")
    other = f.event(by=cast.intl_officer, title="Other")
    filters = selectors.EventFilters
    assert list(selectors.event_list(user=cast.intl_officer, filters=filters(state="us"))) == [with_us]
    assert list(selectors.event_list(user=cast.intl_officer, filters=filters(state="FR"))) == [in_france]
    assert set(selectors.event_list(user=cast.intl_officer)) == {with_us, in_france, other}


def test_special_procedures_only_text_and_period(cast):
    today = timezone.localdate()
    sr = _visit(cast.intl_officer, f.un_mandate("sr-torture"), holder_name="Manfred Nowak")
    _visit(cast.intl_officer, f.un_mandate("spt", MandateKind.TREATY_BODY))  # a treaty body: counted apart
    old = f.event(
        by=cast.intl_officer,
        title="Consultations",
        start_date=today - dt.timedelta(days=400),
        end_date=today - dt.timedelta(days=399),
    )
    filters = selectors.EventFilters
    assert list(selectors.event_list(user=cast.intl_officer, filters=filters(special_procedures=True))) == [
        sr
    ]
    assert list(selectors.event_list(user=cast.intl_officer, filters=filters(q="nowak"))) == [sr]
    recent = filters(date_from=today - dt.timedelta(days=60))
    assert old not in selectors.event_list(user=cast.intl_officer, filters=recent)
    assert list(
        selectors.event_list(user=cast.intl_officer, filters=filters(year=old.start_date.year, q="consult"))
    ) == [old]


def test_lists_show_only_what_the_record_rule_allows(cast):
    internal = f.event(by=cast.intl_officer)
    restricted = f.event(by=cast.head_gpo, sensitivity=Sensitivity.RESTRICTED, title="Confidential")
    assert list(selectors.event_list(user=cast.outsider)) == []
    assert list(selectors.event_list(user=cast.intl_officer)) == [internal]
    assert set(selectors.event_list(user=cast.head_gpo)) == {internal, restricted}


def test_calendar_month_spreads_events_clips_them_and_names_days_off(cast):
    today = timezone.localdate()
    first = (today.replace(day=1) + dt.timedelta(days=70)).replace(day=1)
    last = selectors.month_last(first)
    spanning = f.event(
        by=cast.intl_officer,
        held=False,
        start_date=last - dt.timedelta(days=1),
        end_date=last + dt.timedelta(days=2),
        title="Across two months",
    )
    CalendarException.objects.create(
        date=first + dt.timedelta(days=9), kind="day_off", reason="Moved day off"
    )
    month = selectors.calendar_month(user=cast.intl_officer, first=first)
    days = {d.date: d for week in month.weeks for d in week if d}
    assert len(days) == last.day
    assert [d.date for d in days.values() if spanning in d.events] == [last - dt.timedelta(days=1), last]
    assert days[first + dt.timedelta(days=9)].day_off
    assert days[first + dt.timedelta(days=9)].day_off_name == "Moved day off"
    assert month.events == [spanning]
    assert month.previous < first < month.next


def test_calendar_names_statutory_holidays_and_marks_today(cast):
    month = selectors.calendar_month(user=cast.intl_officer, first=dt.date(2025, 1, 1))
    days = {d.date: d for week in month.weeks for d in week if d}
    assert days[dt.date(2025, 1, 1)].day_off_name == "New Year's Day"
    assert days[dt.date(2025, 1, 7)].day_off_name == "Orthodox Christmas"
    assert days[dt.date(2025, 1, 4)].day_off and days[dt.date(2025, 1, 4)].day_off_name == ""  # a Saturday
    assert not days[dt.date(2025, 1, 8)].day_off
    today = timezone.localdate()
    current = selectors.calendar_month(user=cast.intl_officer, first=today)
    assert [d.date for week in current.weeks for d in week if d and d.today] == [today]


def test_task_list_scopes_and_overdue(cast):
    event = f.event(by=cast.intl_officer)
    today = timezone.localdate()
    mine = task_add(by=cast.intl_officer, event=event, title="Mine", owner=cast.intl_officer, due_date=today)
    theirs = task_add(by=cast.intl_officer, event=event, title="Theirs", owner=cast.head_gpo, due_date=today)
    done = task_add(by=cast.intl_officer, event=event, title="Done", owner=cast.intl_officer, due_date=today)
    task_complete(by=cast.intl_officer, task=done, result="Done")
    assert list(selectors.task_list(user=cast.intl_officer)) == [mine, done]
    office = selectors.TaskFilters(scope=selectors.SCOPE_OFFICE)
    assert set(selectors.task_list(user=cast.intl_officer, filters=office)) == {mine, theirs, done}
    open_only = selectors.TaskFilters(status=TaskStatus.OPEN)
    assert list(selectors.task_list(user=cast.intl_officer, filters=open_only)) == [mine]
    # Nobody else's office: the Almaty prosecutor sees neither scope's tasks.
    assert list(selectors.task_list(user=cast.prosecutor_almaty, filters=office)) == []
    assert selectors.open_tasks_of(user=cast.intl_officer) == [mine]


def test_task_owner_choices_are_relations_workers_of_the_office_tree(cast):
    event = f.event(by=cast.intl_officer)
    owners = set(selectors.task_owner_choices(event=event))
    assert {cast.intl_officer, cast.head_gpo, cast.prosecutor_astana} <= owners
    assert cast.analyst not in owners and cast.outsider not in owners


def test_event_page_groups_participants_and_lists_visible_recommendations(cast):
    event = f.event(
        by=cast.intl_officer,
        participants=[
            ParticipantData(counterpart=f.domestic_agency(), side="kz"),
            ParticipantData(counterpart=f.counterpart("osce", CounterpartKind.ORGANISATION)),
        ],
    )
    f.recommendation(by=cast.intl_officer, event=event, issued_on=event.end_date)
    page = selectors.event_page(user=cast.intl_officer, event=event)
    assert [p.counterpart.code for p in page.kazakhstan] == ["gpo-kz"]
    assert [p.counterpart.code for p in page.partners] == ["osce"]
    assert len(page.recommendations) == 1
    assert [row.step for row in page.history] == ["create"]
