"""Full-text search: languages and case, fields, filters, visibility, hostile input, index upkeep, EXPLAIN.

Runs on SQLite (FTS5) and PostgreSQL (GIN over tsvector). Where the two differ — Russian word forms — each
test states what its database does.
"""

import datetime as dt
import importlib
import os
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from prokuratura.appeals.models import Appeal, Status
from prokuratura.appeals.search import appeal_search_filter, search_words
from prokuratura.appeals.selectors import appeal_list
from prokuratura.appeals.services.workflow import appeal_answer, appeal_assign, appeal_start_review
from prokuratura.appeals.tests.factories import register

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def found(user, q, **filters):
    return set(appeal_list(user=user, filters={"q": q, **filters}))


@pytest.fixture
def astana_appeal(offices, cast):
    def make(**overrides):
        return register(by=cast.registrar_astana, region=offices.astana.region, **overrides)

    return make


def answer(cast, appeal, text):
    appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    return appeal_answer(by=cast.prosecutor_astana, appeal=appeal, outcome="explained", answer_text=text)


def search_objects():
    """The names of the index (PostgreSQL) or of the FTS table and its triggers (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname IN ('appeal_search_gin', %s)"
                " UNION ALL SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'appeals_appeal' AND column_name = %s AND is_generated = 'ALWAYS'",
                [PG_INDEX, PG_COLUMN],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", FTS_OBJECTS)
        return {row[0] for row in cursor.fetchall()}


FTS_OBJECTS = [
    "appeals_appeal_fts",
    "appeals_appeal_fts_ai",
    "appeals_appeal_fts_ad",
    "appeals_appeal_fts_au",
]
PG_INDEX = "appeal_search_vector_gin"
PG_COLUMN = "search_vector"
PG_OBJECTS = {
    PG_INDEX,
    PG_COLUMN,
}  # the stored generated column and its GIN index (0005); 0003's index is gone


def test_russian_word_in_another_form(cast, astana_appeal):
    appeal = astana_appeal(subject="Задержка зарплаты", text="Не выплачивается зарплата за март.")
    other = astana_appeal(subject="Ремонт дороги", text="Яма на дороге.")
    assert found(cast.head_astana, "зарплат") == {appeal}  # a prefix
    # The Russian stem: the russian configuration on PostgreSQL, the Snowball stemmer in SQLite's index.
    assert found(cast.head_astana, "ЗАРПЛАТОЙ") == {appeal}
    assert found(cast.head_astana, "дорогой") == {other}
    assert found(cast.head_astana, "дорог") == {other}


def test_russian_stem_finds_the_nominative(cast, astana_appeal):
    appeal = astana_appeal(subject="Жалоба", text="Моя зарплата не выплачена.")
    assert found(cast.head_astana, "зарплаты") == {appeal}


@pytest.mark.parametrize("query", ["ҚАЗАҚ", "қазақ", "Қазақ", "ӘДІЛЕТ", "әділет", "ҰЛТТЫҚ", "құқығы", "ҮЙ"])
def test_kazakh_words_in_any_case(cast, astana_appeal, query):
    appeal = astana_appeal(
        subject="Қазақ тілінде жауап",
        text="Әділет органы ұлттық ҚҰҚЫҒЫ бұзылды, үй мәселесі.",
        applicant_language="kk",
    )
    astana_appeal(subject="Другое", text="Совсем другое обращение.")
    assert found(cast.head_astana, query) == {appeal}


def test_kazakh_capital_letters_in_the_text_are_found_by_small_ones(cast, astana_appeal):
    appeal = astana_appeal(subject="ҒИМАРАТ ҚҰРЫЛЫСЫ", text="ӨТІНІШ ІСІ ҢАҚТЫ ҺӘМ")
    for query in ("ғимарат", "құрылысы", "өтініш", "ісі", "ңақты", "һәм"):
        assert found(cast.head_astana, query) == {appeal}, query


def test_english_words(cast, astana_appeal):
    appeal = astana_appeal(subject="Unpaid wages", text="The employer has not paid the workers since March.")
    astana_appeal(subject="Noise", text="Neighbours are loud at night.")
    assert found(cast.head_astana, "WORKERS employer") == {appeal}
    assert found(cast.head_astana, "wag") == {appeal}
    assert found(cast.head_astana, "workers night") == set()  # every word must appear


def test_applicant_name(cast, astana_appeal):
    appeal = astana_appeal(applicant_name="Жұмабаева Әйгерім Серікқызы")
    astana_appeal(applicant_name="Петров Иван Сергеевич")
    assert found(cast.head_astana, "ЖҰМАБАЕВА әйгерім") == {appeal}


def test_words_may_come_from_different_fields(cast, astana_appeal):
    appeal = astana_appeal(subject="Ремонт школы", text="Крыша течёт.", applicant_name="Ким Ольга")
    assert found(cast.head_astana, "школы ким") == {appeal}


def test_answer_text_is_found_once_answered(cast, astana_appeal):
    appeal = astana_appeal(subject="Зарплата", text="Не платят.")
    assert found(cast.head_astana, "инспекция") == set()
    answer(cast, appeal, "Государственная инспекция труда провела проверку.")
    assert found(cast.head_astana, "инспекция проверку") == {appeal}


def test_search_combines_with_filters(cast, astana_appeal):
    answered = astana_appeal(subject="Пенсия не начислена", text="Прошу разобраться с пенсией.")
    waiting = astana_appeal(subject="Пенсия задерживается", text="Пенсию не платят.")
    astana_appeal(subject="Шум", text="Соседи шумят.")
    answer(cast, answered, "Пенсия начислена.")
    assert found(cast.head_astana, "пенсия") == {answered, waiting}
    assert found(cast.head_astana, "пенсия", status=Status.ANSWERED) == {answered}
    assert found(cast.head_astana, "пенсия", status="open") == {waiting}


def test_search_keeps_visibility(offices, cast):
    internal = register(by=cast.registrar_astana, region=offices.astana.region, subject="Тайное дело")
    assert internal.sensitivity == "internal"
    assert found(cast.head_astana, "тайное") == {internal}
    assert found(cast.prosecutor_almaty, "тайное") == set()
    assert found(cast.outsider, "тайное") == set()


def test_registration_number_typed_into_the_box(cast, astana_appeal):
    appeal = astana_appeal()
    astana_appeal()
    assert found(cast.head_astana, appeal.reg_number) == {appeal}
    assert found(cast.head_astana, f"  {appeal.reg_number.lower()} ") == {appeal}


def test_every_word_must_match(cast, astana_appeal):
    both = astana_appeal(subject="Зарплата в Алматы", text="Не платят.")
    astana_appeal(subject="Зарплата в Астане", text="Не платят.")
    assert found(cast.head_astana, "зарплата алматы") == {both}


# (query, whether it finds the appeal "Зарплата / Нет зарплаты."): punctuation is dropped and the words
# around it still count; operator words are plain words, which this appeal does not contain.
HOSTILE = [
    ('"', False),
    ('""', False),
    ('"зарплата', True),
    ("AND OR NOT", False),
    ("зарплата AND", False),
    ("NOT зарплата", False),
    ("*", False),
    ("зарплат*", True),
    ("(", False),
    (")", False),
    ("(зарплата", True),
    ("зарплата)", True),
    ("NEAR", False),
    ("NEAR(зарплата нет, 2)", False),
    ("subject:зарплата", False),
    ("^зарплата", True),
    ("зарплата & | ! <-> :*", True),
    ("зарплата:*A", False),
    ("'; DROP TABLE appeals_appeal; --", False),
    ("\\", False),
    ("%_", False),
    ("_", False),
    ("²", False),
    ("🙂", False),
    ("-", False),
    ("{subject text}: x", False),
    ("a" * 200, False),
    ("я" * 3000, False),
    (" ".join(["зарплата"] * 50), True),
    ("", True),  # an empty box does not filter
    ("   ", True),
]


@pytest.mark.parametrize(("query", "finds"), HOSTILE)
def test_hostile_input_does_not_raise(cast, astana_appeal, query, finds):
    appeal = astana_appeal(subject="Зарплата", text="Нет зарплаты.")
    assert found(cast.head_astana, query) == ({appeal} if finds else set())


def test_operator_words_are_searched_as_plain_words(cast, astana_appeal):
    appeal = astana_appeal(subject="Not paid", text="Near the office and the road.")
    assert found(cast.head_astana, "NOT near AND") == {appeal}


def test_words_of_a_query():
    assert search_words('  "Зарплата"  (ҚАЗАҚ) AND зарплата* _x_ ') == ["зарплата", "қазақ", "and", "x"]
    assert search_words("*()\"'-") == []
    assert len(search_words(" ".join(f"w{i}" for i in range(50)))) == 10


def test_one_letter_words_match_whole_words_only(cast, astana_appeal):
    appeal = astana_appeal(subject="Вопрос о пенсии", text="Прошу ответить.")
    assert found(cast.head_astana, "о пенсии") == {appeal}
    assert found(cast.head_astana, "п") == set()


def test_index_follows_updates_and_deletes(cast, astana_appeal):
    appeal = astana_appeal(subject="Старая тема", text="Про забор.")
    appeal.subject = "Новая тема"
    appeal.text = "Про колодец."
    appeal.save(update_fields=["subject", "text", "updated_at"])
    assert found(cast.head_astana, "забор") == set()
    assert found(cast.head_astana, "старая") == set()
    assert found(cast.head_astana, "колодец новая") == {appeal}
    # A change to another field leaves the entry alone.
    appeal.status = Status.ASSIGNED
    appeal.save(update_fields=["status", "updated_at"])
    assert found(cast.head_astana, "колодец") == {appeal}
    appeal.delete()
    assert found(cast.head_astana, "колодец") == set()


@on_sqlite
def test_fts_rows_follow_the_table(cast, astana_appeal):
    appeal = astana_appeal(subject="Особая тема")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM appeals_appeal_fts WHERE appeals_appeal_fts MATCH %s", ['"особая"'])
        assert [row[0] for row in cursor.fetchall()] == [appeal.pk]
        Appeal.objects.filter(pk=appeal.pk).delete()
        cursor.execute(
            "SELECT count(*) FROM appeals_appeal_fts WHERE appeals_appeal_fts MATCH %s", ['"особая"']
        )
        assert cursor.fetchone()[0] == 0


def test_index_exists_after_all_migrations(db):
    # On SQLite a later migration that makes Django rebuild appeals_appeal drops the triggers with the old
    # table; such a migration must create them again (see 0011_search_folding).
    expected = PG_OBJECTS if connection.vendor == "postgresql" else set(FTS_OBJECTS)
    assert search_objects() == expected


def pg_vector_expression():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns"
            " WHERE table_name = 'appeals_appeal' AND column_name = %s",
            [PG_COLUMN],
        )
        return cursor.fetchone()[0]


def test_migration_indexes_existing_appeals_and_can_be_reversed(cast, astana_appeal):
    # 0011 (folding) on both databases; its reverse puts back 0003's FTS5 table (SQLite) or 0005's column.
    migration = importlib.import_module("prokuratura.appeals.migrations.0011_search_folding")
    appeal = astana_appeal(subject="Давняя жалоба", text="Подана до индекса, ёлка, құқық.")
    expected = PG_OBJECTS if connection.vendor == "postgresql" else set(FTS_OBJECTS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of the rows just written would block ALTER TABLE in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # A stand-in for the schema editor: the migration only reads .connection and calls .execute.
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.backwards(None, editor)
        assert search_objects() == expected
        if connection.vendor == "postgresql":
            assert "translate" not in pg_vector_expression()
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'appeals_appeal_fts'")
            assert "content='appeals_appeal'" in cursor.fetchone()[0]
        migration.forwards(None, editor)
    assert search_objects() == expected
    if connection.vendor == "postgresql":
        assert "translate" in pg_vector_expression()
    # Filled from the rows already there, folded and stemmed.
    assert found(cast.head_astana, "давней елка кукык") == {appeal}
    appeal.subject = "Свежая жалоба"
    appeal.save(update_fields=["subject"])
    assert found(cast.head_astana, "свежую") == {appeal}
    assert found(cast.head_astana, "давняя") == set()


def test_search_is_one_query(cast, astana_appeal, django_assert_num_queries):
    astana_appeal(subject="Зарплата")
    found(cast.head_astana, "")  # loads the user's roles, which are cached on the user
    # PostgreSQL: and one for the register's words that begin as the query's do (search._pg_expand).
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 1):
        assert len(list(appeal_list(user=cast.head_astana, filters={"q": "зарплата"}))) == 1


@on_postgresql
@pytest.mark.parametrize("query", ["зарплаты", "ҚАЗАҚ әділет", "п", "AST-2024-000001"])
def test_postgresql_uses_the_gin_index(cast, astana_appeal, query):
    astana_appeal()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = appeal_search_filter(Appeal.objects.order_by(), query).explain()
    assert f"Bitmap Index Scan on {PG_INDEX}" in plan, plan
    # The list is ordered by registration date, and on a near-empty table walking that index and filtering is
    # cheapest; with plain index scans off too, the plan shows the list's query (joins, visibility) can still
    # use the GIN index. Other filters are left out: on one row the planner rightly prefers their indexes.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
    # The national head: a regional head's rule can be read from its own indexes (the next test), which on a
    # near-empty table is cheaper than the search index.
    listed = appeal_list(user=cast.head_gpo, filters={"q": query}).explain()
    assert f"Bitmap Index Scan on {PG_INDEX}" in listed, listed


def test_the_list_page_searches(cast, astana_appeal, client_for):
    appeal = astana_appeal(subject="Қазақ тілі", text="Жауап қазақ тілінде.")
    other = astana_appeal(subject="Другое", text="Другое.")
    client = client_for(cast.head_astana)
    response = client.get("/appeals/", {"q": "ҚАЗАҚ"})
    assert response.status_code == 200
    assert appeal.reg_number in response.text
    assert other.reg_number not in response.text
    hostile = client.get("/appeals/", {"q": '"( NEAR AND *'}, headers={"HX-Request": "true"})
    assert hostile.status_code == 200
    assert appeal.reg_number not in hostile.text


def test_the_record_rule_names_the_offices_so_its_branches_can_use_indexes(cast, astana_appeal):
    # A subquery on core_office inside the rule's OR would be a row-by-row filter on PostgreSQL; a list of ids
    # lets every branch use its own index (migration 0006) and meet the search index in a BitmapAnd.
    appeal = astana_appeal(subject="Зарплата")
    sql = str(appeal_list(user=cast.prosecutor_astana, filters={"q": "зарплата"}).query)
    assert 'FROM "core_office"' not in sql, (
        sql
    )  # the list joins the office for display, never selects from it
    assert found(cast.head_astana, "зарплата") == {appeal}


@on_postgresql
def test_postgresql_reads_the_record_rule_from_indexes(cast, astana_appeal):
    # Every branch of a district prosecutor's rule has an index, so the planner may combine them (BitmapOr) and
    # intersect the result with the search index (BitmapAnd: at national scale, see docs/PERFORMANCE.md); on a
    # near-empty table it stops at the BitmapOr. No branch is left as a row-by-row SubPlan filter.
    astana_appeal(subject="Зарплата")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    # The ids only: the list's joins for display (office, prosecutor, region, topic) are not the rule's business.
    # With a search, a near-empty table's planner may start from the search index and filter the few rows by the
    # rule; so the rule's own plan is read without the search, and the search's plan only for a SubPlan.
    plan = appeal_list(user=cast.prosecutor_astana, filters={}).order_by().values("id").explain()
    assert "Bitmap Index Scan on appeal_not_internal" in plan, plan
    assert "SubPlan" not in plan, plan
    plan = (
        appeal_list(user=cast.prosecutor_astana, filters={"q": "зарплата"}).order_by().values("id").explain()
    )
    assert "SubPlan" not in plan, plan


@on_postgresql
def test_postgresql_keeps_the_search_vector_in_the_row(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'appeals_appeal'::regclass AND attname = %s",
            [PG_COLUMN],
        )
        assert cursor.fetchone() == ("m",)
        cursor.execute("SHOW random_page_cost")
        page_cost = cursor.fetchone()[0]
    expected = os.environ.get("DB_RANDOM_PAGE_COST", "1.1").strip()  # as settings.py reads it
    if expected:  # empty: the server's own value
        assert float(page_cost) == float(expected)


def test_a_search_counts_to_the_lower_cap(cast, astana_appeal, client_for, monkeypatch):
    from prokuratura.appeals import selectors

    for n in range(3):
        astana_appeal(subject=f"Зарплата {n}")
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    client = client_for(cast.head_astana)
    searched = client.get("/appeals/", {"q": "зарплата"})
    assert searched.context["page"].paginator.cap == 2 and searched.context["page"].paginator.capped
    listed = client.get("/appeals/")
    assert listed.context["page"].paginator.cap == selectors.DEFAULT_COUNT_CAP
    assert not listed.context["page"].paginator.capped and listed.context["page"].paginator.count == 3


# The search page: one id query (the rule's branches merged in order on PostgreSQL), then the page's rows --------


@pytest.fixture
def rule_grid(offices, cast):
    """Appeals in every office × sensitivity, naming different prosecutors and registrars."""
    import itertools

    from prokuratura.core.models import Sensitivity

    people = [None, cast.prosecutor_astana, cast.prosecutor_almaty]
    grid = []
    combos = itertools.product(
        [offices.gpo, offices.astana, offices.astana_district, offices.almaty],
        [Sensitivity.PUBLIC, Sensitivity.INTERNAL, Sensitivity.RESTRICTED],
        people,
    )
    for n, (office, sensitivity, assignee) in enumerate(combos):
        appeal = register(by=cast.registrar_astana, region=offices.astana.region, subject=f"Сетка {n}")
        registrar = cast.registrar_astana if n % 2 else cast.prosecutor_astana
        Appeal.objects.filter(pk=appeal.pk).update(
            office=office, sensitivity=sensitivity, assignee=assignee, registered_by=registrar
        )
        grid.append(appeal.pk)
    return grid


def test_the_record_rule_as_disjoint_branches_is_the_rule(cast, rule_grid):
    from prokuratura.appeals.access import appeals_visible_branches, appeals_visible_q

    split = {"registrar_astana", "prosecutor_astana", "prosecutor_almaty", "head_astana"}
    for name, user in vars(cast).items():
        if name == "password":
            continue
        branches = appeals_visible_branches(user=user)
        if name not in split:  # national readers, the root office, no appeals.view: one plain query
            assert branches is None, name
            continue
        assert branches is not None, name
        visible = set(Appeal.objects.filter(appeals_visible_q(user=user)).values_list("pk", flat=True))
        parts = [set(Appeal.objects.filter(b).values_list("pk", flat=True)) for b in branches]
        assert set().union(*parts) == visible, name
        assert sum(len(p) for p in parts) == len(visible), f"{name}: branches overlap"
        assert visible, name


def test_outsider_without_appeals_view_has_no_branches(cast):
    from prokuratura.appeals.access import appeals_visible_branches

    assert appeals_visible_branches(user=cast.outsider) is None


@pytest.mark.parametrize("walk", [False, True], ids=["planner", "walk"])
@pytest.mark.parametrize("reader", ["prosecutor_astana", "head_astana", "head_gpo"])
def test_search_pages_are_the_lists_pages(cast, astana_appeal, reader, walk, monkeypatch):
    # "walk": as for a common word at national scale — on PostgreSQL the record rule's branches merged in order.
    from prokuratura.appeals import selectors

    monkeypatch.setattr(selectors, "search_worth_walking", lambda *args, **kwargs: walk)
    user = getattr(cast, reader)
    base = timezone.now() - dt.timedelta(days=30)
    made = [astana_appeal(subject=f"Зарплата {n}", received_at=base + dt.timedelta(days=n)) for n in range(5)]
    Appeal.objects.filter(pk__in=[a.pk for a in made[:3]]).update(assignee=cast.prosecutor_astana)
    expected = [a.pk for a in appeal_list(user=user, filters={"q": "зарплата"})]
    assert expected, reader
    pages = []
    number = 1
    while True:
        page = selectors.appeal_list_page(
            user=user, filters={"q": "зарплата"}, page_number=number, per_page=2
        )
        pages += [a.pk for a in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert pages == expected
    assert page.paginator.count == len(expected) and not page.paginator.capped

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    capped = selectors.appeal_list_page(user=user, filters={"q": "зарплата"}, per_page=1)
    assert capped.paginator.capped and capped.paginator.count == 2 and capped.paginator.num_pages == 2
    last = selectors.appeal_list_page(user=user, filters={"q": "зарплата"}, page_number=99, per_page=1)
    assert [a.pk for a in last.object_list] == expected[1:2]


def test_search_page_combines_with_filters_and_keeps_visibility(cast, offices, astana_appeal):
    from prokuratura.appeals import selectors

    waiting = astana_appeal(subject="Пенсия")
    astana_appeal(subject="Пенсия", kind="statement")
    hidden = astana_appeal(subject="Пенсия")
    Appeal.objects.filter(pk=hidden.pk).update(office=offices.almaty, sensitivity="internal")
    page = selectors.appeal_list_page(user=cast.head_astana, filters={"q": "пенсия", "kind": "complaint"})
    assert [a.pk for a in page.object_list] == [waiting.pk]
    other = selectors.appeal_list_page(user=cast.prosecutor_almaty, filters={"q": "пенсия"})
    assert [a.pk for a in other.object_list] == [hidden.pk]


def test_a_search_page_is_a_fixed_number_of_queries(cast, astana_appeal, django_assert_num_queries):
    from prokuratura.appeals import selectors

    astana_appeal(subject="Зарплата")
    user = cast.head_astana
    selectors.appeal_list_page(user=user, filters={"q": "зарплата"})  # roles and the subtree's ids, cached
    # The ids, then the page's rows with their offices' codes; on PostgreSQL first the register's words that begin as
    # the query's do (once for the page: search.words_looked_up_once) and the planner's estimate of how common the
    # words are (selectors._search_ids: walk the rule's branches, or let the planner use the GIN index).
    expected = 4 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(expected):
        page = selectors.appeal_list_page(user=user, filters={"q": "зарплата"})
        assert [a.office_code for a in page.object_list] == ["AST"]


@on_postgresql
def test_a_national_reader_searching_a_rare_word_reads_the_gin_index_not_the_date_index(
    cast, astana_appeal, monkeypatch
):
    # At 1 M appeals the planner walked the whole date index for a word that matched nothing (1.8 s), expecting its
    # guessed matches to turn up soon; a reader who sees everything now collects the matches from the GIN index.
    from django.test.utils import CaptureQueriesContext

    from prokuratura.appeals import selectors

    monkeypatch.setattr(selectors, "search_worth_walking", lambda *args, **kwargs: False)
    found = astana_appeal(subject="Гимназия")
    astana_appeal(subject="Зарплата")
    with CaptureQueriesContext(connection) as queries:
        page = selectors.appeal_list_page(user=cast.head_gpo, filters={"q": "гимназия"})
    assert [a.pk for a in page.object_list] == [found.pk]
    statements = [q["sql"] for q in queries.captured_queries]
    assert "SET LOCAL enable_indexscan = off" in statements, statements
    assert not selectors.appeal_list_page(user=cast.head_gpo, filters={"q": "гимназиум"}).object_list


Q_TOGETHER = "квазиполе гиперлинза"


@on_postgresql
@pytest.mark.parametrize(
    "windows, probed, collected",
    [
        ((4, 8), 1, False),  # the first window holds the page's matches: one walk
        ((2, 6), 2, False),  # one match in the first two promises enough in the next window
        ((1, 3), 1, True),  # none in the first: the GIN index after all
        ((50, 100), 1, False),  # a register smaller than the window: read whole, whatever it finds
    ],
)
def test_words_that_go_together_are_looked_for_among_the_newest_appeals_first(
    cast, astana_appeal, monkeypatch, windows, probed, collected
):
    # «заработная плата» nationally: the planner multiplied the two words' shares and called it rare (5,677 for
    # 72,346 at 1 M), and the GIN index collected every match (0.9 s). The newest appeals are read first, in windows
    # of the date index; the first matches found there, as many as the page's ids, are the first of all.
    from django.test.utils import CaptureQueriesContext

    from prokuratura.appeals import selectors

    monkeypatch.setattr(selectors, "search_worth_walking", lambda *args, **kwargs: False)
    monkeypatch.setattr(selectors, "search_may_be_worth_walking", lambda *args, **kwargs: True)
    monkeypatch.setattr(selectors, "SEARCH_PROBE_WINDOWS", windows)
    monkeypatch.setattr(
        selectors, "SEARCH_COUNT_CAP", 1
    )  # the ids of two matches make the page and its count
    base = timezone.now() - dt.timedelta(days=30)
    for n in range(
        6
    ):  # every other appeal has both words (the 2nd, 4th and 6th newest), the others one of them
        subject = "Квазиполе гиперлинзы" if n % 2 else "Квазиполе"
        astana_appeal(subject=subject, received_at=base - dt.timedelta(days=n))
    expected = [a.pk for a in appeal_list(user=cast.head_gpo, filters={"q": Q_TOGETHER})]
    assert len(expected) == 3
    with CaptureQueriesContext(connection) as queries:
        page = selectors.appeal_list_page(user=cast.head_gpo, filters={"q": Q_TOGETHER}, per_page=1)
    statements = [q["sql"] for q in queries.captured_queries]
    assert [a.pk for a in page.object_list] == expected[:1]
    assert page.paginator.capped and page.paginator.count == 1
    walks = [sql for sql in statements if "search_vector" in sql and "EXPLAIN" not in sql]
    assert len(walks) == probed + collected, statements
    assert ("SET LOCAL enable_indexscan = off" in statements) is collected


@on_postgresql
def test_only_words_that_may_go_together_are_worth_a_look_among_the_newest(cast, astana_appeal):
    from prokuratura.appeals.search import search_may_be_worth_walking

    astana_appeal(subject="Заработная плата")
    # One word: the planner's estimate is the word's own. Several: the rarest word bounds them all.
    assert not search_may_be_worth_walking("заработная", limit=0)
    assert search_may_be_worth_walking("заработная плата", limit=0)
    assert not search_may_be_worth_walking("заработная плата", limit=10**9)


@on_postgresql
def test_the_apis_search_by_id_reads_a_rare_words_matches_from_the_gin_index(
    cast, astana_appeal, monkeypatch
):
    # Keyset pages are ordered by id; for a word the planner expects to be rare, the matches' ids come first from
    # the GIN index (an id walk read every appeal for a typo at 1 M), and past RARE_SEARCH_IDS_MAX the plain query.
    from django.test.utils import CaptureQueriesContext

    from prokuratura.appeals import selectors

    monkeypatch.setattr(selectors, "RARE_SEARCH_SHARE", 1.0)  # a handful of appeals: every word is common
    found = [astana_appeal(subject="Гимназия") for _ in range(3)]
    astana_appeal(subject="Зарплата")
    with CaptureQueriesContext(connection) as queries:
        listed = list(
            selectors.appeal_search_by_id(user=cast.head_gpo, filters={"q": "гимназия"}).order_by("-id")
        )
    assert [a.pk for a in listed] == sorted((a.pk for a in found), reverse=True)
    assert "SET LOCAL enable_indexscan = off" in [q["sql"] for q in queries.captured_queries]
    monkeypatch.setattr(selectors, "RARE_SEARCH_IDS_MAX", 2)
    plain = selectors.appeal_search_by_id(user=cast.head_gpo, filters={"q": "гимназия"})
    assert '"appeals_appeal"."id" IN (' not in str(plain.query) and len(plain) == 3


@on_postgresql
def test_postgresql_merges_the_branches_in_the_lists_order(cast, astana_appeal):
    # Each branch is read newest first from its own index and the branches are merged (Merge Append), so the
    # id query stops at the cap having read only rows the reader may see. Sorts and the other scans are switched
    # off so the near-empty table shows the plan it gets at national scale (docs/PERFORMANCE.md, "Search").
    from prokuratura.appeals import selectors

    astana_appeal(subject="Зарплата")
    from prokuratura.appeals.access import appeals_visible_branches

    branches = appeals_visible_branches(user=cast.head_astana)
    ids = selectors._branch_union(branches=branches, filters={"q": "зарплата"})
    assert "UNION ALL" in str(ids.query)
    with connection.cursor() as cursor:
        for setting in ("enable_sort", "enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
    plan = ids[:1001].explain()
    assert "Merge Append" in plan, plan
    for index in ("appeal_not_internal", "appeal_office_registered", "appeal_assignee_registered"):
        assert index in plan, plan


def test_whether_to_walk_is_the_planners_estimate(cast, astana_appeal):
    from prokuratura.appeals.search import search_worth_walking

    astana_appeal(subject="Зарплата")
    if connection.vendor != "postgresql":
        assert not search_worth_walking("зарплата", limit=0)
        return
    # M matches of N appeals: walk when M > limit and M² > limit · N. The planner estimates at least one match.
    assert search_worth_walking("зарплата", limit=0)
    assert not search_worth_walking("зарплата", limit=10**9)
    assert not search_worth_walking('"( *', limit=0)  # no words: a registration number, read by its index


def test_a_first_name_is_not_a_patronymic(cast, astana_appeal):
    # The Russian stem is matched whole and the written word by prefix: "Андрей" finds Андрей and Андрея, not
    # Андреевич (a prefix of the stem, андр:*, would), while a word begun still finds the rest of it.
    son = astana_appeal(applicant_name="Соколов Иван Андреевич")
    andrei = astana_appeal(applicant_name="Соколов Андрей Петрович")
    assert found(cast.head_astana, "Андрей") == {andrei}
    assert found(cast.head_astana, "Андре") == {son, andrei}
    assert found(cast.head_astana, "Соколов Андрей") == {andrei}


def test_identifiers_typed_into_the_box(cast, astana_appeal):
    from prokuratura.appeals.tests.factories import VALID_IIN
    from prokuratura.core.validators import check_digit

    bin_ = "08014001234" + str(check_digit("08014001234"))  # registered January 2008, a resident legal entity
    person = astana_appeal(applicant_iin=VALID_IIN)
    firm = astana_appeal(
        applicant_type="organisation", applicant_name="ТОО Кайнар", applicant_bin=bin_, applicant_iin=""
    )
    other = astana_appeal(applicant_iin="")
    assert found(cast.head_astana, VALID_IIN) == {person}
    assert found(cast.head_astana, bin_) == {firm}
    code = other.tracking_code
    assert found(cast.head_astana, code) == {other}
    assert found(cast.head_astana, code.lower().replace("-", "")) == {other}  # as people type it
    seq = int(other.reg_number.rsplit("-", 1)[1])
    year = other.reg_number.split("-")[-2]
    assert found(cast.head_astana, str(seq)) == {other}
    assert found(cast.head_astana, f"{year}-{seq:06d}") == {other}
    assert found(cast.head_astana, f"{int(year) - 5}-{seq}") == set()  # another year's number
    assert found(cast.prosecutor_almaty, code) == set()  # identifiers keep the record rule


# Folding: what people type (issue 11, "Search") -----------------------------------------------------------------


def test_fold_lowers_and_folds_yo_and_the_kazakh_letters():
    from prokuratura.appeals.search import fold

    assert fold("ЁЛКА ёлка") == "елка елка"
    assert fold("ӘҒҚҢӨҰҮҺІ әғқңөұүһі") == "агкноуухи агкноуухи"
    assert fold("е\u0308лка") == "елка"  # ё typed as е and a combining diaeresis
    assert fold("Йод Wages") == "йод wages"  # й is not и; Latin is only lower-cased


def test_search_document_holds_the_folded_words_and_their_stems():
    from prokuratura.appeals.search import search_document

    doc = search_document("Заработной платы", None, "", "Құқық Ёлкина").split()
    assert doc[:4] == ["заработной", "платы", "кукык", "елкина"]  # the words, folded, each once
    assert {"заработн", "плат"} <= set(doc[4:])  # then the stems that differ from them
    assert len(doc) == len(set(doc))
    assert search_document(None, None, None, None) == ""


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Задолженность по заработной плате", "заработная плата"),
        ("Не выплачена заработная плата", "заработной платы"),
        ("Не выплачена заработная плата", "ЗАРАБОТНУЮ ПЛАТУ"),
        ("Ёлка во дворе", "елка"),
        ("Елка во дворе", "ёлка"),
        ("Ёлка во дворе", "ЁЛКИ"),  # ё folded and the word in another form
        ("Азаматтың құқығы бұзылды", "кукыгы"),
        ("Азаматтың құқығы бұзылды", "құқығы"),
        ("Құқық қорғау", "кукык"),
        ("Құқық қорғау", "ҚҰҚЫҚ"),
        ("Әкімдік жауап бермеді", "акимдик"),
        ("Әкімдік жауап бермеді", "әкімдік"),
        ("Әкімдік жауап бермеді", "Акимд"),  # a Kazakh word begun, without the Kazakh letters
        ("Өтініш іс һәм ғимарат", "отиниш ис хам гимарат"),
        ("Жұмабаева Әйгерім Серікқызы", "жумабаева айгерим"),
    ],
)
def test_a_word_matches_as_people_type_it(cast, astana_appeal, written, typed):
    appeal = astana_appeal(subject="Обращение", text=written)
    astana_appeal(subject="Другое", text="Ремонт дороги во дворе школы.")
    assert found(cast.head_astana, typed) == {appeal}


def test_folding_keeps_every_word_required_and_the_record_rule(offices, cast, astana_appeal):
    mine = astana_appeal(subject="Әкімдік", text="Не выплачена заработная плата.")
    astana_appeal(subject="Әкімдік", text="Ремонт дороги.")
    hidden = register(by=cast.registrar_astana, region=offices.astana.region, subject="Әкімдік", text="Ёлка.")
    Appeal.objects.filter(pk=hidden.pk).update(office=offices.almaty, sensitivity="internal")
    assert found(cast.head_astana, "акимдик заработной платы") == {mine}
    assert found(cast.head_astana, "акимдик елка") == set()  # internal to another office
    assert found(cast.prosecutor_almaty, "акимдик елка") == {hidden}
    assert found(cast.outsider, "акимдик") == set()
    from prokuratura.appeals import selectors

    page = selectors.appeal_list_page(user=cast.head_astana, filters={"q": "АКИМДИК плата"})
    assert [a.pk for a in page.object_list] == [mine.pk]


@pytest.mark.parametrize(
    "query", ['"ёлка', "ёлка*", "NEAR(ёлка құқық)", "құқық:*", "ё", "Ё", "ә", "..,,", "«»—", 'ә" OR "']
)
def test_folded_hostile_input_does_not_raise(cast, astana_appeal, query):
    astana_appeal(subject="Ёлка", text="Құқық.")
    found(cast.head_astana, query)  # no error; whatever it finds is the record rule's
    assert appeal_list(user=cast.head_astana, filters={"q": query}).count() <= 1


def test_one_letter_folded_matches_whole_words_only(cast, astana_appeal):
    appeal = astana_appeal(subject="Ә", text="Ёж и ёлка.")
    assert found(cast.head_astana, "а") == {appeal}  # ә folded, a whole word
    assert found(cast.head_astana, "е") == set()  # no word «е»; ёж and ёлка are not matched by one letter


@on_sqlite
def test_sqlite_index_stays_whole_through_writes(cast, astana_appeal):
    # The contentless table deletes an entry by the text it indexed: the triggers must hand it the same tokens.
    appeal = astana_appeal(subject="Ёлка", text="Құқық заработной платы.")
    appeal.text = "Другой текст."
    appeal.save(update_fields=["text"])
    Appeal.objects.filter(pk=appeal.pk).update(subject="Әкімдік")
    astana_appeal(subject="Вторая").delete()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO appeals_appeal_fts(appeals_appeal_fts) VALUES ('integrity-check')")
    assert found(cast.head_astana, "акимдик другой") == {appeal}
    assert found(cast.head_astana, "заработная") == set()


@on_sqlite
def test_every_new_sqlite_connection_has_the_search_function(db):
    from django.db import connections

    from prokuratura.appeals.search import SQLITE_DOCUMENT_FUNCTION

    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT {SQLITE_DOCUMENT_FUNCTION}('Ёлка', NULL, 'құқық', '')")
        assert cursor.fetchone()[0].split()[:2] == ["елка", "кукык"]


@on_postgresql
def test_postgresql_column_folds_as_python_does(db):
    from prokuratura.appeals.search import KAZAKH_TO_RUSSIAN

    migration = importlib.import_module("prokuratura.appeals.migrations.0011_search_folding")
    pairs = dict(zip(migration.FOLD_FROM, migration.FOLD_TO, strict=True))
    expected = {"ё": "е", **KAZAKH_TO_RUSSIAN}
    assert {k: v for k, v in pairs.items() if k.islower()} == expected
    assert {k: v for k, v in pairs.items() if k.isupper()} == {
        k.upper(): v.upper() for k, v in expected.items()
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage, attcompression FROM pg_attribute"
            " WHERE attrelid = 'appeals_appeal'::regclass AND attname = %s",
            [PG_COLUMN],
        )
        assert cursor.fetchone() in {
            ("m", "l"),
            ("m", ""),
        }  # 0006's storage, 0005's lz4 where the server has it
