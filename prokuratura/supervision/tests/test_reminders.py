"""The daily control e-mail (services/reminders.py) and its command `supervision_deadlines`.

E-mail goes to Django's locmem outbox (the test runner's mailer); the failure test points the mailer at a port
nobody listens on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from prokuratura.core.calendar import is_working_day
from prokuratura.supervision.models import ReminderSent
from prokuratura.supervision.services import act_record_reply
from prokuratura.supervision.services.reminders import supervision_reminders_send

from .factories import make_act, make_inspection

pytestmark = pytest.mark.django_db


def _walk_back(day: dt.date, working: bool) -> dt.date:
    while is_working_day(day) != working:
        day -= dt.timedelta(days=1)
    return day


@pytest.fixture
def workday(db) -> dt.date:
    """The latest working day up to today: acts cannot be dated in the future, so the job runs as of it."""
    return _walk_back(timezone.localdate(), working=True)


@pytest.fixture
def day_off(workday) -> dt.date:
    return _walk_back(workday, working=False)


@pytest.fixture(autouse=True)
def _staff_read_english(cast):
    """Messages go out in each user's language; these tests read them in English unless they say otherwise."""
    for user in vars(cast).values():
        if hasattr(user, "preferred_language"):
            user.preferred_language = "en"
            user.save(update_fields=["preferred_language"])


@pytest.fixture
def control(cast, workday):
    """prosecutor_astana: an overdue act, an act without a result and an inspection past its period (Astana
    district). prosecutor_almaty: only an act not yet due."""
    p = cast.prosecutor_astana

    def ago(n: int) -> dt.date:
        return workday - dt.timedelta(days=n)

    overdue = make_act(by=p, code="protest", issue=True, issued_on=ago(9), due_date=ago(2))
    replied = make_act(by=p, code="submission", issue=True, issued_on=ago(12))
    act_record_reply(by=p, act=replied, reply_on=ago(1), result="satisfied")
    inspection = make_inspection(
        by=p, head=cast.head_astana, started=True, period_start=ago(30), period_end=ago(1)
    )
    not_due = make_act(by=cast.prosecutor_almaty, code="protest", issue=True, issued_on=ago(1))
    return {"overdue": overdue, "replied": replied, "inspection": inspection, "not_due": not_due}


def sent_to(address: str) -> list[Any]:
    return [message for message in mail.outbox if address in message.to]


def test_prosecutors_get_their_lists_and_heads_their_offices_once_a_day(cast, control, workday, mailoutbox):
    report = supervision_reminders_send(today=workday)

    assert sorted(report.sent) == ["head_astana", "head_gpo", "prosecutor_astana"]
    assert (report.acts, report.inspections) == (2, 1)
    assert {address for message in mail.outbox for address in message.to} == {
        cast.prosecutor_astana.email,
        cast.head_astana.email,
        cast.head_gpo.email,
    }
    [mine] = sent_to(cast.prosecutor_astana.email)
    assert f"{workday:%d.%m.%Y}" in mine.subject
    for key in ("overdue", "replied", "inspection"):
        assert control[key].number in mine.body
    assert control["not_due"].number not in mine.body
    assert "Acts with the answer overdue (1)" in mine.body
    assert mine.body.index(control["overdue"].number) < mine.body.index(control["inspection"].number)
    [head] = sent_to(cast.head_astana.email)
    assert "Astana city prosecutor's office and the offices below it" in head.body
    assert "acts with the answer overdue: 1" in head.body
    assert control["overdue"].number in head.body
    assert f"Prosecutor: {cast.prosecutor_astana.full_name}" in head.body
    assert not sent_to(cast.prosecutor_almaty.email)
    assert ReminderSent.objects.filter(day=workday).count() == 3

    mail.outbox.clear()
    again = supervision_reminders_send(today=workday)
    assert again.sent == [] and mail.outbox == []
    assert sorted(again.already_sent) == ["head_astana", "head_gpo", "prosecutor_astana"]


def test_the_next_working_day_they_are_written_to_again(cast, control, workday, mailoutbox):
    earlier = _walk_back(workday - dt.timedelta(days=1), working=True)
    ReminderSent.objects.create(user=cast.prosecutor_astana, day=earlier)
    report = supervision_reminders_send(today=workday)
    assert "prosecutor_astana" in report.sent


def test_nothing_is_sent_on_a_day_off(cast, control, day_off, mailoutbox):
    report = supervision_reminders_send(today=day_off)
    assert report.day_off and report.sent == []
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_nobody_with_nothing_to_act_on_is_written_to(cast, workday, mailoutbox):
    make_act(by=cast.prosecutor_almaty, code="protest", issue=True, issued_on=workday)
    report = supervision_reminders_send(today=workday)
    assert report.sent == [] and mail.outbox == []


