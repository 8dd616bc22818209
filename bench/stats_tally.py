"""The appeals dashboard from the tally and from the appeals themselves, side by side, on a seeded benchmark register.

    .venv/bin/python bench/stats_tally.py --appeals 1000000 --dbname tally_bench

`appeals.stats.appeal_stats` / `appeal_stats_trend` read `AppealTally` (migration 0016); `appeal_stats_live` /
`appeal_stats_trend_live` count the appeals, as the dashboard did before. Each read is timed in turn, round by
round, with bench/appeals.py's loop (the ORM call, then its SQL replayed on a plain cursor), for the analyst
(national) and the regional head, for the year to date and for every year. Checks first that the two give the same
table, then prints the timings, the tally's size and the plan of the national year-to-date query, and writes them to
var/bench/stats_tally-<N>-<time>.json (docs/PERFORMANCE.md, "Dashboards from the tally").
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appeals as bench  # noqa: E402 - bench/appeals.py, beside this file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, required=True, help="The N the database was seeded with.")
    parser.add_argument(
        "--dbname", default="prokuratura_bench", help="PostgreSQL database (default %(default)s)."
    )
    parser.add_argument("--rounds", type=int, default=20, help="Repetitions of each read (default 20).")
    parser.add_argument(
        "--budget", type=float, default=30, help="Seconds each read may take in all (default 30)."
    )
    parser.add_argument("--live", action="store_true", help="Time the count from the appeals too (slow).")
    args = parser.parse_args()
    args.db, args.reuse = "postgres", True
    url, exists = bench.prepare_database(args)
    if not exists:
        raise SystemExit(f"No seeded benchmark database at {url}: run bench/appeals.py --seed-only first.")
    bench.setup_django(url)
    result: dict[str, Any] = {
        "appeals": args.appeals,
        "command": " ".join(["bench/stats_tally.py", *sys.argv[1:]]),
    }
    bench.migrate_reused(result)

    from django.db import connection
    from django.utils import timezone

    from prokuratura.accounts.models import User
    from prokuratura.appeals import stats

    users = {u.username: u for u in User.objects.filter(username__in=["analyst", "head"])}
    today = timezone.localdate()
    periods = {"year to date": dt.date(today.year, 1, 1), "every year": dt.date(2000, 1, 1)}
    sources = {"tally": (stats.appeal_stats, stats.appeal_stats_trend)}
    if args.live:
        sources["live"] = (stats.appeal_stats_live, stats.appeal_stats_trend_live)
    reads: dict[str, Any] = {}
    for source, (table, trend) in sources.items():
        for period, start in periods.items():
            if source == "live" and period == "every year":
                continue  # seconds per read: the year to date shows the point
            operations = {
                f"{source}: national {period} by office": lambda t=table, s=start: t(
                    user=users["analyst"], period_from=s, period_to=today, group_by="office"
                ),
                f"{source}: national {period} by region": lambda t=table, s=start: t(
                    user=users["analyst"], period_from=s, period_to=today, group_by="region"
                ),
                f"{source}: national {period}, trend": lambda t=trend, s=start: t(
                    user=users["analyst"], period_from=s, period_to=today
                ),
                f"{source}: regional head {period} by office": lambda t=table, s=start: t(
                    user=users["head"], period_from=s, period_to=today, group_by="office"
                ),
            }
            for label, fn in operations.items():
                fn()
                statements = bench.captured_sql(fn)
                orm, raw = bench.timed_pair(fn, bench.replay(statements), args.rounds, args.budget)
                reads[label] = {
                    "queries": len(statements),
                    "orm": bench.summary(orm),
                    "raw_sql": bench.summary(raw),
                }
                print(
                    f"  {label:<52} q {len(statements)}  orm p50 {reads[label]['orm']['p50_ms']:>8.1f} "
                    f"p95 {reads[label]['orm']['p95_ms']:>8.1f}   raw p50 {reads[label]['raw_sql']['p50_ms']:>8.1f} ms",
                    flush=True,
                )
    result["reads"] = reads
    start = periods["year to date"]
    same = stats.appeal_stats(
        user=users["analyst"], period_from=start, period_to=today
    ) == stats.appeal_stats_live(user=users["analyst"], period_from=start, period_to=today)
    result["tally_equals_live_year_to_date"] = same
    print(f"  the tally's table equals the live count (national, year to date): {same}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_total_relation_size('appeals_appealtally'), pg_relation_size('appeals_appealtally'),"
            " (SELECT count(*) FROM appeals_appealtally WHERE registered_on >= %s) FROM appeals_appealtally",
            [start],
        )
        rows, total, heap, year_rows = cursor.fetchone()
        result["tally"] = {
            "rows": rows,
            "total_bytes": total,
            "heap_bytes": heap,
            "year_to_date_rows": year_rows,
        }
        print(f"  tally: {rows:,} rows ({year_rows:,} this year), {total / 2**20:.1f} MB with indexes")
        statement = bench.captured_sql(
            lambda: stats.appeal_stats(user=users["analyst"], period_from=start, period_to=today)
        )[0]
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
        result["explain"] = "\n".join(row[0] for row in cursor.fetchall())
    out = bench.write_result(result, f"stats_tally-{args.appeals}")
    print(f"\nresults: {out.relative_to(bench.ROOT)}")


if __name__ == "__main__":
    main()
