"""Reads of meetings and visits, the calendar and the follow-up tasks, for the acting user. Visibility is the record
rule of relations.access (events_visible_q, tasks_visible_q), decided here once, so a list, the calendar and its
.ics export never show what the event's page would refuse.

The projects' and recommendations' reads are in project_selectors.py and recommendation_selectors.py.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import office_subtree_q
from prokuratura.core.calendar import WorkingCalendar, statutory_is_working_day
from prokuratura.core.models import CalendarException

from .access import events_visible_q, recommendations_visible_q, tasks_visible_q
from .models import (
    SPECIAL_PROCEDURES,
    Agreement,
    Counterpart,
    CounterpartKind,
    Event,
    EventDocument,
    EventKind,
    EventTransition,
    Figure,
    FollowUpTask,
    Participant,
    ParticipantSide,
    Recommendation,
    TaskTransition,
)
from .transitions import TASK_OPEN

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


# --- the counterparts' hierarchy -------------------------------------------------------------------------------


def family_ids(pairs: Iterable[tuple[int, int | None]], root: int) -> set[int]:
    """`root` and every id below it, given the hierarchy as (id, parent id) pairs."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in pairs:
        children.setdefault(parent, []).append(pk)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:  # the services keep the tree acyclic; this keeps a bad row from looping
                found.add(child)
                todo.append(child)
    return found


def counterpart_family_ids(counterpart: Counterpart | int) -> set[int]:
    """The counterpart and everything below it in the hierarchy (the UN → its bodies → their mandates), read with
    one query over the reference table (a few hundred rows)."""
    root = counterpart if isinstance(counterpart, int) else counterpart.pk
    return family_ids(Counterpart.objects.order_by().values_list("pk", "parent_id"), root)


def counterpart_choices() -> list[Counterpart]:
    """The active counterparts for the forms' selects, by kind, with their parents (one query)."""
    return list(
        Counterpart.objects.filter(is_active=True)
        .select_related("parent")
        .order_by("kind", "ordering", "name_en")
    )


