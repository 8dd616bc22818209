"""The requests' numbers page, its CSV and its two SVG charts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from prokuratura.cooperation.models_requests import Direction, RequestKind, RequestStatus
from prokuratura.core.models import Sensitivity

from .factories import CountryFactory
from .test_request_stats import make_request

pytestmark = pytest.mark.django_db
S = RequestStatus
TODAY = timezone.localdate()
SVG = "{http://www.w3.org/2000/svg}"
PAGE, CSV, CHART = (
    "cooperation:request_numbers",
    "cooperation:request_numbers_csv",
    "cooperation:request_numbers_chart",
)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def period() -> dict[str, str]:
    return {"date_from": days_ago(100).isoformat(), "date_to": TODAY.isoformat()}


@pytest.fixture
def few(cast, offices):
    CountryFactory(iso2="XA", name_en="Aldovia")
    CountryFactory(iso2="XB", name_en="Borduria")
    officer = cast.intl_officer
    make_request(
        office=offices.gpo, officer=officer, status=S.EXECUTED, start=days_ago(40), executed_on=days_ago(10)
    )
    make_request(
        office=offices.gpo, officer=officer, status=S.EXECUTED, start=days_ago(40), executed_on=days_ago(30)
    )
    make_request(
        office=offices.astana_district,
        officer=officer,
        partner="XB",
        direction=Direction.INCOMING,
        kind=RequestKind.EXTRADITION,
        status=S.ASSIGNED,
        start=days_ago(20),
        due_date=days_ago(2),
        sensitivity=Sensitivity.RESTRICTED,
    )


def test_the_analyst_sees_the_tables_the_charts_and_the_overdue(cast, client_for, few):
    response = client_for(cast.analyst).get(reverse(PAGE), period())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    for table in (
        "direction",
        "kind",
        "partner",
        "focus_area",
        "iccs_section",
        "durations",
        "overdue-office",
    ):
        assert f'id="request-numbers-{table}"' in html
    assert f"{reverse(CHART)}?chart=partners" in html and f"{reverse(CHART)}?chart=durations" in html
    assert f"{reverse(CSV)}?date_from=" in html
    assert "Aldovia" in html and "Borduria" in html
    assert "1 request is overdue." in html
    # Aldovia outgoing: 30 and 10 days → median 20.0, p90 28.0
    durations = html.split('id="request-numbers-durations"', 1)[1].split("</tbody>", 1)[0]
    assert '<td class="num">20.0</td>' in durations and '<td class="num">28.0</td>' in durations


def test_the_plain_page_counts_the_current_year(cast, client_for, few):
    response = client_for(cast.analyst).get(reverse(PAGE))
    assert response.status_code == 200
    assert response.context["numbers"].date_from == dt.date(TODAY.year, 1, 1)


def test_a_regional_head_sees_only_the_region_restricted_included(cast, client_for, few):
    html = client_for(cast.head_astana).get(reverse(PAGE), period()).content.decode()
    assert "Borduria" in html and "Aldovia" not in html
    options = html.split('name="office"', 1)[1].split("</select>", 1)[0]
    assert "AST-01" in options and "ALA" not in options and "GPO" not in options


def test_filters_narrow_and_bad_filters_are_400(cast, client_for, few):
    client = client_for(cast.analyst)
    response = client.get(reverse(PAGE), {**period(), "direction": "incoming"})
    assert response.context["numbers"].total.total == 1
    bad = client.get(reverse(PAGE), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert bad.status_code == 400
    assert "The end of the period is before its start." in bad.content.decode()
    assert client.get(reverse(PAGE), {"direction": "sideways"}).status_code == 400
    csv_bad = client.get(reverse(CSV), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert csv_bad.status_code == 400 and csv_bad["Content-Type"].startswith("text/plain")


def test_an_htmx_request_gets_the_results_only(cast, client_for, few):
    response = client_for(cast.analyst).get(
        reverse(PAGE), period(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="request-numbers-results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="request-numbers-results"') and "<form" not in html


def test_who_may_not_count_is_refused(cast, client_for, few):
    assert client_for(cast.prosecutor_astana).get(reverse(PAGE)).status_code == 403
    assert client_for(cast.outsider).get(reverse(CSV)).status_code == 403


def test_the_csv_holds_the_same_figures(cast, client_for, few):
    response = client_for(cast.analyst).get(reverse(CSV), period())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="request-numbers-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header = rows[2]
    assert header[:4] == ["Code", "Direction", "Total", "Open"]
    assert ["outgoing", "Outgoing", "2", "0", "2", "0", "0", "0", "0"] in rows
    assert ["XA", "Aldovia", "Outgoing", "2", "20.0", "28.0", "10", "30"] in rows
    overdue = [row for row in rows if row[:2] == ["AST-01", "Yesil district prosecutor's office"]]
    assert overdue == [["AST-01", "Yesil district prosecutor's office", "1", days_ago(2).isoformat()]]


def test_the_csv_cannot_carry_a_formula(cast, client_for, offices):
    CountryFactory(iso2="XE", name_en="=HYPERLINK(1)")
    make_request(office=offices.gpo, officer=cast.intl_officer, partner="XE", start=days_ago(3))
    text = client_for(cast.analyst).get(reverse(CSV), period()).content.decode()
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize("chart", ["partners", "durations"])
def test_the_charts_are_svg_with_the_same_figures(cast, client_for, few, chart):
    response = client_for(cast.analyst).get(reverse(CHART), {"chart": chart, **period()})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.find(f"{SVG}title") is not None
    texts = [element.text for element in root.iter(f"{SVG}text")]
    if chart == "partners":
        assert "Aldovia" in texts and "Borduria" in texts
    else:
        assert "Aldovia — Outgoing" in texts and "20" in texts and "28" in texts


def test_an_unknown_chart_or_bad_filters_answer_400(cast, client_for, few):
    client = client_for(cast.analyst)
    assert client.get(reverse(CHART), {"chart": "pie"}).status_code == 400
    bad = client.get(reverse(CHART), {"chart": "partners", "date_from": "x"})
    assert bad.status_code == 400 and bad["Content-Type"].startswith("text/plain")


def test_the_page_and_the_charts_cost_a_fixed_number_of_queries(
    cast, client_for, few, offices, django_assert_num_queries
):
    client = client_for(cast.analyst)
    client.get(reverse(PAGE), period())
    # sign-in (session, user, two second-factor devices, roles, role policy), the user's office, the selector
    # (five counts, histogram, overdue, states' and offices' names; no crime category occurs), the select box
    with django_assert_num_queries(17):
        client.get(reverse(PAGE), period())
    for n in range(5):  # more requests, more states: the same number of queries
        CountryFactory(iso2=f"Y{n}")
        make_request(
            office=offices.almaty,
            officer=cast.intl_officer,
            partner=f"Y{n}",
            status=S.EXECUTED,
            start=days_ago(5),
            executed_on=days_ago(1),
            due_date=days_ago(3),
        )
    with django_assert_num_queries(17):
        client.get(reverse(PAGE), period())
    with django_assert_num_queries(16):
        client.get(reverse(CHART), {"chart": "durations", **period()})
