"""The working-day calendar against real Kazakh dates (data/reference/kz_nonworking_days.csv) and properties."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from prokuratura.core import calendar as cal
from prokuratura.core.models import CalendarException

D = dt.date
DATA_FILE = Path(settings.BASE_DIR) / "data" / "reference" / "kz_nonworking_days.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cal.clear_cache()
    yield
    cal.clear_cache()


def _exception(day, kind, reason="test"):
    return CalendarException.objects.create(date=day, kind=kind, reason=reason)


# --- real dates ----------------------------------------------------------------------------------------------


def test_fifteen_working_days_from_2_may_2024():
    # Fri 3, Sat 4 (transferred working day), Mon 6, Fri 10, Mon 13 … Fri 17, Mon 20 … Fri 24, Mon 27:
    # 7 May (Defender's Day), 8 May (moved from Sat 4), 9 May (Victory Day) are off.
    assert cal.add_working_days(D(2024, 5, 2), 15) == D(2024, 5, 27)
    assert cal.working_days_between(D(2024, 5, 2), D(2024, 5, 27)) == 15


def test_may_2024_transfer():
    assert cal.is_working_day(D(2024, 5, 4))  # Saturday worked
    assert not cal.is_working_day(D(2024, 5, 7))
    assert not cal.is_working_day(D(2024, 5, 8))  # the day off moved from Saturday
    assert not cal.is_working_day(D(2024, 5, 9))


def test_january_2025_transfer():
    assert cal.is_working_day(D(2025, 1, 5))  # Sunday worked
    assert not cal.is_working_day(D(2025, 1, 3))  # Friday off instead


def test_31_august_2026_is_a_working_day():
    # holidays < 0.105 still made it a day off; the 2026 constitutional change ended that.
    assert cal.is_working_day(D(2026, 8, 31))


def test_weekend_holidays_move_to_the_next_working_day():
    assert not cal.is_working_day(D(2024, 3, 25))  # Nauryz on Saturday 23 March 2024 → Monday
    assert not cal.is_working_day(D(2025, 9, 1))  # Constitution Day on Saturday 30 August 2025 → Monday


def test_orthodox_christmas_on_a_sunday_is_not_moved():
    assert not cal.is_working_day(D(2024, 1, 7))
    assert cal.is_working_day(D(2024, 1, 8))


@pytest.mark.parametrize(("year", "expected"), [(2024, 249), (2025, 246), (2026, 247)])
def test_working_days_per_year(year, expected):
    assert cal.working_days_in_year(year) == expected


def _data_file_days_off():
    """{date: is working} for every day of 2024–2026 according to the data file alone."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["confidence"] == "sourced"]
    off = {D.fromisoformat(r["date"]) for r in rows if r["kind"] in {"holiday", "moved_day_off"}}
    worked = {D.fromisoformat(r["date"]) for r in rows if r["kind"] == "working_day_on_weekend"}
    day, answer = D(2024, 1, 1), {}
    while day <= D(2026, 12, 31):
        answer[day] = day in worked or (day.weekday() < 5 and day not in off)
        day += dt.timedelta(days=1)
    return answer


def test_every_day_of_2024_to_2026_agrees_with_the_data_file():
    expected = _data_file_days_off()
    calendar = cal.WorkingCalendar(D(2024, 1, 1), D(2026, 12, 31))
    disagreements = [day for day, working in expected.items() if calendar.is_working_day(day) != working]
    assert disagreements == []
    assert sum(expected[d] for d in expected if d.year == 2026) == 247


def test_next_working_day_on_or_after():
    assert cal.next_working_day_on_or_after(D(2024, 5, 7)) == D(2024, 5, 10)
    assert cal.next_working_day_on_or_after(D(2024, 5, 10)) == D(2024, 5, 10)
    assert cal.add_working_days(D(2024, 5, 7), 0) == D(2024, 5, 10)


def test_working_days_between_is_signed_and_half_open():
    assert cal.working_days_between(D(2024, 5, 27), D(2024, 5, 2)) == -15
    assert cal.working_days_between(D(2024, 5, 6), D(2024, 5, 6)) == 0
    assert cal.working_days_between(D(2024, 5, 3), D(2024, 5, 4)) == 1  # (Fri, Sat]: the working Saturday


def test_refuses_nonsense():
    with pytest.raises(ValueError):
        cal.add_working_days(D(2024, 1, 1), -1)
    with pytest.raises(ValueError):
        cal.working_days_between(D(2000, 1, 1), D(2030, 1, 1))


# --- administrator exceptions --------------------------------------------------------------------------------


def test_an_extra_day_off_on_a_wednesday_changes_the_results():
    wednesday = D(2026, 6, 17)
    assert cal.is_working_day(wednesday)
    before = cal.add_working_days(D(2026, 6, 15), 3)
    _exception(wednesday, CalendarException.Kind.DAY_OFF)
    assert not cal.is_working_day(wednesday)
    assert cal.add_working_days(D(2026, 6, 15), 3) == before + dt.timedelta(days=1) == D(2026, 6, 19)
    assert cal.working_days_in_year(2026) == 246


def test_a_working_saturday_changes_the_results():
    saturday = D(2026, 6, 20)
    assert not cal.is_working_day(saturday)
    _exception(saturday, CalendarException.Kind.WORKING_DAY)
    assert cal.is_working_day(saturday)
    assert cal.add_working_days(D(2026, 6, 19), 1) == saturday
    assert cal.working_days_in_year(2026) == 248


def test_an_exception_beats_the_holidays_package():
    _exception(D(2026, 12, 16), CalendarException.Kind.WORKING_DAY)  # Independence Day
    assert cal.is_working_day(D(2026, 12, 16))
    _exception(D(2024, 5, 4), CalendarException.Kind.DAY_OFF)  # the package's working Saturday
    assert not cal.is_working_day(D(2024, 5, 4))


