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

import datetime as dt
from functools import lru_cache

import holidays as holidays_lib

from .models import CalendarException

_MAX_SPAN_DAYS = 366 * 20


@lru_cache(maxsize=64)
def _statutory(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, weekend days made working) that the `holidays` package knows for `year`."""
    kz = holidays_lib.country_holidays("KZ", years=year)
    days_off = frozenset(kz.keys())
    working = frozenset(getattr(kz, "weekend_workdays", set()) or set())
    return days_off, working


def _exceptions_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    rows = CalendarException.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    return dict(rows)


class WorkingCalendar:
    """Answers working-day questions for a date range with one query for the exceptions."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.end = start, end
        self.exceptions = _exceptions_between(start, end)

    def is_working_day(self, day: dt.date) -> bool:
        kind = self.exceptions.get(day)
        if kind == CalendarException.Kind.WORKING_DAY:
            return True
        if kind == CalendarException.Kind.DAY_OFF:
            return False
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
    # A generous window: even with long holidays, n working days fit in 2n + 30 calendar days.
    window_end = start + dt.timedelta(days=2 * n + 30)
    cal = WorkingCalendar(start, window_end)
    day = start
    if n == 0:
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day > cal.end:  # pragma: no cover - only with absurd runs of days off
            cal = WorkingCalendar(day, day + dt.timedelta(days=2 * n + 30))
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
