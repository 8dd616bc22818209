"""The numbers: exact figures for a known set of appeals, grouping, period and office filters, who may see
them, the dashboard, its CSV export and its two charts (the same figures as the tables beside them)."""

import csv
import datetime as dt
import io
import re
import zoneinfo
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from prokuratura.appeals.models import Appeal, ApplicantType, Outcome, Status
from prokuratura.appeals.selectors import appeal_list
from prokuratura.appeals.services import (
    appeal_answer,
    appeal_assign,
    appeal_forward,
    appeal_reopen,
    appeal_start_review,
    appeal_triage_leave,
)
from prokuratura.appeals.stats import (
    CHART_COLUMNS,
    COLUMN_KEYS,
    GroupBy,
    TrendUnit,
    appeal_stats,
    appeal_stats_trend,
)
from prokuratura.appeals.tests.factories import register
from prokuratura.core.models import Sensitivity
from prokuratura.core.navigation import items_for

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
FIELDS = list(COLUMN_KEYS)


def answer(appeal, *, head, prosecutor, outcome=Outcome.SATISFIED, persons=0):
    appeal_assign(by=head, appeal=appeal, assignee=prosecutor)
    appeal_start_review(by=prosecutor, appeal=appeal)
    return appeal_answer(
        by=prosecutor,
        appeal=appeal,
        outcome=outcome,
        answer_text="Ваше обращение рассмотрено.",
        rights_restored=persons > 0,
        persons_restored=persons,
    )


@pytest.fixture
def period():
    """A period around today wide enough for every appeal of `dataset`."""
    today = timezone.localdate()
    return SimpleNamespace(start=today - dt.timedelta(days=120), end=today + dt.timedelta(days=40))


@pytest.fixture
def dataset(offices, cast):
    """Twelve appeals in the period, each with a known fate.

    "Recent" ones are received now, so answering them today is on time; "old" ones were received 60 days ago,
    so their 15 working days are over: open means overdue, answered today means answered late.
    """
    old = timezone.now() - dt.timedelta(days=60)
    astana_region, almaty_region = offices.astana.region, offices.almaty.region
    head_ast, head_gpo = cast.head_astana, cast.head_gpo
    pros_ast, pros_ala = cast.prosecutor_astana, cast.prosecutor_almaty

    def reg(office, region, **kw):
        return register(by=cast.registrar_astana, office=office, region=region, **kw)

    district, ast, ala, gpo = offices.astana_district, offices.astana, offices.almaty, offices.gpo
    a = SimpleNamespace()
    # Yesil district (Astana region): satisfied ×3 people, partly ×2 people, explained late, open overdue, open.
    a.satisfied = answer(
        reg(district, astana_region), head=head_ast, prosecutor=pros_ast, outcome=Outcome.SATISFIED, persons=3
    )
    a.partly = answer(
        reg(district, astana_region),
        head=head_ast,
        prosecutor=pros_ast,
        outcome=Outcome.PARTLY_SATISFIED,
        persons=2,
    )
    a.explained_late = answer(
        reg(district, astana_region, received_at=old),
        head=head_ast,
        prosecutor=pros_ast,
        outcome=Outcome.EXPLAINED,
    )
    a.open_overdue = reg(district, astana_region, received_at=old)
    a.open_restricted = reg(district, astana_region, sensitivity=Sensitivity.RESTRICTED)
    # Astana city office: rejected, forwarded, anonymous (left without consideration at its triage).
    a.rejected = answer(reg(ast, astana_region), head=head_ast, prosecutor=pros_ast, outcome=Outcome.REJECTED)
    a.forwarded = appeal_forward(
        by=head_ast,
        appeal=reg(ast, astana_region),
        forwarded_to="Акимат города Астаны",
        reason="Вне компетенции органов прокуратуры.",
    )
    a.anonymous = appeal_triage_leave(
        by=head_ast,
        appeal=reg(ast, astana_region, applicant_type=ApplicantType.ANONYMOUS, applicant_name=""),
        reason="Анонимное обращение, сведений о преступлении нет.",
    )
    # Almaty city office: satisfied late without rights restored, satisfied ×5 people, answered then reopened.
    a.satisfied_late = answer(
        reg(ala, almaty_region, received_at=old),
        head=head_gpo,
        prosecutor=pros_ala,
        outcome=Outcome.SATISFIED,
    )
    a.satisfied_five = answer(
        reg(ala, almaty_region), head=head_gpo, prosecutor=pros_ala, outcome=Outcome.SATISFIED, persons=5
    )
    reopened = answer(
        reg(ala, almaty_region, received_at=old),
        head=head_gpo,
        prosecutor=pros_ala,
        outcome=Outcome.SATISFIED,
        persons=4,
    )
    a.reopened = appeal_reopen(by=head_gpo, appeal=reopened, reason="Жалоба на ответ удовлетворена.")
    # The GPO itself, about a matter in Almaty: open.
    a.gpo_open = reg(gpo, almaty_region)
    # The data set is what the docstring says it is.
    assert a.anonymous.status == Status.LEFT_WITHOUT_CONSIDERATION
    assert a.reopened.status == Status.REOPENED and a.reopened.due_date > timezone.localdate()
    assert a.open_overdue.due_date < timezone.localdate() < a.open_restricted.due_date
    return a


