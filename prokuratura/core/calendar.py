"""Kazakhstan's working-day calendar (five-day week).

A day is a working day when it is Monday–Friday and not a day off, where days off are
1. the statutory holidays and the Labour Ministry's transfers that the `holidays` package knows
   (Law "On holidays" No. 267-II art. 5; Labour Code arts. 84–85), and
2. the administrator-edited `CalendarException` table, which wins over both: a `working_day` row makes a
   weekend day or a holiday a working day (e.g. Saturday 2024-05-04), a `day_off` row makes any day a day off
   (a Ministry order the package does not know yet).
`holidays` ≥ 0.105 is required: older releases still make 2026-08-31 a day off, which the 2026
constitutional change ended.

Counting (APPC art. 76 style): `add_working_days(start, n)` is the n-th working day *after* `start`.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays as holidays_lib
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .memo import MISSING, drop, keep, kept
from .models import CalendarException

_MAX_SPAN_DAYS = 366 * 20


@lru_cache(maxsize=64)
def _statutory(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, weekend days made working) that the `holidays` package knows for `year`."""
    kz = holidays_lib.country_holidays("KZ", years=year)
    days_off = frozenset(kz.keys())
    working = frozenset(getattr(kz, "weekend_workdays", set()) or set())
    return days_off, working


# The exceptions table is small (a few rows a year) and read by every registration and deadline: each process keeps
# it for CACHE_SECONDS, like the appeals rules. A change made through core.services, or any save or delete of a row
# in this process, drops the copy at once; other processes see it within CACHE_SECONDS.
CACHE_SECONDS = 60
_CACHE_KEY = "core.calendar.exceptions"


def _all_exceptions() -> dict[dt.date, str]:
    table: dict[dt.date, str] = kept(_CACHE_KEY)  # core.memo's store: the object itself, never changed
    if table is MISSING:
        table = dict(CalendarException.objects.values_list("date", "kind"))
        keep(_CACHE_KEY, table, CACHE_SECONDS)
    return table


def _exceptions_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    return {day: kind for day, kind in _all_exceptions().items() if start <= day <= end}


class WorkingCalendar:
    """Answers working-day questions for a date range with one query for the exceptions.

    A day outside the range is still answered correctly: the window grows (one more query) rather than
    silently ignoring the exceptions it did not load.
    """

    def __init__(self, start: dt.date, end: dt.date) -> None:
        if end < start:
            start, end = end, start
        self.start, self.end = start, end
        self.exceptions = _exceptions_between(start, end)

    def _cover(self, day: dt.date) -> None:
        if day < self.start:
            self.exceptions.update(_exceptions_between(day, self.start - dt.timedelta(days=1)))
            self.start = day
        elif day > self.end:
            # Grow generously so a caller walking forward day by day does not query once per day.
            new_end = max(day, self.end + dt.timedelta(days=366))
            self.exceptions.update(_exceptions_between(self.end + dt.timedelta(days=1), new_end))
            self.end = new_end

    def is_working_day(self, day: dt.date) -> bool:
        if not self.start <= day <= self.end:
            self._cover(day)
        kind = self.exceptions.get(day)
        if kind == CalendarException.Kind.WORKING_DAY:
            return True
        if kind == CalendarException.Kind.DAY_OFF:
            return False
        return statutory_is_working_day(day)


def statutory_is_working_day(day: dt.date) -> bool:
    """The answer from the five-day week and the `holidays` package alone, without CalendarException rows."""
    days_off, weekend_workdays = _statutory(day.year)
    if day in weekend_workdays:
        return True
    if day.weekday() >= 5:
        return False
    return day not in days_off


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n ≥ 0; n = 0 gives `start` itself, or the next working day
    when `start` is not one)."""
    if n < 0:
        raise ValueError("n must not be negative")
    # A generous window: even with long holidays, n working days fit in 2n + 30 calendar days (the
    # calendar grows its window if an administrator ever declares a longer run of days off).
    cal = WorkingCalendar(start, start + dt.timedelta(days=2 * n + 30))
    limit = start + dt.timedelta(days=2 * n + _MAX_SPAN_DAYS)
    day = start
    counted = 0
    while counted < n or not cal.is_working_day(day):
        if day >= limit:  # only when someone declared years of consecutive days off
            raise ValueError("no working day found in a reasonable range")
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return day


def next_working_day_on_or_after(day: dt.date) -> dt.date:
    return add_working_days(day, 0)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open interval (start, end]: add_working_days(s, n) == e ⇒ result n.
    Negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    if (end - start).days > _MAX_SPAN_DAYS:
        raise ValueError("range too long")
    cal = WorkingCalendar(start, end)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
    return count


def working_days_in_year(year: int) -> int:
    start = dt.date(year, 1, 1)
    return working_days_between(start - dt.timedelta(days=1), dt.date(year, 12, 31))


def clear_cache() -> None:
    _statutory.cache_clear()
    drop(_CACHE_KEY)


@receiver(post_save, sender=CalendarException, dispatch_uid="core.calendar.saved")
@receiver(post_delete, sender=CalendarException, dispatch_uid="core.calendar.deleted")
def _exception_changed(**_kwargs: object) -> None:
    drop(_CACHE_KEY)
    # And again once the change is committed, in case a request of this process read the old table in between.
    transaction.on_commit(lambda: drop(_CACHE_KEY))


@dataclass(frozen=True)
class Day:
    date: dt.date
    working: bool
    exception: str | None  # CalendarException.Kind of an administrator's row for this day, if any

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass(frozen=True)
class Month:
    first: dt.date
    weeks: list[list[Day | None]]  # Monday-first rows; None pads days of the neighbouring months


@dataclass(frozen=True)
class YearOverview:
    year: int
    months: list[Month]
    working_days: int


def year_overview(year: int) -> YearOverview:
    """Every day of `year` marked working or not, by month and week (one query for the exceptions)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cal = WorkingCalendar(start, end)
    months, working = [], 0
    for month in range(1, 13):
        weeks: list[list[Day | None]] = []
        for week in std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[Day | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                is_working = cal.is_working_day(day)
                working += is_working
                row.append(Day(day, is_working, cal.exceptions.get(day)))
            weeks.append(row)
        months.append(Month(dt.date(year, month, 1), weeks))
    return YearOverview(year, months, working)
