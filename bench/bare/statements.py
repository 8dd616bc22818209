"""The benchmark's statement counter, in both stacks it measures (the app under bench/http_settings.py, and the
bare reference).

PostgreSQL's pg_stat_statements needs `shared_preload_libraries`, which a shared server may not have, so the count
is taken in the web worker instead: a request that sends `X-Count-Statements: 1` is run under Django's
CaptureQueriesContext, the same count `django_assert_num_queries` takes (BEGIN, COMMIT and ROLLBACK included as
their own lines), and the answer carries

    X-Statements: 38                                   statements sent (SAVEPOINTs included, BEGIN/COMMIT not)
    X-Transactions: begin=1;commit=1;rollback=0
    X-Statement-Kinds: select=20;insert=6;update=4;savepoint=6;other=2

With BENCH_STATEMENT_LOG set, the statements themselves are appended to that file as a JSON line per request.
Other requests pay one dictionary lookup: the measured runs do not ask.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext

ASK_HEADER = "HTTP_X_COUNT_STATEMENTS"
TRANSACTION_WORDS = ("begin", "commit", "rollback")
KINDS = ("select", "insert", "update", "delete", "savepoint")


def statement_kind(sql: str) -> str:
    """What one captured line is: begin, commit, rollback (the transaction's own), savepoint (SAVEPOINT, RELEASE
    SAVEPOINT, ROLLBACK TO SAVEPOINT), select, insert, update, delete or other."""
    if sql.startswith(
        "QUERY = "
    ):  # a prepared statement (core.prepared) is logged as QUERY = '…' - PARAMS = …
        sql = sql[len("QUERY = ") :].lstrip("'\"")
    words = sql.lstrip().split(None, 3)
    first = words[0].lower() if words else ""
    if first in ("savepoint", "release") or (first == "rollback" and "to" in (w.lower() for w in words[1:2])):
        return "savepoint"
    if first in TRANSACTION_WORDS or first in KINDS:
        return first
    if first == "with":  # a CTE: what it ends in decides, but it reads first
        return "select"
    return "other"


def statement_counts(sqls: Iterable[str]) -> dict[str, int]:
    """The captured lines counted by kind, plus `statements` (all but BEGIN/COMMIT/ROLLBACK) and `captured` (all,
    as django_assert_num_queries counts them)."""
    kinds = Counter(statement_kind(sql) for sql in sqls)
    counts = {kind: kinds.get(kind, 0) for kind in (*TRANSACTION_WORDS, *KINDS, "other")}
    counts["captured"] = sum(kinds.values())
    counts["statements"] = counts["captured"] - sum(counts[w] for w in TRANSACTION_WORDS)
    return counts


def count_headers(counts: dict[str, int]) -> dict[str, str]:
    return {
        "X-Statements": str(counts["statements"]),
        "X-Transactions": ";".join(f"{w}={counts[w]}" for w in TRANSACTION_WORDS),
        "X-Statement-Kinds": ";".join(f"{k}={counts[k]}" for k in (*KINDS, "other")),
    }


def parse_count_headers(headers: dict[str, str]) -> dict[str, int] | None:
    """The driver's side: the counts back from a response's headers (lower-case names), None if it has none."""
    if "x-statements" not in headers:
        return None
    counts = {"statements": int(headers["x-statements"])}
    for header in ("x-transactions", "x-statement-kinds"):
        for item in filter(None, headers.get(header, "").split(";")):
            name, _sep, value = item.partition("=")
            counts[name.strip()] = int(value)
    return counts


class StatementCountMiddleware:
    """First in MIDDLEWARE, so it sees every statement of the request (the token lookup, the commit hooks)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get(ASK_HEADER) != "1":
            return self.get_response(request)
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as captured:
            response = self.get_response(request)
        sqls = [query["sql"] for query in captured.captured_queries]
        for name, value in count_headers(statement_counts(sqls)).items():
            response[name] = value
        log = os.environ.get("BENCH_STATEMENT_LOG")
        if log:
            line: dict[str, Any] = {"path": request.path, "status": response.status_code, "sql": sqls}
            with open(log, "a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return response
