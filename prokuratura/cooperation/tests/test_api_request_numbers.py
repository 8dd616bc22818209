"""GET /api/v1/cooperation/request-numbers: the same figures as the numbers page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prokuratura.cooperation.models_requests import Direction, RequestKind, RequestStatus
from prokuratura.core.models import Sensitivity
from prokuratura.core.tests.api_client import assert_error, bearer

from .factories import CountryFactory
from .test_request_stats import make_request

pytestmark = pytest.mark.django_db
S = RequestStatus
TODAY = timezone.localdate()
NUMBERS = "/api/v1/cooperation/request-numbers"


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def period(**extra: str) -> dict[str, str]:
    return {"date_from": days_ago(100).isoformat(), "date_to": TODAY.isoformat(), **extra}


@pytest.fixture
def data(cast, offices):
    CountryFactory(iso2="XA", name_en="Aldovia")
    CountryFactory(iso2="XB", name_en="Borduria")
    officer = cast.intl_officer
    for executed in (10, 30, 33):
        make_request(
            office=offices.gpo,
            officer=officer,
            status=S.EXECUTED,
            start=days_ago(40),
            executed_on=days_ago(executed),
        )
    make_request(
        office=offices.astana_district,
        officer=officer,
        partner="XB",
        direction=Direction.INCOMING,
        kind=RequestKind.EXTRADITION,
        status=S.REGISTERED,
        start=days_ago(20),
        due_date=days_ago(2),
        sensitivity=Sensitivity.RESTRICTED,
    )


@pytest.fixture
def analyst_api(cast, no_2fa) -> Client:
    return bearer(cast.analyst)


def test_numbers_as_json(analyst_api, data):
    response = analyst_api.get(NUMBERS, period())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["office"] is None and body["direction"] is None and body["today"] == TODAY.isoformat()
    assert body["total"]["total"] == 4
    assert body["total"]["outcomes"] == {
        "open": 1,
        "executed": 3,
        "partly_executed": 0,
        "refused": 0,
        "withdrawn": 0,
        "materials_sent": 0,
    }
    assert [t["dimension"] for t in body["tables"]] == [
        "direction",
        "kind",
        "partner",
        "focus_area",
        "iccs_section",
    ]
    partner = body["tables"][2]
    assert [(r["key"], r["name"], r["total"]) for r in partner["rows"]] == [
        ("XA", "Aldovia", 3),
        ("XB", "Borduria", 1),
    ]
    # 30, 10 and 7 days → median 10, p90 = 10 + 0.8 × (30 − 10) = 26
    (duration,) = body["durations"]
    assert (duration["partner"], duration["direction"], duration["count"]) == ("XA", "outgoing", 3)
    assert (duration["median"], duration["p90"], duration["shortest"], duration["longest"]) == (
        "10.0",
        "26.0",
        7,
        30,
    )
    assert body["overdue_total"] == 1
    assert body["overdue_by_office"] == [
        {
            "key": "AST-01",
            "name": "Yesil district prosecutor's office",
            "count": 1,
            "oldest_due": days_ago(2).isoformat(),
        }
    ]
    assert [r["key"] for r in body["overdue_by_partner"]] == ["XB"]


def test_the_api_and_the_page_agree(cast, client_for, data):
    body = bearer(cast.analyst).get(NUMBERS, period(direction="outgoing")).json()
    page = client_for(cast.analyst).get(reverse("cooperation:request_numbers"), period(direction="outgoing"))
    numbers = page.context["numbers"]
    assert body["total"]["total"] == numbers.total.total == 3
    assert [r["median"] for r in body["durations"]] == [str(r.median) for r in numbers.durations]


def test_filters(cast, no_2fa, data):
    client = bearer(cast.analyst)
    assert client.get(NUMBERS, period(kind="extradition")).json()["total"]["total"] == 1
    body = client.get(NUMBERS, period(office="AST")).json()
    assert body["office"] == "AST" and body["total"]["total"] == 1 and body["durations"] == []


def test_a_regional_head_counts_the_region_only(cast, no_2fa, data):
    body = bearer(cast.head_astana).get(NUMBERS, period()).json()
    assert body["total"]["total"] == 1 and body["overdue_total"] == 1  # the restricted request is counted
    problem = assert_error(
        bearer(cast.head_astana).get(NUMBERS, period(office="ALA")), 422, "validation_error"
    )
    assert problem["details"][0]["loc"] == ["query", "office"]


def test_bad_input_is_422(analyst_api, data):
    body = assert_error(
        analyst_api.get(NUMBERS, {"date_from": "2026-05-01", "date_to": "2026-04-01"}),
        422,
        "validation_error",
    )
    assert body["details"][0]["loc"] == ["query", "date_to"]
    assert_error(analyst_api.get(NUMBERS, {"direction": "sideways"}), 422)
    assert_error(analyst_api.get(NUMBERS, {"date_from": "yesterday"}), 422)


def test_who_may_not_count(cast, no_2fa, data):
    assert_error(bearer(cast.prosecutor_astana).get(NUMBERS), 403)
    assert_error(Client().get(NUMBERS), 401, "not_authenticated")


def test_the_numbers_cost_a_fixed_number_of_queries(cast, no_2fa, data, offices, django_assert_num_queries):
    client = bearer(cast.analyst)
    client.get(NUMBERS, period())  # the first use of a token records it; later uses do not write
    # token, user and roles in one query, the user's office, the selector (five counts, histogram, overdue, states', offices')
    with django_assert_num_queries(11):
        client.get(NUMBERS, period())
    for n in range(4):
        CountryFactory(iso2=f"Y{n}")
        make_request(
            office=offices.almaty,
            officer=cast.intl_officer,
            partner=f"Y{n}",
            status=S.IN_EXECUTION,
            start=days_ago(5),
            due_date=days_ago(1),
        )
    with django_assert_num_queries(11):
        assert client.get(NUMBERS, period()).json()["overdue_total"] == 5
