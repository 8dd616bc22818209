"""The daily deadline reminders of the requests for legal assistance (docs/OPERATIONS.md): each officer in charge is
e-mailed their requests whose due date is near (within the time limit's `remind_days_before`) and, again, those that
became overdue — each reminder once (cooperation.request_reminders). Run it once a day, early on working days'
mornings (beside `appeals_deadlines` and `supervision_deadlines`); a second run the same day writes to nobody twice,
and on a day off it sends nothing. Exit status 1 when an e-mail could not be sent, so the timer's failure alerting
picks it up; those reminders are tried again by the next run.
"""

from typing import Any

from django.core.management.base import CommandError

from prokuratura.cooperation.request_reminders import request_reminders_send
from prokuratura.core.management.reminders import DailyReminderCommand


class Command(DailyReminderCommand):
    help = (
        "E-mail the officers in charge of requests for legal assistance the requests that fall due soon or are "
        "overdue, each reminder once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        prefix = "[dry run] " if dry_run else ""
        report = request_reminders_send(today=options["today"], dry_run=dry_run)
        if report.day_off:
            self.stdout.write(f"{prefix}Request deadlines: {report.today:%d.%m.%Y} is a day off, none sent.")
            return
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{prefix}Request deadlines: {len(report.sent)} e-mail(s) {verb}; {report.soon} request(s) due soon, "
            f"{report.overdue} overdue."
        )
        if report.without_email:
            self.stdout.write(f"{prefix}  no e-mail address: {', '.join(report.without_email)}")
        if report.inactive:
            self.stdout.write(f"{prefix}  officer no longer active: {', '.join(report.inactive)}")
        if report.failed:
            raise CommandError(f"Could not e-mail: {', '.join(report.failed)}.", returncode=1)