def figures(**values):
    """A full row of figures: every column zero unless given."""
    unknown = set(values) - set(FIELDS)
    assert not unknown, unknown
    return tuple(values.get(key, 0) for key in FIELDS)


EXPECTED_TOTALS = figures(
    received=12,
    in_work=4,
    answered=7,
    on_time=5,
    overdue=3,
    outcome_satisfied=3,
    outcome_partly=1,
    outcome_explained=1,
    outcome_rejected=1,
    outcome_forwarded=1,
    outcome_left=1,
    persons_helped=10,
)


def stats_for(user, period, **kwargs):
    return appeal_stats(user=user, period_from=period.start, period_to=period.end, **kwargs)


def as_dict(cells):
    return dict(zip(FIELDS, cells, strict=True))


# --- the figures ----------------------------------------------------------------------------------------------


def test_totals_of_a_known_data_set_are_exact(cast, dataset, period):
    table = stats_for(cast.analyst, period)
    assert table.totals == EXPECTED_TOTALS
    for group_by in GroupBy.values:
        table = stats_for(cast.analyst, period, group_by=group_by)
        # The rows add up to the total, which the database counted on its own.
        sums = tuple(sum(column) for column in zip(*(row.cells for row in table.rows), strict=True))
        assert sums == table.totals == EXPECTED_TOTALS
        # Every appeal is in work, answered or forwarded; every answer is on time or late.
        for cells in [table.totals, *(row.cells for row in table.rows)]:
            f = as_dict(cells)
            assert f["received"] == f["in_work"] + f["answered"] + f["outcome_forwarded"]
            answered_late = f["answered"] - f["on_time"]
            assert 0 <= f["overdue"] - answered_late <= f["in_work"]
    # Overdue is counted as of `today`: long before anything fell due, only the two late answers count.
    early = stats_for(cast.analyst, period, today=period.start)
    assert as_dict(early.totals)["overdue"] == 2


