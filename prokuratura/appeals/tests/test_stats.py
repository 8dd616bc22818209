"""The numbers: exact figures for a known set of appeals, grouping, period and office filters, who may see
them, the dashboard and its CSV export."""

import csv
import datetime as dt
import io
import zoneinfo
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

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
from prokuratura.appeals.stats import COLUMN_KEYS, GroupBy, appeal_stats
from prokuratura.appeals.tests.factories import register
from prokuratura.core.models import Sensitivity
from prokuratura.core.navigation import items_for

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
FIELDS = list(COLUMN_KEYS)


def answer(appeal, *, head, prosecutor, outcome, persons=0):
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
    # and the selector's three: none of them grows with the number of appeals or offices.
    for group_by in GroupBy.values:
        with django_assert_max_num_queries(11):
            assert client.get(reverse("appeals:stats"), {**params, "group_by": group_by}).status_code == 200


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