# --- meetings and visits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    """What the list and the calendar filter by (all optional): free text over the title, place, mandate holder
    and summary; kind, status, a period the event overlaps (or a year), a state (the country it took place in or a
    participant's), a counterpart with everything below it (principal, host or participant), a topic, and only the
    visits of UN special procedures."""

    q: str = ""
    kind: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    year: int | None = None
    state: str = ""  # ISO alpha-2
    counterpart: int | None = None
    topic: str = ""  # Topic.code
    special_procedures: bool = False


def _words(q: str) -> list[str]:
    return [w for w in q.split() if w][:10]


def _filtered(qs: QuerySet[Event], f: EventFilters) -> QuerySet[Event]:
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.date_from:
        qs = qs.filter(end_date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(start_date__lte=f.date_to)
    if f.year:
        qs = qs.filter(start_date__lte=dt.date(f.year, 12, 31), end_date__gte=dt.date(f.year, 1, 1))
    if f.state:
        state = f.state.upper()
        took_part = Participant.objects.filter(event=OuterRef("pk"), country_id=state)
        qs = qs.filter(Q(country_id=state) | Exists(took_part))
    if f.counterpart:
        family = counterpart_family_ids(f.counterpart)
        took_part = Participant.objects.filter(event=OuterRef("pk"), counterpart_id__in=family)
        qs = qs.filter(Q(principal_id__in=family) | Q(host_id__in=family) | Exists(took_part))
    if f.topic:
        qs = qs.filter(topics__code=f.topic)
    if f.special_procedures:
        qs = qs.filter(
            kind=EventKind.INCOMING_VISIT,
            principal__kind=CounterpartKind.MANDATE,
            principal__mandate_kind__in=SPECIAL_PROCEDURES,
        )
    for word in _words(f.q):
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(place__icontains=word)
            | Q(holder_name__icontains=word)
            | Q(summary__icontains=word)
        )
    return qs


def event_list(*, user: User, filters: EventFilters | None = None) -> QuerySet[Event]:
    """The events the user may see, newest first, with what the list's columns show."""
    qs = Event.objects.filter(events_visible_q(user=user))
    qs = _filtered(qs, filters or EventFilters())
    return qs.select_related("country", "principal", "host").order_by("-start_date", "-id")


def events_between(
    *, user: User, start: dt.date, end: dt.date, filters: EventFilters | None = None
) -> list[Event]:
    """The events the user may see that overlap [start, end] (the calendar's month), earliest first."""
    qs = Event.objects.filter(events_visible_q(user=user), start_date__lte=end, end_date__gte=start)
    qs = _filtered(qs, filters or EventFilters())
    return list(qs.select_related("country", "principal").order_by("start_date", "end_date", "id"))


@dataclass
class EventPage:
    """Everything the event's page shows, read once."""

    event: Event
    kazakhstan: list[Participant]
    partners: list[Participant]
    agreements: list[Agreement]
    figures: list[Figure]
    documents: list[EventDocument]
    tasks: list[FollowUpTask]
    recommendations: list[Recommendation]
    topics: list[Any]
    history: list[EventTransition]


def event_page(*, user: User, event: Event) -> EventPage:
    """The event's page for `user`, who already passed access_event. Its recommendations are those the user may
    see (their own record rule)."""
    participants = list(event.participants.select_related("country", "counterpart__parent"))
    today = timezone.localdate()
    tasks = list(event.tasks.select_related("owner__office").order_by("due_date", "id"))
    for task in tasks:
        task.is_overdue = task.status in TASK_OPEN and task.due_date < today  # type: ignore[attr-defined]
    return EventPage(
        event=event,
        kazakhstan=[p for p in participants if p.side == ParticipantSide.KAZAKHSTAN],
        partners=[p for p in participants if p.side != ParticipantSide.KAZAKHSTAN],
        agreements=list(event.agreements.select_related("instrument")),
        figures=list(event.figures.all()),
        documents=list(event.documents.select_related("created_by")),
        tasks=tasks,
        recommendations=list(
            Recommendation.objects.filter(recommendations_visible_q(user=user), event=event)
            .select_related("source", "theme")
            .order_by("issued_on", "id")
        ),
        topics=list(event.topics.all()),
        history=list(event.transitions.select_related("by").order_by("at", "id")),
    )


def event_participants(*, event: Event) -> list[Participant]:
    return list(event.participants.select_related("country", "counterpart"))


def event_document_get(*, event: Event, document_id: int) -> EventDocument | None:
    """One of the event's documents (the caller checked the event with access_event)."""
    return event.documents.filter(pk=document_id).first()


# --- the calendar ------------------------------------------------------------------------------------------------

# The `holidays` package's English names of Kazakhstan's days off, in the catalogues' words (the package has no
# Russian names); a day it names otherwise is called a day off.
HOLIDAY_NAMES: dict[str, Any] = {
    "New Year's Day": _("New Year's Day"),
    "Orthodox Christmas": _("Orthodox Christmas"),
    "International Women's Day": _("International Women's Day"),
    "Nowruz Holiday": _("Nauryz"),
    "Kazakhstan's People Solidarity Holiday": _("Kazakhstan People's Unity Day"),
    "Defender of the Fatherland Day": _("Defender of the Fatherland Day"),
    "Victory Day": _("Victory Day"),
    "Capital Day": _("Capital Day"),
    "Eid al-Adha": _("Kurban Ait"),
    "Constitution Day": _("Constitution Day"),
    "Republic Day": _("Republic Day"),
    "Independence Day": _("Independence Day"),
    "First President Day": _("First President Day"),
}


def _holiday_name(english: str) -> str:
    names = []
    for part in english.split("; "):
        base = part.split(" (")[0]
        names.append(str(HOLIDAY_NAMES.get(base, _("Day off"))))
    return "; ".join(dict.fromkeys(names))


def days_off_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """The non-working days in [start, end] with their names: an administrator's calendar exception names its day
    (its reason in the reader's language), a statutory holiday its holiday, a weekend "" (one query)."""
    import holidays as holidays_lib

    calendar = WorkingCalendar(start, end)
    exceptions = {
        row.date: row
        for row in CalendarException.objects.filter(
            date__gte=start, date__lte=end, kind=CalendarException.Kind.DAY_OFF
        )
    }
    statutory = holidays_lib.country_holidays("KZ", years=range(start.year, end.year + 1), language="en_US")
    found: dict[dt.date, str] = {}
    day = start
    while day <= end:
        if not calendar.is_working_day(day):
            if day in exceptions:
                found[day] = exceptions[day].note
            elif day in statutory and not statutory_is_working_day(day):
                found[day] = _holiday_name(statutory[day])
            else:
                found[day] = ""
        day += dt.timedelta(days=1)
    return found


@dataclass
class CalendarDay:
    date: dt.date
    events: list[Event] = field(default_factory=list)
    day_off: bool = False
    day_off_name: str = ""
    today: bool = False


@dataclass
class CalendarMonth:
    first: dt.date
    last: dt.date
    weeks: list[list[CalendarDay | None]]  # Monday-first rows; None pads the neighbouring months' days
    events: list[Event]  # every event of the month, earliest first (the list below the grid)

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return self.last + dt.timedelta(days=1)


def month_last(first: dt.date) -> dt.date:
    return first.replace(day=std_calendar.monthrange(first.year, first.month)[1])


def calendar_month(*, user: User, first: dt.date, filters: EventFilters | None = None) -> CalendarMonth:
    """The month starting at `first` as a grid of weeks: each day with the events on it (an event of several days
    on each of its days, clipped to the month), the days off with their names, today marked."""
    first = first.replace(day=1)
    last = month_last(first)
    events = events_between(user=user, start=first, end=last, filters=filters)
    days_off = days_off_between(first, last)
    today = timezone.localdate()
    days = {
        first + dt.timedelta(days=n): CalendarDay(first + dt.timedelta(days=n))
        for n in range((last - first).days + 1)
    }
    for day in days.values():
        day.day_off = day.date in days_off
        day.day_off_name = days_off.get(day.date, "")
        day.today = day.date == today
    for event in events:
        day_date = max(event.start_date, first)
        while day_date <= min(event.end_date, last):
            days[day_date].events.append(event)
            day_date += dt.timedelta(days=1)
    weeks: list[list[CalendarDay | None]] = []
    for week in std_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append([days.get(d) if d.month == first.month else None for d in week])
    return CalendarMonth(first=first, last=last, weeks=weeks, events=events)


# --- follow-up tasks ---------------------------------------------------------------------------------------------

SCOPE_MINE, SCOPE_OFFICE = "mine", "office"


@dataclass(frozen=True)
class TaskFilters:
    """The tasks list: "mine" (I own them) or "office" (the tasks of my office's events and the offices below,
    that I may see); a status, or only the open ones overdue."""

    scope: str = SCOPE_MINE
    status: str = ""
    overdue: bool = False


def task_list(*, user: User, filters: TaskFilters | None = None) -> QuerySet[FollowUpTask]:
    f = filters or TaskFilters()
    qs = FollowUpTask.objects.filter(tasks_visible_q(user=user))
    if f.scope == SCOPE_OFFICE and user.office is not None:
        qs = qs.filter(office_subtree_q(field="event__office", office=user.office))
    else:
        qs = qs.filter(owner=user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(status__in=TASK_OPEN, due_date__lt=timezone.localdate())
    return qs.select_related("event", "owner__office").order_by("due_date", "id")


def open_tasks_of(*, user: User, limit: int = 5) -> list[FollowUpTask]:
    """The user's own open tasks, soonest due first (the home page's card)."""
    return list(
        FollowUpTask.objects.filter(owner=user, status__in=TASK_OPEN)
        .select_related("event")
        .order_by("due_date", "id")[:limit]
    )


def task_history(*, task: FollowUpTask) -> QuerySet[TaskTransition]:
    return task.transitions.select_related("by").order_by("at", "id")


def task_owner_choices(*, event: Event) -> QuerySet[User]:
    """Who may own a follow-up task of the event: active users holding `relations.work` in the event's office and
    the offices below it, by office, then name."""
    from prokuratura.accounts.selectors import users_holding

    return users_holding(permission=Perm.RELATIONS_WORK, office=event.office)


# --- the forms' choices ------------------------------------------------------------------------------------------


@dataclass
class EventChoices:
    """What the event forms and filters offer, read once per page (the formsets' rows share it)."""

    countries: list[Any]
    counterparts: list[Counterpart]
    topics: list[Any]
    instruments: list[Any] = field(default_factory=list)


def event_choices(*, instruments: bool = False) -> EventChoices:
    """The states by name in the reader's language, the active counterparts, the topics and (for the event form)
    the treaty register's instruments."""
    from prokuratura.cooperation.models import Instrument
    from prokuratura.core.models import Country
    from prokuratura.core.reference_selectors import name_field

    from .models import Topic

    return EventChoices(
        countries=list(Country.objects.order_by(name_field(), "iso2")),
        counterparts=counterpart_choices(),
        topics=list(Topic.objects.order_by("kind", "ordering", "code")),
        instruments=list(Instrument.objects.select_related("partner").order_by("kind", "signed_date", "code"))
        if instruments
        else [],
    )
