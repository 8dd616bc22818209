"""Audit appends with and without the global lock (issue 16): do writers scale with clients, or queue on one row?

    .venv/bin/python bench/audit_append.py --db postgres --clients 1,2,4,8 --seconds 10 [--dbname audit_bench]

Creates the PostgreSQL database --dbname on 127.0.0.1:5432 (user root), migrates it, and for each client count runs
N threads, each on its own connection, each repeating for --seconds a transaction shaped like a registration's:
`core.audit.audit_record(...)` and then `SELECT pg_sleep(0.005)` — the rest of the work a service does while its
transaction is open. Twice per client count, through the same code:

- inline (AUDIT_SEAL_INLINE=True, the way every write worked before): the entry is chained at once under the lock of
  the chain's head row, held until commit, so every writer waits for the one before it;
- deferred (the PostgreSQL default): one INSERT per entry, while a sealer thread (`core.tasks.AuditSealer`, what each
  `task_worker` runs) chains the committed entries every AUDIT_SEAL_SECONDS.

After each run the rest is sealed and `audit_verify` must find the chain intact with one entry per transaction.
Prints transactions per second per client count for both and writes var/bench/audit-append-<time>.json; the
database is dropped at the end (--keep keeps it). Results: docs/PERFORMANCE.md, "Audit chain without a global lock".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = "postgres://root@127.0.0.1:5432"
WORK_SECONDS = 0.005


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", choices=["postgres"], default="postgres", help="Only PostgreSQL has row locks."
    )
    parser.add_argument(
        "--clients", default="1,2,4,8", help="Client counts, comma-separated (default 1,2,4,8)."
    )
    parser.add_argument("--seconds", type=float, default=10, help="Seconds per run (default 10).")
    parser.add_argument("--dbname", default="audit_bench", help="PostgreSQL database (default %(default)s).")
    parser.add_argument("--keep", action="store_true", help="Do not drop the database at the end.")
    return parser.parse_args()


def setup_django(dbname: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        admin.execute(f'CREATE DATABASE "{dbname}"')
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{dbname}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.pop("PROKURATURA_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prokuratura.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def drop_database(dbname: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')


def empty_trail() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditentry, core_audithead RESTART IDENTITY")


def run(*, clients: int, seconds: float, inline: bool) -> dict[str, Any]:
    """One run: `clients` writers for `seconds`; the transactions they committed and what sealing found."""
    from django.db import connection, connections, transaction
    from django.test import override_settings

    from prokuratura.core.actors import SETUP
    from prokuratura.core.audit import audit_record, audit_seal, audit_verify
    from prokuratura.core.models import AuditEntry
    from prokuratura.core.tasks import AuditSealer

    empty_trail()
    counts = [0] * clients
    errors: list[BaseException] = []
    barrier = threading.Barrier(clients + 1)
    stop = threading.Event()

    def writer(n: int) -> None:
        try:
            barrier.wait()
            i = 0
            while not stop.is_set():
                with transaction.atomic():
                    audit_record(
                        actor=SETUP,
                        action=AuditEntry.Action.CREATE,
                        object_type="bench.registration",
                        object_id=f"{n}-{i}",
                        changes={"status": {"before": None, "after": "registered"}},
                    )
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(%s)", [WORK_SECONDS])
                i += 1
            counts[n] = i
        except BaseException as error:  # noqa: BLE001 - reported after the run
            errors.append(error)
        finally:
            connections.close_all()

    with override_settings(AUDIT_SEAL_INLINE=inline):
        sealer = None if inline else AuditSealer()
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        if sealer is not None:
            sealer.start()
        barrier.wait()
        started = time.perf_counter()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if sealer is not None:
            sealer.stop()
        if errors:
            raise errors[0]
        sealing = time.perf_counter()
        left_to_seal = audit_seal()
        seal_seconds = time.perf_counter() - sealing
        report = audit_verify()
    committed = sum(counts)
    if not report.intact or report.checked != committed:
        raise SystemExit(
            f"audit_verify: intact={report.intact}, {report.checked} entries for {committed} transactions"
        )
    return {
        "clients": clients,
        "mode": "inline" if inline else "deferred",
        "transactions": committed,
        "seconds": round(elapsed, 2),
        "per_second": round(committed / elapsed, 1),
        "sealed_after_the_run": left_to_seal,
        "seal_ms": round(seal_seconds * 1000, 1),
        "verified": report.checked,
    }


def machine() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "postgresql": server,
    }


def main() -> None:
    args = parse_args()
    client_counts = [int(n) for n in args.clients.split(",") if n.strip()]
    setup_django(args.dbname)
    try:
        results = []
        for clients in client_counts:
            for inline in (True, False):
                result = run(clients=clients, seconds=args.seconds, inline=inline)
                results.append(result)
                print(
                    f"{result['mode']:>8} {clients} client(s): {result['per_second']:8.1f} transactions/s "
                    f"({result['transactions']} in {result['seconds']} s; {result['sealed_after_the_run']} "
                    f"sealed after the run in {result['seal_ms']} ms; chain intact)",
                    flush=True,
                )
        about = machine()
        print()
        print(f"PostgreSQL {about['postgresql']}, {about['cpus']} CPUs, Python {about['python']}")
        print(f"each transaction: audit_record + pg_sleep({WORK_SECONDS}); {args.seconds} s per run")
        print(
            "| clients | inline (head locked to commit), tx/s | deferred (sealer), tx/s | deferred / inline |"
        )
        print("|---:|---:|---:|---:|")
        for clients in client_counts:
            inline, deferred = (
                next(r for r in results if r["clients"] == clients and r["mode"] == mode)
                for mode in ("inline", "deferred")
            )
            ratio = deferred["per_second"] / inline["per_second"] if inline["per_second"] else float("nan")
            print(f"| {clients} | {inline['per_second']:.0f} | {deferred['per_second']:.0f} | {ratio:.2f}× |")
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        out = BENCH_DIR / f"audit-append-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
        out.write_text(
            json.dumps({"args": vars(args), "machine": about, "results": results}, indent=2) + "\n",
            encoding="utf-8",
        )
        print(f"written to {out}")
    finally:
        if not args.keep:
            drop_database(args.dbname)


if __name__ == "__main__":
    main()
