"""Reminders of follow-up tasks, for the daily `relations_deadlines` command (docs/OPERATIONS.md).

Each owner of an open follow-up task (open or in progress) is e-mailed once per task and due date (a `TaskReminder`
row): when the due date is within REMIND_WORKING_DAYS working days (core calendar), or — for a task first seen
late, because it was set late or the job did not run — once it is overdue. A task rescheduled to a new due date
gets its own reminder. One e-mail per owner and run, listing their tasks overdue and due soon, in the owner's
`preferred_language` (ru when unset).

Sent on working days only: on a day off nobody reads it, and the next working day's run sends what fell due. The
`TaskReminder` rows are written before the e-mail goes out — a second run the same day, or two runs at once, find
them and skip the task — and removed when the e-mail could not be sent, so a later run tries again. An owner with
no e-mail address or no longer active is reported, not reminded.

What an e-mail says: the task, its due date and status, and its event's date, kind and title — for a restricted
event its date and kind only (mail leaves the system; the owner reads the rest in it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from prokuratura.accounts.models import User
from prokuratura.core.calendar import add_working_days, is_working_day
from prokuratura.core.mail import send_each
from prokuratura.core.models import Sensitivity

from .models import FollowUpTask, TaskReminder
from .transitions import TASK_OPEN

REMIND_WORKING_DAYS = 3
FALLBACK_LANGUAGE = "ru"


@dataclass
class ReminderReport:
    today: dt.date
    dry_run: bool = False
    day_off: bool = False
    sent: list[str] = field(default_factory=list)  # usernames written to (would be, in a dry run)
    soon: int = 0
    overdue: int = 0
    without_email: list[str] = field(default_factory=list)
    inactive: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReminderLine:
    task: FollowUpTask
    overdue: bool

    @property
    def restricted(self) -> bool:
        return self.task.event.sensitivity == Sensitivity.RESTRICTED


def remind_until(today: dt.date) -> dt.date:
    """The last due date reminded today: the days up to the REMIND_WORKING_DAYS-th working day after today."""
    return add_working_days(today, REMIND_WORKING_DAYS)


def reminders_due(*, today: dt.date) -> list[ReminderLine]:
    """The open tasks due by remind_until(today) not reminded for their due date yet, by owner, then the most
    urgent first (one query)."""
    reminded = TaskReminder.objects.filter(task=OuterRef("pk"), due_date=OuterRef("due_date"))
    tasks = (
        FollowUpTask.objects.filter(status__in=TASK_OPEN, due_date__lte=remind_until(today))
        .filter(~Exists(reminded))
        .select_related("owner", "event")
        .order_by("owner_id", "due_date", "id")
    )
    return [ReminderLine(task, overdue=task.due_date < today) for task in tasks]


def _language(user: User) -> str:
    language = getattr(user, "preferred_language", "") or ""
    return language if language in dict(settings.LANGUAGES) else FALLBACK_LANGUAGE


def _render(*, user: User, today: dt.date, lines: list[ReminderLine]) -> EmailMessage:
    context = {
        "user": user,
        "today": today,
        "overdue": [line for line in lines if line.overdue],
        "soon": [line for line in lines if not line.overdue],
    }
    with translation.override(_language(user)):
        subject = " ".join(render_to_string("relations/events/email/reminder_subject.txt", context).split())
        rendered = render_to_string("relations/events/email/reminder_body.txt", context)
    text = "\n".join(line.rstrip() for line in rendered.strip().splitlines())
    body = re.sub(r"\n{3,}", "\n\n", text) + "\n"
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])


def _claim(lines: list[ReminderLine]) -> list[ReminderLine]:
    """Record each reminder before it is sent; a line another run recorded first is left out."""
    claimed = []
    for line in lines:
        try:
            with transaction.atomic():
                TaskReminder.objects.create(task=line.task, due_date=line.task.due_date)
        except IntegrityError:
            continue
        claimed.append(line)
    return claimed


def _deliver(messages: list[tuple[User, EmailMessage]]) -> set[int]:
    """Send over one connection; the ids of the owners whose e-mail did not go out (all of them if the server is
    down)."""
    return {user.pk for user in send_each(messages, what="follow-up task reminders")}


def task_reminders_send(*, today: dt.date | None = None, dry_run: bool = False) -> ReminderReport:
    """E-mail each owner their open follow-up tasks overdue and due soon, each reminder once, on working days."""
    today = today or timezone.localdate()
    report = ReminderReport(today=today, dry_run=dry_run)
    if not is_working_day(today):
        report.day_off = True
        return report
    by_owner: dict[int, tuple[User, list[ReminderLine]]] = {}
    for line in reminders_due(today=today):
        owner = line.task.owner
        if not owner.is_active:
            report.inactive.append(owner.get_username())
            continue
        by_owner.setdefault(owner.pk, (owner, []))[1].append(line)
    pending: list[tuple[User, list[ReminderLine]]] = []
    for owner, lines in by_owner.values():
        if not owner.email:
            report.without_email.append(owner.get_username())
            continue
        pending.append((owner, lines))
    if not dry_run:
        pending = [(owner, claimed) for owner, lines in pending if (claimed := _claim(lines))]
    messages = [(owner, _render(user=owner, today=today, lines=lines)) for owner, lines in pending]
    failed = set() if dry_run else _deliver(messages)
    for owner, lines in pending:
        if owner.pk in failed:
            for line in lines:  # a later run tries them again
                TaskReminder.objects.filter(task=line.task, due_date=line.task.due_date).delete()
            report.failed.append(owner.get_username())
            continue
        report.sent.append(owner.get_username())
        report.overdue += sum(1 for line in lines if line.overdue)
        report.soon += sum(1 for line in lines if not line.overdue)
    report.inactive = sorted(set(report.inactive))
    return report
