"""The control terms of requests (`request_rules.request_due_date`, law as data in RequestTerm, loaded from
data/reference/cooperation_request_terms.csv) on Kazakhstan's real calendar.

The days off asserted here are those of data/reference/kz_nonworking_days.csv and the core calendar: Wednesday
2026-12-16 (Independence Day — since 2022 the 17th is an ordinary working day: the file lists the 16th only, and
Thursday 2026-12-17 is a working day), Tuesday 2025-12-16, 2026-03-21…25 (Nauryz 21–23 with the 21st and 22nd
falling on a weekend moved to the 24th and 25th), and 1–4 January 2027 (New Year, the 2nd a Saturday moved to
Monday the 4th).

The terms (the CSV): incoming MLA — register 3 working days (urgent 1), check 10 working days, execute 30 calendar
days; incoming extradition — register 1 working day; outgoing MLA — acknowledgement 30 calendar days (urgent 10),
execution 180 calendar days.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prokuratura.cooperation.models_requests import (
    Direction,
    Milestone,
    RequestKind,
    RequestTerm,
    TermUnit,
    Urgency,
)
from prokuratura.cooperation.request_rules import request_due_date, term_for
from prokuratura.cooperation.request_transitions import REQUESTS
from prokuratura.core.calendar import is_working_day

from .request_factories import incoming_extradition, outgoing_mla, treaty

pytestmark = pytest.mark.django_db

D = dt.date
IN, OUT = Direction.INCOMING, Direction.OUTGOING
MLA, EXT = RequestKind.MLA, RequestKind.EXTRADITION


def due(
    direction: str, kind: str, milestone: str, start: dt.date, urgency: str = Urgency.NORMAL
) -> dt.date | None:
    return request_due_date(direction=direction, kind=kind, milestone=milestone, start=start, urgency=urgency)


def test_the_calendar_agrees_with_the_reference_data():
    for day in (
        D(2025, 12, 16),
        D(2026, 12, 16),
        D(2026, 3, 23),
        D(2026, 3, 24),
        D(2026, 3, 25),
        D(2027, 1, 1),
    ):
        assert not is_working_day(day), day
    assert not is_working_day(D(2027, 1, 4))  # New Year's Saturday, moved
    for day in (D(2026, 12, 17), D(2026, 12, 11), D(2026, 3, 26), D(2027, 1, 5)):
        assert is_working_day(day), day


def test_the_terms_are_loaded_with_their_sources():
    term = term_for(direction=IN, kind=MLA, milestone=Milestone.REGISTER)
    assert term is not None
    assert (term.days, term.unit, term.urgent_days) == (3, TermUnit.WORKING_DAYS, 1)
    assert term.legal_source and term.legal_source_ru and term.legal_source_kk
    assert RequestTerm.objects.count() == 20  # 4 kinds × (3 incoming + 2 outgoing milestones)


# --- working days ----------------------------------------------------------------------------------------------


def test_registration_received_on_friday_skips_the_weekend_and_independence_day():
    # Friday 11.12.2026 + 3 working days: Mon 14, Tue 15, (Wed 16 Independence Day), Thu 17.
    assert due(IN, MLA, Milestone.REGISTER, D(2026, 12, 11)) == D(2026, 12, 17)


def test_an_urgent_registration_takes_the_shorter_term():
    # Friday 11.12.2026 + 1 working day: Monday 14.12; Tuesday 15.12 + 1: Thursday 17.12 (16th off).
    assert due(IN, MLA, Milestone.REGISTER, D(2026, 12, 11), Urgency.URGENT) == D(2026, 12, 14)
    assert due(IN, MLA, Milestone.REGISTER, D(2026, 12, 15), Urgency.URGENT) == D(2026, 12, 17)


def test_the_check_counts_ten_working_days_over_the_holiday():
    # Tuesday 15.12.2026 + 10: 17, 18, 21, 22, 23, 24, 25, 28, 29, 30 December.
    assert due(IN, MLA, Milestone.CHECK, D(2026, 12, 15)) == D(2026, 12, 30)


def test_an_extradition_request_received_on_new_years_eve_is_registered_after_the_new_year():
    # Thursday 31.12.2026 + 1 working day: Fri 1.1 (New Year), Sat 2.1, Sun 3.1, Mon 4.1 (the 2nd moved): Tue 5.1.
    assert due(IN, EXT, Milestone.REGISTER, D(2026, 12, 31)) == D(2027, 1, 5)


def test_working_days_over_nauryz():
    # Friday 20.03.2026 + 3 working days: 23 (Nauryz), 24 and 25 (moved) are off: Thu 26, Fri 27, Mon 30.
    assert due(IN, MLA, Milestone.REGISTER, D(2026, 3, 20)) == D(2026, 3, 30)


# --- calendar days ---------------------------------------------------------------------------------------------


def test_calendar_days_ending_on_independence_day_move_to_the_next_working_day():
    # 16.11.2026 + 30 days = Wednesday 16.12.2026, Independence Day: due Thursday 17.12.2026.
    assert due(IN, MLA, Milestone.EXECUTE, D(2026, 11, 16)) == D(2026, 12, 17)


def test_calendar_days_ending_in_nauryz_wait_out_the_moved_days_off():
    # 20.02.2026 + 30 days = Sunday 22.03 (Nauryz); 23 Nauryz, 24 and 25 moved: due Thursday 26.03.2026.
    assert due(OUT, MLA, Milestone.ACKNOWLEDGE, D(2026, 2, 20)) == D(2026, 3, 26)


def test_calendar_days_ending_on_a_weekend_or_a_working_day():
    # 01.06.2026 + 180 days = Saturday 28.11.2026: Monday 30.11.2026.
    assert due(OUT, MLA, Milestone.EXECUTE, D(2026, 6, 1)) == D(2026, 11, 30)
    # 02.06.2026 + 180 = Sunday 29.11 → Monday 30.11; 04.06.2026 + 180 = Tuesday 01.12.2026 stays.
    assert due(OUT, MLA, Milestone.EXECUTE, D(2026, 6, 2)) == D(2026, 11, 30)
    assert due(OUT, MLA, Milestone.EXECUTE, D(2026, 6, 4)) == D(2026, 12, 1)


def test_urgent_calendar_days():
    # Sunday 06.12.2026 + 10 (urgent) = Wednesday 16.12 (Independence Day): Thursday 17.12.2026.
    assert due(OUT, MLA, Milestone.ACKNOWLEDGE, D(2026, 12, 6), Urgency.URGENT) == D(2026, 12, 17)


def test_no_term_no_due_date():
    assert (
        due(IN, MLA, Milestone.ACKNOWLEDGE, D(2026, 12, 11)) is None
    )  # the partner acknowledges outgoing ones
    assert due(OUT, MLA, Milestone.REGISTER, D(2026, 12, 11)) is None


def test_a_corrected_term_is_used_at_once():
    term = RequestTerm.objects.get(direction=IN, kind=MLA, milestone=Milestone.REGISTER)
    term.days = 5
    term.save()
    # Friday 11.12.2026 + 5 working days: 14, 15, 17, 18, 21.
    assert due(IN, MLA, Milestone.REGISTER, D(2026, 12, 11)) == D(2026, 12, 21)
    term.unit = TermUnit.CALENDAR_DAYS
    term.save()
    # 11.12 + 5 = Wednesday 16.12 (Independence Day) → 17.12.
    assert due(IN, MLA, Milestone.REGISTER, D(2026, 12, 11)) == D(2026, 12, 17)


@pytest.mark.parametrize(
    ("direction", "kind", "milestone"),
    [(IN, MLA, Milestone.REGISTER), (IN, EXT, Milestone.CHECK), (OUT, MLA, Milestone.ACKNOWLEDGE)],
)
def test_every_due_date_is_a_working_day_after_the_start(direction, kind, milestone):
    start = D(2026, 12, 1)
    while start <= D(2027, 1, 10):
        for urgency in Urgency.values:
            found = due(direction, kind, milestone, start, urgency)
            assert found is not None and found > start and is_working_day(found), (start, urgency, found)
        start += dt.timedelta(days=1)


# --- the services set them -------------------------------------------------------------------------------------


@pytest.fixture
def today_is(monkeypatch):
    """Pin "today" (django.utils.timezone.localdate) for the services' default dates and their checks."""

    def pin(day: dt.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return pin


def test_an_incoming_request_received_is_due_for_registration(cast, today_is):
    today_is(D(2026, 12, 11))
    record = incoming_extradition(
        by=cast.intl_officer,
        office=cast.intl_officer.office,
        instrument=treaty(),
        received_on=D(2026, 12, 11),
    )
    # Extradition: 1 working day after Friday 11.12.2026 → Monday 14.12.2026.
    assert record.due_date == D(2026, 12, 14)
    REQUESTS.perform(step="register", by=cast.intl_officer, record=record, inputs={})
    record.refresh_from_db()
    # The check: 5 working days from Friday 11.12: 14, 15, 17, 18, 21.
    assert record.due_date == D(2026, 12, 21)


def test_an_outgoing_request_sent_is_due_for_acknowledgement(cast, today_is):
    today_is(D(2026, 12, 11))
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    REQUESTS.perform(step="sign", by=cast.head_gpo, record=record, inputs={})
    REQUESTS.perform(step="send", by=cast.intl_officer, record=record, inputs={"sent_on": D(2026, 12, 11)})
    record.refresh_from_db()
    # 11.12.2026 + 30 days = Sunday 10.01.2027: Monday 11.01.2027.
    assert (record.signed_on, record.due_date) == (D(2026, 12, 11), D(2027, 1, 11))
    today_is(D(2026, 12, 16))
    REQUESTS.perform(
        step="acknowledge", by=cast.intl_officer, record=record, inputs={"acknowledged_on": D(2026, 12, 16)}
    )
    record.refresh_from_db()
    # 16.12.2026 + 180 days = Monday 14.06.2027.
    assert record.due_date == D(2027, 6, 14)
