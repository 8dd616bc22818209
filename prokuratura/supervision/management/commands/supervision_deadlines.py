"""The daily control e-mail of supervision (docs/OPERATIONS.md): each prosecutor's overdue acts, acts without a result
and inspections past their period, and each head's summary of their office. Run it once a day, early on working
days' mornings (beside `appeals_deadlines`); a second run the same day writes to nobody twice, and on a day off it
sends nothing. Exit status 1 when an e-mail could not be sent, so the timer's failure alerting picks it up; those
people are tried again by the next run.
"""

from typing import Any

from django.core.management.base import CommandError

from prokuratura.core.management.reminders import DailyReminderCommand
from prokuratura.supervision.services.reminders import supervision_reminders_send


class Command(DailyReminderCommand):
    help = (
        "E-mail prosecutors their overdue acts, acts without a result and inspections past their period, and "
        "heads a summary of their office's."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        prefix = "[dry run] " if dry_run else ""
        report = supervision_reminders_send(today=options["today"], dry_run=dry_run)
        if report.day_off:
            self.stdout.write(
                f"{prefix}Supervision control: {report.today:%d.%m.%Y} is a day off, none sent."
            )
            return
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{prefix}Supervision control: {len(report.sent)} e-mail(s) {verb}; prosecutors' own lists hold "
            f"{report.acts} act(s) and {report.inspections} inspection(s)."
        )
        if report.already_sent:
            self.stdout.write(f"{prefix}  already sent today: {', '.join(report.already_sent)}")
        if report.without_email:
            self.stdout.write(f"{prefix}  no e-mail address: {', '.join(report.without_email)}")
        if report.failed:
            raise CommandError(f"Could not e-mail: {', '.join(report.failed)}.", returncode=1)
