"""The register's dictionary of words (PostgreSQL, migration 0015): a prefix of a query word is spelled out as the
words that begin with it when they are few, and the matches stay exactly the prefix's own.

The words table is not flushed between transactional tests (the model is not managed), so each test uses made-up
names of its own: another test's words could only add to a prefix's words, never take from them.
"""

import datetime as dt
import importlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prokuratura.appeals import search
from prokuratura.appeals.models import Appeal, SearchWord
from prokuratura.appeals.selectors import appeal_list, appeal_list_page, appeal_search_by_id
from prokuratura.appeals.services.workflow import appeal_answer, appeal_assign, appeal_start_review
from prokuratura.appeals.tests.factories import register
from prokuratura.core.models import Sensitivity

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's dictionary of words")

MIGRATION = importlib.import_module("prokuratura.appeals.migrations.0015_open_appeals_index")


@pytest.fixture
def make(offices, cast):
    def make(**overrides):
        return register(by=cast.registrar_astana, region=offices.astana.region, **overrides)

    return make


def ids(user, q):
    return sorted(appeal_list(user=user, filters={"q": q}).values_list("pk", flat=True))


def tsquery(q):
    sql, params = search._pg_tsquery(search.search_words(q), using="default")
    return params


def unexpanded(monkeypatch, user, q):
    with monkeypatch.context() as patched:
        patched.setattr(search, "PREFIX_WORDS_MAX", 0)
        return ids(user, q)


