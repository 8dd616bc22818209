"""Appeals at national scale: build a register of N demo appeals in a database of its own, then measure.

    .venv/bin/python bench/appeals.py --db sqlite   --appeals 500000 [--reuse]
    .venv/bin/python bench/appeals.py --db postgres --appeals 500000 [--reuse] [--dbname prokuratura_bench]
    .venv/bin/python bench/appeals.py --db postgres --appeals 500000 --reuse --reads search   # some reads only

The database is the benchmark's own — a file under var/bench/ or the PostgreSQL database `prokuratura_bench` on
127.0.0.1:5432 (user root) — dropped and rebuilt unless --reuse finds one seeded with the same number of appeals.
It is migrated, loaded with the reference data and the demo office tree and users, and seeded with
`prokuratura.appeals.demo.seed_appeals` (then ANALYZEd, as autovacuum would after a bulk load). The settings are the
production ones (no PROKURATURA_TESTING): Argon2, the database task queue, DEBUG off.

Measured, each over a bounded loop with time.perf_counter (see docs/PERFORMANCE.md for the figures):
- registration through the API (POST /api/v1/appeals with a bearer token and an Idempotency-Key, via
  django.test.Client, the whole middleware stack included) and through the service `appeal_register` directly;
- search: `selectors.appeal_list_page(user=, filters={"q": ...})`, the count and the first page of 50, as the list
  page reads them;
- the list page without search, and open appeals of an office;
- the deadline lists (`selectors.deadline_lists`) for a prosecutor, a regional head and the national head;
- the statistics dashboard (`prokuratura.appeals.stats.appeal_stats`) for the year so far, by office and by region;
- the same read queries replayed as raw SQL through connection.cursor() — the statements the ORM sent, captured
  once — so the ORM's own share of the time shows; ORM and raw SQL are timed in turn, round by round.
It prints a table, the PostgreSQL EXPLAIN (ANALYZE, BUFFERS) of the main list queries, and writes everything to
var/bench/appeals-<db>-<N>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import platform
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = "postgres://root@127.0.0.1:5432"
BENCH_APPLICANT = "Бенчмарков"  # the surname of the appeals the registration benchmark files


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument(
        "--appeals", type=int, default=500_000, help="Demo appeals to seed (default 500,000)."
    )
    parser.add_argument(
        "--reuse", action="store_true", help="Keep a database already seeded with --appeals N."
    )
    parser.add_argument(
        "--dbname", default="prokuratura_bench", help="PostgreSQL database (default %(default)s)."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rounds", type=int, default=20, help="Repetitions of each read (default %(default)s)."
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=30,
        help="Seconds each read may take in all, at least 3 runs (default 30).",
    )
    parser.add_argument(
        "--registrations", type=int, default=300, help="API registrations (default %(default)s)."
    )
    parser.add_argument("--seed-only", action="store_true", help="Build the database, measure nothing.")
    parser.add_argument(
        "--reads",
        default="",
        help="Measure only the reads whose label contains this text, and no registration (e.g. 'search').",
    )
    return parser.parse_args()


# --- the database ------------------------------------------------------------------------------------------------


def prepare_database(args: argparse.Namespace) -> tuple[str, bool]:
    """Point Django at the benchmark database; returns (DATABASE_URL, whether it may hold a register already)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if args.db == "sqlite":
        path = BENCH_DIR / f"appeals-{args.appeals}.sqlite3"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", path.exists()
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.dbname]).fetchone()
        if exists and not args.reuse:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(args.dbname)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.dbname)))
    return f"{PG_SERVER}/{args.dbname}", bool(exists)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("PROKURATURA_TESTING", None)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    # The demo users' password: random, in this process only (nobody signs in to the benchmark database).
    os.environ["DEMO_PASSWORD"] = "bench-" + secrets.token_urlsafe(12)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prokuratura.settings")
    sys.path.insert(0, str(ROOT))
    import warnings

    import django

    # whitenoise looks for collected static files, which a benchmark does not need.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    django.setup()


def seeded_count() -> int:
    from prokuratura.core.models import AuditEntry

    return sum(
        entry.changes.get("appeals", 0) for entry in AuditEntry.objects.filter(object_type="appeals.demo")
    )


