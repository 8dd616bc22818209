"""bench/http_bench.py and its bare reference (bench/bare) must not rot between the runs that use them: their pure
helpers, the statement counter, the bare schema against the app's, and both projects' settings. No server is
started here."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from bench.bare import schemas as bare_schemas
from bench.bare.statements import (
    StatementCountMiddleware,
    count_headers,
    parse_count_headers,
    statement_counts,
    statement_kind,
)
from prokuratura.appeals import api as appeals_api
from prokuratura.appeals.models import AppealKind, ApplicantType, ReceivedVia
from prokuratura.appeals.rules import APPEAL_TEXT_MAX_LENGTH
from prokuratura.core.models import Sensitivity

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def http_bench():
    spec = importlib.util.spec_from_file_location("http_bench", ROOT / "bench" / "http_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_defaults_are_the_issues_benchmark(http_bench):
    args = http_bench.parse_args([])
    assert (args.appeals, args.dbname, args.client_counts, args.seconds) == (
        500_000,
        "http_bench",
        [1, 8],
        20,
    )
    assert http_bench.parse_args(["--clients", "2, 4"]).client_counts == [2, 4]


def test_numbering_check_reports_gaps_and_duplicates(http_bench):
    report = http_bench.numbering_check(
        ["ALM-2026-000001", "ALM-2026-000002", "ALM-2026-000004", "AST-01-2026-000001", "AST-01-2026-000001"]
    )
    assert report["ALM-2026"] == {
        "count": 3,
        "highest": 4,
        "missing": [3],
        "missing_count": 1,
        "duplicates": 0,
    }
    assert report["AST-01-2026"]["duplicates"] == 1
    assert report["AST-01-2026"]["missing_count"] == 0
    assert http_bench.numbering_check(["X-2026-000001", "X-2026-000002"])["X-2026"]["missing_count"] == 0


def test_ratios_per_concurrency_over_all_rounds(http_bench):
    runs = [
        {"clients": 1, "server": "app", "requests": 100, "seconds": 10, "worker_cpu_seconds": 2.0},
        {"clients": 1, "server": "bare", "requests": 400, "seconds": 10, "worker_cpu_seconds": 0.8},
        {"clients": 1, "server": "app", "requests": 120, "seconds": 10, "worker_cpu_seconds": 2.4},
        {"clients": 1, "server": "bare", "requests": 400, "seconds": 10, "worker_cpu_seconds": 0.8},
        {"clients": 8, "server": "app", "requests": 50, "seconds": 10, "worker_cpu_seconds": 1.0},
    ]
    result = http_bench.ratios(runs)
    assert result[1] == {"throughput_app_over_bare": 0.275, "worker_cpu_app_over_bare": 10.0}
    assert result[8] == {"throughput_app_over_bare": None, "worker_cpu_app_over_bare": None}


def test_proc_stat_is_read_after_the_command_name(http_bench):
    # A command name with a space and a parenthesis, as gunicorn's setproctitle may give.
    fields = ["S", "4242", *["0"] * 9, "150", "50", "1000", "500", "20", "0"]
    text = "4243 (gunicorn: worker (app)) " + " ".join(fields)
    assert http_bench.parse_proc_stat(text) == (4242, 200, 1500)


def test_backend_titles_of_the_database_only(http_bench):
    pattern = http_bench.backend_pattern("http_bench")
    assert pattern.match("postgres: 15/main: root http_bench 127.0.0.1(55336) idle")
    assert pattern.match("postgres: root http_bench 127.0.0.1(55336) INSERT")
    assert not pattern.match("postgres: 15/main: root http_bench_2 127.0.0.1(55336) idle")
    assert not pattern.match("postgres: 15/main: autovacuum worker http_bench")


def test_receipt_tasks_name_their_appeal(http_bench):
    rows = [
        {"args": [7, "receipt"], "kwargs": {}},
        {"args": [], "kwargs": {"appeal_id": 9}},
        {"args": ["x"]},
        None,
    ]
    assert http_bench.task_appeal_ids(rows) == {7, 9}


def test_statement_kinds_and_the_headers_round_trip():
    sqls = [
        "BEGIN",
        'SELECT "x" FROM "y"',
        'SAVEPOINT "s1"',
        'INSERT INTO "a" VALUES (1)',
        'RELEASE SAVEPOINT "s1"',
        'ROLLBACK TO SAVEPOINT "s2"',
        'UPDATE "c" SET n = 1',
        "WITH t AS (SELECT 1) SELECT * FROM t",
        "COMMIT",
    ]
    assert statement_kind("ROLLBACK") == "rollback"
    assert statement_kind('ROLLBACK TO SAVEPOINT "s"') == "savepoint"
    # A prepared statement (core.prepared) is logged with its parameters.
    assert statement_kind("QUERY = 'INSERT INTO \"a\" VALUES ($1)' - PARAMS = (1,)") == "insert"
    counts = statement_counts(sqls)
    assert counts["captured"] == 9
    assert counts["statements"] == 7
    assert (counts["begin"], counts["commit"], counts["savepoint"], counts["select"]) == (1, 1, 3, 2)
    headers = {name.lower(): value for name, value in count_headers(counts).items()}
    parsed = parse_count_headers(headers)
    assert parsed is not None
    assert parsed["statements"] == 7 and parsed["begin"] == 1 and parsed["insert"] == 1
    assert parse_count_headers({}) is None


@pytest.mark.django_db
def test_the_counter_answers_only_when_asked():
    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    middleware = StatementCountMiddleware(view)
    factory = RequestFactory()
    plain = middleware(factory.get("/"))
    assert "X-Statements" not in plain
    counted = middleware(factory.get("/", headers={"x-count-statements": "1"}))
    assert counted["X-Statements"] == "2"
    assert parse_count_headers({k.lower(): v for k, v in counted.items()})["select"] == 2


def test_the_bare_body_is_the_apps_body():
    for ours, theirs in (
        (bare_schemas.AppealIn, appeals_api.AppealIn),
        (bare_schemas.ApplicantIn, appeals_api.ApplicantIn),
    ):
        assert set(ours.model_fields) == set(theirs.model_fields)
    assert bare_schemas.TEXT_MAX_LENGTH == APPEAL_TEXT_MAX_LENGTH
    for literal, choices in (
        (bare_schemas.AppealKind, AppealKind),
        (bare_schemas.ApplicantType, ApplicantType),
        (bare_schemas.ReceivedVia, ReceivedVia),
        (bare_schemas.Sensitivity, Sensitivity),
    ):
        assert set(literal.__args__) == set(choices.values)


def test_the_apps_bench_settings_add_only_the_counter():
    from bench import http_settings

    assert [
        "bench.bare.statements.StatementCountMiddleware",
        *settings.MIDDLEWARE,
    ] == http_settings.MIDDLEWARE
    assert http_settings.ROOT_URLCONF == settings.ROOT_URLCONF


def test_the_bare_project_loads():
    code = (
        "import django, json; django.setup(); from django.conf import settings; from django.urls import resolve; "
        "from django.db import connection; "
        "print(json.dumps([settings.DEBUG, resolve('/bare/appeals').url_name is not None, "
        "settings.DATABASES['default']['CONN_MAX_AGE'], connection.vendor]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.bare.settings",
        "DATABASE_URL": "postgres://bench@127.0.0.1:5432/nowhere",  # read, never connected to
        "DJANGO_SECRET_KEY": "test-only",
        "DB_CONN_MAX_AGE": "60",
    }
    result = subprocess.run(  # noqa: S603 - this interpreter on our own module
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [False, True, 60, "postgresql"]


def test_gunicorn_takes_threads_and_class_from_the_environment(http_bench):
    settings_for = http_bench.gunicorn_settings
    assert settings_for({"GUNICORN_THREADS": "4"})["worker_class"] == "gthread"
    chosen = settings_for({"GUNICORN_WORKERS": "3", "GUNICORN_WORKER_CLASS": "sync"})
    assert (chosen["workers"], chosen["worker_class"]) == (3, "sync")
