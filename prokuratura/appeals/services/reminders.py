"""Deadline reminders to prosecutors and escalation of overdue appeals to heads, for the daily
`appeals_deadlines` command (docs/OPERATIONS.md).

- `appeal_reminders_send`: one e-mail per assigned prosecutor listing their open appeals that are overdue, due
  today, or due within `rule("reminder_working_days")` working days. Sent on working days only: on a day off
  nobody reads it, and the next working day's run lists the same appeals.
- `appeal_escalate_overdue`: each open appeal past its term that was not escalated for its present term gets
  `escalated_on` and an audit entry, and the heads of its office (or of the nearest office above that has a
  head) get one e-mail each listing the appeals newly escalated to them. Running it again the same day finds
  nothing new. An appeal whose term was extended after its escalation is escalated again when the new term
  runs out too.

E-mails go out in each recipient's `preferred_language` (ru when unset), through the default mailer, after the
escalations are committed: a mail server that is down never undoes or blocks the record, it is counted as a
failure in the summary (so the command exits non-zero and the timer's alerting picks it up), and the
escalations stay on the heads' home pages.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Role
from prokuratura.core.actors import SCHEDULER
from prokuratura.core.audit import audit_record, diff, snapshot
from prokuratura.core.calendar import add_working_days, is_working_day
from prokuratura.core.mail import send_each
from prokuratura.core.models import AuditEntry

from ..models import OPEN_STATUSES, Appeal
from ..rules import rule

logger = logging.getLogger(__name__)

# Who the audit trail names for what the periodic job does on its own.
SYSTEM_ACTOR = SCHEDULER  # the daily `appeals_deadlines` job
# An e-mail lists at most this many appeals per section and says how many more there are.
MAIL_LIST_LIMIT = 50
# Escalations are committed in batches, so the audit chain's head is never locked for long.
ESCALATION_BATCH = 200
FALLBACK_LANGUAGE = "ru"


@dataclass
class ReminderSummary:
    today: dt.date
    dry_run: bool = False
    day_off: bool = False
    sent: int = 0
    appeals: int = 0
    without_email: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass
class EscalationSummary:
    today: dt.date
    dry_run: bool = False
    escalated: list[str] = field(default_factory=list)  # registration numbers
    heads_notified: int = 0
    without_head: list[str] = field(default_factory=list)  # registration numbers nobody could be told of
    without_email: list[str] = field(default_factory=list)  # usernames of heads without an address
    failed: list[str] = field(default_factory=list)  # usernames whose e-mail could not be sent


@dataclass(frozen=True)
class _Section:
    appeals: list[Appeal]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.appeals)


def _section(appeals: list[Appeal]) -> _Section:
    return _Section(appeals[:MAIL_LIST_LIMIT], len(appeals))


def _language(user: User) -> str:
    language = getattr(user, "preferred_language", "") or ""
    return language if language in dict(settings.LANGUAGES) else FALLBACK_LANGUAGE


def _render_message(*, user: User, template: str, context: dict[str, Any]) -> EmailMessage:
    """The e-mail `appeals/email/<template>_subject.txt` + `_body.txt`, in the user's language."""
    with translation.override(_language(user)):
        subject = " ".join(render_to_string(f"appeals/email/{template}_subject.txt", context).split())
        rendered = render_to_string(f"appeals/email/{template}_body.txt", context)
    # Template tags leave blank lines behind: trim line ends and keep at most one empty line in a row.
    lines = "\n".join(line.rstrip() for line in rendered.strip().splitlines())
    body = re.sub(r"\n{3,}", "\n\n", lines) + "\n"
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])


def _send_all(messages: list[tuple[Any, EmailMessage]]) -> list[str]:
    """Send over one connection; the usernames whose message failed (all of them if the server is down)."""
    return [user.get_username() for user in send_each(messages, what="deadline e-mails")]


# --- reminders ----------------------------------------------------------------------------------------------


def _reminder_candidates(*, soon_until: dt.date) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(
            status__in=OPEN_STATUSES,
            assignee__isnull=False,
            assignee__is_active=True,
            due_date__lte=soon_until,
        )
        .select_related("assignee", "office")
        .order_by("assignee_id", "due_date", "id")
    )


def _by_assignee(appeals: Iterable[Appeal]) -> Iterator[tuple[Any, list[Appeal]]]:
    """(assignee, their appeals) from appeals ordered by assignee, one prosecutor in memory at a time."""
    user: User | None = None
    group: list[Appeal] = []
    for appeal in appeals:
        if user is not None and appeal.assignee_id != user.pk:
            yield user, group
            group = []
        user = appeal.assignee
        group.append(appeal)
    if user is not None:
        yield user, group