def test_grouped_by_office_in_tree_order(offices, cast, dataset, period):
    table = stats_for(cast.analyst, period, group_by=GroupBy.OFFICE)
    assert [row.code for row in table.rows] == ["GPO", "AST", "AST-01", "ALA"]
    assert [row.depth for row in table.rows] == [0, 1, 2, 1]
    assert table.rows[1].name == "Astana city prosecutor's office"
    by_code = {row.code: row.cells for row in table.rows}
    assert by_code["GPO"] == figures(received=1, in_work=1)
    assert by_code["AST"] == figures(
        received=3, answered=2, on_time=2, outcome_rejected=1, outcome_forwarded=1, outcome_left=1
    )
    assert by_code["AST-01"] == figures(
        received=5,
        in_work=2,
        answered=3,
        on_time=2,
        overdue=2,
        outcome_satisfied=1,
        outcome_partly=1,
        outcome_explained=1,
        persons_helped=5,
    )
    # The reopened appeal is in work again, without its outcome (2 satisfied, not 3) or its 4 people.
    assert by_code["ALA"] == figures(
        received=3, in_work=1, answered=2, on_time=1, overdue=1, outcome_satisfied=2, persons_helped=5
    )


def test_grouped_by_the_appeals_region(offices, cast, dataset, period):
    table = stats_for(cast.analyst, period, group_by=GroupBy.REGION)
    assert [row.name for row in table.rows] == ["Astana", "Almaty"]
    assert [row.code for row in table.rows] == ["710000000", "750000000"]
    astana, almaty = (as_dict(row.cells) for row in table.rows)
    assert (astana["received"], astana["overdue"], astana["persons_helped"]) == (8, 2, 5)
    # The GPO's appeal about Almaty counts for Almaty (the GPO itself has no region).
    assert (almaty["received"], almaty["in_work"], almaty["persons_helped"]) == (4, 2, 5)


def test_the_period_selects_by_registration_date_both_days_included(offices, cast):
    recent = register(by=cast.registrar_astana, office=offices.astana)
    old = register(
        by=cast.registrar_astana,
        office=offices.astana_district,
        received_at=dt.datetime(2024, 5, 2, 10, tzinfo=ALMATY),
    )
    answer(
        old, head=cast.head_astana, prosecutor=cast.prosecutor_astana, outcome=Outcome.SATISFIED, persons=7
    )
    day = old.registered_on
    table = appeal_stats(user=cast.analyst, period_from=day, period_to=day)
    # Registered in 2024 and answered today: answered late.
    assert table.totals == figures(received=1, answered=1, overdue=1, outcome_satisfied=1, persons_helped=7)
    assert [row.code for row in table.rows] == ["AST-01"]
    before = appeal_stats(
        user=cast.analyst, period_from=day - dt.timedelta(days=30), period_to=day - dt.timedelta(days=1)
    )
    assert before.rows == [] and before.totals == figures()
    today = recent.registered_on
    now = appeal_stats(user=cast.analyst, period_from=day + dt.timedelta(days=1), period_to=today)
    assert now.totals == figures(received=1, in_work=1)


# --- whose numbers --------------------------------------------------------------------------------------------


def test_whose_numbers(offices, cast, dataset, period):
    # A head: their office and the offices below it, and nothing from elsewhere even when asked for.
    table = stats_for(cast.head_astana, period)
    assert [row.code for row in table.rows] == ["AST", "AST-01"]
    assert as_dict(table.totals)["received"] == 8
    assert stats_for(cast.head_astana, period, office=offices.almaty).totals == figures()
    # The office filter takes the office and the offices below it.
    within = stats_for(cast.analyst, period, office=offices.astana)
    assert [row.code for row in within.rows] == ["AST", "AST-01"]
    assert within.totals == table.totals
    # National roles and the GPO's analysts count everything — restricted appeals too, which the auditor may
    # not open: a count reveals nothing, and leaving them out would make the national total wrong.
    assert not appeal_list(user=cast.auditor).filter(pk=dataset.open_restricted.pk).exists()
    assert stats_for(cast.auditor, period).totals == EXPECTED_TOTALS
    assert stats_for(cast.analyst, period).totals == EXPECTED_TOTALS
    # Without the permission: nothing.
    for user in (cast.registrar_astana, cast.prosecutor_astana, cast.outsider):
        refused = stats_for(user, period)
        assert refused.rows == [] and refused.totals == figures()


