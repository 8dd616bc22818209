"""Control lists (supervision.control): what each list holds on real dates, whose records each scope shows (always
inside the record rule), the order, and the queries they cost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from prokuratura.accounts.models import User
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.supervision.control import (
    NO_TERM_RESULT_AFTER_DAYS,
    acts_without_result,
    clean_scope,
    control_counts,
    control_lists,
    default_scope,
    inspections_past_period,
    overdue_acts,
)
from prokuratura.supervision.services import (
    Outcome,
    act_record_reply,
    act_record_result,
    act_withdraw,
    inspection_order,
)

from .factories import make_act, make_facility, make_inspection, make_visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def overdue(by, *, issued: int = 40, late: int = 30, code: str = "protest", **kwargs):
    """An issued protest whose answer was due `late` days ago (within the protest's 10 days of the act)."""
    return make_act(
        by=by, code=code, issue=True, issued_on=days_ago(issued), due_date=days_ago(late), **kwargs
    )


def fresh(user: User) -> User:
    """The user as a request would load them: no cached roles, no cached office subtree."""
    return User.objects.select_related("office").get(pk=user.pk)


@pytest.fixture
def records(cast):
    """Astana district: prosecutor_astana's acts and inspections in every state; Almaty: one overdue act."""
    p = cast.prosecutor_astana
    r = {
        "overdue_old": overdue(p, issued=60, late=50),
        "overdue_new": overdue(p, issued=8, late=1),
        "due_today": overdue(p, issued=5, late=0),
        "not_due": make_act(by=p, code="protest", issue=True, issued_on=days_ago(2)),
        "draft": make_act(by=p, code="protest"),
        "replied": make_act(by=p, code="protest", issue=True, issued_on=days_ago(15)),
        "in_court": make_act(by=p, code="protest", issue=True, issued_on=days_ago(25)),
        "closed": make_act(by=p, code="protest", issue=True, issued_on=days_ago(35)),
        "warning_old": make_act(
            by=p, code="warning", issue=True, issued_on=days_ago(NO_TERM_RESULT_AFTER_DAYS + 1)
        ),
        "warning_recent": make_act(
            by=p, code="warning", issue=True, issued_on=days_ago(NO_TERM_RESULT_AFTER_DAYS)
        ),
        "claim_old": make_act(by=p, code="claim", issue=True, issued_on=days_ago(45)),
        "withdrawn": overdue(p, issued=15, late=10),
        "almaty": overdue(cast.prosecutor_almaty, issued=10, late=5),
    }
    act_record_reply(by=p, act=r["replied"], reply_on=days_ago(3), result="satisfied")
    act_record_reply(by=p, act=r["in_court"], reply_on=days_ago(4), result="appealed")
    act_record_reply(by=p, act=r["closed"], reply_on=days_ago(20), result="partly")
    act_record_result(by=p, act=r["closed"], outcome=Outcome(persons_restored=2))
    act_withdraw(by=cast.head_astana, act=r["withdrawn"], reason="Выдан ошибочно")
    period = {"period_start": days_ago(40)}
    r["past_running"] = make_inspection(
        by=p, head=cast.head_astana, started=True, period_end=days_ago(3), **period
    )
    r["past_ordered"] = inspection_order(
        by=cast.head_astana, inspection=make_inspection(by=p, period_end=days_ago(10), **period)
    )
    r["past_planned"] = make_inspection(by=p, period_end=days_ago(10), **period)
    r["ends_today"] = make_inspection(by=p, head=cast.head_astana, started=True, period_end=TODAY, **period)
    r["running"] = make_inspection(by=p, head=cast.head_astana, started=True)
    return r


def numbers(qs) -> list[str]:
    return [record.number for record in qs]


def test_overdue_acts_are_issued_acts_whose_answer_was_due_before_today_longest_overdue_first(cast, records):
    listed = overdue_acts(user=cast.prosecutor_astana, scope="mine", today=TODAY)
    assert numbers(listed) == [records["overdue_old"].number, records["overdue_new"].number]


def test_tomorrow_the_act_due_today_is_overdue(cast, records):
    listed = overdue_acts(user=cast.prosecutor_astana, scope="mine", today=TODAY + dt.timedelta(days=1))
    assert records["due_today"].number in numbers(listed)


def test_acts_without_result_replied_in_court_and_old_acts_with_no_due_date(cast, records):
    listed = acts_without_result(user=cast.prosecutor_astana, scope="mine", today=TODAY)
    assert numbers(listed) == [
        records["claim_old"].number,  # issued 45 days ago: the oldest first
        records["warning_old"].number,
        records["in_court"].number,
        records["replied"].number,
    ]
    assert records["warning_recent"].due_date is None
    assert records["warning_recent"].number not in numbers(listed)  # not yet older than the 30 days


def test_inspections_past_their_period_are_running_ones_whose_period_ended_before_today(cast, records):
    listed = inspections_past_period(user=cast.prosecutor_astana, scope="mine", today=TODAY)
    assert numbers(listed) == [records["past_ordered"].number, records["past_running"].number]


def test_control_lists_returns_all_three_with_whole_counts_and_cut_lists(cast, records):
    lists = control_lists(user=cast.prosecutor_astana, scope="mine", limit=1, today=TODAY)
    assert lists.counts == {"overdue_acts": 2, "acts_without_result": 4, "inspections_past_period": 2}
    assert lists.total == 8
    assert numbers(lists.overdue_acts) == [records["overdue_old"].number]
    assert numbers(lists.acts_without_result) == [records["claim_old"].number]
    assert numbers(lists.inspections_past_period) == [records["past_ordered"].number]
    whole = control_lists(user=cast.prosecutor_astana, scope="mine", today=TODAY)
    assert len(whole.acts_without_result) == 4


def test_scopes_narrow_inside_the_record_rule(cast, offices, records):
    colleague = UserFactory(username="colleague", office=offices.astana_district, roles=["prosecutor"])
    mine, astana, almaty = (
        records["overdue_old"].number,
        records["overdue_new"].number,
        records["almaty"].number,
    )
    assert numbers(overdue_acts(user=colleague, scope="mine", today=TODAY)) == []
    assert numbers(overdue_acts(user=colleague, scope="office", today=TODAY)) == [mine, astana]
    assert numbers(overdue_acts(user=cast.head_astana, scope="office", today=TODAY)) == [mine, astana]
    assert numbers(overdue_acts(user=cast.head_astana, scope="mine", today=TODAY)) == []
    assert almaty in numbers(overdue_acts(user=cast.head_gpo, scope="office", today=TODAY))
    assert numbers(overdue_acts(user=cast.prosecutor_almaty, scope="all", today=TODAY)) == [almaty]
    assert almaty in numbers(overdue_acts(user=cast.auditor, scope="all", today=TODAY))
    # Roles without supervision see nothing, whatever the scope.
    for user in (cast.analyst, cast.registrar_astana, cast.outsider):
        for scope in ("mine", "office", "all"):
            assert control_counts(user=user, scope=scope, today=TODAY) == {
                "overdue_acts": 0,
                "acts_without_result": 0,
                "inspections_past_period": 0,
            }


def test_a_restricted_act_stays_with_the_people_the_record_rule_names(cast, offices):
    """An act issued after a visit to a place of detention is restricted, like the visit."""
    visit = make_visit(by=cast.prosecutor_astana, facility=make_facility(region=offices.astana.region))
    act = overdue(cast.prosecutor_astana, issued=10, late=2, visit=visit, code="submission")
    assert act.sensitivity == "restricted"
    colleague = UserFactory(username="colleague", office=offices.astana_district, roles=["prosecutor"])
    assert numbers(overdue_acts(user=colleague, scope="office", today=TODAY)) == []
    assert numbers(overdue_acts(user=cast.auditor, scope="all", today=TODAY)) == []
    assert numbers(overdue_acts(user=cast.prosecutor_astana, scope="mine", today=TODAY)) == [act.number]
    assert numbers(overdue_acts(user=cast.head_astana, scope="office", today=TODAY)) == [act.number]


def test_the_office_scope_of_a_user_without_an_office_is_empty(cast, records):
    cast.head_astana.office = None
    assert control_counts(user=cast.head_astana, scope="office", today=TODAY)["overdue_acts"] == 0


def test_an_unknown_scope_is_refused_and_the_default_follows_the_role(cast):
    with pytest.raises(ValueError, match="unknown control scope"):
        overdue_acts(user=cast.prosecutor_astana, scope="everything")
    assert default_scope(user=cast.prosecutor_astana) == "mine"
    assert default_scope(user=cast.head_astana) == "office"
    assert default_scope(user=cast.auditor) == "all"
    assert clean_scope("all", user=cast.prosecutor_astana) == "all"
    assert clean_scope("nonsense", user=cast.head_astana) == "office"
    assert clean_scope(None, user=cast.prosecutor_astana) == "mine"


@pytest.mark.parametrize(("who", "scope"), [("prosecutor_astana", "mine"), ("head_astana", "office")])
def test_control_lists_cost_five_queries_however_many_records(
    cast, records, who, scope, django_assert_num_queries
):
    user = fresh(getattr(cast, who))
    # A request's first read loads the user's roles and office subtree once; then the three lists and two counts.
    with django_assert_num_queries(7):
        control_lists(user=user, scope=scope, limit=5, today=TODAY)
    with django_assert_num_queries(5):
        control_lists(user=user, scope=scope, limit=5, today=TODAY)
    for n in range(3):
        overdue(cast.prosecutor_astana, issued=25 + n, late=20)
    with django_assert_num_queries(5):
        control_lists(user=user, scope=scope, limit=5, today=TODAY)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's is measured in bench/")
@pytest.mark.parametrize(
    ("who", "scope"), [("prosecutor_astana", "mine"), ("head_astana", "office"), ("head_gpo", "all")]
)
def test_no_list_scans_its_table(cast, records, who, scope):
    """Every list is found through an index. Which one SQLite picks on a handful of rows says little; on
    PostgreSQL at national volume the bench (docs/PERFORMANCE.md) reads the plans."""
    user = getattr(cast, who)
    for qs, table in (
        (overdue_acts(user=user, scope=scope, today=TODAY), "supervision_act"),
        (acts_without_result(user=user, scope=scope, today=TODAY), "supervision_act"),
        (inspections_past_period(user=user, scope=scope, today=TODAY), "supervision_inspection"),
    ):
        plan = qs.explain()
        assert f"SEARCH {table} USING" in plan, plan
        assert f"SCAN {table}" not in plan, plan
