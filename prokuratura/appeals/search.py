"""Full-text search over appeal texts, answers and applicant names, in Russian, Kazakh and English.

The index is built by migrations 0003, 0005 and 0011_search_folding, one way per database (see
docs/ARCHITECTURE.md, "Search"). Both sides of every comparison — the indexed text and the query — are *folded*
the same way (`fold`): NFC, lower case, ё → е, and the Kazakh letters to the Russian letters people type for
them on a Russian keyboard (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и). So «ёлка» and «елка» are one word, and
«құқық» is found by «кукык» as well as by «құқық».

* SQLite: the contentless FTS5 table `appeals_appeal_fts` with one column, `doc`, kept in step with
  `appeals_appeal` by triggers. The triggers fill it through the SQL function `appeal_search_document`
  (`search_document`, registered on every SQLite connection by `register_sqlite_functions`): the folded words of
  the four fields and the Snowball Russian stem of each. A word of a query matches as the prefix of a folded word
  or by its stem as a whole token, so a Russian word matches in any form («заработная плата» finds «заработной
  платы» and the other way round).
* PostgreSQL: a stored generated column `search_vector` holding the `russian` vector of the text with ё folded
  and the `simple` vector of the folded text, with a GIN index on it. A word matches by its Russian stem (every
  form of a Russian word) or as the prefix of a folded word as written (Kazakh word forms, names and words begun).
  A prefix is spelled out as the words of the register that begin with it when there are few (`SearchWord`,
  migration 0015): the same matches, which GIN finds without collecting every appeal of each prefix first.

User input never reaches the query language as typed: it is cut into words of letters and digits, and only
those are passed on (as parameters), so quotes, brackets, `AND`/`OR`/`NOT`, `NEAR` or `*` cannot cause an error.

Changing `fold` or the stemmer (snowballstemmer is pinned) changes what is indexed: it needs a migration that
indexes the existing rows again (SQLite: the FTS5 table filled anew, see 0011; PostgreSQL: the generated
column's expression), and on SQLite the triggers' `delete` must keep seeing the text they indexed.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, Func, Q, QuerySet, TextField
from django.db.models.expressions import Expression, RawSQL
from django.utils import timezone
from snowballstemmer.russian_stemmer import RussianStemmer

from prokuratura.core.models import Office

from .models import Appeal, SearchWord

# The fields searched, in the order the migration's index and FTS table list them.
SEARCH_FIELDS = ("subject", "text", "answer_text", "applicant_name")
FTS_TABLE = "appeals_appeal_fts"
PG_VECTOR_COLUMN = "search_vector"  # PostgreSQL: stored generated tsvector column (migrations 0005, 0011)
MAX_WORDS = 10
# A one-letter word matches whole words only: as a prefix it would match most of the table.
MIN_PREFIX = 2

_WORD = re.compile(r"[^\W_]+")

# Each Kazakh letter as the Russian letter typed for it on a Russian keyboard. Migration 0011 spells the same
# pairs (capitals too) in PostgreSQL's translate(); the two must agree.
KAZAKH_TO_RUSSIAN = {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
# str.replace per letter: str.translate takes its slow path on Cyrillic text and took ~20× as long (measured).
_FOLD = tuple({"ё": "е", **KAZAKH_TO_RUSSIAN}.items())


def search_words(query: str) -> list[str]:
    """The words of a query: runs of letters and digits, lower-cased, without repeats, at most MAX_WORDS."""
    text = unicodedata.normalize("NFC", query).lower()
    return list(dict.fromkeys(_WORD.findall(text)))[:MAX_WORDS]


def fold(text: str) -> str:
    """`text` as the index compares it: NFC, lower case, ё as е and the Kazakh letters as their Russian twins."""
    text = unicodedata.normalize("NFC", text).lower()
    for letter, twin in _FOLD:
        text = text.replace(letter, twin)
    return text


_stemmers = threading.local()  # a Snowball stemmer keeps its state while it works: one per thread


@functools.lru_cache(maxsize=100_000)
def russian_stem(word: str) -> str:
    """The Snowball Russian stem of a folded word (a word without Cyrillic letters comes back as it is).

    The pure-Python stemmer is used on purpose, never PyStemmer's C one that snowballstemmer prefers when it is
    installed: the SQLite index must stem the same way on every machine. A register's vocabulary is small next
    to its words, so the cache answers most calls."""
    stemmer = getattr(_stemmers, "russian", None)
    if stemmer is None:
        stemmer = _stemmers.russian = RussianStemmer()
    return str(stemmer.stemWord(word))


def appeal_search_filter(qs: QuerySet[Appeal], query: str) -> QuerySet[Appeal]:
    """Appeals of `qs` in whose subject, text, answer or applicant's name every word of `query` appears, or that
    `query` identifies: the registration number (whole, or its sequence number with or without the year), the
    applicant's IIN or BIN, or the tracking code. A query with no words finds only identifiers."""
    if not query.strip():
        return qs
    condition = _identifier_q(query)
    words = search_words(query)
    if words:
        vendor = connections[qs.db].vendor
        if vendor == "postgresql":
            condition |= Q(_pg_match(words, using=qs.db))
        elif vendor == "sqlite":
            # The MATCH expression is a parameter, built from letters and digits only.
            condition |= Q(id__in=RawSQL(_FTS5_SQL, [_fts5_expression(words)]))  # noqa: S611
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
            raise NotImplementedError(vendor)
    return qs.filter(condition)