@pytest.fixture
def few(offices, cast):
    """Two appeals: one answered in Yesil district with one person helped, one open in Almaty."""
    helped = answer(
        register(by=cast.registrar_astana, office=offices.astana_district),
        head=cast.head_astana,
        prosecutor=cast.prosecutor_astana,
        outcome=Outcome.SATISFIED,
        persons=1,
    )
    waiting = register(by=cast.registrar_astana, office=offices.almaty, region=offices.almaty.region)
    return SimpleNamespace(helped=helped, waiting=waiting)


def test_the_selector_runs_three_queries_whatever_the_grouping(cast, few, period, django_assert_num_queries):
    stats_for(cast.analyst, period)  # loads the analyst's roles once
    for group_by in GroupBy.values:
        with django_assert_num_queries(3):
            table = stats_for(cast.analyst, period, group_by=group_by)
        assert len(table.rows) == 2


# --- the dashboard --------------------------------------------------------------------------------------------


def test_analyst_sees_the_dashboard_with_totals(client_for, cast, dataset, period):
    client = client_for(cast.analyst)
    response = client.get(
        reverse("appeals:stats"), {"period_from": period.start, "period_to": period.end, "group_by": "office"}
    )
    assert response.status_code == 200
    assert response.context["table"].totals == EXPECTED_TOTALS
    html = response.content.decode()
    assert "Yesil district prosecutor" in html
    assert "<tfoot>" in html and "Total" in html
    assert "no-store" in response["Cache-Control"]


def test_registrar_gets_403_and_anonymous_is_sent_to_sign_in(client, client_for, cast):
    url = reverse("appeals:stats")
    csv_url = reverse("appeals:stats_csv")
    assert client.get(url).status_code == 302
    assert client.get(csv_url).status_code == 302
    registrar = client_for(cast.registrar_astana)
    assert registrar.get(url).status_code == 403
    assert registrar.get(csv_url).status_code == 403


def test_the_default_period_is_the_current_year(client_for, cast, few):
    response = client_for(cast.analyst).get(reverse("appeals:stats"))
    assert response.status_code == 200
    table = response.context["table"]
    year = timezone.localdate().year
    assert (table.period_from, table.period_to) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert table.group_by == "office"
    assert as_dict(table.totals)["received"] == Appeal.objects.filter(registered_on__year=year).count()


def test_an_empty_field_means_the_current_year(client_for, cast):
    response = client_for(cast.analyst).get(
        reverse("appeals:stats"), {"period_from": "", "group_by": "region"}
    )
    table = response.context["table"]
    assert table.period_from == dt.date(timezone.localdate().year, 1, 1)
    assert table.group_by == "region"


def test_a_period_ending_before_it_starts_is_refused(client_for, cast):
    client = client_for(cast.analyst)
    params = {"period_from": "2025-03-01", "period_to": "2025-02-01"}
    response = client.get(reverse("appeals:stats"), params)
    assert response.status_code == 400
    assert response.context["table"] is None
    assert "The end of the period is before its start." in response.content.decode()
    assert client.get(reverse("appeals:stats_csv"), params).status_code == 400


def test_an_office_outside_the_users_subtree_is_refused(client_for, cast, offices):
    response = client_for(cast.head_astana).get(reverse("appeals:stats"), {"office": offices.almaty.pk})
    assert response.status_code == 400


