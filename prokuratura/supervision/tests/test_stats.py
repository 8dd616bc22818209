"""The numbers of supervision (supervision.stats) on a small data set: two offices in two regions, several act types
and results — each figure exact, per office, region, type and month, within each user's scope, in a fixed number
of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from prokuratura.accounts.models import User
from prokuratura.supervision.services import (
    Outcome,
    act_record_court_decision,
    act_record_reply,
    act_record_result,
    act_withdraw,
)
from prokuratura.supervision.stats import Group, numbers_offices, numbers_scope_q, supervision_numbers

from .factories import make_act, make_inspection, make_violation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD = {"date_from": TODAY - dt.timedelta(days=60), "date_to": TODAY}


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def dataset(cast):
    """Astana district (Astana region) and Almaty (Almaty region).

    Counted: inspections I1 (Astana), I3 (Almaty); violations V1, V2 (Astana), V3 (Almaty); acts A1 protest
    (satisfied), A2 submission (partly), A3 warning (nothing), A6 claim (court granted). Not counted: I2 (only
    planned), A4 (a draft), A5 (withdrawn), A7 (dated before the period)."""
    p, head = cast.prosecutor_astana, cast.head_astana
    i1 = make_inspection(by=p, head=head, started=True, period_start=days_ago(50), period_end=days_ago(20))
    make_inspection(by=p, period_start=days_ago(40), period_end=days_ago(30))  # I2, planned only
    make_violation(by=p, inspection=i1, found_on=days_ago(45), damage=Decimal("1500000.00"))
    make_violation(by=p, inspection=i1, found_on=days_ago(44), damage=Decimal("250000.50"))
    a1 = make_act(by=p, code="protest", inspection=i1, issue=True, issued_on=days_ago(40))
    act_record_reply(by=p, act=a1, reply_on=days_ago(35), result="satisfied")
    act_record_result(
        by=p,
        act=a1,
        outcome=Outcome(persons_restored=3, amount_recovered=Decimal("1000000"), persons_disciplinary=2),
    )
    a2 = make_act(by=p, code="submission", inspection=i1, issue=True, issued_on=days_ago(30))
    act_record_reply(by=p, act=a2, reply_on=days_ago(10), result="partly")
    act_record_result(by=p, act=a2, outcome=Outcome(persons_administrative=1))
    a3 = make_act(by=p, code="warning", inspection=i1, issue=True, issued_on=days_ago(20))
    act_record_result(by=p, act=a3, outcome=Outcome())
    make_act(by=p, code="protest", inspection=i1)  # A4, a draft
    a5 = make_act(by=p, code="protest", inspection=i1, issue=True, issued_on=days_ago(15))
    act_withdraw(by=head, act=a5, reason="Выдан ошибочно")

    q = cast.prosecutor_almaty
    i3 = make_inspection(
        by=q,
        head=cast.head_gpo,
        started=True,
        period_start=days_ago(10),
        period_end=TODAY + dt.timedelta(days=5),
    )
    make_violation(by=q, inspection=i3, found_on=days_ago(5), damage=Decimal("100"))
    a6 = make_act(by=q, code="claim", inspection=i3, issue=True, issued_on=days_ago(5))
    act_record_court_decision(
        by=q,
        act=a6,
        court_decision_on=days_ago(1),
        court_result="satisfied",
        outcome=Outcome(amount_recovered=Decimal("500")),
    )
    make_act(by=q, code="protest", issue=True, issued_on=days_ago(70))  # A7, before the period
    return {"i1": i1, "i3": i3, "a1": a1}


def fresh(user: User) -> User:
    return User.objects.select_related("office").get(pk=user.pk)


def test_the_national_totals_of_a_known_data_set_are_exact(cast, dataset):
    numbers = supervision_numbers(user=cast.analyst, **PERIOD)
    t = numbers.totals
    assert (t.inspections, t.violations, t.damage) == (2, 3, Decimal("1750100.50"))
    assert t.acts == 4
    assert dict(t.acts_by_type) == {"protest": 1, "submission": 1, "warning": 1, "claim": 1}
    assert t.acts_satisfied == 3  # satisfied, partly, and granted by the court
    assert t.persons_restored == 3
    assert t.amount_recovered == Decimal("1000500")
    assert (t.persons_disciplinary, t.persons_administrative, t.persons_criminal) == (2, 1, 0)
    assert t.persons_responsible == 3
    assert numbers_scope_q(user=cast.auditor) == numbers_scope_q(user=cast.analyst)  # both national


def test_grouped_by_office_in_tree_order(cast, offices, dataset):
    numbers = supervision_numbers(user=cast.analyst, **PERIOD)
    assert [row.key for row in numbers.rows] == ["AST-01", "ALA"]
    astana, almaty = numbers.rows
    assert astana.depth == 2 and astana.name == offices.astana_district.name
    assert (astana.figures.inspections, astana.figures.violations, astana.figures.acts) == (1, 2, 3)
    assert (almaty.figures.inspections, almaty.figures.violations, almaty.figures.acts) == (1, 1, 1)
    assert dict(almaty.figures.acts_by_type) == {"claim": 1}
    keys = [key for key, _label in numbers.columns]
    assert keys[:4] == ["inspections", "violations", "damage", "acts"]
    assert "type:protest" in keys and "type:claim" in keys
    assert astana.cells[keys.index("type:protest")] == 1
    assert numbers.total_cells[keys.index("acts_satisfied")] == 3
    # The rows add up to the totals, column by column.
    for index in range(len(keys)):
        assert sum(row.cells[index] for row in numbers.rows) == numbers.total_cells[index]


def test_grouped_by_the_offices_region(cast, dataset):
    numbers = supervision_numbers(user=cast.analyst, group=Group.REGION, **PERIOD)
    assert [(row.key, row.figures.violations, row.figures.acts) for row in numbers.rows] == [
        ("710000000", 2, 3),
        ("750000000", 1, 1),
    ]


def test_grouped_by_type_of_act_counts_acts_only(cast, dataset):
    numbers = supervision_numbers(user=cast.analyst, group=Group.ACT_TYPE, **PERIOD)
    assert [(row.key, row.figures.acts, row.figures.acts_satisfied) for row in numbers.rows] == [
        ("protest", 1, 1),
        ("submission", 1, 1),
        ("warning", 1, 0),
        ("claim", 1, 1),
    ]
    assert numbers.totals.inspections is None and numbers.totals.violations is None
    assert [key for key, _label in numbers.columns][0] == "acts"
    assert numbers.type_columns == ()


def test_grouped_by_month_lists_every_month_of_the_period(cast, dataset):
    numbers = supervision_numbers(user=cast.analyst, group=Group.MONTH, **PERIOD)
    first = PERIOD["date_from"].replace(day=1)
    assert numbers.rows[0].key == f"{first:%Y-%m}"
    assert numbers.rows[-1].key == f"{TODAY:%Y-%m}"
    assert sum(row.figures.acts for row in numbers.rows) == 4
    by_month = {row.key: row.figures for row in numbers.rows}
    assert by_month[f"{days_ago(40):%Y-%m}"].acts_by_type.get("protest") == 1
    assert by_month[f"{days_ago(50):%Y-%m}"].inspections >= 1


def test_the_period_counts_both_of_its_days(cast, dataset):
    day = dataset["a1"].issued_on
    numbers = supervision_numbers(user=cast.analyst, date_from=day, date_to=day)
    assert numbers.totals.acts == 1
    assert supervision_numbers(user=cast.analyst, date_from=TODAY, date_to=TODAY).totals.acts == 0


def test_filters_by_office_and_region(cast, offices, dataset):
    by_office = supervision_numbers(user=cast.analyst, office=offices.astana, **PERIOD)
    assert [row.key for row in by_office.rows] == ["AST-01"]
    by_region = supervision_numbers(user=cast.analyst, region=offices.almaty.region, **PERIOD)
    assert [row.key for row in by_region.rows] == ["ALA"]
    assert by_region.totals.acts == 1


def test_whose_numbers(cast, offices, dataset):
    head = supervision_numbers(user=cast.head_astana, **PERIOD)
    assert [row.key for row in head.rows] == ["AST-01"]
    assert head.totals.acts == 3
    assert supervision_numbers(user=cast.head_gpo, **PERIOD).totals.acts == 4
    for user in (cast.prosecutor_astana, cast.registrar_astana, cast.outsider):
        assert supervision_numbers(user=user, **PERIOD).rows == []
    assert list(numbers_offices(user=cast.head_astana)) == [offices.astana, offices.astana_district]
    assert list(numbers_offices(user=cast.prosecutor_astana)) == []


def test_a_restricted_record_is_counted_though_not_shown(cast, offices, dataset):
    """Numbers reveal no record: the head of the GPO's analyst counts acts issued after a restricted visit."""
    from .factories import make_facility, make_visit

    visit = make_visit(by=cast.prosecutor_astana, facility=make_facility(region=offices.astana.region))
    act = make_act(
        by=cast.prosecutor_astana, code="submission", visit=visit, issue=True, issued_on=days_ago(3)
    )
    assert act.sensitivity == "restricted"
    assert supervision_numbers(user=cast.analyst, **PERIOD).totals.acts == 5


