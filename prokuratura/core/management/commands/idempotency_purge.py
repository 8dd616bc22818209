"""Forget the API's Idempotency-Key records older than a day (core.api_support.idempotency_purge).

A daily periodic job (docs/OPERATIONS.md): a retry later than that is a new request, and the table would otherwise
grow by one row for every keyed create. Prints how many were removed; exit status 0.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from prokuratura.core.api_support import IDEMPOTENCY_TTL, idempotency_purge


class Command(BaseCommand):
    help = "Remove Idempotency-Key records older than 24 hours (or --hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=int(IDEMPOTENCY_TTL.total_seconds() // 3600),
            help="Remove records older than this many hours (at least 24: clients are told keys last a day).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = max(options["hours"], int(IDEMPOTENCY_TTL.total_seconds() // 3600))
        removed = idempotency_purge(older_than=dt.timedelta(hours=hours))
        self.stdout.write(f"{removed} idempotency record(s) older than {hours} hours removed")