def test_a_calendar_answers_days_outside_its_window_with_their_exceptions():
    wednesday = D(2026, 6, 17)
    _exception(wednesday, CalendarException.Kind.DAY_OFF)
    window = cal.WorkingCalendar(D(2026, 1, 1), D(2026, 1, 31))
    assert not window.is_working_day(wednesday)
    assert not window.is_working_day(D(2025, 1, 3))  # before the window, too


def test_a_long_run_of_declared_days_off_is_walked_past(django_assert_max_num_queries):
    start = D(2026, 6, 1)
    CalendarException.objects.bulk_create(
        CalendarException(date=start + dt.timedelta(days=i), kind=CalendarException.Kind.DAY_OFF, reason="x")
        for i in range(60)
    )
    # The first window (2n + 30 days) is all days off; the calendar grows it instead of giving a wrong answer.
    with django_assert_max_num_queries(3):
        result = cal.add_working_days(start, 1)
    assert result == D(2026, 7, 31)


def test_the_exceptions_are_read_once_per_process_and_minute(django_assert_num_queries):
    with django_assert_num_queries(1):
        cal.working_days_in_year(2025)
    with django_assert_num_queries(0):
        cal.add_working_days(D(2025, 1, 1), 200)
    cal.clear_cache()
    with django_assert_num_queries(1):
        cal.add_working_days(D(2025, 1, 1), 200)


def test_a_changed_exception_is_seen_at_once_in_this_process():
    saturday = D(2025, 3, 1)
    assert not cal.is_working_day(saturday)
    row = CalendarException.objects.create(date=saturday, kind=CalendarException.Kind.WORKING_DAY)
    assert cal.is_working_day(saturday)
    row.delete()
    assert not cal.is_working_day(saturday)


# --- properties ----------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 12, 31))
counts = st.integers(min_value=0, max_value=300)
PROPERTY = hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def admin_exceptions(db):
    """Properties must hold with administrator rows too: a Wednesday off and a Saturday worked."""
    _exception(D(2025, 6, 18), CalendarException.Kind.DAY_OFF)
    _exception(D(2025, 6, 21), CalendarException.Kind.WORKING_DAY)


@PROPERTY
@given(start=dates, n=st.integers(min_value=1, max_value=300))
def test_the_result_is_a_working_day_after_start(admin_exceptions, start, n):
    result = cal.add_working_days(start, n)
    assert result > start
    assert cal.is_working_day(result)


@PROPERTY
@given(start=dates, n=st.integers(min_value=1, max_value=300))
def test_between_inverts_add(admin_exceptions, start, n):
    result = cal.add_working_days(start, n)
    assert cal.working_days_between(start, result) == n
    # Nothing is skipped: the day before the result holds one working day fewer.
    assert cal.working_days_between(start, result - dt.timedelta(days=1)) == n - 1


@PROPERTY
@given(start=dates)
def test_n_zero_is_start_when_working_else_the_first_working_day_after(admin_exceptions, start):
    # n = 0 is the one place where `between` does not invert `add`: from a day off, add(s, 0) == add(s, 1).
    result = cal.add_working_days(start, 0)
    if cal.is_working_day(start):
        assert result == start
        assert cal.working_days_between(start, result) == 0
    else:
        assert result == cal.add_working_days(start, 1)


@PROPERTY
@given(start=dates, n=counts, extra=st.integers(min_value=1, max_value=30))
def test_add_is_monotonic_in_n(admin_exceptions, start, n, extra):
    earlier, later = cal.add_working_days(start, n), cal.add_working_days(start, n + extra)
    assert earlier <= later
    if n >= 1 or cal.is_working_day(start):
        assert earlier < later  # strictly, except add(s, 0) == add(s, 1) from a day off


@PROPERTY
@given(start=dates, span=st.integers(min_value=0, max_value=120))
def test_is_working_day_agrees_with_the_counting_functions(admin_exceptions, start, span):
    end = start + dt.timedelta(days=span)
    calendar = cal.WorkingCalendar(start, end)
    day, counted = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        assert calendar.is_working_day(day) == cal.is_working_day(day)
        counted += calendar.is_working_day(day)
    assert cal.working_days_between(start, end) == counted
    nxt = cal.next_working_day_on_or_after(start)
    assert cal.is_working_day(nxt)
    assert all(not cal.is_working_day(start + dt.timedelta(days=i)) for i in range((nxt - start).days))


def test_a_too_old_holidays_package_fails_the_system_check(monkeypatch):
    import holidays

    from prokuratura.core.checks import holidays_package_is_recent

    assert holidays_package_is_recent(None) == []
    monkeypatch.setattr(holidays, "__version__", "0.104")
    assert [error.id for error in holidays_package_is_recent(None)] == ["prokuratura.E002"]
    monkeypatch.setattr(holidays, "__version__", "0.105.dev1")
    assert holidays_package_is_recent(None) == []


def test_year_overview_matches_the_counting_functions(django_assert_num_queries):
    with django_assert_num_queries(1):
        overview = cal.year_overview(2024)
    assert overview.working_days == cal.working_days_in_year(2024) == 249
    assert [m.first.month for m in overview.months] == list(range(1, 13))
    may = overview.months[4]
    assert all(len(week) == 7 for week in may.weeks)
    assert may.weeks[0][:2] == [None, None]  # 1 May 2024 was a Wednesday
    saturday = may.weeks[0][5]
    assert saturday.date == D(2024, 5, 4) and saturday.working and saturday.weekend
