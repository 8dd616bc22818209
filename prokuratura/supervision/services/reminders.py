"""The daily control e-mail of supervision, for the `supervision_deadlines` command (docs/OPERATIONS.md).

Each person gets at most one e-mail a day, listing
- their own control lists (supervision.control, scope "mine"): the acts they are the prosecutor of whose answer is
  overdue or that have no recorded result, and the inspections they are responsible for that are past their
  period;
- for a head, a summary of their office and the offices below it (scope "office"): how many of each there are,
  and the longest overdue of them with their office and prosecutor.
Nobody with nothing to act on is written to. The lists are the same functions the home page and the control page
read, as of the job's `today`, so the e-mail, the page and the API agree.

Sent on working days only (core calendar): on a day off nobody reads it, and the next working day's run lists the
same records. One e-mail per person per day: a `ReminderSent` row (user, day) is written before each e-mail goes
out — a second run the same day, or two runs at once, find it and skip that person — and removed when the e-mail
could not be sent, so a later run retries only those. E-mails go out in each recipient's `preferred_language` (ru
when unset), over one connection to the default mailer; a mail server that is down is counted as failures in the
report, so the command exits non-zero and the timer's alerting picks it up.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Role
from prokuratura.core.calendar import is_working_day
from prokuratura.core.mail import send_each

from ..control import (
    SCOPE_MINE,
    SCOPE_OFFICE,
    ControlLists,
    control_lists,
    overdue_q,
    past_period_q,
    without_result_q,
)
from ..models import Act, Inspection, ReminderSent

# An e-mail lists at most this many records per list and says how many more there are.
MAIL_LIST_LIMIT = 20
# How long the "sent on this day" rows are kept: long enough to see who was written to lately.
REMINDER_LOG_DAYS = 90
FALLBACK_LANGUAGE = "ru"


@dataclass
class ReminderReport:
    today: dt.date
    dry_run: bool = False
    day_off: bool = False
    sent: list[str] = field(default_factory=list)  # usernames written to (would be, in a dry run)
    already_sent: list[str] = field(default_factory=list)  # usernames written to earlier the same day
    without_email: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # usernames whose e-mail could not be sent
    acts: int = 0  # records listed in the e-mails to prosecutors (their own lists)
    inspections: int = 0


@dataclass(frozen=True)
class _Section:
    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _language(user: User) -> str:
    language = getattr(user, "preferred_language", "") or ""
    return language if language in dict(settings.LANGUAGES) else FALLBACK_LANGUAGE


def _sections(lists: ControlLists) -> dict[str, _Section]:
    return {
        "overdue_acts": _Section(lists.overdue_acts, lists.counts["overdue_acts"]),
        "acts_without_result": _Section(lists.acts_without_result, lists.counts["acts_without_result"]),
        "inspections_past_period": _Section(
            lists.inspections_past_period, lists.counts["inspections_past_period"]
        ),
    }


def _render(*, user: User, context: dict[str, Any]) -> EmailMessage:
    """The e-mail `supervision/email/control_reminder_subject.txt` + `_body.txt`, in the user's language."""
    with translation.override(_language(user)):
        subject = " ".join(
            render_to_string("supervision/email/control_reminder_subject.txt", context).split()
        )
        rendered = render_to_string("supervision/email/control_reminder_body.txt", context)
    # Template tags leave blank lines behind: trim line ends and keep at most one empty line in a row.
    lines = "\n".join(line.rstrip() for line in rendered.strip().splitlines())
    body = re.sub(r"\n{3,}", "\n\n", lines) + "\n"
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])


def _recipients(*, today: dt.date) -> tuple[list[User], set[int]]:
    """Who may have something to be told of: the prosecutors of acts and the responsible prosecutors of inspections
    on the national lists (the ids of those), and every active head. Active users only, in id order."""
    act_people = set(
        Act.objects.filter(overdue_q(today=today) | without_result_q(today=today))
        .order_by()
        .values_list("author_id", flat=True)
        .distinct()
    )
    inspection_people = set(
        Inspection.objects.filter(past_period_q(today=today))
        .order_by()
        .values_list("responsible_id", flat=True)
        .distinct()
    )
    own = act_people | inspection_people
    users = list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=own) | Q(user_roles__role=Role.HEAD))
        .select_related("office")
        .distinct()
        .order_by("pk")
    )
    return users, own


def _message(*, user: User, today: dt.date, own: set[int]) -> tuple[EmailMessage | None, int, int]:
    """The user's e-mail (None when there is nothing to tell them), and how many acts and inspections of their own
    it lists."""
    mine = (
        control_lists(user=user, scope=SCOPE_MINE, limit=MAIL_LIST_LIMIT, today=today)
        if user.pk in own
        else None
    )
    office = (
        control_lists(user=user, scope=SCOPE_OFFICE, limit=MAIL_LIST_LIMIT, today=today)
        if user.has_role(Role.HEAD) and user.office is not None
        else None
    )
    if mine is not None and not mine.total:
        mine = None
    if office is not None and not office.total:
        office = None
    if mine is None and office is None:
        return None, 0, 0
    context = {
        "user": user,
        "today": today,
        "mine": _sections(mine) if mine else None,
        "mine_total": mine.total if mine else 0,
        "office": _sections(office) if office else None,
        "office_total": office.total if office else 0,
        "office_name": user.office.name if office and user.office else "",
    }
    acts = (mine.counts["overdue_acts"] + mine.counts["acts_without_result"]) if mine else 0
    inspections = mine.counts["inspections_past_period"] if mine else 0
    return _render(user=user, context=context), acts, inspections


def _claim(user: User, today: dt.date) -> bool:
    """Write "sent to the user today" before sending; False when it was there already (another run sent it)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, day=today)
    except IntegrityError:
        return False
    return True


def _send_all(messages: list[tuple[User, EmailMessage]]) -> list[User]:
    """Send over one connection; the users whose message failed (all of them if the server is down)."""
    return send_each(messages, what="control e-mails")


def supervision_reminders_send(*, today: dt.date | None = None, dry_run: bool = False) -> ReminderReport:
    """E-mail each prosecutor their control lists and each head their office's, once a day, on working days."""
    today = today or timezone.localdate()
    report = ReminderReport(today=today, dry_run=dry_run)
    if not is_working_day(today):
        report.day_off = True
        return report
    if not dry_run:
        ReminderSent.objects.filter(day__lt=today - dt.timedelta(days=REMINDER_LOG_DAYS)).delete()
    users, own = _recipients(today=today)
    done = set(ReminderSent.objects.filter(day=today, user__in=users).values_list("user_id", flat=True))
    messages: list[tuple[User, EmailMessage]] = []
    for user in users:
        if user.pk in done:
            report.already_sent.append(user.get_username())
            continue
        message, acts, inspections = _message(user=user, today=today, own=own)
        if message is None:
            continue
        if not user.email:
            report.without_email.append(user.get_username())
            continue
        report.acts += acts
        report.inspections += inspections
        messages.append((user, message))
    if dry_run:
        report.sent = [user.get_username() for user, _message in messages]
        return report
    claimed = []
    for user, message in messages:
        if _claim(user, today):
            claimed.append((user, message))
        else:
            report.already_sent.append(user.get_username())
    failed = _send_all(claimed)
    if failed:
        # Not sent: a later run the same day tries them again.
        ReminderSent.objects.filter(day=today, user__in=failed).delete()
    failed_ids = {user.pk for user in failed}
    report.failed = [user.get_username() for user in failed]
    report.sent = [user.get_username() for user, _message in claimed if user.pk not in failed_ids]
    return report
