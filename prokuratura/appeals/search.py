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

User input never reaches the query language as typed: it is cut into words of letters and digits, and only
those are passed on (as parameters), so quotes, brackets, `AND`/`OR`/`NOT`, `NEAR` or `*` cannot cause an error.

Changing `fold` or the stemmer (snowballstemmer is pinned) changes what is indexed: it needs a migration that
indexes the existing rows again (SQLite: the FTS5 table filled anew, see 0011; PostgreSQL: the generated
column's expression), and on SQLite the triggers' `delete` must keep seeing the text they indexed.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, Func, Q, QuerySet, TextField
from django.db.models.expressions import Expression, RawSQL
from django.utils import timezone
from snowballstemmer.russian_stemmer import RussianStemmer

from prokuratura.core.models import Office

from .models import Appeal

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
            condition |= Q(_pg_match(words))
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


def _pg_tsquery(words: list[str]) -> tuple[str, list[str]]:
    """Every word, as its Russian stem or as the prefix of a folded word as written (`simple`).

    The Russian stem already stands for every form of the word, so it is matched whole; the prefix of the written
    word finds Kazakh word forms (жалақы → жалақысы), names begun (Ахмет → Ахметова) and words cut short. A
    prefix of the stem (`заработн:*`, `андр:*`) would add nothing the two miss except unrelated words and
    patronymics (Андрей → Андреевич), and it is the dearest thing a GIN index can be asked for.

    The column (migration 0011) folds ё in the `russian` part and everything `fold` folds in the `simple` part;
    the words are folded here the same way. Kazakh letters stay in the `russian` term: the Russian stemmer does
    not know them, and the folded `simple` prefix is what finds a Kazakh word typed without them.
    """
    parts, params = [], []
    for word in words:
        # Only letters and digits reach to_tsquery, so it cannot meet an operator or a syntax error.
        folded = fold(word)
        term = f"{folded}:*" if len(folded) >= MIN_PREFIX else folded
        parts.append("(to_tsquery('russian'::regconfig, %s) || to_tsquery('simple'::regconfig, %s))")
        params += [word.replace("ё", "е"), term]
    return "(" + " && ".join(parts) + ")", params


def _pg_match(words: list[str]) -> _Matches:
    sql, params = _pg_tsquery(words)
    tsquery = RawSQL(sql, params, output_field=TextField())  # noqa: S611 - constant SQL, words as parameters
    # The column holds to_tsvector('russian', doc with ё folded) || to_tsvector('simple', folded doc) (0011).
    return _Matches(_SearchVector(), tsquery)


def search_estimate(query: str, *, using: str = "default") -> tuple[float, float] | None:
    """PostgreSQL: the planner's estimate of the appeals matching `query` and of all appeals, read from one
    EXPLAIN (no rows are touched); None elsewhere or for a query without words."""
    words = search_words(query)
    if not words or connections[using].vendor != "postgresql":
        return None
    tsquery, params = _pg_tsquery(words)
    table = Appeal._meta.db_table
    sql = (
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE {PG_VECTOR_COLUMN} @@ {tsquery}"  # noqa: S608
        f" UNION ALL SELECT 1 FROM {table}"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    children = plan[0]["Plan"].get("Plans", [])
    # An Append of the two scans is the only plan for this statement.
    if len(children) != 2:  # pragma: no cover
        return None
    matches, rows = (float(child["Plan Rows"]) for child in children)
    return matches, rows


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
    return matches > limit and matches * matches > limit * rows
