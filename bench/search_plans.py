"""The PostgreSQL plans of the search page's id query, as the page runs it, on a seeded benchmark register.

    .venv/bin/python bench/search_plans.py --appeals 1000000 --dbname prokuratura_bench_1m

For each search of bench/appeals.py (national, a district prosecutor, a regional head), runs the list page's
selector once with the SQL captured, then replays the statement that reads the matching ids under
`EXPLAIN (ANALYZE, BUFFERS)` in one transaction with the `SET LOCAL`s the page sent before it (the walk over the
record rule's branches switches bitmap scans off). Prints, per search, whether the plan reads the GIN index
(`appeal_search_vector_gin`), merges the branches (Merge Append) or walks the date index checking each row, and
writes the plans to
var/bench/search_plans-<N>-<time>.json. Used to check that migration 0011 left the plans as they were
(docs/PERFORMANCE.md, "Migration 0011").
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appeals as bench  # noqa: E402 - bench/appeals.py, beside this file

SEARCHES = [
    ("head_gpo", "заработную"),
    ("head_gpo", "заработная плата"),
    ("head_gpo", "жалақы"),
    ("head_gpo", "жалакы"),
    ("head_gpo", "гимназия"),
    ("prosecutor", "заработную"),
    ("prosecutor", "жалақы"),
    ("prosecutor", "жалакы"),
    ("head", "заработную"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, required=True, help="The N the database was seeded with.")
    parser.add_argument(
        "--dbname", default="prokuratura_bench", help="PostgreSQL database (default %(default)s)."
    )
    args = parser.parse_args()
    args.db, args.reuse = "postgres", True
    url, exists = bench.prepare_database(args)
    if not exists:
        raise SystemExit(f"No seeded benchmark database at {url}: run bench/appeals.py --seed-only first.")
    bench.setup_django(url)

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from prokuratura.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in={who for who, _q in SEARCHES})}
    plans: dict[str, Any] = {}
    for who, q in SEARCHES:
        bench.first_page(users[who], {"q": q})  # warm: roles, offices, plans
        with CaptureQueriesContext(connection) as captured:
            bench.first_page(users[who], {"q": q})
        statements = [entry["sql"] for entry in captured.captured_queries]
        settings = [s for s in statements if s.upper().startswith("SET LOCAL")]
        # Not the planner's estimate (search_worth_walking's EXPLAIN, itself a UNION ALL).
        reads = [s for s in statements if "@@" in s and not s.lstrip().upper().startswith("EXPLAIN")]
        ids = next((s for s in reads if "UNION ALL" in s.upper()), reads[0] if reads else None)
        if ids is None:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in settings:
                cursor.execute(sql)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + ids)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        label = f"{who}: {q}"
        if "Merge Append" in plan:
            shape = "branches merged (walk)"
        elif "appeal_search_vector_gin" in plan:
            shape = "GIN"
        elif "Index Scan Backward using appeal_registered_id" in plan:
            shape = "date index, filtered"
        else:
            shape = "other"
        time_line = next((line for line in plan.splitlines() if line.startswith("Execution Time")), "")
        plans[label] = {"shape": shape, "settings": settings, "plan": plan}
        print(f"  {label:<32} {shape:<20} {time_line}", flush=True)
    result = {
        "appeals": args.appeals,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "plans": plans,
    }
    bench.machine(result)
    out = bench.write_result(result, f"search_plans-{args.appeals}")
    print(f"results: {out.relative_to(bench.ROOT)}")


if __name__ == "__main__":
    main()
