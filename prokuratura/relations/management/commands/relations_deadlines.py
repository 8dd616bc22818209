"""The daily reminders of follow-up tasks of meetings and visits (docs/OPERATIONS.md): each owner is e-mailed their
open tasks due within three working days and those overdue — each task once per due date (relations.reminders).
Run it once a day, early on working days' mornings (beside `cooperation_deadlines`); a second run the same day
writes to nobody twice, and on a day off it sends nothing. Exit status 1 when an e-mail could not be sent, so the
timer's failure alerting picks it up; those reminders are tried again by the next run.
"""

from typing import Any

from django.core.management.base import CommandError

from prokuratura.core.management.reminders import DailyReminderCommand
from prokuratura.relations.reminders import task_reminders_send


class Command(DailyReminderCommand):
    help = (
        "E-mail the owners of follow-up tasks of meetings and visits the tasks that fall due within three working "
        "days or are overdue, each task once per due date."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        prefix = "[dry run] " if dry_run else ""
        report = task_reminders_send(today=options["today"], dry_run=dry_run)
        if report.day_off:
            self.stdout.write(f"{prefix}Follow-up tasks: {report.today:%d.%m.%Y} is a day off, none sent.")
            return
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{prefix}Follow-up tasks: {len(report.sent)} e-mail(s) {verb}; {report.soon} task(s) due soon, "
            f"{report.overdue} overdue."
        )
        if report.without_email:
            self.stdout.write(f"{prefix}  no e-mail address: {', '.join(report.without_email)}")
        if report.inactive:
            self.stdout.write(f"{prefix}  owner no longer active: {', '.join(report.inactive)}")
        if report.failed:
            raise CommandError(f"Could not e-mail: {', '.join(report.failed)}.", returncode=1)
