"""The addressee's due date (`rules.act_due_date`) on Kazakhstan's real calendar.

The days off asserted here are those of data/reference/kz_nonworking_days.csv: 2026-03-21…25 (Nauryz 21–23, with
the 21st and 22nd falling on a weekend moved to the 24th and 25th), 2026-05-07/09/11 (Defender of the Fatherland
Day, Victory Day and its transfer), 2026-12-16 (Independence Day, a Wednesday).
"""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prokuratura.core.calendar import is_working_day
from prokuratura.supervision.models import ActType, TermUnit
from prokuratura.supervision.rules import act_due_date
from prokuratura.supervision.services import act_type_update

pytestmark = pytest.mark.django_db

D = dt.date


def kind(code):
    return ActType.objects.get(code=code)


def test_the_calendar_agrees_with_the_reference_data():
    for day in (
        D(2026, 3, 23),
        D(2026, 3, 24),
        D(2026, 3, 25),
        D(2026, 5, 7),
        D(2026, 5, 11),
        D(2026, 12, 16),
    ):
        assert not is_working_day(day), day
    for day in (D(2026, 3, 26), D(2026, 5, 8), D(2026, 12, 17)):
        assert is_working_day(day), day


def test_a_protest_whose_tenth_day_is_independence_day_is_due_the_next_working_day():
    # 06.12.2026 + 10 calendar days = Wednesday 16.12.2026, Independence Day: due Thursday 17.12.2026.
    assert act_due_date(act_type=kind("protest"), issued_on=D(2026, 12, 6)) == D(2026, 12, 17)


def test_a_protest_whose_tenth_day_falls_in_nauryz_waits_out_the_moved_days_off():
    # 13.03.2026 + 10 = Monday 23.03 (Nauryz); 24.03 and 25.03 are the moved days off: due Thursday 26.03.2026.
    assert act_due_date(act_type=kind("protest"), issued_on=D(2026, 3, 13)) == D(2026, 3, 26)


def test_a_protest_ending_on_a_working_day_stays():
    # 02.12.2026 + 10 = Saturday 12.12.2026 → Monday 14.12; 01.12 + 10 = Friday 11.12 stays.
    assert act_due_date(act_type=kind("protest"), issued_on=D(2026, 12, 2)) == D(2026, 12, 14)
    assert act_due_date(act_type=kind("protest"), issued_on=D(2026, 12, 1)) == D(2026, 12, 11)


def test_a_submission_month_ending_on_a_sunday_moves_to_monday():
    # 29.10.2026 + 1 month = Sunday 29.11.2026 → Monday 30.11.2026.
    assert act_due_date(act_type=kind("submission"), issued_on=D(2026, 10, 29)) == D(2026, 11, 30)
    # The month's end: 31.01.2026 + 1 month = 28.02.2026 (a Saturday) → Monday 02.03.2026.
    assert act_due_date(act_type=kind("submission"), issued_on=D(2026, 1, 31)) == D(2026, 3, 2)


def test_a_type_that_does_not_move_its_end_keeps_the_day_off(cast):
    protest = act_type_update(
        by=cast.admin,
        act_type=kind("protest"),
        changes={"end_moves_to_working_day": False},
        source="Конституционный закон № 155-VII, статья о протесте (проверка)",
    )
    assert act_due_date(act_type=protest, issued_on=D(2026, 12, 6)) == D(2026, 12, 16)


def test_a_working_days_type_counts_only_working_days(cast):
    order = act_type_update(
        by=cast.admin,
        act_type=kind("order"),
        changes={"term_value": 5, "term_unit": TermUnit.WORKING_DAYS},
        source="Приказ Генерального Прокурора (тестовая норма)",
    )
    # After Wednesday 06.05.2026: 07.05 off, Fri 08.05 (1), 09–11.05 off, 12 (2), 13 (3), 14 (4), Fri 15.05 (5).
    assert act_due_date(act_type=order, issued_on=D(2026, 5, 6)) == D(2026, 5, 15)
    # Across Independence Day: after Monday 14.12.2026: 15 (1), 16 off, 17 (2), 18 (3), 21 (4), 22 (5).
    assert act_due_date(act_type=order, issued_on=D(2026, 12, 14)) == D(2026, 12, 22)


def test_a_type_without_a_term_has_no_due_date():
    assert act_due_date(act_type=kind("order"), issued_on=D(2026, 12, 1)) is None
    assert act_due_date(act_type=kind("warning"), issued_on=D(2026, 12, 1)) is None


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 11, 30)), st.sampled_from(["protest", "submission"])
)
def test_a_moved_due_date_is_the_first_working_day_on_or_after_the_terms_end(issued_on, code):
    act_type = kind(code)
    due = act_due_date(act_type=act_type, issued_on=issued_on)
    assert due is not None and due > issued_on
    assert is_working_day(due)
    raw_end = issued_on + (dt.timedelta(days=10) if code == "protest" else dt.timedelta(days=28))
    assert due >= raw_end
    # no working day is skipped between the term's end and the due date
    day = due - dt.timedelta(days=1)
    while day >= raw_end and code == "protest":
        assert not is_working_day(day)
        day -= dt.timedelta(days=1)