def test_the_analyst_sees_the_numbers_move_when_an_act_is_recorded(cast, dataset):
    before = supervision_numbers(user=cast.analyst, **PERIOD).totals
    act = make_act(by=cast.prosecutor_almaty, code="protest", issue=True, issued_on=TODAY)
    after = supervision_numbers(user=cast.analyst, **PERIOD).totals
    assert after.acts == before.acts + 1
    assert after.acts_by_type["protest"] == before.acts_by_type["protest"] + 1
    act_record_reply(by=cast.prosecutor_almaty, act=act, reply_on=TODAY, result="satisfied")
    act_record_result(by=cast.prosecutor_almaty, act=act, outcome=Outcome(persons_restored=4))
    settled = supervision_numbers(user=cast.analyst, **PERIOD).totals
    assert settled.acts_satisfied == before.acts_satisfied + 1
    assert settled.persons_restored == before.persons_restored + 4


@pytest.mark.parametrize(
    ("group", "queries"), [(Group.OFFICE, 5), (Group.REGION, 5), (Group.MONTH, 4), (Group.ACT_TYPE, 2)]
)
def test_the_selector_runs_a_fixed_number_of_queries(
    cast, offices, dataset, group, queries, django_assert_num_queries
):
    for user in (cast.analyst, cast.head_astana):
        user = fresh(user)
        supervision_numbers(user=user, group=group, **PERIOD)  # the user's roles, once a request
        with django_assert_num_queries(queries):
            supervision_numbers(user=user, group=group, **PERIOD)
    make_act(by=cast.prosecutor_almaty, code="protest", issue=True, issued_on=TODAY)
    with django_assert_num_queries(queries):
        supervision_numbers(user=user, group=group, office=offices.astana, **PERIOD)


def test_an_unknown_grouping_is_refused(cast):
    with pytest.raises(ValueError, match="unknown grouping"):
        supervision_numbers(user=cast.analyst, group="weekday", **PERIOD)
