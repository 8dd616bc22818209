"""Print a benchmark result (var/bench/appeals-<db>-<N>-<time>.json) as the Markdown docs/PERFORMANCE.md uses.

.venv/bin/python bench/report.py var/bench/appeals-postgres-5000000-20261202-1330.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _registration(label: str, r: dict[str, Any] | None) -> str:
    if not r:
        return f"- {label}: not measured"
    return (
        f"- {label}: n={r['n']}, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms,"
        f" {r['per_second']}/s (one client, sequential)"
    )


def render(result: dict[str, Any]) -> str:
    machine = result.get("machine", {})
    lines = [
        f"Command: `{result.get('command', '')}` (started {result.get('started_at', '?')}; machine: "
        f"{machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, {machine.get('memory_gb', '?')} GB, "
        f"{machine.get('database', '?')}, database {machine.get('database_size_mb', '?')} MB)",
        "",
    ]
    if seed := result.get("seed"):
        lines += [
            f"Seeding: {seed['appeals']:,} appeals and {seed['transitions']:,} transitions in {seed['seconds']} s"
            f" ({seed['appeals_per_second']:,} appeals/s), of which {seed.get('index_seconds', '?')} s re-creating"
            f" the indexes and constraints; ANALYZE {seed.get('analyze_seconds', '?')} s.",
            "",
        ]
    lines += [
        _registration("registration api", result.get("registration_api")),
        _registration("registration service", result.get("registration_service")),
        "",
        "| read | queries | ORM p50 ms | ORM p95 ms | raw SQL p50 ms | raw SQL p95 ms | ORM / raw (p50) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, read in result.get("reads", {}).items():
        orm, raw = read["orm"], read["raw_sql"]
        ratio = round(orm["p50_ms"] / raw["p50_ms"], 2) if raw.get("p50_ms") else "—"
        lines.append(
            f"| {name} | {read['queries']} | {orm['p50_ms']} | {orm['p95_ms']} | {raw['p50_ms']} |"
            f" {raw['p95_ms']} | {ratio} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(render(json.loads(Path(path).read_text(encoding="utf-8"))))
        print()
