"""Full-text search over appeal texts, answers and applicant names, in Russian, Kazakh and English.

The index is built by migrations 0003_appeal_search and 0005_appeal_search_vector, one way per database (see
docs/ARCHITECTURE.md, "Search"):

* SQLite: the FTS5 table `appeals_appeal_fts` (unicode61 tokenizer, which folds the case of Cyrillic, Kazakh
  letters included), kept in step with `appeals_appeal` by triggers. Words match by prefix.
* PostgreSQL: a stored generated column `search_vector` (migration 0005) holding the `russian` and the `simple`
  text-search vectors of the same fields, with a GIN index on it. A word matches by its Russian stem (every form
  of a Russian word) or as the prefix of a word as written (Kazakh word forms, names and words begun).

User input never reaches the query language as typed: it is cut into words of letters and digits, and only
those are passed on (as parameters), so quotes, brackets, `AND`/`OR`/`NOT`, `NEAR` or `*` cannot cause an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Func, Q, QuerySet, TextField
from django.db.models.expressions import Expression, RawSQL
from django.utils import timezone

from prokuratura.core.models import Office

from .models import Appeal

# The fields searched, in the order the migration's index and FTS table list them.
SEARCH_FIELDS = ("subject", "text", "answer_text", "applicant_name")
FTS_TABLE = "appeals_appeal_fts"
PG_VECTOR_COLUMN = "search_vector"  # PostgreSQL: stored generated tsvector column (migration 0005)
MAX_WORDS = 10
# A one-letter word matches whole words only: as a prefix it would match most of the table.
MIN_PREFIX = 2

_WORD = re.compile(r"[^\W_]+")


def search_words(query: str) -> list[str]:
    """The words of a query: runs of letters and digits, lower-cased, without repeats, at most MAX_WORDS."""
    text = unicodedata.normalize("NFC", query).lower()
    return list(dict.fromkeys(_WORD.findall(text)))[:MAX_WORDS]


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


def _fts5_expression(words: list[str]) -> str:
    """Each word as a quoted FTS5 phrase (so it is never read as an operator), prefix-matched; all must match."""
    phrases = []
    for word in words:
        quoted = '"' + word.replace('"', '""') + '"'
        phrases.append(quoted + "*" if len(word) >= MIN_PREFIX else quoted)
    return " ".join(phrases)


# PostgreSQL ---------------------------------------------------------------------------------------------------


class _SearchVector(Expression):
    """`<appeal table alias>.search_vector`: the stored generated column of migration 0005 (PostgreSQL only).

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
    """Every word, as its Russian stem or as the prefix of a word as written (`simple`).

    The Russian stem already stands for every form of the word, so it is matched whole; the prefix of the written
    word finds Kazakh word forms (жалақы → жалақысы), names begun (Ахмет → Ахметова) and words cut short. A
    prefix of the stem (`заработн:*`, `андр:*`) would add nothing the two miss except unrelated words and
    patronymics (Андрей → Андреевич), and it is the dearest thing a GIN index can be asked for.
    """
    parts, params = [], []
    for word in words:
        # Only letters and digits reach to_tsquery, so it cannot meet an operator or a syntax error.
        term = f"{word}:*" if len(word) >= MIN_PREFIX else word
        parts.append("(to_tsquery('russian'::regconfig, %s) || to_tsquery('simple'::regconfig, %s))")
        params += [word, term]
    return "(" + " && ".join(parts) + ")", params


def _pg_match(words: list[str]) -> _Matches:
    sql, params = _pg_tsquery(words)
    tsquery = RawSQL(sql, params, output_field=TextField())  # noqa: S611 - constant SQL, words as parameters
    # The column holds to_tsvector('russian', doc) || to_tsvector('simple', doc) (migration 0005).
    return _Matches(_SearchVector(), tsquery)


def search_worth_walking(query: str, *, limit: int, using: str = "default") -> bool:
    """PostgreSQL: whether reading a reader's appeals newest first, checking each, beats the GIN index for `query`.

    Walking in the list's order stops at the `limit`-th match: with M matches among N appeals it reads about
    limit · N / M rows. The index collects all M matches before anything is ordered. Both cost about the same per
    row, so the walk wins when M² > limit · N. M and N are the planner's own estimates, read from one EXPLAIN (no
    rows are touched).
    """
    words = search_words(query)
    if not words or connections[using].vendor != "postgresql":
        return False
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
        return False
    matches, rows = (float(child["Plan Rows"]) for child in children)
    return matches > limit and matches * matches > limit * rows
