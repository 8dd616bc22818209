"""What the daily reminder commands share (`supervision_deadlines`, `cooperation_deadlines`): the `--dry-run` and
`--today` options."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser


class DailyReminderCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would be written to; send nothing and record nothing.",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Run as of this day instead of today (to catch up a day the timer missed).",
        )
