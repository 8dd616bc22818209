"""Deadline reminders for requests for legal assistance, for the daily `cooperation_deadlines` command
(docs/OPERATIONS.md).

A request awaiting the partner (outgoing) or the executing body (incoming) — `request_transitions.AWAITING` — has a
due date, the control term of the step it waits for (`request_rules.request_due_date`). The officer in charge is
e-mailed about it twice, each time once:

- "soon": when the due date is within the `remind_days_before` of the request's time limit (`RequestTerm`) — the
  row of the milestone that fits the status (`MILESTONE_OF_STATUS`: sent → acknowledgement, acknowledged or in
  execution → execution; received → registration, registered → check, assigned → execution). The days are
  counted as the term is: working days for a term in working days (a reminder "1 day before" a Monday is sent on
  the Friday), calendar days otherwise. A request whose term has no row (a due date set by hand) is reminded
  DEFAULT_REMIND_DAYS calendar days before;
- "overdue": the first working day after the due date passed while the request still waits.

"Once" is per due date: a `RequestReminderSent` row (request, due date, kind) is written before the e-mail goes out
— a second run the same day, or two runs at once, find it and skip the request — and removed when the e-mail could
not be sent, so a later run retries only those. When the step is taken and a new term starts, the new due date gets
its own two reminders. A request first seen already overdue (the job did not run) gets the overdue reminder only.

One e-mail per officer and run, listing their requests due soon and overdue, in the officer's `preferred_language`
(ru when unset), over one connection to the default mailer (as supervision's control e-mail). Sent on working days
only: on a day off nobody reads it, and the next working day's run sends what fell due. A request whose officer has
no e-mail address or is no longer active is reported, not reminded (and reminded later once the officer is fixed).
A mail server that is down is counted as failures in the report, so the command exits non-zero.

What an e-mail says: the request's number, kind, partner state, status, the step awaited and the due date — never
the persons concerned or the facts. For a restricted request (terrorism, extremism) the e-mail gives the number and
the dates only: mail leaves the system, the officer reads the rest in it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from prokuratura.accounts.models import User
from prokuratura.core.calendar import add_working_days, is_working_day
from prokuratura.core.mail import send_each
from prokuratura.core.models import Sensitivity

from .models_requests import (
    AssistanceRequest,
    Direction,
    Milestone,
    RequestReminderSent,
    RequestStatus,
    RequestTerm,
    TermUnit,
)
from .request_transitions import AWAITING

S = RequestStatus
SOON, OVERDUE = "soon", "overdue"  # RequestReminderSent.kind
# The milestone whose term runs in each awaiting status (the due date was counted from it).
MILESTONE_OF_STATUS: dict[tuple[str, str], str] = {
    (Direction.OUTGOING, S.SENT): Milestone.ACKNOWLEDGE,
    (Direction.OUTGOING, S.ACKNOWLEDGED): Milestone.EXECUTE,
    (Direction.OUTGOING, S.IN_EXECUTION): Milestone.EXECUTE,
    (Direction.INCOMING, S.RECEIVED): Milestone.REGISTER,
    (Direction.INCOMING, S.REGISTERED): Milestone.CHECK,
    (Direction.INCOMING, S.ASSIGNED): Milestone.EXECUTE,
}
assert {status for _direction, status in MILESTONE_OF_STATUS} == set(AWAITING)  # noqa: S101
# For a due date without a time limit row (set by hand): remind this many calendar days before.
DEFAULT_REMIND_DAYS = 3
FALLBACK_LANGUAGE = "ru"


@dataclass
class ReminderReport:
    today: dt.date
    dry_run: bool = False
    day_off: bool = False
    sent: list[str] = field(default_factory=list)  # usernames written to (would be, in a dry run)
    soon: int = 0  # requests reminded as due soon
    overdue: int = 0  # requests reminded as overdue
    without_email: list[str] = field(default_factory=list)  # usernames of officers without an address
    inactive: list[str] = field(default_factory=list)  # numbers of requests whose officer is not active
    failed: list[str] = field(default_factory=list)  # usernames whose e-mail could not be sent


@dataclass(frozen=True)
class ReminderLine:
    """One request in an e-mail."""

    request: AssistanceRequest
    kind: str  # SOON or OVERDUE
    milestone: str
    due_date: dt.date  # the request's due date the reminder is about

    @property
    def restricted(self) -> bool:
        return self.request.sensitivity == Sensitivity.RESTRICTED

    @property
    def milestone_label(self) -> str:
        return str(Milestone(self.milestone).label) if self.milestone in Milestone.values else ""


def _language(user: User) -> str:
    language = getattr(user, "preferred_language", "") or ""
    return language if language in dict(settings.LANGUAGES) else FALLBACK_LANGUAGE


class _Windows:
    """The last due date a "soon" reminder is sent for today, per time limit (one calendar read per distinct
    number of working days)."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.terms = {(t.direction, t.kind, t.milestone): t for t in RequestTerm.objects.all()}
        self._working: dict[int, dt.date] = {}

    def _working_until(self, days: int) -> dt.date:
        # Due within `days` working days: before the (days + 1)-th working day after today.
        if days not in self._working:
            self._working[days] = add_working_days(self.today, days + 1) - dt.timedelta(days=1)
        return self._working[days]

    def until(self, *, direction: str, kind: str, milestone: str) -> dt.date:
        term = self.terms.get((direction, kind, milestone))
        if term is None:
            return self.today + dt.timedelta(days=DEFAULT_REMIND_DAYS)
        if term.unit == TermUnit.WORKING_DAYS:
            return self._working_until(term.remind_days_before)
        return self.today + dt.timedelta(days=term.remind_days_before)

    def latest(self) -> dt.date:
        """The latest due date any "soon" reminder is sent for today."""
        dates = [self.today + dt.timedelta(days=DEFAULT_REMIND_DAYS)]
        for term in self.terms.values():
            dates.append(
                self._working_until(term.remind_days_before)
                if term.unit == TermUnit.WORKING_DAYS
                else self.today + dt.timedelta(days=term.remind_days_before)
            )
        return max(dates)