def test_the_email_is_in_the_recipients_language(cast, control, workday, mailoutbox):
    cast.prosecutor_astana.preferred_language = "kk"
    cast.prosecutor_astana.save(update_fields=["preferred_language"])
    supervision_reminders_send(today=workday)
    [message] = sent_to(cast.prosecutor_astana.email)
    assert control["overdue"].act_type.name_kk in message.body  # the catalogue's own Kazakh name
    [english] = sent_to(cast.head_astana.email)
    assert control["overdue"].act_type.name_en in english.body


def test_a_person_without_an_address_is_reported_not_mailed(cast, control, workday, mailoutbox):
    cast.prosecutor_astana.email = ""
    cast.prosecutor_astana.save(update_fields=["email"])
    report = supervision_reminders_send(today=workday)
    assert report.without_email == ["prosecutor_astana"]
    assert "prosecutor_astana" not in report.sent
    assert not ReminderSent.objects.filter(user=cast.prosecutor_astana).exists()


def test_a_long_list_is_cut_and_says_how_many_more(cast, workday, mailoutbox, monkeypatch):
    from prokuratura.supervision.services import reminders

    monkeypatch.setattr(reminders, "MAIL_LIST_LIMIT", 2)
    made = [
        make_act(
            by=cast.prosecutor_almaty,
            code="protest",
            issue=True,
            issued_on=workday - dt.timedelta(days=n + 5),
            due_date=workday - dt.timedelta(days=n),
        )
        for n in (1, 2, 3)
    ]
    supervision_reminders_send(today=workday)
    [message] = sent_to(cast.prosecutor_almaty.email)
    assert "…and 1 more act." in message.body
    assert sum(act.number in message.body for act in made) == 2


def test_a_dry_run_sends_and_records_nothing(cast, control, workday, mailoutbox):
    report = supervision_reminders_send(today=workday, dry_run=True)
    assert sorted(report.sent) == ["head_astana", "head_gpo", "prosecutor_astana"]
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


@pytest.fixture
def mail_server_down(smtp_down):
    """Supervision's name for it."""


def test_a_mail_server_that_is_down_is_reported_and_retried_by_the_next_run(
    cast, control, workday, mail_server_down, settings
):
    report = supervision_reminders_send(today=workday)
    assert sorted(report.failed) == ["head_astana", "head_gpo", "prosecutor_astana"]
    assert report.sent == []
    assert not ReminderSent.objects.exists()  # so the next run tries them again
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    assert len(supervision_reminders_send(today=workday).sent) == 3
    assert len(mail.outbox) == 3


def test_old_rows_are_purged(cast, workday, mailoutbox):
    from prokuratura.supervision.services.reminders import REMINDER_LOG_DAYS

    ReminderSent.objects.create(user=cast.head_gpo, day=workday - dt.timedelta(days=REMINDER_LOG_DAYS + 1))
    ReminderSent.objects.create(user=cast.head_astana, day=workday - dt.timedelta(days=REMINDER_LOG_DAYS))
    supervision_reminders_send(today=workday)
    assert list(ReminderSent.objects.values_list("user__username", flat=True)) == ["head_astana"]


# --- the command ----------------------------------------------------------------------------------------------


def test_command_sends_and_says_so(cast, control, workday, mailoutbox, capsys):
    call_command("supervision_deadlines", "--today", workday.isoformat())
    out = capsys.readouterr().out
    assert (
        "Supervision control: 3 e-mail(s) sent; prosecutors' own lists hold 2 act(s) and 1 inspection(s)."
        in out
    )
    assert len(mail.outbox) == 3
    call_command("supervision_deadlines", "--today", workday.isoformat())
    assert "already sent today: prosecutor_astana, head_gpo, head_astana" in capsys.readouterr().out
    assert len(mail.outbox) == 3


def test_command_dry_run(cast, control, workday, mailoutbox, capsys):
    call_command("supervision_deadlines", "--dry-run", "--today", workday.isoformat())
    assert "[dry run] Supervision control: 3 e-mail(s) would be sent" in capsys.readouterr().out
    assert mail.outbox == []


def test_command_on_a_day_off(cast, control, day_off, mailoutbox, capsys):
    call_command("supervision_deadlines", "--today", day_off.isoformat())
    assert f"{day_off:%d.%m.%Y} is a day off, none sent." in capsys.readouterr().out
    assert mail.outbox == []


def test_command_fails_when_mail_cannot_be_sent(cast, control, workday, mail_server_down):
    with pytest.raises(CommandError) as raised:
        call_command("supervision_deadlines", "--today", workday.isoformat())
    assert raised.value.returncode == 1
    assert "prosecutor_astana" in str(raised.value)