def test_htmx_gets_only_the_results(client_for, cast, few):
    response = client_for(cast.analyst).get(
        reverse("appeals:stats"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="stats-results"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="stats-results"')
    assert "<html" not in html


def test_a_new_answer_shows_at_once(client_for, cast, few, period):
    client = client_for(cast.analyst)
    params = {"period_from": period.start, "period_to": period.end}
    before = as_dict(client.get(reverse("appeals:stats"), params).context["table"].totals)
    answer(
        few.waiting,
        head=cast.head_gpo,
        prosecutor=cast.prosecutor_almaty,
        outcome=Outcome.PARTLY_SATISFIED,
        persons=2,
    )
    after = as_dict(client.get(reverse("appeals:stats"), params).context["table"].totals)
    assert (before["answered"], before["in_work"], before["persons_helped"]) == (1, 1, 1)
    assert (after["answered"], after["in_work"], after["persons_helped"]) == (2, 0, 3)


def test_dashboard_query_count_is_bounded(client_for, cast, few, period, django_assert_max_num_queries):
    client = client_for(cast.analyst)
    params = {"period_from": period.start, "period_to": period.end}
    # Session, user, two OTP device look-ups, roles, 2FA policy, the user's office, the form's office choices,
    # the main table's three, the trend's one, and by office the region table's three (by region the main table
    # is the region table): none of them grows with the number of appeals, offices or months.
    for group_by, most in ((GroupBy.OFFICE, 15), (GroupBy.REGION, 12)):
        with django_assert_max_num_queries(most):
            assert client.get(reverse("appeals:stats"), {**params, "group_by": group_by}).status_code == 200


def test_the_outcomes_are_a_table_of_their_own_so_the_main_one_fits_the_screen(
    client_for, cast, dataset, period
):
    html = (
        client_for(cast.analyst)
        .get(reverse("appeals:stats"), {"period_from": period.start, "period_to": period.end})
        .content.decode()
    )
    main = html.split('id="stats-table"')[1].split("</table>")[0]
    outcomes = html.split('id="stats-outcome-table"')[1].split("</table>")[0]
    # Six figures a row in the main table (the five main ones and the people helped), six outcomes in the other.
    assert main.count('<th scope="col" class="num">') == 6
    assert "Left without consideration" not in main and "Left without consideration" in outcomes
    assert outcomes.count('<th scope="col" class="num">') == 6
    # Both tables total the same data set.
    totals = as_dict(EXPECTED_TOTALS)
    footer = re.findall(r'<td class="num">(\d+)</td>', main.split("<tfoot>")[1])
    assert [int(v) for v in footer] == [
        totals[key] for key in ("received", "in_work", "answered", "on_time", "overdue", "persons_helped")
    ]
    footer = re.findall(r'<td class="num">(\d+)</td>', outcomes.split("<tfoot>")[1])
    assert [int(v) for v in footer] == [totals[key] for key in FIELDS if key.startswith("outcome_")]


# --- the trend ------------------------------------------------------------------------------------------------


def test_the_trend_adds_up_to_the_table_month_by_month(cast, dataset, period):
    trend = appeal_stats_trend(user=cast.analyst, period_from=period.start, period_to=period.end)
    assert trend.unit == TrendUnit.MONTH
    # Every month of the period is a point, those without appeals as zeros.
    starts = [point.start for point in trend.points]
    assert starts[0] == period.start.replace(day=1) and starts[-1] == period.end.replace(day=1)
    assert len(starts) == len(set(starts)) and all(start.day == 1 for start in starts)
    assert trend.points[0].label == f"{period.start.month:02d}.{period.start.year}"
    assert trend.totals == EXPECTED_TOTALS == stats_for(cast.analyst, period).totals
    # The appeals received 60 days ago (four of them, all late or overdue) are in their month.
    old_month = (timezone.localdate() - dt.timedelta(days=60)).replace(day=1)
    old = next(point for point in trend.points if point.start == old_month)
    assert (old.figure("received"), old.figure("overdue")) >= (4, 3)


def test_a_long_period_is_drawn_year_by_year_from_the_first_year_with_appeals(offices, cast):
    register(
        by=cast.registrar_astana,
        office=offices.astana_district,
        received_at=dt.datetime(2024, 5, 2, 10, tzinfo=ALMATY),
    )
    register(by=cast.registrar_astana, office=offices.astana)
    this_year = timezone.localdate().year
    trend = appeal_stats_trend(
        user=cast.analyst, period_from=dt.date(1, 1, 1), period_to=dt.date(9999, 12, 31)
    )
    assert trend.unit == TrendUnit.YEAR
    assert [point.label for point in trend.points] == [str(year) for year in range(2024, this_year + 1)]
    assert [point.figure("received") for point in trend.points] == [1, *([0] * (this_year - 2025)), 1]
    # Two years and one month is already "long"; two years exactly is still month by month.
    assert (
        appeal_stats_trend(
            user=cast.analyst, period_from=dt.date(2024, 1, 1), period_to=dt.date(2026, 1, 31)
        ).unit
        == TrendUnit.YEAR
    )
    months = appeal_stats_trend(
        user=cast.analyst, period_from=dt.date(2024, 1, 1), period_to=dt.date(2025, 12, 31)
    )
    assert months.unit == TrendUnit.MONTH and len(months.points) == 24
    # Nothing in the period: no points, zero totals.
    empty = appeal_stats_trend(
        user=cast.analyst, period_from=dt.date(1990, 1, 1), period_to=dt.date(2000, 1, 1)
    )
    assert empty.points == [] and empty.totals == figures()


def test_the_trend_keeps_to_the_users_scope_and_runs_one_query(cast, few, period, django_assert_num_queries):
    assert appeal_stats_trend(
        user=cast.head_astana, period_from=period.start, period_to=period.end
    ).totals == (stats_for(cast.head_astana, period).totals)
    assert (
        as_dict(
            appeal_stats_trend(user=cast.head_astana, period_from=period.start, period_to=period.end).totals
        )["received"]
        == 1
    )
    refused = appeal_stats_trend(user=cast.registrar_astana, period_from=period.start, period_to=period.end)
    assert refused.totals == figures()
    stats_for(cast.analyst, period)  # loads the analyst's roles once
    with django_assert_num_queries(1):
        appeal_stats_trend(user=cast.analyst, period_from=period.start, period_to=period.end)


# --- the charts -----------------------------------------------------------------------------------------------


def chart_labels(language="en"):
    with translation.override(language):
        return [str(label) for _key, label in CHART_COLUMNS]


def bars(svg, language="en"):
    """{category: (received, answered, overdue)} read back from a bar chart's tooltips."""
    labels = chart_labels(language)
    root = ElementTree.fromstring(svg.encode())  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    out, category = {}, None
    for element in root.iter():
        if element.tag == f"{ns}g":
            category = element.find(f"{ns}title").text
            out[category] = []
        elif element.tag == f"{ns}rect" and element.find(f"{ns}title") is not None:
            label, value = element.find(f"{ns}title").text.rsplit(": ", 1)
            assert label == labels[len(out[category])]
            out[category].append(int(value))
    return {key: tuple(values) for key, values in out.items()}


def lines(svg):
    """{category: (received, answered, overdue)} read back from a line chart's point tooltips."""
    labels = chart_labels()
    root = ElementTree.fromstring(svg.encode())  # noqa: S314 - our own output
    points = {}
    for title in root.iter("{http://www.w3.org/2000/svg}title"):
        found = re.fullmatch(r"(.+), (.+): (\d+)", title.text or "")
        if found:
            series, category, value = found.groups()
            points.setdefault(category, {})[series] = int(value)
    return {category: tuple(values[label] for label in labels) for category, values in points.items()}


def chart(client, name, **params):
    return client.get(reverse("appeals:stats_chart"), {"chart": name, **params})


def test_the_region_chart_has_the_figures_of_the_region_table(client_for, cast, dataset, period):
    client = client_for(cast.analyst)
    params = {"period_from": period.start, "period_to": period.end}
    response = chart(client, "regions", **params)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    svg = response.content.decode()
    page = client.get(reverse("appeals:stats"), {**params, "group_by": "office"}).context
    table = page["by_region"]
    assert table.group_by == "region"
    assert bars(svg) == {row.name: row.chart_cells() for row in table.rows}
    assert bars(svg) == {"Astana": (8, 5, 2), "Almaty": (4, 2, 1)}
    assert "Appeals by region" in svg and "The same figures are in the table beside the chart." in svg


def test_the_trend_chart_has_the_figures_of_the_trend_table(client_for, cast, dataset, period):
    client = client_for(cast.analyst)
    params = {"period_from": period.start, "period_to": period.end}
    svg = chart(client, "trend", **params).content.decode()
    trend = client.get(reverse("appeals:stats"), params).context["trend"]
    assert lines(svg) == {point.label: point.chart_cells() for point in trend.points}
    assert tuple(map(sum, zip(*lines(svg).values(), strict=True))) == trend.chart_totals()
    assert trend.chart_totals() == tuple(as_dict(EXPECTED_TOTALS)[key] for key, _label in CHART_COLUMNS)
    assert "Appeals by month of registration" in svg
    long = chart(client, "trend", period_from="2020-01-01", period_to=period.end).content.decode()
    assert "Appeals by year of registration" in long
    assert set(lines(long)) == {str(year) for year in range(period.start.year, timezone.localdate().year + 1)}


def test_the_charts_count_what_the_user_may_count_with_the_same_filters(
    client_for, cast, dataset, period, offices
):
    params = {"period_from": period.start, "period_to": period.end}
    # A head of the Astana office: Astana's appeals only, even when asking for everything.
    head = client_for(cast.head_astana)
    assert bars(chart(head, "regions", **params).content.decode()) == {"Astana": (8, 5, 2)}
    assert sum(v[0] for v in lines(chart(head, "trend", **params).content.decode()).values()) == 8
    # The office filter narrows the chart as it narrows the table.
    analyst = client_for(cast.analyst)
    within = bars(chart(analyst, "regions", **params, office=offices.almaty.pk).content.decode())
    assert within == {"Almaty": (3, 2, 1)}
    # In Russian the regions are named in Russian.
    response = analyst.get(
        reverse("appeals:stats_chart"), {"chart": "regions", **params}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert set(bars(response.content.decode(), "ru")) == {"г. Астана", "г. Алматы"}


def test_the_charts_refuse_what_the_dashboard_refuses(client, client_for, cast, offices):
    url = reverse("appeals:stats_chart")
    assert client.get(url, {"chart": "regions"}).status_code == 302
    assert client_for(cast.registrar_astana).get(url, {"chart": "regions"}).status_code == 403
    head = client_for(cast.head_astana)
    for params in (
        {"chart": "regions", "period_from": "2025-03-01", "period_to": "2025-02-01"},
        {"chart": "trend", "period_from": "not a date"},
        {"chart": "trend", "office": offices.almaty.pk},  # outside the head's subtree
    ):
        response = head.get(url, params)
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
    unknown = head.get(url, {"chart": "pie"})
    assert unknown.status_code == 400 and "regions, trend" in unknown.content.decode()
    assert head.get(url).status_code == 400


def test_chart_query_counts_are_pinned(client_for, cast, few, period, django_assert_num_queries):
    client = client_for(cast.analyst)
    params = {"period_from": period.start, "period_to": period.end}
    chart(client, "regions", **params)  # the session's first request settles what it caches
    # Session, user, two OTP device look-ups, roles, 2FA policy, the user's office (the scope), then the region
    # selector's three (grouped figures, totals, the regions' names) or the trend's one — whatever the number of
    # appeals, regions or months.
    with django_assert_num_queries(10):
        assert chart(client, "regions", **params).status_code == 200
    with django_assert_num_queries(8):
        assert chart(client, "trend", **params).status_code == 200


def test_the_dashboard_embeds_both_charts_with_their_filters_and_tables(
    client_for, cast, dataset, period, offices
):
    client = client_for(cast.analyst)
    params = {"period_from": period.start.isoformat(), "period_to": period.end.isoformat()}
    html = client.get(reverse("appeals:stats"), {**params, "office": offices.astana.pk}).content.decode()
    query = f"period_from={params['period_from']}&amp;period_to={params['period_to']}&amp;office={offices.astana.pk}"
    assert f'src="/appeals/stats.svg?chart=regions&amp;{query}"' in html
    assert f'src="/appeals/stats.svg?chart=trend&amp;{query}"' in html
    assert html.count('alt="Bar chart of the appeals received, answered and overdue by region;') == 1
    assert html.count('alt="Line chart of the appeals received, answered and overdue by month') == 1
    # Grouped by office, the region chart has a region table of its own; grouped by region, the main table.
    assert 'id="stats-regions-table"' in html and 'id="stats-trend-table"' in html
    by_region = client.get(reverse("appeals:stats"), {**params, "group_by": "region"}).content.decode()
    assert (
        'id="stats-regions-table"' not in by_region and 'src="/appeals/stats.svg?chart=regions' in by_region
    )
    # No appeals in the period: no charts of nothing.
    empty = client.get(reverse("appeals:stats"), {"period_from": "1990-01-01", "period_to": "1990-12-31"})
    assert "stats.svg" not in empty.content.decode()


# --- CSV ------------------------------------------------------------------------------------------------------


def read_csv(response):
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark Excel needs for Cyrillic
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_the_same_table_with_a_bom_and_a_totals_row(client_for, cast, dataset, period):
    response = client_for(cast.analyst).get(
        reverse("appeals:stats_csv"), {"period_from": period.start, "period_to": period.end}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="appeals-office-')
    assert "no-store" in response["Cache-Control"]
    rows = read_csv(response)
    assert rows[0][:3] == ["Code", "Office", "Received"]
    assert rows[0][-1] == "People helped"
    assert len(rows[0]) == 2 + len(FIELDS)
    assert [row[0] for row in rows[1:-1]] == ["GPO", "AST", "AST-01", "ALA"]
    assert rows[-1][:2] == ["", "Total"]
    assert tuple(int(value) for value in rows[-1][2:]) == EXPECTED_TOTALS
    ast01 = next(row for row in rows if row[0] == "AST-01")
    assert as_dict(tuple(int(v) for v in ast01[2:]))["persons_helped"] == 5


def test_csv_in_russian_keeps_cyrillic(client_for, cast, few, period):
    response = client_for(cast.analyst).get(
        reverse("appeals:stats_csv"),
        {"period_from": period.start, "period_to": period.end, "group_by": "region"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    rows = read_csv(response)
    assert [row[:2] for row in rows[1:-1]] == [["710000000", "г. Астана"], ["750000000", "г. Алматы"]]
    assert "г. Астана".encode() in response.content


def test_csv_cells_cannot_smuggle_a_formula(client_for, cast, few, period, offices):
    offices.almaty.name_en = '=HYPERLINK("http://evil")'
    offices.almaty.save(update_fields=["name_en"])
    response = client_for(cast.analyst).get(
        reverse("appeals:stats_csv"), {"period_from": period.start, "period_to": period.end}
    )
    ala = next(row for row in read_csv(response) if row[0] == "ALA")
    assert ala[1] == '\'=HYPERLINK("http://evil")'


# --- the menu -------------------------------------------------------------------------------------------------


def test_the_menu_offers_the_statistics_to_those_who_may_open_them(cast):
    def names(user):
        return {item["name"] for item in items_for(user)}

    assert "appeals:stats" in names(cast.analyst)
    assert "appeals:list" not in names(cast.analyst)  # analysts see figures, not appeals
    assert {"appeals:list", "appeals:stats"} <= names(cast.head_astana)
    assert "appeals:list" in names(cast.registrar_astana)
    assert "appeals:stats" not in names(cast.registrar_astana)
