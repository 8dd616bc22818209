"""The appeals list as an office's daily tool: whose appeals (the view, with a default per role), office and
prosecutor by name, sorting, assigning several appeals at once through the lifecycle, and CSV/XLSX export."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from prokuratura.appeals import selectors
from prokuratura.appeals.models import Appeal, AppealTransition, ApplicantType, Status
from prokuratura.appeals.services.workflow import appeal_assign, appeal_start_review
from prokuratura.appeals.tests.factories import register
from prokuratura.appeals.transitions import APPEALS
from prokuratura.core.models import AuditEntry, Sensitivity

LIST = reverse("appeals:list")
ASSIGN = reverse("appeals:assign_selected")


def export_url(fmt):
    return reverse("appeals:export", args=[fmt])


def rows(response):
    return list(response.context["rows"])


def english(*users):
    """Messages and labels in English, whatever the cast prefers (the new strings have no catalogue in tests)."""
    for user in users:
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])


@pytest.fixture
def astana(offices, cast):
    """Two appeals of the Astana office (one assigned to the district prosecutor), one of the district office, and
    a public one of Almaty that everyone may see."""
    first = register(by=cast.registrar_astana, region=offices.astana.region, subject="Первое")
    second = register(by=cast.registrar_astana, region=offices.astana.region, subject="Второе")
    appeal_assign(by=cast.head_astana, appeal=second, assignee=cast.prosecutor_astana)
    district = register(by=cast.registrar_astana, office=offices.astana_district, subject="Районное")
    almaty = register(
        by=cast.registrar_astana,
        region=offices.almaty.region,
        subject="Алматинское",
        sensitivity=Sensitivity.PUBLIC,
    )
    return first, second, district, almaty


# --- whose appeals ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, view",
    [
        ("prosecutor_astana", "mine"),
        ("registrar_astana", "office"),
        ("head_astana", "office"),
        ("head_gpo", "office"),
        ("auditor", "all"),
    ],
)
def test_each_role_starts_from_its_own_view(client_for, cast, astana, who, view):
    response = client_for(getattr(cast, who)).get(LIST)
    assert response.status_code == 200
    assert response.context["view"] == view
    assert 'aria-current="true"' in response.text


def test_a_prosecutor_starts_from_the_appeals_assigned_to_them(client_for, cast, astana):
    first, second, district, almaty = astana
    response = client_for(cast.prosecutor_astana).get(LIST)
    assert rows(response) == [second]
    # Switching to all they may see: their own, their office's internal ones and the public ones.
    everything = client_for(cast.prosecutor_astana).get(LIST, {"view": "all"})
    assert set(rows(everything)) == {second, district, almaty}


def test_my_office_is_the_office_and_the_offices_below_it_not_other_offices_public_appeals(
    client_for, cast, astana
):
    first, second, district, almaty = astana
    office = client_for(cast.head_astana).get(LIST)
    assert set(rows(office)) == {first, second, district}
    everything = client_for(cast.head_astana).get(LIST, {"view": "all"})
    assert set(rows(everything)) == {first, second, district, almaty}
    mine = client_for(cast.head_astana).get(LIST, {"view": "mine"})
    assert rows(mine) == []


def test_the_view_never_widens_the_record_rule(client_for, cast, astana, offices):
    # Registered by the intake (not by the registrar, whom it would then name).
    restricted = register(region=offices.astana.region, sensitivity=Sensitivity.RESTRICTED)
    for view in ("mine", "office", "all"):
        assert restricted not in rows(client_for(cast.registrar_astana).get(LIST, {"view": view}))
    assert restricted in rows(client_for(cast.head_astana).get(LIST, {"view": "office"}))


@pytest.mark.parametrize(
    "params", [{"view": "everything"}, {"sort": "applicant"}, {"sort": "--due"}, {"view": ""}]
)
def test_a_bad_view_or_order_is_the_default_never_an_error(client_for, cast, astana, params):
    response = client_for(cast.head_astana).get(LIST, params)
    assert response.status_code == 200
    assert response.context["view"] == "office"
    assert response.context["sort"] == "-registered"


def test_the_search_form_keeps_the_view_and_the_order(client_for, cast, astana):
    response = client_for(cast.head_astana).get(LIST, {"view": "all", "sort": "due"})
    assert '<input type="hidden" name="view" value="all">' in response.text
    assert '<input type="hidden" name="sort" value="due">' in response.text


def test_switching_the_view_by_htmx_answers_the_region_with_the_url_to_keep(client_for, cast, astana):
    response = client_for(cast.head_astana).get(
        LIST, {"view": "all"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="appeal-search"
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="appeal-search">')
    assert "<html" not in response.text
    # A history restore (Back after htmx's cache missed) gets the whole page.
    restored = client_for(cast.head_astana).get(
        LIST,
        {"view": "all"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="appeal-search",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in restored.text


# --- names, not codes; a fixed number of queries ------------------------------------------------------------------


def test_office_and_prosecutor_are_shown_by_name(client_for, cast, astana, offices):
    first, second, district, almaty = astana
    response = client_for(cast.head_astana).get(LIST)
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        for office in (offices.astana, offices.astana_district):
            assert escape(office.name) in response.text
    assert cast.prosecutor_astana.full_name in response.text
    assert f"<td>{offices.astana.code}</td>" not in response.text


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"view": "all"},
        {"view": "mine"},
        {"sort": "due"},
        {"sort": "-status"},
        {"sort": "number"},
        {"q": "заработную", "sort": "-due"},
    ],
)
def test_the_list_reads_a_fixed_number_of_queries_whatever_the_rows(client_for, cast, offices, params):
    client = client_for(cast.head_astana)

    def make():
        appeal = register(by=cast.registrar_astana, region=offices.astana.region)
        appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.head_astana)
        register(by=cast.registrar_astana, office=offices.astana_district)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST, params)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    make()
    few, _first = queries()
    for _ in range(3):
        make()
    many, response = queries()
    assert many == few
    if params.get("view") != "mine":
        assert len(rows(response)) >= 4


# --- sorting ------------------------------------------------------------------------------------------------------


@pytest.fixture
def three(offices, cast):
    """Three appeals with distinct due dates, numbers and statuses."""
    today = timezone.localdate()
    a = register(by=cast.registrar_astana, region=offices.astana.region)
    b = register(by=cast.registrar_astana, region=offices.astana.region)
    c = register(by=cast.registrar_astana, region=offices.astana.region)
    appeal_assign(by=cast.head_astana, appeal=a, assignee=cast.prosecutor_astana)
    appeal_start_review(by=cast.prosecutor_astana, appeal=a)  # in review
    appeal_assign(by=cast.head_astana, appeal=c, assignee=cast.prosecutor_astana)  # assigned
    for appeal, days in ((a, 9), (b, 2), (c, 5)):
        Appeal.objects.filter(pk=appeal.pk).update(due_date=today + dt.timedelta(days=days))
        appeal.refresh_from_db()
    return a, b, c


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("due", "bca"),
        ("-due", "acb"),
        ("number", "abc"),
        ("-number", "cba"),
        ("status", "bca"),  # registered, assigned, in review
        ("-status", "acb"),
        ("registered", "abc"),
        ("-registered", "cba"),
    ],
)
def test_the_list_sorts_both_ways(client_for, cast, three, sort, expected):
    named = dict(zip("abc", three, strict=True))
    response = client_for(cast.head_astana).get(LIST, {"sort": sort})
    assert rows(response) == [named[letter] for letter in expected]


def test_sortable_heads_are_links_that_say_how_the_list_is_sorted(client_for, cast, three):
    response = client_for(cast.head_astana).get(LIST, {"sort": "due", "view": "all"})
    html = response.text
    assert 'aria-sort="ascending"' in html and html.count("aria-sort=") == 1
    links = {key: QueryDict(link["query"]) for key, link in response.context["sort_links"].items()}
    assert links["due"].dict() == {"view": "all", "sort": "-due"}  # the other direction
    assert links["status"].dict() == {"view": "all", "sort": "status"}
    assert links["registered"].dict() == {
        "view": "all",
        "sort": "-registered",
    }  # newest first on the first click
    assert 'id="sort-due"' in html and 'hx-push-url="true"' in html
    descending = client_for(cast.head_astana).get(LIST, {"sort": "-due"})
    assert 'aria-sort="descending"' in descending.text


def test_a_sorted_search_and_the_pages_follow_the_order(client_for, cast, three):
    a, b, c = three
    response = client_for(cast.head_astana).get(LIST, {"q": "заработную", "sort": "due"})
    assert rows(response) == [b, c, a]
    page = selectors.appeal_list_page(
        user=cast.head_astana, filters={"q": "заработную"}, sort="due", per_page=2
    )
    assert list(page.object_list) == [b, c]
    second = selectors.appeal_list_page(
        user=cast.head_astana, filters={"q": "заработную"}, sort="due", per_page=2, page_number=2
    )
    assert list(second.object_list) == [a]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
@pytest.mark.parametrize("sort", ["due", "-due", "status", "-status", "number", "-number", "registered"])
def test_sqlite_reads_each_order_from_an_index(offices, cast, sort):
    register(by=cast.registrar_astana, region=offices.astana.region)
    qs = Appeal.objects.order_by(*selectors.list_ordering(sort))[:50]
    plan = qs.explain()
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
@pytest.mark.parametrize("sort", ["due", "-due", "status", "-status", "number", "-number"])
def test_postgresql_can_read_each_order_from_an_index(offices, cast, sort):
    register(by=cast.registrar_astana, region=offices.astana.region)
    qs = Appeal.objects.order_by(*selectors.list_ordering(sort))[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "Sort" not in plan and "Index" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
@pytest.mark.parametrize(
    "narrowed, sort, index",
    [
        ("assignee", "status", "appeal_assignee_rank_due"),
        ("assignee", "-status", "appeal_assignee_rank_due"),
        ("assignee", "number", "appeal_assignee_number"),
        ("assignee", "-number", "appeal_assignee_number"),
        ("office", "number", "appeal_office_number"),
        ("office", "-number", "appeal_office_number"),
    ],
)
def test_postgresql_reads_one_prosecutors_or_one_offices_order_from_its_own_index(
    offices, cast, narrowed, sort, index
):
    register(by=cast.registrar_astana, region=offices.astana.region)
    value = cast.prosecutor_astana if narrowed == "assignee" else offices.astana
    qs = Appeal.objects.filter(**{narrowed: value}).order_by(*selectors.list_ordering(sort))[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert index in plan and "Sort" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_reads_the_open_appeals_by_due_date_from_the_partial_index(offices, cast):
    register(by=cast.registrar_astana, region=offices.astana.region)
    qs = Appeal.objects.filter(status__in=selectors.OPEN_STATUSES).order_by(*selectors.list_ordering("due"))[
        :50
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    # Either partial index on the open appeals gives the order without a sort (0012's, or 0015's covering one,
    # which the planner may prefer on a table this small).
    assert "appeal_open_due_id" in plan or "appeal_open_due_covering" in plan, plan
    assert "Sort" not in plan, plan


# --- deadlines and the overdue list (the open appeals' indexes, migration 0015) -----------------------------------


def _due(cast, offices, days, *, assignee=None, office=None):
    """An open appeal of Astana (or `office`) due `days` from today, assigned to `assignee` if given."""
    appeal = (
        register(by=cast.registrar_astana, office=office)
        if office
        else register(by=cast.registrar_astana, region=offices.astana.region)
    )
    if assignee is not None:
        appeal_assign(by=cast.head_astana, appeal=appeal, assignee=assignee)
    Appeal.objects.filter(pk=appeal.pk).update(due_date=timezone.localdate() + dt.timedelta(days=days))
    return appeal


def _deadline_queries(user, scope):
    """The queries of the deadline lists as the pages read them, and the lists (each row's prosecutor and status
    label read too, as the tables show them)."""
    selectors.deadline_lists(user=user, scope=scope, brief=True)  # roles and offices, cached on the user
    with CaptureQueriesContext(connection) as ctx:
        lists = selectors.deadline_lists(user=user, scope=scope, brief=True)
        for row in [*lists.due_today, *lists.due_soon, *lists.overdue, *lists.extension_requests]:
            assert row.get_status_display() and row.assignee.get_full_name() is not None
    return [q["sql"] for q in ctx.captured_queries], lists


@pytest.mark.parametrize(
    "who, scope, expected",
    [
        # Today, soon, overdue, the counts; nothing else is built for a prosecutor's own appeals.
        ("prosecutor_astana", "mine", 4),
        # And the urgent reports, the anonymous appeals to triage and (for a head) the extension requests.
        ("head_astana", "office", 7),
        ("registrar_astana", "office", 6),
        ("head_gpo", "office", 7),
    ],
)
def test_the_deadline_lists_read_a_fixed_number_of_queries_whatever_the_rows(
    cast, offices, who, scope, expected
):
    user = getattr(cast, who)

    def make():
        for days in (-3, 0, 1):
            _due(cast, offices, days, assignee=cast.prosecutor_astana)

    make()
    few, _lists = _deadline_queries(user, scope)
    for _ in range(3):
        make()
    many, lists = _deadline_queries(user, scope)
    assert len(few) == len(many) == expected, many
    assert len(lists.overdue) == lists.counts["overdue"] == 4
    assert len(lists.due_today) == lists.counts["today"] == 4


def test_a_prosecutors_own_deadline_rows_name_the_prosecutor_without_a_join(cast, offices):
    mine = _due(cast, offices, -1, assignee=cast.prosecutor_astana)
    _due(cast, offices, -1, assignee=cast.head_astana)
    statements, lists = _deadline_queries(cast.prosecutor_astana, "mine")
    assert [a.pk for a in lists.overdue] == [mine.pk]
    assert lists.overdue[0].assignee == cast.prosecutor_astana
    assert not any("accounts_user" in sql for sql in statements), statements


def test_an_office_scope_without_an_office_lists_nothing(cast, offices):
    _due(cast, offices, -1, assignee=cast.prosecutor_astana)
    cast.registrar_astana.office = None
    cast.registrar_astana.save(update_fields=["office"])
    lists = selectors.deadline_lists(user=cast.registrar_astana, scope="office", brief=True)
    assert (lists.overdue, lists.triage, lists.counts) == ([], [], {"today": 0, "soon": 0, "overdue": 0})


def _plans(statements, *settings):
    """EXPLAIN of each SELECT of `statements` that reads appeals, with `settings` switched off so a near-empty table
    shows the plan a national register gets."""
    plans = []
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", *settings):
            cursor.execute(f"SET LOCAL {setting} = off")
        for sql in statements:
            if sql.lstrip().upper().startswith("SELECT") and "appeals_appeal" in sql:
                cursor.execute("EXPLAIN " + sql)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index")
@pytest.mark.parametrize(
    "who, scope, index",
    [
        ("prosecutor_astana", "mine", "appeal_open_assignee_by_due"),
        ("head_astana", "office", "appeal_open_office_by_due"),
        ("head_gpo", "office", "appeal_open_due_covering"),
    ],
)
def test_postgresql_can_count_the_deadlines_from_an_open_appeals_index_alone(
    cast, offices, who, scope, index
):
    # At 5 M appeals the national head's counts read every open row for its sensitivity (4.3 s with the lists): the
    # index holds every column the count reads (the record rule's among them), so it is an index-only scan. (Which
    # index a near-empty table's planner picks says nothing; that the columns are there is what counts.)
    _due(cast, offices, -1, assignee=cast.prosecutor_astana)
    statements, _lists = _deadline_queries(getattr(cast, who), scope)
    count = next(sql for sql in statements if "COUNT(" in sql)
    read = set(re.findall(r'"appeals_appeal"\."(\w+)"', count))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i JOIN pg_class c ON c.oid ="
            " i.indexrelid JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            " WHERE c.relname = %s",
            [index],
        )
        rows = cursor.fetchall()
    held = {column for column, _predicate in rows}
    assert "status" in rows[0][1]  # the open appeals only: the count's status condition is the index's own
    assert read - {"status"} <= held, read - held
    assert {"sensitivity", "office_id", "assignee_id", "registered_by_id", "due_date"} <= held


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
@pytest.mark.parametrize(
    "who, scope", [("prosecutor_astana", "mine"), ("head_astana", "office"), ("head_gpo", "office")]
)
def test_postgresql_reads_each_deadline_list_in_its_order_from_an_index(cast, offices, who, scope):
    # The extension requests walked every open appeal (1.2 s at 1 M, finding none): each list now has an index in
    # its order, among the open appeals (appeal_open_extension_asked, appeal_triage_or_urgent for the short ones).
    for days in (-3, 0, 1):
        _due(cast, offices, days, assignee=cast.prosecutor_astana)
    statements, _lists = _deadline_queries(getattr(cast, who), scope)
    plans = [plan for plan in _plans(statements, "enable_sort") if "Aggregate" not in plan]
    assert len(plans) == len(statements) - 1
    for plan in plans:
        assert "Sort" not in plan and "Seq Scan on appeals_appeal" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_reads_the_overdue_list_newest_first_skipping_the_terms_still_running_in_the_index(
    cast, offices
):
    # The default order: the walk of the open appeals' (registered_on, id, due_date) tests the due date in the
    # index, where the national date index read every row registered since the newest overdue one (1.8 s at 5 M).
    _due(cast, offices, -2)
    qs = selectors.appeal_list(user=cast.head_gpo, filters={"overdue": True})[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "Index Scan Backward using appeal_open_by_registered" in plan, plan
    assert re.search(r"Index Cond: \(due_date < ", plan), plan


# --- assigning several appeals ---------------------------------------------------------------------------------


def _post_assign(client, appeals, assignee, *, versions=None, query="view=all", **extra):
    data = {"appeal": [str(a.pk) for a in appeals], "assignee": str(assignee.pk), "query": query, **extra}
    for appeal in appeals:
        version = (versions or {}).get(appeal.pk, APPEALS.version(appeal))
        data[f"version-{appeal.pk}"] = version
    return client.post(ASSIGN, data)


def test_a_head_sees_boxes_only_on_the_appeals_they_may_assign(client_for, cast, astana, offices):
    first, second, district, almaty = astana
    anonymous = register(
        by=cast.registrar_astana,
        region=offices.astana.region,
        applicant_type=ApplicantType.ANONYMOUS,
        applicant_name="",
        applicant_iin="",
        applicant_email="",
        consent_personal_data=False,
    )
    response = client_for(cast.head_astana).get(LIST, {"view": "all"})
    html = response.text
    for appeal in (first, second, district):
        assert f'id="select-{appeal.pk}"' in html
    # Another region's appeal (not over it) and an anonymous one (triaged, never assigned) have no box.
    assert f'id="select-{almaty.pk}"' not in html and f'id="select-{anonymous.pk}"' not in html
    choices = dict(response.context["bulk"].fields["assignee"].choices)
    offered = {pk for group in choices.values() if isinstance(group, list) for pk, _name in group}
    assert cast.prosecutor_astana.pk in offered and cast.head_astana.pk in offered
    assert cast.prosecutor_almaty.pk not in offered


def test_people_who_may_not_assign_get_no_boxes_and_no_form(client_for, cast, astana):
    for user in (cast.prosecutor_astana, cast.registrar_astana, cast.auditor):
        response = client_for(user).get(LIST, {"view": "all"})
        assert response.context["bulk"] is None
        assert 'name="appeal"' not in response.text
        assert client_for(user).post(ASSIGN, {"appeal": ["1"], "assignee": "1"}).status_code == 403


def test_a_head_assigns_two_appeals_at_once_each_through_the_lifecycle(client_for, cast, astana):
    english(cast.head_astana)
    first, second, district, almaty = astana
    client = client_for(cast.head_astana)
    response = _post_assign(
        client, [first, district], cast.prosecutor_astana, query="view=all&sort=due&page=1"
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?view=all&sort=due&page=1"
    for appeal in (first, district):
        appeal.refresh_from_db()
        assert appeal.status == Status.ASSIGNED and appeal.assignee == cast.prosecutor_astana
        step = AppealTransition.objects.filter(appeal=appeal, step="assign").get()
        assert step.by == cast.head_astana
    assert AuditEntry.objects.filter(
        action="transition", object_id=str(first.pk), actor=cast.head_astana
    ).exists()
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(notes) == 1
    assert first.reg_number in notes[0] and district.reg_number in notes[0]
    assert cast.prosecutor_astana.full_name in notes[0]


def test_each_appeal_is_reported_and_one_refusal_undoes_nothing(client_for, cast, astana, offices):
    english(cast.head_astana)
    first, second, district, almaty = astana
    stale = register(by=cast.registrar_astana, region=offices.astana.region)
    shown = APPEALS.version(stale)
    appeal_assign(by=cast.head_gpo, appeal=stale, assignee=cast.head_astana)  # meanwhile, by someone else
    client = client_for(cast.head_astana)
    response = _post_assign(
        client,
        [first, stale, almaty],
        cast.prosecutor_astana,
        versions={stale.pk: shown},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    stale.refresh_from_db()
    almaty.refresh_from_db()
    assert first.assignee == cast.prosecutor_astana
    assert stale.assignee == cast.head_astana  # the other head's decision stands
    assert almaty.assignee is None
    notes = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert notes[0][0] == "success" and first.reg_number in notes[0][1]
    errors = [text for level, text in notes if level == "error"]
    # Almaty's public appeal: the head sees it, but it is not over their office.
    assert any(almaty.reg_number in text and "may not assign" in text for text in errors)
    assert any(stale.reg_number in text and "changed this record" in text for text in errors)


def test_ids_of_appeals_the_user_may_not_see_or_that_do_not_exist_are_not_found(client_for, cast, offices):
    english(cast.head_astana)
    hidden = register(by=cast.registrar_astana, region=offices.almaty.region)  # internal, Almaty
    mine = register(by=cast.registrar_astana, region=offices.astana.region)
    client = client_for(cast.head_astana)
    data = {
        "appeal": [str(hidden.pk), "999999", str(mine.pk)],
        "assignee": str(cast.prosecutor_astana.pk),
        "query": "",
    }
    response = client.post(ASSIGN, data)
    assert response.status_code == 302
    hidden.refresh_from_db()
    assert hidden.assignee is None
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("2 selected appeals were not found" in n for n in notes)
    assert not any(hidden.reg_number in n for n in notes)


def test_nothing_selected_or_a_prosecutor_not_offered_is_refused_on_the_page(client_for, cast, astana):
    english(cast.head_astana)
    first, second, district, almaty = astana
    client = client_for(cast.head_astana)
    empty = client.post(ASSIGN, {"assignee": str(cast.prosecutor_astana.pk), "query": "view=all"})
    assert empty.status_code == 400
    assert "Select at least one appeal." in empty.text
    assert empty.context["view"] == "all"
    foreign = _post_assign(client, [first], cast.prosecutor_almaty)
    assert foreign.status_code == 400
    assert "Choose a prosecutor from the list." in foreign.text
    assert f'id="select-{first.pk}" checked' in foreign.text  # the selection is kept
    bad = client.post(ASSIGN, {"appeal": ["x", "-1"], "assignee": "abc", "query": ""})
    assert bad.status_code == 400
    first.refresh_from_db()
    assert first.assignee is None


def test_an_anonymous_appeal_is_refused_with_the_lifecycles_reason(client_for, cast, offices):
    english(cast.head_astana)
    anonymous = register(
        by=cast.registrar_astana,
        region=offices.astana.region,
        applicant_type=ApplicantType.ANONYMOUS,
        applicant_name="",
        applicant_iin="",
        applicant_email="",
        consent_personal_data=False,
    )
    named = register(by=cast.registrar_astana, region=offices.astana.region)
    response = _post_assign(client_for(cast.head_astana), [anonymous, named], cast.prosecutor_astana)
    assert response.status_code == 302
    anonymous.refresh_from_db()
    assert anonymous.assignee is None and anonymous.status == Status.REGISTERED
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(anonymous.reg_number in n and "anonymous" in n.lower() for n in notes)


# --- export ---------------------------------------------------------------------------------------------------------


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_the_csv_is_the_list_as_shown_with_names_and_is_audited(client_for, cast, three, offices):
    english(cast.head_astana)
    a, b, c = three
    hidden = register(by=cast.registrar_astana, region=offices.almaty.region)
    response = client_for(cast.head_astana).get(export_url("csv"), {"sort": "due", "view": "all"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="appeals-')
    table = _csv(response)
    assert table[0][:8] == [
        "Number",
        "Registered",
        "Applicant",
        "Subject",
        "Office",
        "Prosecutor",
        "Status",
        "Due",
    ]
    assert [row[0] for row in table[1:]] == [b.reg_number, c.reg_number, a.reg_number]
    assert hidden.reg_number not in {row[0] for row in table}
    with translation.override("en"):
        assert table[3][4] == offices.astana.name
        assert table[3][6] == str(Status.IN_REVIEW.label)
    assert table[3][5] == cast.prosecutor_astana.full_name
    assert table[1][7] == b.due_date.strftime("%d.%m.%Y")
    entry = AuditEntry.objects.filter(actor=cast.head_astana, object_repr="appeal list export (csv)").get()
    assert entry.changes["rows"]["after"] == 3 and entry.changes["cut_at_cap"]["after"] is False
    assert entry.changes["sort"]["after"] == "due" and entry.changes["view"]["after"] == "all"


def test_the_csv_cannot_carry_a_formula(client_for, cast, offices):
    register(by=cast.registrar_astana, region=offices.astana.region, subject='=HYPERLINK("http://x")')
    register(
        by=cast.registrar_astana, region=offices.astana.region, subject="+7 701 000", applicant_name="@admin"
    )
    table = _csv(client_for(cast.head_astana).get(export_url("csv")))
    cells = [cell for row in table[1:] for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'+7 701 000" in cells and "'@admin" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_the_xlsx_is_the_same_list_with_dates_as_dates_and_text_never_a_formula(
    client_for, cast, three, offices
):
    english(cast.head_astana)
    a, b, c = three
    register(by=cast.registrar_astana, region=offices.astana.region, subject="=1+1")
    response = client_for(cast.head_astana).get(export_url("xlsx"), {"sort": "due", "status": "open"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Number"
    numbers = [row[0] for row in values[1:]]
    assert numbers[:3] == [b.reg_number, c.reg_number, a.reg_number]
    assert isinstance(values[1][1], dt.datetime) and values[1][7].date() == b.due_date
    formula = next(row for row in sheet.iter_rows(min_row=2) if row[3].value == "=1+1")
    assert formula[3].data_type == "s"
    assert AuditEntry.objects.filter(object_repr="appeal list export (xlsx)").count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_stops_at_the_cap_and_says_so(client_for, cast, offices, monkeypatch, fmt):
    english(cast.head_astana)
    monkeypatch.setattr(selectors, "EXPORT_ROW_CAP", 2)
    for _ in range(3):
        register(by=cast.registrar_astana, region=offices.astana.region)
    response = client_for(cast.head_astana).get(export_url(fmt))
    if fmt == "csv":
        table = _csv(response)
        last = table[-1][0]
        assert len(table) == 4  # headers, two rows, the note
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        table = list(sheet.iter_rows(values_only=True))
        last = table[-1][0]
        assert len(table) == 4
    assert "Only the first 2 appeals" in last
    entry = AuditEntry.objects.filter(object_repr=f"appeal list export ({fmt})").get()
    assert entry.changes["rows"]["after"] == 2 and entry.changes["cut_at_cap"]["after"] is True


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reads_a_fixed_number_of_queries_whatever_the_rows(client_for, cast, offices, fmt):
    client = client_for(cast.head_astana)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(export_url(fmt), {"sort": "status"})
            content = b"".join(response.streaming_content)
        assert response.status_code == 200 and content
        return len(ctx.captured_queries)

    for _ in range(2):
        appeal = register(by=cast.registrar_astana, region=offices.astana.region)
        appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    few = queries()
    for _ in range(6):
        appeal = register(by=cast.registrar_astana, region=offices.astana_district.region)
        appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.head_astana)
    assert queries() == few


def test_the_page_offers_the_export_of_the_list_as_shown_and_states_the_cap(client_for, cast, three):
    response = client_for(cast.head_astana).get(LIST, {"sort": "-due", "status": "open", "page": "1"})
    html = response.text
    export = response.context["export_query"]
    assert QueryDict(export).dict() == {"status": "open", "sort": "-due", "view": "office"}  # no page
    assert (
        f"{export_url('csv')}?{escape(export)}" in html and f"{export_url('xlsx')}?{escape(export)}" in html
    )
    assert "at most 10,000 appeals" in html or "10 000" in html or "10&nbsp;000" in html


def test_an_unknown_format_is_404_and_bad_filters_are_400(client_for, cast, offices):
    client = client_for(cast.head_astana)
    assert client.get(export_url("pdf")).status_code == 404
    bad = client.get(export_url("csv"), {"registered_from": "2026-05-01", "registered_to": "2026-04-01"})
    assert bad.status_code == 400
    assert not AuditEntry.objects.filter(object_repr__startswith="appeal list export").exists()


def test_only_those_who_see_the_list_may_export_it(client_for, cast, offices):
    for user in (cast.analyst, cast.intl_officer, cast.outsider):
        assert client_for(user).get(export_url("csv")).status_code == 403


def test_the_order_is_whitelisted_and_every_part_goes_the_same_way():
    assert selectors.clean_sort("-due") == "-due"
    for bad in ("", None, "due_date", "-", "--due", "id", "applicant_name", 3):
        assert selectors.clean_sort(bad) == selectors.DEFAULT_SORT
    descending = [str(part) for part in selectors.list_ordering("-status")]
    assert len(descending) == 3 and all("descending=True" in part for part in descending)
    assert all("descending=False" in str(part) for part in selectors.list_ordering("number"))


def test_someone_without_an_office_starts_from_all_and_has_no_office_view(cast, offices, astana):
    cast.registrar_astana.office = None
    cast.registrar_astana.save(update_fields=["office"])
    assert selectors.default_list_view(user=cast.registrar_astana) == "all"
    assert list(selectors.appeal_list(user=cast.registrar_astana, view="office")) == []


@pytest.mark.parametrize("sort", ["number", "-number"])
@pytest.mark.parametrize(
    "who, view, office", [("head_astana", "office", None), ("head_gpo", "all", "astana")]
)
def test_by_number_an_office_subtree_is_read_office_by_office_and_merged(
    cast, offices, sort, who, view, office
):
    for _ in range(3):
        register(by=cast.registrar_astana, region=offices.astana.region)
        register(by=cast.registrar_astana, office=offices.astana_district)
    register(by=cast.registrar_astana, region=offices.almaty.region, sensitivity=Sensitivity.PUBLIC)
    user = getattr(cast, who)
    filters = {"office": getattr(offices, office)} if office else {}
    expected = [a.pk for a in selectors.appeal_list(user=user, filters=filters, view=view, sort=sort)]
    assert len(expected) == 6
    pages = [
        selectors.appeal_list_page(
            user=user, filters=filters, view=view, sort=sort, per_page=4, page_number=n
        )
        for n in (1, 2)
    ]
    merged = connection.vendor == "postgresql"  # SQLite allows no LIMIT in a UNION's parts
    assert isinstance(pages[0].paginator, selectors._MergedPaginator) is merged
    assert [a.pk for page in pages for a in page.object_list] == expected
    assert pages[0].paginator.count == 6 and pages[1].has_next() is False


def test_a_refused_filter_comes_back_to_htmx_with_its_error_and_to_a_page_as_400(client_for, cast, offices):
    english(cast.head_astana)
    bad = {"registered_from": "2026-05-01", "registered_to": "2026-04-01", "view": "all"}
    client = client_for(cast.head_astana)
    swapped = client.get(LIST, bad, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="appeal-search")
    assert swapped.status_code == 200  # htmx swaps only 2xx answers
    assert "The end of the period is before its start." in swapped.text
    assert swapped.context["view"] == "all"
    assert client.get(LIST, bad).status_code == 400