_IIN_OR_BIN = re.compile(r"\d{12}")
# The part of a number people quote: the sequence number, with or without the year ("123", "2026-000123").
_NUMBER_PART = re.compile(r"(?:(?P<year>\d{4})[-/])?(?P<seq>\d{1,6})")
# How many years back a number quoted without its year is looked for.
NUMBER_YEARS_BACK = 2


def _identifier_q(query: str) -> Q:
    """What a query that is one token identifies. Every branch is an equality on an indexed column (a list of
    whole numbers for a part of one), so it never scans the register."""

    from .services.intake import normalise_tracking_code

    needle = query.strip()
    if not needle or len(needle) > 40 or any(ch.isspace() for ch in needle):
        return Q(pk__in=[])
    # Numbers are issued upper-case (AST-2024-000001); imported legacy numbers are kept as they came.
    q = Q(reg_number__in=sorted({needle, needle.upper()}))
    if _IIN_OR_BIN.fullmatch(needle):
        q |= Q(applicant_iin=needle) | Q(applicant_bin=needle)
    code = normalise_tracking_code(needle)
    if code:
        q |= Q(tracking_code=code)
    part = _NUMBER_PART.fullmatch(needle)
    if part:
        this_year = timezone.localdate().year
        years = [int(part["year"])] if part["year"] else range(this_year - NUMBER_YEARS_BACK, this_year + 1)
        codes = Office.objects.values_list("code", flat=True)
        seq = int(part["seq"])
        q |= Q(reg_number__in=[f"{office}-{year}-{seq:06d}" for office in codes for year in years])
    return q


# SQLite -------------------------------------------------------------------------------------------------------

_FTS5_SQL = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constant table name
# The SQL function the FTS5 triggers of migration 0011 and the demo bulk load call (its name is their contract).
SQLITE_DOCUMENT_FUNCTION = "appeal_search_document"
# What the FTS5 table's `doc` gets for a row of appeals_appeal.
FTS_DOCUMENT_SQL = f"{SQLITE_DOCUMENT_FUNCTION}({', '.join(SEARCH_FIELDS)})"


def search_document(*fields: str | None) -> str:
    """The text SQLite's full-text index keeps for an appeal: its folded words, then the Russian stems that
    differ from them, each once (no query needs positions or repeats, and fewer tokens make a smaller index)."""
    words = dict.fromkeys(_WORD.findall(fold(" ".join(f for f in fields if f))))
    stems = dict.fromkeys(russian_stem(w) for w in words)
    return " ".join([*words, *(s for s in stems if s not in words)])


