"""The daily deadlines job (docs/OPERATIONS.md): reminders to prosecutors, then escalation of overdue appeals
to heads. Run it once a day, early on working days' mornings; escalation is idempotent, reminders are a daily
digest (a second run the same day sends them again). Exit status 1 when an e-mail could not be sent, so the
timer's failure alerting picks it up; the escalations themselves are recorded either way.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from prokuratura.appeals.services.reminders import appeal_escalate_overdue, appeal_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail deadline reminders to prosecutors and escalate overdue appeals to the heads of their offices."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be sent and escalated; send nothing and change nothing.",
        )
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Run as of this day instead of today (to catch up a day the timer missed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        prefix = "[dry run] " if dry_run else ""
        today = options["date"]
        reminders = appeal_reminders_send(today=today, dry_run=dry_run)
        if reminders.day_off:
            self.stdout.write(f"{prefix}Reminders: {reminders.today:%d.%m.%Y} is a day off, none sent.")
        else:
            verb = "would be sent" if dry_run else "sent"
            self.stdout.write(
                f"{prefix}Reminders: {reminders.sent} {verb}, listing {reminders.appeals} appeal(s)."
            )
        if reminders.without_email:
            self.stdout.write(f"{prefix}  no e-mail address: {', '.join(reminders.without_email)}")
        escalation = appeal_escalate_overdue(today=today, dry_run=dry_run)
        verb = "would be escalated" if dry_run else "escalated"
        self.stdout.write(
            f"{prefix}Escalation: {len(escalation.escalated)} appeal(s) {verb}, "
            f"{escalation.heads_notified} head(s) {'to notify' if dry_run else 'notified'}."
        )
        if escalation.without_head:
            self.stdout.write(
                f"{prefix}  no head in the office or above: {', '.join(escalation.without_head)}"
            )
        if escalation.without_email:
            self.stdout.write(
                f"{prefix}  heads without an e-mail address: {', '.join(escalation.without_email)}"
            )
        failed = [*reminders.failed, *escalation.failed]
        if failed:
            raise CommandError(f"Could not e-mail: {', '.join(failed)}.", returncode=1)
