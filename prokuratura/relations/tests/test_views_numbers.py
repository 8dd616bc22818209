"""The numbers page: the statement of 22.10.2015 beside the count from the records, the filters, the CSV of each
table, the charts, the permission and the query count."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from .test_stats import STATEMENT_DAY, load_un_visits, osce_statement, sp_statement

pytestmark = pytest.mark.django_db
URL = reverse("relations:numbers")


@pytest.fixture
def history(cast):
    load_un_visits(cast.intl_officer)
    sp_statement()


def test_the_statement_shown_beside_the_count(client_for, cast, history, django_assert_max_num_queries):
    client = client_for(cast.head_gpo)
    with django_assert_max_num_queries(25):
        response = client.get(URL, {"date": STATEMENT_DAY.isoformat(), "years": 5})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stated: 8 (22.10.2015, A. Kravchenko)" in page
    assert "Counted from the records: 6 in the 5 years before 22.10.2015." in page
    assert "The records and the statement differ." in page
    assert "6 visits of UN special procedures from 22.10.2010 to 22.10.2015" in page
    assert "?date=2015-10-22&amp;years=5" in page  # "as of the statement's date"


def test_today_with_the_spt_apart_and_the_osce_statement(client_for, cast, history):
    osce_statement()
    page = client_for(cast.analyst).get(URL, {"years": 15}).content.decode()
    assert "Visits of treaty bodies, counted apart" in page
    assert "started by 22.10.2015: 0." in page
    assert "/relations/events/" not in page  # the analyst may not open the records: no links to them


def test_bad_input_shown_and_today_counted(client_for, cast):
    response = client_for(cast.head_gpo).get(URL, {"date": "2999-01-01", "years": "0"})
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()


def test_the_page_needs_the_numbers_permission(client_for, cast):
    assert client_for(cast.prosecutor_astana).get(URL).status_code == 403


def test_each_table_as_csv(client_for, cast, history):
    client = client_for(cast.analyst)
    response = client.get(
        reverse("relations:numbers_csv"), {"table": "mandates", "date": STATEMENT_DAY.isoformat()}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Mandate", "Kind of mandate", "Visits"]
    assert sum(int(row[2]) for row in rows[1:]) == 6
    statements = client.get(reverse("relations:numbers_csv"), {"table": "statements"}).content.decode()
    assert "2015-10-22;8;6;5" in statements
    assert client.get(reverse("relations:numbers_csv"), {"table": "nope"}).status_code == 400
    bad = client.get(reverse("relations:numbers_csv"), {"table": "visits", "year": "2999"})
    assert bad.status_code == 400


@pytest.mark.parametrize("chart", ["delegations", "projects", "recommendations"])
def test_the_charts(client_for, cast, chart):
    response = client_for(cast.analyst).get(reverse("relations:numbers_chart"), {"chart": chart})
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in response.content