def build(args: argparse.Namespace, result: dict[str, Any]) -> None:
    from django.core.management import call_command

    from prokuratura.appeals.demo import seed_appeals
    from prokuratura.core.demo import seed_offices, seed_users

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference", stdout=quiet)
    seed_users(seed_offices())
    result["setup_seconds"] = round(time.perf_counter() - started, 1)

    def progress(report: Any) -> None:
        if report.appeals % 100_000 < 10_000 or report.appeals == args.appeals:
            print(
                f"  seeded {report.appeals:>9,} appeals  {report.seconds:7.0f} s  {report.rate:7,.0f}/s",
                flush=True,
            )

    report = seed_appeals(count=args.appeals, seed=args.seed, progress=progress)
    result["seed"] = {
        "appeals": report.appeals,
        "transitions": report.transitions,
        "seconds": round(report.seconds, 1),
        "appeals_per_second": round(report.rate),
        "index_seconds": round(getattr(report, "index_seconds", 0.0), 1),
        "registered_from": report.first_day.isoformat() if report.first_day else None,
        "registered_to": report.last_day.isoformat() if report.last_day else None,
    }
    result["seed"]["analyze_seconds"] = analyze()


def analyze() -> float:
    """Table statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would gather after a bulk load."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return round(time.perf_counter() - started, 1)


def migrate_reused(result: dict[str, Any]) -> None:
    """A reused database gets the migrations written since it was seeded (new indexes, say), then statistics."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    result["reused_migrations"] = [f"{m.app_label}.{m.name}" for m, _backwards in pending]
    result["reused_migrate_seconds"] = round(time.perf_counter() - started, 1)
    if pending:
        result["reused_analyze_seconds"] = analyze()


# --- measuring ---------------------------------------------------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def summary(samples: list[float]) -> dict[str, Any]:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
    }


def timed_pair(
    orm: Callable[[], Any], raw: Callable[[], Any], rounds: int, budget: float
) -> tuple[list[float], list[float]]:
    """`timed` for the ORM read and its raw SQL in turn, round by round, so both meet the same cache: timing all
    of one and then all of the other favours whichever runs second on a register larger than memory's cache."""
    orm()
    raw()
    orm_samples: list[float] = []
    raw_samples: list[float] = []
    while len(orm_samples) < rounds and (
        len(orm_samples) < 3 or sum(orm_samples) + sum(raw_samples) < 2 * budget
    ):
        for fn, samples in ((orm, orm_samples), (raw, raw_samples)):
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
    return orm_samples, raw_samples


def captured_sql(fn: Callable[[], Any]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def replay(statements: list[str]) -> Callable[[], None]:
    import re

    from django.db import connection

    # A server-side cursor (QuerySet.iterator on PostgreSQL, the export) is captured as its DECLARE alone: replay
    # the query it declares, whose rows the ORM fetched in chunks.
    declared = re.compile(r'^DECLARE "[^"]+" .*? CURSOR (?:WITH(?:OUT)? HOLD )?FOR ', re.DOTALL)
    statements = [declared.sub("", statement, count=1) for statement in statements]

    def run() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                if cursor.description is not None:  # not BEGIN, SET LOCAL, COMMIT
                    cursor.fetchall()

    return run


def first_page(user: Any, filters: dict[str, Any] | None = None, **view_and_sort: str) -> list[Any]:
    """What the list page does: the (capped) count and the first 50 rows, through the selector the view calls.
    `view` and `sort` (whose appeals, the order: selectors.LIST_VIEWS, LIST_SORTS) where the tree has them."""
    from prokuratura.appeals import selectors

    if hasattr(selectors, "appeal_list_page"):
        page = selectors.appeal_list_page(user=user, filters=filters or {}, per_page=50, **view_and_sort)
        return list(page.object_list)
    # Older trees: the view paged the selector's queryset itself.
    qs = selectors.appeal_list(user=user, filters=filters)
    try:
        from prokuratura.core.pagination import CappedPaginator as Paginator
    except ImportError:  # before the list count was capped
        from django.core.paginator import Paginator  # type: ignore[assignment]
    try:
        from prokuratura.appeals.selectors import list_count_cap
    except ImportError:  # before searches were counted to a lower cap
        page = Paginator(qs, 50).get_page(1)
    else:
        page = Paginator(qs, 50, cap=list_count_cap(filters)).get_page(1)
    return list(page.object_list)


def registration_payloads(n: int) -> list[dict[str, Any]]:
    import random

    from prokuratura.appeals.demo import COMPANIES, TOPIC_TEXTS, iin_make
    from prokuratura.core.models import Region

    rng = random.Random(42)
    regions = list(Region.objects.values_list("kato_code", flat=True))
    topics = list(TOPIC_TEXTS)
    payloads = []
    for i in range(n):
        topic = rng.choice(topics)
        subject, sentence = TOPIC_TEXTS[topic][0][0][0], TOPIC_TEXTS[topic][1][0][0]
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000))
        payloads.append(
            {
                "kind": "complaint",
                "subject": subject,
                "text": sentence.format(
                    body=f"ТОО «{rng.choice(COMPANIES)[0]}»",
                    months=3,
                    amount="450 000",
                    date="01.02.2026",
                    year=2019,
                    number="261234567890123",
                    official="Ахметов Б.К.",
                ),
                "region": rng.choice(regions),
                "topic": topic,
                "received_via": "other_body",
                "applicant": {
                    "type": "individual",
                    "name": f"{BENCH_APPLICANT} Тест {i}",
                    "iin": iin_make(rng, born=born, male=True),
                    "email": f"bench{i}@example.com",
                    "language": "ru",
                    "consent_personal_data": True,
                },
            }
        )
    return payloads


