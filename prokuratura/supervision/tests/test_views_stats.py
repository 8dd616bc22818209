"""The numbers page, its CSV and its two SVG charts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import make_act, make_inspection, make_violation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SVG = "{http://www.w3.org/2000/svg}"


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def few(cast):
    p = cast.prosecutor_astana
    inspection = make_inspection(
        by=p, head=cast.head_astana, started=True, period_start=days_ago(20), period_end=days_ago(1)
    )
    make_violation(by=p, inspection=inspection, found_on=days_ago(10))
    make_act(by=p, code="protest", inspection=inspection, issue=True, issued_on=days_ago(5))
    make_act(by=cast.prosecutor_almaty, code="submission", issue=True, issued_on=days_ago(4))


def period() -> dict[str, str]:
    return {"date_from": days_ago(30).isoformat(), "date_to": TODAY.isoformat()}


def test_the_analyst_sees_the_table_and_both_charts(cast, client_for, few):
    response = client_for(cast.analyst).get(reverse("supervision:numbers"), period())
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert 'id="numbers-table"' in html
    assert "Yesil district prosecutor&#x27;s office" in html or "Yesil district prosecutor's office" in html
    assert f"{reverse('supervision:numbers_chart')}?chart=types" in html
    assert f"{reverse('supervision:numbers_chart')}?chart=regions" in html
    assert 'id="numbers-by-region-table"' in html and 'id="numbers-by-type-table"' in html


def test_the_analyst_sees_the_numbers_move_when_an_act_is_recorded(cast, client_for, few):
    client = client_for(cast.analyst)
    params = {**period(), "group": "act_type"}

    def protests() -> str:
        html = client.get(reverse("supervision:numbers"), params).content.decode()
        row = html.split("Protest against an unlawful act", 1)[1]
        return row.split('<td class="num">', 2)[1].split("<", 1)[0]

    assert protests() == "1"
    make_act(by=cast.prosecutor_almaty, code="protest", issue=True, issued_on=TODAY)
    assert protests() == "2"


def test_the_numbers_need_the_statistics_permission(cast, client, client_for):
    for name in ("supervision:numbers", "supervision:numbers_csv", "supervision:numbers_chart"):
        assert client_for(cast.prosecutor_astana).get(reverse(name)).status_code == 403
    client.logout()
    response = client.get(reverse("supervision:numbers"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_period_ending_before_it_starts_is_refused(cast, client_for):
    response = client_for(cast.analyst).get(
        reverse("supervision:numbers"), {"date_from": TODAY.isoformat(), "date_to": days_ago(1).isoformat()}
    )
    assert response.status_code == 400
    assert "The end of the period is before its start." in response.content.decode()
    chart = client_for(cast.analyst).get(
        reverse("supervision:numbers_chart"),
        {"chart": "types", "date_from": TODAY.isoformat(), "date_to": days_ago(1).isoformat()},
    )
    assert chart.status_code == 400


def test_an_office_outside_the_heads_subtree_is_refused(cast, offices, client_for):
    response = client_for(cast.head_astana).get(reverse("supervision:numbers"), {"office": offices.almaty.pk})
    assert response.status_code == 400


def test_htmx_gets_only_the_results(cast, client_for, few):
    response = client_for(cast.analyst).get(
        reverse("supervision:numbers"), period(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="numbers-results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="numbers-results"')
    assert "<form" not in html


@pytest.mark.parametrize("chart", ["types", "regions"])
def test_the_charts_are_well_formed_svg_with_the_tables_figures(cast, client_for, few, chart):
    response = client_for(cast.analyst).get(
        reverse("supervision:numbers_chart"), {"chart": chart, **period()}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    texts = [element.text for element in root.iter(f"{SVG}text")]
    if chart == "types":
        assert "Protest against an unlawful act" in " ".join(t or "" for t in texts)
    else:
        assert "Astana" in texts and "Almaty" in texts


def test_an_unknown_chart_is_refused(cast, client_for):
    response = client_for(cast.analyst).get(reverse("supervision:numbers_chart"), {"chart": "pie"})
    assert response.status_code == 400


def test_the_csv_has_a_header_row_the_rows_and_the_totals(cast, client_for, few):
    response = client_for(cast.analyst).get(reverse("supervision:numbers_csv"), period())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    header = rows[0]
    assert header[:6] == [
        "Code",
        "Office",
        "Inspections",
        "Violations found",
        "Damage found, tenge",
        "Acts issued",
    ]
    assert "Protest against an unlawful act" in header
    assert "Brought to criminal responsibility" in header
    assert [row[0] for row in rows[1:]] == ["AST-01", "ALA", ""]
    totals = rows[-1]
    assert totals[1] == "Total"
    assert totals[header.index("Acts issued")] == "2"
    assert totals[header.index("Damage found, tenge")] == "1500000.00"


def test_the_page_and_the_charts_cost_a_fixed_number_of_queries(
    cast, client_for, few, django_assert_max_num_queries
):
    client = client_for(cast.analyst)
    client.get(reverse("supervision:numbers"), period())
    with django_assert_max_num_queries(21):
        client.get(reverse("supervision:numbers"), period())
    with django_assert_max_num_queries(12):
        client.get(reverse("supervision:numbers_chart"), {"chart": "regions", **period()})