def dictionary_misses():
    """The lexemes of the appeals' vectors that the dictionary lacks (there must be none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT lexeme FROM appeals_appeal, unnest(tsvector_to_array(search_vector)) AS lexeme"
            " WHERE NOT EXISTS (SELECT 1 FROM appeals_search_word w WHERE w.word = lexeme)"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_prefix_of_few_words_is_spelled_out_as_those_words(make, cast):
    make(applicant_name="Зюйдвестов Арсений")
    make(applicant_name="Зюйдвестова Арина")
    make(applicant_name="Зюйдвестову Ивану")
    params = tsquery("Зюйдвестов")
    assert params[1] == "'зюйдвестов' | 'зюйдвестова' | 'зюйдвестову'"
    assert not any(str(p).endswith(":*") for p in params)
    assert len(ids(cast.head_astana, "Зюйдвестов")) == 3


def test_a_prefix_of_many_words_stays_a_prefix(make, cast, monkeypatch):
    make(applicant_name="Квакерзон Иван")
    make(applicant_name="Квакерзонова Мария")
    monkeypatch.setattr(search, "PREFIX_WORDS_MAX", 1)
    assert tsquery("Квакерзон")[1] == "квакерзон:*"
    assert len(ids(cast.head_astana, "Квакерзон")) == 2


def test_a_prefix_nothing_begins_with_stays_a_prefix_and_finds_nothing(make, cast):
    make(applicant_name="Абракадабров Иван")
    assert tsquery("Щщщуклов")[1] == "щщщуклов:*"
    assert ids(cast.head_astana, "Абракадабров Щщщуклов") == []


def test_one_letter_and_other_scripts_are_left_as_they_were(make, cast):
    make(subject="Café über naïve", applicant_name="Ю Ли")
    assert tsquery("ю")[1] == "ю"  # one letter: a whole word, never a prefix
    assert tsquery("café")[1] == "café:*"  # not a-z/а-я/0-9: the parser decides, so it stays a prefix
    assert len(ids(cast.head_astana, "café ю")) == 1


def test_a_word_registered_after_the_fill_is_found(make, cast):
    first = make(applicant_name="Шпрехшталмейстеров Олег")
    assert "шпрехшталмейстеров" in tsquery("Шпрехшталмейстер")[1]
    later = make(applicant_name="Шпрехшталмейстерова Ольга")  # a new word, by the insert trigger
    assert SearchWord.objects.filter(word="шпрехшталмейстерова").exists()
    assert ids(cast.head_astana, "Шпрехшталмейстер") == sorted([first.pk, later.pk])


def test_an_appeals_words_are_kept_when_it_is_edited(make, cast):
    appeal = make(subject="Жалоба на Пуппенхаузена")
    appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    appeal_answer(
        by=cast.prosecutor_astana, appeal=appeal, outcome="explained", answer_text="Ответ Гроссмейстеру"
    )
    assert SearchWord.objects.filter(
        word="гроссмейстеру"
    ).exists()  # the answer's words, by the update trigger
    Appeal.objects.filter(pk=appeal.pk).update(subject="Жалоба на Кляйнмайера")
    words = set(SearchWord.objects.filter(word__startswith="пуппенхаузен").values_list("word", flat=True))
    assert "пуппенхаузена" in words  # a word no appeal holds any more is kept: it only finds nothing
    assert SearchWord.objects.filter(word="кляйнмайера").exists()
    assert ids(cast.head_astana, "Кляйнмайер") == [appeal.pk]
    assert ids(cast.head_astana, "Пуппенхаузен") == []
    assert dictionary_misses() == []


@pytest.mark.parametrize(
    "q, finds",
    [
        ("Ахмет", 3),
        ("Ахметов Серик", 1),
        ("Соколов Андрей", 2),
        ("Андре", 2),
        ("жалакы", 1),
        ("ҚАЗАҚ тіл", 1),
        ("заработн плат", 6),  # every appeal: the factory's subject
        ("2026", 1),
        ("12", None),
        ("зарплата гимназия", None),
        ("Zhann", 1),
        ("ooo-2", None),
        ("o'brien", None),
        ("mail", None),
    ],
)
def test_the_matches_are_the_prefixs_own(make, cast, monkeypatch, q, finds):
    texts = [
        ("Ахметов Серик Болатович", "Задержка заработной платы"),
        ("Ахметова Жанна", "Заработная плата не выплачена с 2026 года, ТОО «ООО-2»"),
        ("Ахметжанов Ерлан", "Қазақ тілінде жауап беріңіз, жалақы"),
        ("Соколов Андрей Петрович", "Гимназия № 12, письмо на ivan.o'brien@mail.kz"),
        ("Соколова Анна", "Соколову Андрею ответ, c:\\path\\to 'кавычки'"),
        ("Zhanna O'Brien", "Зарплата в гимназии задержана"),
    ]
    for name, text in texts:
        make(applicant_name=name, text=text)
    assert dictionary_misses() == []
    expanded = ids(cast.head_astana, q)
    assert expanded == unexpanded(monkeypatch, cast.head_astana, q)
    if finds is not None:  # the comparison means something: both find these
        assert len(expanded) == finds


def test_the_dictionary_holds_every_word_of_the_register(make, cast):
    make(
        applicant_name="Ёлкин-Палкин Ә. Ғ.",
        subject="Жалоба № 15/2026 от 01.02.2026",
        text="www.gov.kz, x@y.kz",
    )
    assert dictionary_misses() == []


@pytest.mark.parametrize("reader", ["head_gpo", "head_astana", "prosecutor_astana"])
def test_a_search_looks_the_words_up_once(make, cast, reader):
    # The page builds the words' tsquery for the planner's estimate and for the ids; the API's keyset search too.
    make(applicant_name="Вандербильтов Иван", sensitivity=Sensitivity.PUBLIC)  # every reader sees it
    user = getattr(cast, reader)
    for read in (
        lambda: appeal_list_page(user=user, filters={"q": "Вандербильт"}).object_list,
        lambda: appeal_search_by_id(user=user, filters={"q": "Вандербильт"}),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert len(list(read())) == 1
        lookups = [q["sql"] for q in queries.captured_queries if "appeals_search_word" in q["sql"]]
        assert len(lookups) == 1, lookups


def test_the_migration_fills_the_words_from_the_vectors_and_can_be_reversed(make, cast):
    appeal = make(applicant_name="Рододендронов Пётр")
    editor = _Editor()
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of the rows just written would block DROP TRIGGER in this transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    MIGRATION.words_backwards(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('appeals_search_word')")
        assert cursor.fetchone()[0] is None
    MIGRATION.words_forwards(None, editor)
    assert not SearchWord.objects.exists()
    MIGRATION.words_fill(None, editor)
    assert SearchWord.objects.filter(word="рододендронов").exists()
    assert dictionary_misses() == []
    assert ids(cast.head_astana, "Рододендрон") == [appeal.pk]


def test_the_migrations_trigger_sql_is_the_apps(db):
    # The migration keeps its own copy of the fill and the trigger's name (migrations never import app code).
    assert MIGRATION.PG_WORDS_FILL == search.PG_WORDS_FILL_SQL
    assert f"CREATE TRIGGER {search.PG_WORDS_INSERT_TRIGGER} " in " ".join(MIGRATION.PG_WORDS)


@pytest.mark.django_db(transaction=True)
def test_the_bulk_load_sets_the_trigger_aside_and_fills_the_words_at_the_end(
    migrated_rows, offices, cast, monkeypatch
):
    from prokuratura.appeals.demo import seed_appeals

    report = seed_appeals(count=200, seed=5, chunk_size=50, today=dt.date(2026, 6, 17), bulk=True)
    assert report.appeals == 200
    assert dictionary_misses() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [search.PG_WORDS_INSERT_TRIGGER])
        assert cursor.fetchone()[0] == "O"  # enabled again
    name = Appeal.objects.exclude(applicant_name="").order_by("id").first().applicant_name
    surname = re.findall(r"\w+", name)[0]
    assert ids(cast.head_gpo, surname[:-1]) == unexpanded(monkeypatch, cast.head_gpo, surname[:-1])


class _Editor:
    """A stand-in for the schema editor: the migration's functions read .connection and call .execute."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