def register_sqlite_functions(connection: Any) -> None:
    """Give a new SQLite connection `appeal_search_document`, which the full-text triggers call on every write."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_DOCUMENT_FUNCTION, len(SEARCH_FIELDS), search_document, deterministic=True
        )


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    register_sqlite_functions(connection)


# Connected when the appeals app is ready (apps.py imports this module), before any connection is opened.
connection_created.connect(_on_connection_created, dispatch_uid="appeals.search.sqlite_functions")


def _fts5_expression(words: list[str]) -> str:
    """All words must match. Each word, folded, as a quoted FTS5 phrase (so it is never read as an operator)
    matched as a prefix, or as its Russian stem matched whole (the index holds both)."""
    terms = []
    for word in dict.fromkeys(fold(w) for w in words):
        if len(word) < MIN_PREFIX:
            terms.append(_fts5_phrase(word))
            continue
        stem = russian_stem(word)
        prefix = _fts5_phrase(word) + "*"
        terms.append(f"({prefix} OR {_fts5_phrase(stem)})" if stem != word else prefix)
    return " AND ".join(terms)


def _fts5_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


# PostgreSQL ---------------------------------------------------------------------------------------------------


class _SearchVector(Expression):
    """`<appeal table alias>.search_vector`: the stored generated column of migrations 0005/0011 (PostgreSQL).

    The model does not declare the column (SQLite has none; see the migration), so it is referred to by name,
    on the alias the query gives `appeals_appeal` (which is not the table's name inside a subquery)."""

    output_field = TextField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> _SearchVector:
        clone = self.copy()
        if query is not None and clone.alias is None:
            clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map: Mapping[str, str]) -> _SearchVector:
        clone = self.copy()
        if clone.alias is not None and clone.alias in change_map:
            clone.alias = change_map[clone.alias]
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if self.alias is None:  # pragma: no cover - always resolved against the appeal query first
            raise ValueError("unresolved search vector")
        qn = compiler.quote_name
        return f"{qn(self.alias)}.{connection.ops.quote_name(PG_VECTOR_COLUMN)}", ()


class _Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


# A prefix that begins at most this many words of the register is spelled out as those words (`_pg_expand`); one
# that begins more stays a prefix (`:*`). Exact words cost GIN one lookup each and are intersected at once, while a
# prefix makes it collect every appeal of every word it begins before the words of a query are intersected: a
# person's name at 5 M appeals took 370 ms as two prefixes and 55 ms spelled out (docs/PERFORMANCE.md).
PREFIX_WORDS_MAX = 32
# What is spelled out: a folded word that the `simple` configuration keeps as one lexeme, unchanged (letters a-z,
# а-я and digits). Anything else stays a prefix, so the matches are the prefix's own whatever the parser does.
_SPELLABLE = re.compile(r"[0-9a-zа-я]+")


_expansions: ContextVar[dict[tuple[str, ...], dict[str, list[str]]] | None] = ContextVar(
    "appeal_search_expansions", default=None
)


@contextlib.contextmanager
def words_looked_up_once() -> Iterator[None]:
    """Within the block, the same prefixes are looked up in SearchWord once: a search page builds its words' tsquery
    for the planner's estimate and again for the ids. Only that long, so a word registered a moment later is found
    by the next search."""
    token = _expansions.set({})
    try:
        yield
    finally:
        _expansions.reset(token)


