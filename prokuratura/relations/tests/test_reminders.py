"""The daily reminders of follow-up tasks: due within three working days or overdue, once per task and due date,
one e-mail per owner, a restricted event named by its date and kind only, nothing on a day off, a failed e-mail
tried again."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from prokuratura.core.calendar import add_working_days, next_working_day_on_or_after
from prokuratura.core.models import Sensitivity

from .. import reminders
from ..models import FollowUpTask, TaskReminder
from ..services import task_add, task_complete
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_day():
    return next_working_day_on_or_after(timezone.localdate() + dt.timedelta(days=1))


def _task(by, event, owner, due, title):
    return task_add(by=by, event=event, title=title, owner=owner, due_date=due)


def test_owners_get_one_email_with_soon_and_overdue_tasks_once(cast, run_day):
    event = f.event(by=cast.intl_officer, title="Meeting with the OSCE")
    soon = _task(
        cast.intl_officer, event, cast.intl_officer, add_working_days(run_day, 3), "Send the minutes"
    )
    late = _task(cast.intl_officer, event, cast.intl_officer, run_day + dt.timedelta(days=1), "Call back")
    FollowUpTask.objects.filter(pk=late.pk).update(due_date=run_day - dt.timedelta(days=1))
    _task(cast.intl_officer, event, cast.intl_officer, run_day + dt.timedelta(days=40), "Far ahead")
    done = _task(cast.intl_officer, event, cast.intl_officer, run_day, "Done already")
    task_complete(by=cast.intl_officer, task=done, result="Done")
    _task(cast.intl_officer, event, cast.head_gpo, run_day, "The head's")
    report = reminders.task_reminders_send(today=run_day)
    assert sorted(report.sent) == ["head_gpo", "intl_officer"]
    assert (report.soon, report.overdue) == (2, 1)
    message = next(m for m in mail.outbox if m.to == [cast.intl_officer.email])
    assert "Send the minutes" in message.body and "Call back" in message.body
    assert "Far ahead" not in message.body and "Done already" not in message.body
    assert TaskReminder.objects.filter(task=soon).count() == 1
    again = reminders.task_reminders_send(today=run_day)
    assert again.sent == [] and len(mail.outbox) == 2
    # A new due date is reminded again.
    FollowUpTask.objects.filter(pk=soon.pk).update(due_date=add_working_days(run_day, 2))
    assert reminders.task_reminders_send(today=run_day).sent == ["intl_officer"]


def test_restricted_event_named_by_date_and_kind_only(cast, run_day):
    event = f.event(by=cast.head_gpo, title="Confidential negotiation", sensitivity=Sensitivity.RESTRICTED)
    _task(cast.head_gpo, event, cast.head_gpo, run_day, "Secret follow-up")
    reminders.task_reminders_send(today=run_day)
    body = mail.outbox[0].body
    assert "Confidential negotiation" not in body and "Secret follow-up" not in body
    assert event.start_date.strftime("%d.%m.%Y") in body


def test_day_off_dry_run_and_owners_without_address(cast, run_day):
    event = f.event(by=cast.intl_officer)
    _task(cast.intl_officer, event, cast.intl_officer, run_day, "Task")
    saturday = run_day + dt.timedelta(days=(5 - run_day.weekday()) % 7)
    assert reminders.task_reminders_send(today=saturday).day_off
    out = StringIO()
    call_command("relations_deadlines", "--dry-run", "--today", run_day.isoformat(), stdout=out)
    assert "[dry run]" in out.getvalue() and "1 e-mail(s) would be sent" in out.getvalue()
    assert not mail.outbox and not TaskReminder.objects.exists()
    cast.intl_officer.email = ""
    cast.intl_officer.save(update_fields=["email"])
    assert reminders.task_reminders_send(today=run_day).without_email == ["intl_officer"]


def test_a_failed_email_is_tried_again(cast, run_day):
    event = f.event(by=cast.intl_officer)
    _task(cast.intl_officer, event, cast.intl_officer, run_day, "Task")
    with mock.patch.object(reminders, "_deliver", return_value={cast.intl_officer.pk}):
        report = reminders.task_reminders_send(today=run_day)
    assert report.failed == ["intl_officer"] and not TaskReminder.objects.exists()
    with (
        pytest.raises(CommandError, match="Could not e-mail"),
        mock.patch.object(reminders, "_deliver", return_value={cast.intl_officer.pk}),
    ):
        call_command("relations_deadlines", "--today", run_day.isoformat(), stdout=StringIO())
    assert reminders.task_reminders_send(today=run_day).sent == ["intl_officer"]
