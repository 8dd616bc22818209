"""The control terms of a request, from `RequestTerm` (law as data, data/reference/cooperation_request_terms.csv)
on the working-day calendar."""

from __future__ import annotations

import datetime as dt

from prokuratura.core.calendar import add_working_days, next_working_day_on_or_after

from .models_requests import RequestTerm, TermUnit, Urgency


def term_for(*, direction: str, kind: str, milestone: str) -> RequestTerm | None:
    return RequestTerm.objects.filter(direction=direction, kind=kind, milestone=milestone).first()


def request_due_date(
    *, direction: str, kind: str, milestone: str, start: dt.date, urgency: str = Urgency.NORMAL
) -> dt.date | None:
    """The last day of the step's term counted from the day after `start`; None when no term is configured.

    Working days: the n-th working day after `start`. Calendar days: that day, moved to the next working day when
    it is a day off (the general rule on terms). An urgent request has the row's shorter term where it sets one."""
    term = term_for(direction=direction, kind=kind, milestone=milestone)
    if term is None:
        return None
    days = term.urgent_days if urgency == Urgency.URGENT and term.urgent_days else term.days
    if term.unit == TermUnit.WORKING_DAYS:
        return add_working_days(start, days)
    return next_working_day_on_or_after(start + dt.timedelta(days=days))