def _pg_expand(prefixes: list[str], *, using: str) -> dict[str, list[str]]:
    """The register's words (`SearchWord`) that begin with each of `prefixes`, for the prefixes that begin one to
    PREFIX_WORDS_MAX of them: one query, one range of the words' primary key per prefix.

    The words are compared byte by byte ("C" collation), as a tsquery prefix is: the words from the prefix up to the
    prefix with its last letter's successor are exactly those that begin with it."""
    wanted = [p for p in dict.fromkeys(prefixes) if _SPELLABLE.fullmatch(p)] if PREFIX_WORDS_MAX > 0 else []
    if not wanted:
        return {}
    memo, key = _expansions.get(), (using, *wanted)
    if memo is not None and key in memo:
        return memo[key]
    connection = connections[using]
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    parts, params = [], []
    for i, prefix in enumerate(wanted):
        parts.append(
            f"(SELECT {i}, word FROM {table} WHERE word >= %s AND word < %s"  # noqa: S608 - constant names
            f" ORDER BY word LIMIT {PREFIX_WORDS_MAX + 1})"
        )
        params += [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)]
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for i, word in cursor.fetchall():
            found.setdefault(wanted[i], []).append(word)
    # None found: the prefix matches nothing, and stays as it is (an empty part would drop the word's condition).
    spelled = {prefix: words for prefix, words in found.items() if len(words) <= PREFIX_WORDS_MAX}
    if memo is not None:
        memo[key] = spelled
    return spelled


# What keeps SearchWord (migration 0015): its insert trigger, which a bulk load sets aside, and the fill from the
# vectors of a range of ids, which the migration and the bulk load run (the migration has its own copy).
PG_WORDS_INSERT_TRIGGER = "appeals_search_word_insert"
PG_WORDS_FILL_SQL = (
    "INSERT INTO appeals_search_word (word) SELECT DISTINCT lexeme FROM appeals_appeal,"
    " unnest(tsvector_to_array(search_vector)) AS lexeme WHERE id > %s AND id <= %s ON CONFLICT DO NOTHING"
)
PG_WORDS_FILL_BATCH = 100_000


def fill_search_words(*, using: str, after_id: int = 0) -> None:
    """PostgreSQL: add the words of the appeals after `after_id` to SearchWord, a batch of ids a statement."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT max(id) FROM appeals_appeal")
        high = cursor.fetchone()[0] or 0
        for start in range(after_id, high, PG_WORDS_FILL_BATCH):
            cursor.execute(PG_WORDS_FILL_SQL, [start, start + PG_WORDS_FILL_BATCH])


def _tsquery_lexeme(word: str) -> str:
    """A lexeme as tsquery input takes it literally: quoted, its quotes doubled and its backslashes escaped."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _pg_tsquery(words: list[str], *, using: str) -> tuple[str, list[str]]:
    """Every word, as its Russian stem or as the prefix of a folded word as written (`simple`).

    The Russian stem already stands for every form of the word, so it is matched whole; the prefix of the written
    word finds Kazakh word forms (жалақы → жалақысы), names begun (Ахмет → Ахметова) and words cut short. A
    prefix of the stem (`заработн:*`, `андр:*`) would add nothing the two miss except unrelated words and
    patronymics (Андрей → Андреевич), and it is the dearest thing a GIN index can be asked for. The written prefix
    is spelled out as the words that begin it when they are few (`_pg_expand`): the same matches, found faster.

    The column (migration 0011) folds ё in the `russian` part and everything `fold` folds in the `simple` part;
    the words are folded here the same way. Kazakh letters stay in the `russian` term: the Russian stemmer does
    not know them, and the folded `simple` prefix is what finds a Kazakh word typed without them.
    """
    terms = _pg_terms(words, using=using)
    return "(" + " && ".join(sql for sql, _params in terms) + ")", [
        p for _sql, params in terms for p in params
    ]


def _pg_terms(words: list[str], *, using: str) -> list[tuple[str, list[str]]]:
    """Each word's tsquery (`_pg_tsquery`), with its parameters."""
    folded = [fold(word) for word in words]
    spelled = _pg_expand([f for f in folded if len(f) >= MIN_PREFIX], using=using)
    terms = []
    for word, folded_word in zip(words, folded, strict=True):
        # Only letters and digits reach to_tsquery, so it cannot meet an operator or a syntax error; the spelled
        # words are lexemes of the register, quoted, and read as tsquery input (no parser, no dictionary).
        if folded_word in spelled:
            lexemes = " | ".join(_tsquery_lexeme(w) for w in spelled[folded_word])
            terms.append(
                ("(to_tsquery('russian'::regconfig, %s) || %s::tsquery)", [word.replace("ё", "е"), lexemes])
            )
            continue
        term = f"{folded_word}:*" if len(folded_word) >= MIN_PREFIX else folded_word
        terms.append(
            (
                "(to_tsquery('russian'::regconfig, %s) || to_tsquery('simple'::regconfig, %s))",
                [word.replace("ё", "е"), term],
            )
        )
    return terms


