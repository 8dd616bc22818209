"""The requests' numbers (request_stats.request_numbers): counts by dimension and outcome, the exact median and 90th
percentile of the days to execution, the overdue requests, and whose requests a user may count.

The requests are written straight to the table with the dates and status a test needs (`make_request`): the numbers
are about counting what is recorded, and the lifecycle that records it is tested in test_request_flow.py."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.db import connection

from prokuratura.cooperation.models_requests import (
    AssistanceRequest,
    Direction,
    RequestKind,
    RequestStatus,
)
from prokuratura.cooperation.request_stats import (
    NumbersFilters,
    Outcome,
    percentile_cont,
    request_numbers,
)
from prokuratura.core.models import CrimeCategory, Sensitivity

from .factories import CountryFactory, CrimeCategoryFactory

pytestmark = pytest.mark.django_db
S = RequestStatus
TODAY = dt.date(2026, 5, 20)
YEAR = NumbersFilters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))
_sequence = itertools.count(1)


def make_request(
    *,
    office: Any,
    officer: Any,
    partner: str = "XA",
    direction: str = Direction.OUTGOING,
    kind: str = RequestKind.MLA,
    status: str = S.SENT,
    start: dt.date | None = dt.date(2026, 3, 1),
    executed_on: dt.date | None = None,
    due_date: dt.date | None = None,
    sensitivity: str = Sensitivity.INTERNAL,
    **extra: Any,
) -> AssistanceRequest:
    """A request as the register holds it: started (sent or received) on `start`, in `status`."""
    n = next(_sequence)
    dates = {"sent_on": start} if direction == Direction.OUTGOING else {"received_on": start}
    return AssistanceRequest.objects.create(
        office=office,
        officer=officer,
        direction=direction,
        kind=kind,
        status=status,
        number=f"T-{n}",
        year=2026,
        sequence=n,
        partner=CountryFactory(iso2=partner),
        foreign_authority="Ministry of Justice",
        executed_on=executed_on,
        due_date=due_date,
        sensitivity=sensitivity,
        **dates,
        **extra,
    )


def numbers(user: Any, **filters: Any):
    return request_numbers(user=user, filters=NumbersFilters(**{**vars(YEAR), **filters}), today=TODAY)


# --- percentiles -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ([7], "7.0", "7.0"),
        ([10, 20], "15.0", "19.0"),
        ([1, 2, 3, 4], "2.5", "3.7"),
        ([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], "4.0", "6.0"),
        (list(range(1, 101)), "50.5", "90.1"),
    ],
)
def test_percentiles_are_postgresql_percentile_cont_exactly(values, median, p90):
    histogram = sorted({v: values.count(v) for v in values}.items())
    assert percentile_cont(histogram, Fraction(1, 2)) == Decimal(median)
    assert percentile_cont(histogram, Fraction(9, 10)) == Decimal(p90)
    assert percentile_cont([], Fraction(1, 2)) is None


# --- counts ------------------------------------------------------------------------------------------------------


@pytest.fixture
def register(cast, offices):
    """Six requests started in 2026 (one restricted), one in 2025, one outgoing draft never sent."""
    gpo, astana = offices.gpo, offices.astana_district
    officer = cast.intl_officer
    drugs = CrimeCategoryFactory(code="drug_trafficking", kind=CrimeCategory.Kind.FOCUS_AREA)
    iccs = CrimeCategoryFactory(
        code="06", kind=CrimeCategory.Kind.ICCS_SECTION, name_en="Acts involving drugs"
    )
    CountryFactory(iso2="XB", name_en="Borduria")
    CountryFactory(iso2="XA", name_en="Aldovia")
    return {
        "executed": make_request(
            office=gpo,
            officer=officer,
            status=S.EXECUTED,
            start=dt.date(2026, 1, 10),
            executed_on=dt.date(2026, 2, 9),
            focus_area=drugs,
            offence_category=iccs,
        ),
        "partly": make_request(
            office=gpo,
            officer=officer,
            status=S.PARTLY_EXECUTED,
            start=dt.date(2026, 1, 10),
            executed_on=dt.date(2026, 1, 20),
        ),
        "refused": make_request(
            office=gpo,
            officer=officer,
            partner="XB",
            status=S.REFUSED,
            start=dt.date(2026, 2, 1),
            executed_on=dt.date(2026, 2, 5),
        ),
        "incoming": make_request(
            office=astana,
            officer=officer,
            direction=Direction.INCOMING,
            kind=RequestKind.EXTRADITION,
            status=S.MATERIALS_SENT,
            start=dt.date(2026, 3, 2),
            executed_on=dt.date(2026, 3, 12),
        ),
        "restricted": make_request(
            office=astana,
            officer=officer,
            partner="XB",
            direction=Direction.INCOMING,
            status=S.ASSIGNED,
            start=dt.date(2026, 4, 1),
            due_date=dt.date(2026, 5, 1),
            sensitivity=Sensitivity.RESTRICTED,
        ),
        "open": make_request(
            office=gpo, officer=officer, status=S.ACKNOWLEDGED, start=dt.date(2026, 5, 1), due_date=TODAY
        ),
        "last_year": make_request(
            office=gpo,
            officer=officer,
            status=S.IN_EXECUTION,
            start=dt.date(2025, 6, 1),
            due_date=dt.date(2025, 12, 1),
        ),
        "draft": make_request(office=gpo, officer=officer, status=S.DRAFT, start=None),
    }


def test_counts_by_every_dimension_and_outcome(cast, register):
    result = numbers(cast.analyst)
    total = result.total
    assert total.total == 6
    assert total.by_outcome == {
        "open": 2,
        "executed": 1,
        "partly_executed": 1,
        "refused": 1,
        "withdrawn": 0,
        "materials_sent": 1,
    }
    direction = result.table("direction")
    assert [(row.key, row.total) for row in direction.rows] == [("outgoing", 4), ("incoming", 2)]
    assert direction.rows[1].cells == (1, 0, 0, 0, 0, 1)
    kind = result.table("kind")
    assert [(row.key, row.total) for row in kind.rows] == [("mla", 5), ("extradition", 1)]
    partner = result.table("partner")
    assert [(row.key, row.name, row.total) for row in partner.rows] == [
        ("XA", "Aldovia", 4),
        ("XB", "Borduria", 2),
    ]
    assert partner.rows[1].value(Outcome.REFUSED) == 1
    focus = result.table("focus_area")
    assert [(row.key, row.name, row.total) for row in focus.rows] == [
        ("drug_trafficking", "Drug trafficking", 1),
        ("", "Not stated", 5),
    ]
    iccs = result.table("iccs_section")
    assert [(row.key, row.total) for row in iccs.rows] == [("06", 1), ("", 5)]
    assert all(table.totals.total == 6 for table in result.tables)


def test_the_period_is_of_the_start_date(cast, register):
    result = numbers(cast.analyst, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
    assert result.total.total == 1 and result.total.value("open") == 1
    march = numbers(cast.analyst, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    assert [(row.key, row.total) for row in march.table("direction").rows] == [("incoming", 1)]


def test_filters_narrow_the_counts(cast, register, offices):
    assert numbers(cast.analyst, direction="incoming").total.total == 2
    assert numbers(cast.analyst, kind="extradition").total.total == 1
    assert numbers(cast.analyst, office=offices.astana).total.total == 2
    assert numbers(cast.analyst, office=offices.almaty).total.total == 0
    with pytest.raises(ValueError, match="direction"):
        numbers(cast.analyst, direction="sideways")


# --- whose numbers -----------------------------------------------------------------------------------------------


def test_a_regional_head_counts_the_region_restricted_requests_included(cast, register):
    result = numbers(cast.head_astana)
    assert result.total.total == 2  # the incoming two of Yesil district, the restricted one among them
    assert result.overdue_total == 1


def test_national_roles_and_the_root_office_count_everything(cast, register):
    assert numbers(cast.auditor).total.total == 6
    assert numbers(cast.intl_officer).total.total == 6


def test_without_the_statistics_permission_nothing_is_counted(cast, register):
    result = numbers(cast.prosecutor_astana)
    assert result.total.total == 0 and result.overdue_total == 0 and result.durations == []


# --- days to execution -------------------------------------------------------------------------------------------


def test_days_to_execution_per_partner_and_direction(cast, register):
    result = numbers(cast.analyst)
    rows = [(r.partner, r.direction, r.count, r.median, r.p90) for r in result.durations]
    # Aldovia outgoing: 30 and 10 days; the refusal (Borduria) is not an execution; incoming materials sent: 10.
    assert rows == [
        ("XA", "outgoing", 2, Decimal("20.0"), Decimal("28.0")),
        ("XA", "incoming", 1, Decimal("10.0"), Decimal("10.0")),
    ]
    assert [(r.direction, r.count, r.shortest, r.longest) for r in result.duration_totals] == [
        ("outgoing", 2, 10, 30),
        ("incoming", 1, 10, 10),
    ]


def test_percentiles_from_the_database_match_known_data(cast, offices):
    # 11 executions to XC in days: 3 1 4 1 5 9 2 6 5 3 5 → median 4, p90 6 (percentile_cont).
    for days in (3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5):
        start = dt.date(2026, 2, 1)
        make_request(
            office=offices.gpo,
            officer=cast.intl_officer,
            partner="XC",
            status=S.EXECUTED,
            start=start,
            executed_on=start + dt.timedelta(days=days),
        )
    (row,) = numbers(cast.analyst).durations
    assert (row.count, row.median, row.p90, row.shortest, row.longest) == (
        11,
        Decimal("4.0"),
        Decimal("6.0"),
        1,
        9,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_percentiles_agree_with_postgresql(cast, offices):
    start = dt.date(2026, 1, 5)
    for days in (12, 40, 40, 7, 95, 33, 61, 18, 18, 150, 27, 44, 5):
        make_request(
            office=offices.gpo,
            officer=cast.intl_officer,
            partner="XD",
            status=S.EXECUTED,
            start=start,
            executed_on=start + dt.timedelta(days=days),
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY executed_on - sent_on), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY executed_on - sent_on) "
            "FROM cooperation_assistancerequest WHERE partner_id = 'XD'"
        )
        median, p90 = cursor.fetchone()
    (row,) = numbers(cast.analyst).durations
    assert row.median == Decimal(str(median)).quantize(Decimal("0.1"))
    assert row.p90 == Decimal(str(p90)).quantize(Decimal("0.1"))
    assert float(row.p90) == pytest.approx(p90)


# --- overdue -----------------------------------------------------------------------------------------------------


def test_overdue_is_as_of_today_whatever_the_start(cast, register, offices):
    result = numbers(cast.analyst)
    # The restricted one (due 1 May) and last year's (due 1 December 2025); "open" is due today, not overdue.
    assert result.overdue_total == 2
    assert [(r.key, r.count, r.oldest_due) for r in result.overdue_by_office] == [
        ("GPO", 1, dt.date(2025, 12, 1)),
        ("AST-01", 1, dt.date(2026, 5, 1)),
    ]
    assert [r.depth for r in result.overdue_by_office] == [0, 2]
    assert [(r.key, r.count) for r in result.overdue_by_partner] == [("XA", 1), ("XB", 1)]
    # The period does not narrow it; the direction does.
    assert (
        numbers(cast.analyst, date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 1, 31)).overdue_total == 2
    )
    assert numbers(cast.analyst, direction="outgoing").overdue_total == 1


def test_an_ended_request_is_never_overdue(cast, offices):
    make_request(
        office=offices.gpo,
        officer=cast.intl_officer,
        status=S.EXECUTED,
        executed_on=dt.date(2026, 3, 5),
        due_date=dt.date(2026, 3, 2),
    )
    assert numbers(cast.analyst).overdue_total == 0


def test_the_numbers_cost_a_fixed_number_of_queries(cast, register, django_assert_num_queries):
    # the user's roles, five grouped counts, the histogram, the overdue groups, then the names: states,
    # categories, offices
    with django_assert_num_queries(11):
        numbers(cast.analyst)
