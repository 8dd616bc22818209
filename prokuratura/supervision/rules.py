"""The addressee's time limit of an act, from its type's row (ActType, law as data) on the working-day calendar."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from prokuratura.core.calendar import add_working_days, next_working_day_on_or_after

from .models import ActType, TermUnit


def act_due_date(*, act_type: ActType, issued_on: dt.date) -> dt.date | None:
    """The last day for the answer, counted from the day after the act's date; None when the type sets no term.

    Working days: the n-th working day after the act's date. Calendar days and months: that day, moved to the next
    working day when it is a day off and the type says so (`end_moves_to_working_day`)."""
    n = act_type.term_value
    if not n:
        return None
    if act_type.term_unit == TermUnit.WORKING_DAYS:
        return add_working_days(issued_on, n)
    if act_type.term_unit == TermUnit.MONTHS:
        end = issued_on + relativedelta(months=n)
    else:
        end = issued_on + dt.timedelta(days=n)
    return next_working_day_on_or_after(end) if act_type.end_moves_to_working_day else end