def _pg_match(words: list[str], *, using: str) -> _Matches:
    sql, params = _pg_tsquery(words, using=using)
    tsquery = RawSQL(sql, params, output_field=TextField())  # noqa: S611 - constant SQL, words as parameters
    # The column holds to_tsvector('russian', doc with ё folded) || to_tsvector('simple', folded doc) (0011).
    return _Matches(_SearchVector(), tsquery)


def search_estimate(query: str, *, using: str = "default") -> tuple[float, float] | None:
    """PostgreSQL: the planner's estimate of the appeals matching `query` and of all appeals, read from one
    EXPLAIN (no rows are touched); None elsewhere or for a query without words."""
    words = search_words(query)
    if not words or connections[using].vendor != "postgresql":
        return None
    estimated = _planner_rows([_pg_tsquery(words, using=using)], using=using)
    return (estimated[0], estimated[1]) if estimated else None


def _planner_rows(tsqueries: list[tuple[str, list[str]]], *, using: str) -> list[float] | None:
    """The planner's estimate of the appeals matching each tsquery, then of all appeals: one EXPLAIN of their
    UNION ALL (an Append of one scan each, the only plan for it)."""
    table = Appeal._meta.db_table
    parts = [f"SELECT 1 FROM {table} WHERE {PG_VECTOR_COLUMN} @@ {sql}" for sql, _params in tsqueries]  # noqa: S608
    sql = "EXPLAIN (FORMAT JSON) " + " UNION ALL ".join([*parts, f"SELECT 1 FROM {table}"])  # noqa: S608
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [p for _sql, params in tsqueries for p in params])
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    children = plan[0]["Plan"].get("Plans", [])
    if len(children) != len(parts) + 1:  # pragma: no cover
        return None
    return [float(child["Plan Rows"]) for child in children]


def _worth_walking(matches: float, rows: float, limit: int) -> bool:
    return matches > limit and matches * matches > limit * rows


def search_worth_walking(query: str, *, limit: int, using: str = "default") -> bool:
    """PostgreSQL: whether reading a reader's appeals newest first, checking each, beats the GIN index for `query`.

    Walking in the list's order stops at the `limit`-th match: with M matches among N appeals it reads about
    limit · N / M rows. The index collects all M matches before anything is ordered. Both cost about the same per
    row, so the walk wins when M² > limit · N. M and N are the planner's own estimates (`search_estimate`).
    """
    estimate = search_estimate(query, using=using)
    if estimate is None:
        return False
    matches, rows = estimate
    return _worth_walking(matches, rows, limit)


def search_may_be_worth_walking(query: str, *, limit: int, using: str = "default") -> bool:
    """PostgreSQL: whether the walk might win after all for a query of several words the planner calls rare.

    The planner multiplies the words' shares of the register, as if they were independent; words that go together
    («заработная плата») match far more often (5,677 estimated for 72,346 at 1 M). All the words together cannot
    match more often than the rarest of them alone, so that word's estimate is an upper bound of M: if even that
    bound says the walk would lose, it does (`search_worth_walking`'s rule, one EXPLAIN for every word)."""
    words = search_words(query)
    if len(words) < 2 or connections[using].vendor != "postgresql":
        return False
    estimated = _planner_rows(_pg_terms(words, using=using), using=using)
    if not estimated:  # pragma: no cover
        return False
    *each, rows = estimated
    return _worth_walking(min(each), rows, limit)