def appeal_reminders_send(*, today: dt.date | None = None, dry_run: bool = False) -> ReminderSummary:
    """E-mail each assigned prosecutor the list of their appeals that are overdue, due today or due soon."""
    today = today or timezone.localdate()
    summary = ReminderSummary(today=today, dry_run=dry_run)
    if not is_working_day(today):
        summary.day_off = True
        return summary
    soon_until = add_working_days(today, rule("reminder_working_days"))
    messages: list[tuple[Any, EmailMessage]] = []
    candidates = _reminder_candidates(soon_until=soon_until).iterator(chunk_size=2000)
    for user, appeals in _by_assignee(candidates):
        summary.appeals += len(appeals)
        if not user.email:
            summary.without_email.append(user.get_username())
            continue
        overdue = [a for a in appeals if a.due_date < today]
        due_today = [a for a in appeals if a.due_date == today]
        due_soon = [a for a in appeals if a.due_date > today]
        context = {
            "user": user,
            "today": today,
            "soon_until": soon_until,
            "overdue": _section(overdue),
            "due_today": _section(due_today),
            "due_soon": _section(due_soon),
        }
        messages.append((user, _render_message(user=user, template="reminder", context=context)))
    if dry_run:
        summary.sent = len(messages)
        return summary
    summary.failed = _send_all(messages)
    summary.sent = len(messages) - len(summary.failed)
    return summary


# --- escalation ---------------------------------------------------------------------------------------------


def _escalation_due_q(today: dt.date) -> Q:
    """Open, past its term, and not escalated since the present term was set (an escalation stamps a date
    after the term, so `escalated_on <= due_date` means the term moved past an earlier escalation)."""
    return Q(status__in=OPEN_STATUSES, due_date__lt=today) & (
        Q(escalated_on__isnull=True) | Q(escalated_on__lte=F("due_date"))
    )


def _escalate_batch(*, today: dt.date) -> list[Appeal]:
    with transaction.atomic():
        batch = list(
            Appeal.objects.select_for_update(of=("self",))
            .filter(_escalation_due_q(today))
            .select_related("office", "assignee")
            .order_by("due_date", "id")[:ESCALATION_BATCH]
        )
        with translation.override(settings.LANGUAGE_CODE):
            for appeal in batch:
                before = snapshot(appeal, ["escalated_on"])
                appeal.escalated_on = today
                appeal.save(update_fields=["escalated_on", "updated_at"])
                audit_record(
                    actor=SYSTEM_ACTOR,
                    action=AuditEntry.Action.UPDATE,
                    obj=appeal,
                    changes=diff(before, snapshot(appeal, ["escalated_on"])),
                    reason=_("The term expired on %(date)s: escalated to the head of the office.")
                    % {"date": appeal.due_date.strftime("%d.%m.%Y")},
                )
    return batch


def _ancestor_paths(path: str) -> list[str]:
    """'000001.000007.' → ['000001.000007.', '000001.'] — the office itself first, then upwards."""
    parts = path.split(".")[:-1]
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts) - 1, -1, -1)]


def _heads_for(appeals: list[Appeal]) -> dict[int, list[Any]]:
    """Office id → the active heads of that office, or of the nearest office above it that has one."""
    paths = {appeal.office.path for appeal in appeals}
    wanted = {ancestor for path in paths for ancestor in _ancestor_paths(path)}
    heads_at: dict[str, list[Any]] = {}
    heads = (
        User.objects.filter(is_active=True, user_roles__role=Role.HEAD, office__path__in=wanted)
        .select_related("office")
        .distinct()
        .order_by("id")
    )
    for head in heads:
        heads_at.setdefault(head.office.path, []).append(head)  # type: ignore[union-attr]
    found: dict[int, list[Any]] = {}
    for appeal in appeals:
        if appeal.office_id in found:
            continue
        found[appeal.office_id] = next(
            (heads_at[p] for p in _ancestor_paths(appeal.office.path) if p in heads_at), []
        )
    return found


def appeal_escalate_overdue(*, today: dt.date | None = None, dry_run: bool = False) -> EscalationSummary:
    """Mark newly overdue appeals as escalated (audited) and e-mail each responsible head once."""
    today = today or timezone.localdate()
    summary = EscalationSummary(today=today, dry_run=dry_run)
    if dry_run:
        escalated = list(
            Appeal.objects.filter(_escalation_due_q(today))
            .select_related("office", "assignee")
            .order_by("due_date", "id")
        )
    else:
        escalated = []
        while batch := _escalate_batch(today=today):
            escalated.extend(batch)
    summary.escalated = [appeal.reg_number for appeal in escalated]
    if not escalated:
        return summary
    heads_by_office = _heads_for(escalated)
    to_head: dict[int, tuple[Any, list[Appeal]]] = {}
    for appeal in escalated:
        heads = heads_by_office[appeal.office_id]
        if not heads:
            summary.without_head.append(appeal.reg_number)
            logger.warning("overdue appeal %s: no head in its office or above", appeal.reg_number)
        for head in heads:
            to_head.setdefault(head.pk, (head, []))[1].append(appeal)
    messages: list[tuple[Any, EmailMessage]] = []
    for head, appeals in to_head.values():
        if not head.email:
            summary.without_email.append(head.get_username())
            continue
        appeals.sort(key=lambda a: (a.office.path, a.due_date, a.pk))
        context = {"user": head, "today": today, "escalated": _section(appeals)}
        messages.append((head, _render_message(user=head, template="escalation", context=context)))
    if dry_run:
        summary.heads_notified = len(messages)
        return summary
    summary.failed = _send_all(messages)
    summary.heads_notified = len(messages) - len(summary.failed)
    return summary