def _sent(kind: str) -> Exists:
    return Exists(
        RequestReminderSent.objects.filter(request=OuterRef("pk"), due_date=OuterRef("due_date"), kind=kind)
    )


def reminders_due(*, today: dt.date) -> list[ReminderLine]:
    """The reminders not sent yet that are due today, ordered by officer, then the most urgent first (one query
    for the time limits, one for the requests)."""
    windows = _Windows(today)
    candidates = (
        AssistanceRequest.objects.filter(status__in=AWAITING, due_date__lte=windows.latest())
        .annotate(soon_sent=_sent(SOON), overdue_sent=_sent(OVERDUE))
        .filter(Q(due_date__lt=today, overdue_sent=False) | Q(due_date__gte=today, soon_sent=False))
        .select_related("officer", "partner")
        .order_by("officer_id", "due_date", "id")
    )
    lines = []
    for record in candidates:
        milestone = MILESTONE_OF_STATUS.get((record.direction, record.status), "")
        due = record.due_date
        if due is None:
            continue
        if due < today:
            lines.append(ReminderLine(record, OVERDUE, milestone, due))
        elif due <= windows.until(direction=record.direction, kind=record.kind, milestone=milestone):
            lines.append(ReminderLine(record, SOON, milestone, due))
    return lines


def _render(*, user: User, today: dt.date, lines: list[ReminderLine]) -> EmailMessage:
    """The e-mail `cooperation/email/request_reminder_subject.txt` + `_body.txt`, in the officer's language."""
    context = {
        "user": user,
        "today": today,
        "overdue": [line for line in lines if line.kind == OVERDUE],
        "soon": [line for line in lines if line.kind == SOON],
    }
    with translation.override(_language(user)):
        subject = " ".join(
            render_to_string("cooperation/email/request_reminder_subject.txt", context).split()
        )
        rendered = render_to_string("cooperation/email/request_reminder_body.txt", context)
    # Template tags leave blank lines behind: trim line ends and keep at most one empty line in a row.
    lines_out = "\n".join(line.rstrip() for line in rendered.strip().splitlines())
    body = re.sub(r"\n{3,}", "\n\n", lines_out) + "\n"
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])


def _claim(lines: list[ReminderLine]) -> list[ReminderLine]:
    """Write "reminded" for each line before sending; the lines another run had claimed already are left out."""
    claimed = []
    for line in lines:
        try:
            with transaction.atomic():
                RequestReminderSent.objects.create(
                    request=line.request, due_date=line.due_date, kind=line.kind
                )
        except IntegrityError:
            continue
        claimed.append(line)
    return claimed


def _unclaim(lines: list[ReminderLine]) -> None:
    for line in lines:
        RequestReminderSent.objects.filter(
            request=line.request, due_date=line.due_date, kind=line.kind
        ).delete()


def _send_all(messages: list[tuple[User, EmailMessage]]) -> set[int]:
    """Send over one connection; the ids of the users whose message failed (all of them if the server is down)."""
    return {user.pk for user in send_each(messages, what="request reminders")}


def request_reminders_send(*, today: dt.date | None = None, dry_run: bool = False) -> ReminderReport:
    """E-mail each officer in charge their requests due soon and overdue, each reminder once, on working days."""
    today = today or timezone.localdate()
    report = ReminderReport(today=today, dry_run=dry_run)
    if not is_working_day(today):
        report.day_off = True
        return report
    by_officer: dict[int, tuple[User, list[ReminderLine]]] = {}
    for line in reminders_due(today=today):
        officer = line.request.officer
        if not officer.is_active:
            report.inactive.append(line.request.number)
            continue
        by_officer.setdefault(officer.pk, (officer, []))[1].append(line)
    pending: list[tuple[User, list[ReminderLine]]] = []
    for officer, lines in by_officer.values():
        if not officer.email:
            report.without_email.append(officer.get_username())
            continue
        pending.append((officer, lines))
    if not dry_run:
        pending = [(officer, claimed) for officer, lines in pending if (claimed := _claim(lines))]
    messages = [(officer, _render(user=officer, today=today, lines=lines)) for officer, lines in pending]
    failed = set() if dry_run else _send_all(messages)
    for officer, lines in pending:
        if officer.pk in failed:
            _unclaim(lines)  # a later run tries them again
            report.failed.append(officer.get_username())
            continue
        report.sent.append(officer.get_username())
        report.soon += sum(1 for line in lines if line.kind == SOON)
        report.overdue += sum(1 for line in lines if line.kind == OVERDUE)
    return report
