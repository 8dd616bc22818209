"""How long `appeals` migration 0011 (search folding) takes on a seeded benchmark register, both ways.

    .venv/bin/python bench/appeals.py --db postgres --appeals 1000000 --seed-only --dbname prokuratura_bench_1m
    .venv/bin/python bench/migration_0011.py --db postgres --appeals 1000000 --dbname prokuratura_bench_1m
    .venv/bin/python bench/migration_0011.py --db sqlite --appeals 1000000

Works on a database that bench/appeals.py seeded (it is migrated to the end, 0011 included). The migration's own
`backwards` puts back the index as it was before 0011 (PostgreSQL: 0005's generated column; SQLite: 0003's FTS5
table, rebuilt), then `forwards` is timed: that is the upgrade an existing register goes through. PostgreSQL is
VACUUM ANALYZEd after each step, as autovacuum would. Prints the timings and the sizes of the table and of the
search index, and writes them to var/bench/migration_0011-<db>-<N>-<time>.json. Then measure the searches with
`bench/appeals.py ... --reuse --reads search`. Results are in docs/PERFORMANCE.md, "Migration 0011".
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appeals as bench  # noqa: E402 - bench/appeals.py, beside this file

MIGRATION = "prokuratura.appeals.migrations.0011_search_folding"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--appeals", type=int, required=True, help="The N the database was seeded with.")
    parser.add_argument(
        "--dbname", default="prokuratura_bench", help="PostgreSQL database (default %(default)s)."
    )
    parser.add_argument(
        "--steps",
        choices=["both", "backwards", "forwards"],
        default="both",
        help="Only one way, e.g. to measure the searches of the tree before 0011 in between (default both).",
    )
    args = parser.parse_args()
    args.reuse = True
    url, exists = bench.prepare_database(args)
    if not exists:
        raise SystemExit(f"No seeded benchmark database at {url}: run bench/appeals.py --seed-only first.")
    bench.setup_django(url)

    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connection).applied_migrations()
    if ("appeals", "0011_search_folding") not in applied:
        raise SystemExit("Migrate the benchmark database first (bench/appeals.py --reuse migrates it).")
    # The migration stays recorded as applied: --steps backwards leaves the index as before 0011 until
    # --steps forwards puts it back.
    migration = importlib.import_module(MIGRATION)
    result: dict[str, Any] = {
        "db": args.db,
        "appeals": args.appeals,
        "rows": _rows(),
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/migration_0011.py", *sys.argv[1:]]),
        "steps": {},
    }
    print(f"migration 0011: {args.db}, {result['rows']:,} appeals", flush=True)
    result["sizes_with_0011"] = _sizes()
    steps = [("backwards (to 0010)", migration.backwards), ("forwards (0011)", migration.forwards)]
    for label, step in steps:
        if args.steps != "both" and not label.startswith(args.steps):
            continue
        started = time.perf_counter()
        with connection.schema_editor(atomic=True) as editor:
            step(None, editor)
        seconds = time.perf_counter() - started
        vacuum = bench.analyze()
        result["steps"][label] = {"seconds": round(seconds, 1), "vacuum_analyze_seconds": vacuum}
        result[f"sizes_after_{label.split()[0]}"] = _sizes()
        print(f"  {label:<22} {seconds:8.1f} s   (then VACUUM ANALYZE / ANALYZE {vacuum} s)", flush=True)
        print(f"  sizes: {result[f'sizes_after_{label.split()[0]}']}", flush=True)
    bench.machine(result)
    out = bench.write_result(result, f"migration_0011-{args.db}-{args.appeals}-{args.steps}")
    print(f"results: {out.relative_to(bench.ROOT)}")


def _rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM appeals_appeal")
        return int(cursor.fetchone()[0])


def _sizes() -> dict[str, str]:
    """PostgreSQL: the table with its TOAST, and the GIN index. SQLite: the database file and the FTS5 shadow
    tables' pages (the dbstat table, where SQLite was built with it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_size_pretty(pg_table_size('appeals_appeal')),"
                " pg_size_pretty(pg_relation_size('appeal_search_vector_gin')),"
                " pg_size_pretty(pg_database_size(current_database()))"
            )
            table, index, database = cursor.fetchone()
            return {"table (heap + TOAST)": table, "GIN index": index, "database": database}
        cursor.execute("PRAGMA page_size")
        page = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        sizes = {"database": f"{cursor.fetchone()[0] * page / 2**20:.0f} MB"}
        try:
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'appeals_appeal_fts%'")
        except Exception:  # noqa: BLE001 - SQLite built without dbstat
            return sizes
        sizes["FTS5 index"] = f"{(cursor.fetchone()[0] or 0) / 2**20:.0f} MB"
        return sizes


if __name__ == "__main__":
    main()