def measure_registration(args: argparse.Namespace, users: dict[str, Any], result: dict[str, Any]) -> None:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from prokuratura.accounts.services import token_create
    from prokuratura.appeals.models import Channel, Topic
    from prokuratura.appeals.services import AppealData, appeal_register
    from prokuratura.core.models import Region

    registrar = users["registrar"]
    n = args.registrations
    payloads = registration_payloads(n + 1)
    try:
        reverse("api:appeals_create")
        has_api = True
    except NoReverseMatch:
        has_api = False
    if has_api:
        _token, secret = token_create(by=registrar, name="benchmark")
        client = Client(headers={"authorization": f"Bearer {secret}"})

        def post(payload: dict[str, Any]) -> None:
            response = client.post(
                "/api/v1/appeals",
                data=payload,
                content_type="application/json",
                headers={"idempotency-key": secrets.token_hex(16)},
            )
            if response.status_code != 201:
                raise SystemExit(
                    f"API registration answered {response.status_code}: {response.content[:300]!r}"
                )

        post(payloads[0])  # warm
        samples = []
        started = time.perf_counter()
        for payload in payloads[1:]:
            t0 = time.perf_counter()
            post(payload)
            samples.append(time.perf_counter() - t0)
        total = time.perf_counter() - started
        result["registration_api"] = summary(samples) | {"per_second": round(n / total, 1)}
    else:
        result["registration_api"] = {"skipped": "no /api/v1/appeals endpoint in this tree"}

    regions = {r.kato_code: r for r in Region.objects.all()}
    topics = {t.code: t for t in Topic.objects.all()}

    def data(payload: dict[str, Any]) -> AppealData:
        a = payload["applicant"]
        return AppealData(
            kind=payload["kind"],
            subject=payload["subject"],
            text=payload["text"],
            region=regions[payload["region"]],
            topic=topics[payload["topic"]],
            applicant_type=a["type"],
            received_via=payload["received_via"],
            applicant_name=a["name"],
            applicant_iin=a["iin"],
            applicant_email=a["email"],
            consent_personal_data=True,
        )

    service_n = max(10, n // 2)
    items = [data(p) for p in registration_payloads(service_n)]
    samples = []
    started = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        appeal_register(by=registrar, channel=Channel.STAFF, data=item)
        samples.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    result["registration_service"] = summary(samples) | {"per_second": round(service_n / total, 1)}


def measure_reads(args: argparse.Namespace, users: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from prokuratura.appeals import selectors
    from prokuratura.appeals.models import Appeal

    today = timezone.localdate()
    # The newest appeal of the seeded register: not one of the benchmark's own registrations of an earlier run
    # (registration_payloads), whose made-up name would make the person search a rare word.
    sample = (
        Appeal.objects.exclude(applicant_name__startswith=BENCH_APPLICANT)
        .order_by("-id")
        .values_list("reg_number", "applicant_name")
        .first()
    ) or ("", "")
    searches = {
        "russian word": "заработную",
        "russian two words": "незаконно уволили",
        "kazakh word": "жалақы",
        "kazakh word, russian keyboard": "жалакы",  # жалақы without the Kazakh letter (0011's folding)
        "russian two words, nominative": "заработная плата",  # the texts have other forms (stems)
        "person (surname + name)": " ".join(sample[1].split()[:2]) or "Ахметов",
        "registration number": sample[0],
        "rare word": "гимназия",
    }
    operations: dict[str, Callable[[], Any]] = {}
    for label, q in searches.items():
        operations[f"search national: {label}"] = lambda q=q: first_page(users["head_gpo"], {"q": q})
    operations["search district prosecutor: russian word"] = lambda: first_page(
        users["prosecutor"], {"q": "заработную"}
    )
    operations["search district prosecutor: kazakh word"] = lambda: first_page(
        users["prosecutor"], {"q": "жалақы"}
    )
    operations["search regional head: russian word"] = lambda: first_page(users["head"], {"q": "заработную"})
    operations["list national, no filter"] = lambda: first_page(users["head_gpo"])
    operations["list regional head, open"] = lambda: first_page(users["head"], {"status": "open"})
    operations["list national, overdue"] = lambda: first_page(users["head_gpo"], {"overdue": True})
    if hasattr(selectors, "LIST_SORTS"):
        # The list's views and orders (issue 11, "Lists"): each role's default view, and each order both ways.
        sorted_reads: dict[str, tuple[str, dict[str, Any], dict[str, str]]] = {
            "sorted list national, by due date": ("head_gpo", {}, {"sort": "due"}),
            "sorted list national, by due date, latest first": ("head_gpo", {}, {"sort": "-due"}),
            "sorted list national, by status": ("head_gpo", {}, {"sort": "status"}),
            "sorted list national, by status, last first": ("head_gpo", {}, {"sort": "-status"}),
            "sorted list national, by number": ("head_gpo", {}, {"sort": "number"}),
            "sorted list national, by number, last first": ("head_gpo", {}, {"sort": "-number"}),
            "sorted list national, oldest registered first": ("head_gpo", {}, {"sort": "registered"}),
            "sorted list national, open by due date": ("head_gpo", {"status": "open"}, {"sort": "due"}),
            "sorted list national, overdue by due date": ("head_gpo", {"overdue": True}, {"sort": "due"}),
            "sorted list regional head, my office (default)": ("head", {}, {"view": "office"}),
            "sorted list regional head, my office by due date": (
                "head",
                {},
                {"view": "office", "sort": "due"},
            ),
            "sorted list regional head, my office open by due date": (
                "head",
                {"status": "open"},
                {"view": "office", "sort": "due"},
            ),
            "sorted list regional head, my office by status": (
                "head",
                {},
                {"view": "office", "sort": "status"},
            ),
            "sorted list regional head, my office by number": (
                "head",
                {},
                {"view": "office", "sort": "number"},
            ),
            "sorted list regional head, my office by number, last first": (
                "head",
                {},
                {"view": "office", "sort": "-number"},
            ),
            "sorted list national, one region by number": (
                "head_gpo",
                {"office": "region"},
                {"sort": "number"},
            ),
            "sorted list registrar, my office by due date": (
                "registrar",
                {},
                {"view": "office", "sort": "due"},
            ),
            "sorted list district prosecutor, mine (default)": ("prosecutor", {}, {"view": "mine"}),
            "sorted list district prosecutor, mine by due date": (
                "prosecutor",
                {},
                {"view": "mine", "sort": "due"},
            ),
            "sorted list district prosecutor, mine open by due date": (
                "prosecutor",
                {"status": "open"},
                {"view": "mine", "sort": "due"},
            ),
            "sorted list district prosecutor, mine by status": (
                "prosecutor",
                {},
                {"view": "mine", "sort": "status"},
            ),
            "sorted list district prosecutor, mine by number": (
                "prosecutor",
                {},
                {"view": "mine", "sort": "number"},
            ),
            "sorted list district prosecutor, all by due date": (
                "prosecutor",
                {},
                {"view": "all", "sort": "due"},
            ),
            "sorted search district prosecutor: russian word by due date": (
                "prosecutor",
                {"q": "заработную"},
                {"view": "all", "sort": "due"},
            ),
            "sorted search national: russian word by status": (
                "head_gpo",
                {"q": "заработную"},
                {"sort": "status"},
            ),
        }
        # The regional head's office as a filter of the national list ("one region").
        region_office = users["head"].office
        for label, (who, filters, view_and_sort) in sorted_reads.items():
            if filters.get("office") == "region":
                filters = {**filters, "office": region_office}
            operations[label] = lambda who=who, filters=filters, kw=view_and_sort: first_page(
                users[who], filters, **kw
            )
    if hasattr(selectors, "appeal_export_rows"):
        from prokuratura.appeals import exports

        def export_csv(user: Any, **view_and_sort: str) -> int:
            """The CSV export as the view streams it: the capped count, then every line of up to 10,000 rows."""
            counted, rows = selectors.appeal_export_rows(user=user, **view_and_sort)
            cap = selectors.EXPORT_ROW_CAP
            return sum(len(line) for line in exports.csv_lines(rows, cap=cap, cut=counted > cap))

        operations["export national, csv of 10,000 by due date"] = lambda: export_csv(
            users["head_gpo"], sort="due"
        )
        operations["export regional head, csv of my office"] = lambda: export_csv(
            users["head"], view="office"
        )
    # As the home page and the deadlines page read them (rows with only the columns the tables show).
    page_rows = {"brief": True} if "brief" in inspect.signature(selectors.deadline_lists).parameters else {}
    operations["deadlines prosecutor (mine)"] = lambda: selectors.deadline_lists(
        user=users["prosecutor"], scope="mine", **page_rows
    )
    operations["deadlines regional head (office)"] = lambda: selectors.deadline_lists(
        user=users["head"], scope="office", **page_rows
    )
    operations["deadlines national head (office)"] = lambda: selectors.deadline_lists(
        user=users["head_gpo"], scope="office", **page_rows
    )
    try:
        from prokuratura.appeals import stats
    except ImportError:
        result["dashboard"] = {"skipped": "no prokuratura.appeals.stats in this tree"}
    else:
        year_start = dt.date(today.year, 1, 1)
        for group in ("office", "region"):
            operations[f"dashboard year to date by {group}"] = lambda group=group: stats.appeal_stats(
                user=users["analyst"], period_from=year_start, period_to=today, group_by=group
            )

    reads: dict[str, Any] = {}
    sql: dict[str, list[str]] = {}
    for label, fn in operations.items():
        if args.reads not in label:
            continue
        fn()  # warm: plans, caches, the user's roles and offices
        statements = captured_sql(fn)
        sql[label] = statements
        orm, raw = timed_pair(fn, replay(statements), args.rounds, args.budget)
        reads[label] = {"queries": len(statements), "orm": summary(orm), "raw_sql": summary(raw)}
        print(
            f"  {label:<48} orm p50 {reads[label]['orm']['p50_ms']:>9.1f} ms   raw p50 "
            f"{reads[label]['raw_sql']['p50_ms']:>9.1f} ms",
            flush=True,
        )
    result["reads"] = reads
    result["searches"] = searches
    return sql


def explain(sql: dict[str, list[str]], result: dict[str, Any]) -> None:
    from django.db import connection

    wanted = [
        "list national, no filter",
        "search national: russian word",
        "search national: person (surname + name)",
        "search district prosecutor: kazakh word",
        "search national: kazakh word, russian keyboard",
        "search regional head: russian word",
        "deadlines national head (office)",
        "sorted list national, by status",
        "sorted list national, open by due date",
        "sorted list regional head, my office by due date",
        "sorted list regional head, my office by number",
        "sorted list district prosecutor, mine by due date",
        "sorted list district prosecutor, mine by status",
        "sorted list district prosecutor, mine by number",
        "sorted list national, one region by number",
    ]
    plans: dict[str, str] = {}
    with connection.cursor() as cursor:
        for label in wanted:
            statements = [s for s in sql.get(label, []) if s.lstrip().upper().startswith("SELECT")]
            if not statements:
                continue
            # The statement that fetches rows (the page, or the first of the lists), not a count.
            statement = next(
                (s for s in statements if "COUNT(" not in s.upper() and "appeals_appeal" in s), statements[0]
            )
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + statement)
            plans[label] = "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
    result["explain"] = plans


def machine(result: dict[str, Any]) -> None:
    import django
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory_gb = round(int(memory) / 1024 / 1024, 1)
    except OSError:
        memory_gb = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version(), pg_database_size(current_database())")
            version, size = cursor.fetchone()
        else:
            cursor.execute("SELECT sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
            size = Path(connection.settings_dict["NAME"]).stat().st_size
    result["machine"] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": version,
        "database_size_mb": round(size / 1024 / 1024),
    }


def run_seeded(
    args: Any,
    result: dict[str, Any],
    *,
    may_exist: bool,
    seeded: Callable[[], bool],
    build: Callable[[Any, dict[str, Any]], None],
    measure: Callable[[Any, dict[str, Any]], None],
    print_table: Callable[[dict[str, Any]], None],
    out_name: str,
) -> None:
    """What every module's benchmark does once its database is prepared: reuse the seeded data set when --reuse
    finds it (`seeded()` is true) — migrating it — else build it; measure unless --seed-only; write the results
    to var/bench/<out_name>-<stamp>.json and print the table."""
    from django.db.utils import DatabaseError

    reused = False
    if args.reuse and may_exist:
        try:
            reused = seeded()
        except DatabaseError:
            reused = False
    if reused:
        print("  reusing the seeded database", flush=True)
        migrate_reused(result)
    else:
        if may_exist:
            raise SystemExit(
                "The benchmark database holds another data set; run without --reuse to rebuild it."
            )
        build(args, result)
    result["reused"] = reused
    if not args.seed_only:
        measure(args, result)
    machine(result)
    out = write_result(result, out_name)
    print_table(result)
    print(f"\nresults: {out.relative_to(ROOT)}")


def write_result(result: dict[str, Any], name: str) -> Path:
    """Write a benchmark's result to var/bench/<name>-<UTC time>.json and return the path."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    out = BENCH_DIR / f"{name}-{stamp}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return out


def print_table(result: dict[str, Any]) -> None:
    print()
    print(f"appeals benchmark — {result['db']}, {result['appeals']:,} appeals")
    seed = result.get("seed")
    if seed:
        print(
            f"  seeding: {seed['appeals']:,} appeals + {seed['transitions']:,} transitions in {seed['seconds']} s "
            f"({seed['appeals_per_second']:,}/s), analyze {seed['analyze_seconds']} s"
        )
    print(f"  database size: {result['machine']['database_size_mb']:,} MB")
    for key in ("registration_api", "registration_service"):
        item = result.get(key, {})
        if "skipped" in item:
            print(f"  {key}: skipped ({item['skipped']})")
        elif item:
            print(
                f"  {key:<22} {item['per_second']:>7.1f}/s   p50 {item['p50_ms']:>7.1f} ms   p99 {item['p99_ms']:>7.1f} ms"
            )
    print(f"  {'read':<48} {'q':>3} {'orm p50':>9} {'orm p95':>9} {'raw p50':>9} {'raw p95':>9}  (ms)")
    for label, item in result.get("reads", {}).items():
        orm, raw = item["orm"], item["raw_sql"]
        print(
            f"  {label:<48} {item['queries']:>3} {orm['p50_ms']:>9.1f} {orm['p95_ms']:>9.1f} "
            f"{raw['p50_ms']:>9.1f} {raw['p95_ms']:>9.1f}"
        )
    for label, plan in result.get("explain", {}).items():
        print(f"\nEXPLAIN — {label}\n{plan}")


def main() -> None:
    args = parse_args()
    url, may_exist = prepare_database(args)
    setup_django(url)
    result: dict[str, Any] = {
        "db": args.db,
        "appeals": args.appeals,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/appeals.py", *sys.argv[1:]]),
    }
    print(f"appeals benchmark: {args.db}, {args.appeals:,} appeals", flush=True)

    def measure(args: Any, result: dict[str, Any]) -> None:
        from prokuratura.accounts.models import User

        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=["registrar", "prosecutor", "head", "head_gpo", "analyst"]
            )
        }
        sql = measure_reads(args, users, result)
        explain(sql, result)
        if not args.reads:
            measure_registration(args, users, result)

    run_seeded(
        args,
        result,
        may_exist=may_exist,
        seeded=lambda: seeded_count() == args.appeals,
        build=build,
        measure=measure,
        print_table=print_table,
        out_name=f"appeals-{args.db}-{args.appeals}",
    )


if __name__ == "__main__":
    main()
