"""How long `appeals` migration 0008 (the lifecycle kernel's history columns) takes on a national register.

    .venv/bin/python bench/migration_0008.py [--rows 4000000] [--url postgres://root@127.0.0.1:5432/test]

Creates a scratch database `prokuratura_bench_0008` on the server of --url, fills a table shaped like
`appeals_appealtransition` with --rows history rows (the demo's mix of steps), adds the two columns as the migration
does, times the migration's own backfill (its `STEP_INTO` and the same CASE expression), prints the timings and drops
the database. Results are in docs/PERFORMANCE.md, "Migration 0008".
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SCRATCH = "prokuratura_bench_0008"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--url", default="postgres://root@127.0.0.1:5432/test")
    args = parser.parse_args()
    migration = importlib.import_module("prokuratura.appeals.migrations.0008_appeal_transition_step")
    cases = " ".join(
        f"WHEN to_status = '{status}' THEN '{step}'" for status, step in migration.STEP_INTO.items()
    )
    url = urlparse(args.url)
    with psycopg.connect(args.url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        admin.execute(f"CREATE DATABASE {SCRATCH}")
    try:
        scratch = url._replace(path=f"/{SCRATCH}").geturl()
        with psycopg.connect(scratch, autocommit=True) as db:
            timed(
                db,
                "create and fill",
                [
                    "CREATE TABLE t (id bigserial PRIMARY KEY, appeal_id bigint, from_status varchar(12), "
                    "to_status varchar(12), by_id bigint, at timestamptz, reason text)",
                    "INSERT INTO t (appeal_id, from_status, to_status, by_id, at, reason) "
                    "SELECT g / 4, (ARRAY['', 'registered', 'assigned', 'in_review', 'answered'])[1 + g % 5], "
                    "(ARRAY['registered', 'assigned', 'in_review', 'answered', 'closed'])[1 + g % 5], g % 1000, now(), '' "
                    f"FROM generate_series(1, {int(args.rows)}) g",
                    "CREATE INDEX ON t (appeal_id)",
                ],
            )
            timed(
                db,
                "add the two columns",
                [
                    "ALTER TABLE t ADD COLUMN by_system varchar(20) NOT NULL DEFAULT ''",
                    "ALTER TABLE t ADD COLUMN step varchar(40) NOT NULL DEFAULT ''",
                ],
            )
            timed(
                db,
                f"backfill {args.rows:,} rows",
                [
                    f"UPDATE t SET step = CASE WHEN from_status = '' THEN 'create' {cases} ELSE '' END WHERE step = ''",
                ],
            )
    finally:
        with psycopg.connect(args.url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")


def timed(db: psycopg.Connection, label: str, statements: list[str]) -> None:
    start = time.perf_counter()
    for sql in statements:
        db.execute(sql)  # type: ignore[arg-type]
    print(f"{label}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
