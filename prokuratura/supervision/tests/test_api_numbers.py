"""GET /api/v1/supervision/numbers and GET /api/v1/supervision/control."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from prokuratura.core.tests.api_client import assert_error, bearer
from prokuratura.supervision.services import act_record_reply

from .factories import make_act, make_inspection, make_violation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NUMBERS, CONTROL = "/api/v1/supervision/numbers", "/api/v1/supervision/control"


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def data(cast):
    p = cast.prosecutor_astana
    inspection = make_inspection(
        by=p, head=cast.head_astana, started=True, period_start=days_ago(30), period_end=days_ago(2)
    )
    make_violation(by=p, inspection=inspection, found_on=days_ago(20), damage=Decimal("1234.56"))
    overdue = make_act(
        by=p, code="protest", inspection=inspection, issue=True, issued_on=days_ago(9), due_date=days_ago(3)
    )
    replied = make_act(by=p, code="submission", inspection=inspection, issue=True, issued_on=days_ago(8))
    act_record_reply(by=p, act=replied, reply_on=days_ago(1), result="satisfied")
    almaty = make_act(
        by=cast.prosecutor_almaty, code="protest", issue=True, issued_on=days_ago(6), due_date=days_ago(1)
    )
    return {"inspection": inspection, "overdue": overdue, "replied": replied, "almaty": almaty}


def period(**extra: str) -> dict[str, str]:
    return {"date_from": days_ago(60).isoformat(), "date_to": TODAY.isoformat(), **extra}


@pytest.fixture
def analyst_api(cast, no_2fa) -> Client:
    return bearer(cast.analyst)


def test_numbers_as_json(analyst_api, data):
    response = analyst_api.get(NUMBERS, period())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["group"] == "office" and body["office"] is None
    assert [row["key"] for row in body["rows"]] == ["AST-01", "ALA"]
    totals = body["totals"]
    assert (totals["inspections"], totals["violations"], totals["acts"], totals["acts_satisfied"]) == (
        1,
        1,
        3,
        1,
    )
    assert Decimal(totals["damage"]) == Decimal("1234.56")
    assert totals["acts_by_type"] == {"protest": 2, "submission": 1}
    assert [t["code"] for t in body["act_types"]][:2] == ["protest", "submission"]


@pytest.mark.parametrize("group", ["region", "act_type", "month"])
def test_numbers_by_every_grouping(analyst_api, data, group):
    body = analyst_api.get(NUMBERS, period(group=group)).json()
    assert body["group"] == group
    assert sum(row["figures"]["acts"] for row in body["rows"]) == 3
    if group == "act_type":
        assert body["totals"]["inspections"] is None


def test_numbers_filtered_by_office_and_region(analyst_api, data):
    body = analyst_api.get(NUMBERS, period(office="AST")).json()
    assert body["office"] == "AST" and [row["key"] for row in body["rows"]] == ["AST-01"]
    body = analyst_api.get(NUMBERS, period(region="750000000")).json()
    assert body["region"] == "750000000" and [row["key"] for row in body["rows"]] == ["ALA"]


def test_numbers_refuse_bad_filters_with_422(cast, no_2fa, analyst_api, data):
    body = assert_error(
        analyst_api.get(NUMBERS, {"date_from": TODAY.isoformat(), "date_to": days_ago(1).isoformat()}),
        422,
        "validation_error",
    )
    assert body["details"][0]["loc"] == ["query", "date_to"]
    assert_error(analyst_api.get(NUMBERS, period(office="NOPE")), 422, "validation_error")
    assert_error(analyst_api.get(NUMBERS, period(region="999")), 422, "validation_error")
    assert_error(analyst_api.get(NUMBERS, period(group="weekday")), 422)
    # An office outside a head's subtree is as unknown to them as a made-up one.
    assert_error(bearer(cast.head_astana).get(NUMBERS, period(office="ALA")), 422, "validation_error")


def test_numbers_need_the_statistics_permission(cast, no_2fa, data):
    assert_error(bearer(cast.prosecutor_astana).get(NUMBERS), 403, "forbidden")
    assert_error(Client().get(NUMBERS), 401, "not_authenticated")


def test_a_head_counts_their_subtree(cast, no_2fa, data):
    body = bearer(cast.head_astana).get(NUMBERS, period()).json()
    assert [row["key"] for row in body["rows"]] == ["AST-01"]
    assert body["totals"]["acts"] == 2


def test_control_lists_of_the_caller(cast, no_2fa, data):
    body = bearer(cast.prosecutor_astana).get(CONTROL).json()
    assert body["scope"] == "mine" and body["today"] == TODAY.isoformat()
    assert body["counts"] == {"overdue_acts": 1, "acts_without_result": 1, "inspections_past_period": 1}
    [act] = body["overdue_acts"]
    assert act["number"] == data["overdue"].number
    assert act["act_type"] == "protest" and act["office"] == "AST-01"
    assert act["due_date"] == days_ago(3).isoformat()
    assert act["author_name"] == cast.prosecutor_astana.full_name
    assert [a["number"] for a in body["acts_without_result"]] == [data["replied"].number]
    [inspection] = body["inspections_past_period"]
    assert inspection["number"] == data["inspection"].number
    assert inspection["responsible_id"] == cast.prosecutor_astana.pk


def test_control_scope_and_limit(cast, no_2fa, data):
    head = bearer(cast.head_gpo)
    body = head.get(CONTROL).json()
    assert body["scope"] == "office"
    assert [a["number"] for a in body["overdue_acts"]] == [data["overdue"].number, data["almaty"].number]
    body = head.get(CONTROL, {"limit": 1}).json()
    assert len(body["overdue_acts"]) == 1 and body["counts"]["overdue_acts"] == 2
    assert head.get(CONTROL, {"scope": "mine"}).json()["counts"]["overdue_acts"] == 0
    assert_error(head.get(CONTROL, {"scope": "everything"}), 422)
    assert_error(head.get(CONTROL, {"limit": 0}), 422)


def test_control_needs_supervision(cast, no_2fa):
    assert_error(bearer(cast.analyst).get(CONTROL), 403, "forbidden")
    assert_error(Client().get(CONTROL), 401, "not_authenticated")


def test_control_costs_a_fixed_number_of_queries(cast, no_2fa, data, django_assert_max_num_queries):
    client = bearer(cast.head_astana)
    client.get(CONTROL)
    with django_assert_max_num_queries(12):
        client.get(CONTROL)
