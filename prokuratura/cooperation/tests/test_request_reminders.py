"""The deadline reminders of requests for legal assistance (request_reminders.py) and the `cooperation_deadlines`
command.

E-mail goes to Django's locmem outbox (the test runner's mailer); one test sends through a real SMTP server
(aiosmtpd on 127.0.0.1, a free port) and one points the mailer at a port nobody listens on. The time limits are the
rows migration 0005 loads from data/reference/cooperation_request_terms.csv: outgoing MLA acknowledgement, 30
calendar days, reminded 5 days before; incoming MLA registration, 3 working days, reminded 1 working day before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from prokuratura.cooperation.models_requests import (
    Direction,
    RequestReminderSent,
    RequestStatus,
    RequestTerm,
)
from prokuratura.cooperation.request_reminders import request_reminders_send
from prokuratura.core.calendar import is_working_day
from prokuratura.core.models import Sensitivity
from prokuratura.core.tests.smtp import free_port, point_mailer_at

from .factories import CountryFactory
from .test_request_stats import make_request

pytestmark = pytest.mark.django_db
S = RequestStatus
# Friday 13 June 2025, a working day; Saturday and Sunday off; Monday 16 and Tuesday 17 June working days.
FRIDAY = dt.date(2025, 6, 13)
SATURDAY, MONDAY, TUESDAY = (FRIDAY + dt.timedelta(days=n) for n in (1, 3, 4))


@pytest.fixture(autouse=True)
def _officers_read_english(cast):
    for user in vars(cast).values():
        if hasattr(user, "preferred_language"):
            user.preferred_language = "en"
            user.save(update_fields=["preferred_language"])


@pytest.fixture
def aldovia(db):
    return CountryFactory(iso2="XA", name_en="Aldovia")


def outgoing(cast, offices, due: dt.date, status: str = S.SENT, **extra: Any):
    """An outgoing MLA request sent and awaiting the acknowledgement, due on `due`."""
    return make_request(
        office=offices.gpo,
        officer=cast.intl_officer,
        status=status,
        start=due - dt.timedelta(days=30),
        due_date=due,
        **extra,
    )


def incoming(cast, offices, due: dt.date, **extra: Any):
    """An incoming MLA request received and awaiting registration, due on `due`."""
    return make_request(
        office=offices.gpo,
        officer=cast.intl_officer,
        direction=Direction.INCOMING,
        status=S.RECEIVED,
        start=FRIDAY - dt.timedelta(days=1),
        due_date=due,
        **extra,
    )


def test_the_calendar_is_as_the_tests_assume():
    assert is_working_day(FRIDAY) and is_working_day(MONDAY) and is_working_day(TUESDAY)
    assert not is_working_day(SATURDAY)
    term = RequestTerm.objects.get(direction="outgoing", kind="mla", milestone="acknowledge")
    assert (term.unit, term.remind_days_before) == ("calendar_days", 5)
    term = RequestTerm.objects.get(direction="incoming", kind="mla", milestone="register")
    assert (term.unit, term.remind_days_before) == ("working_days", 1)


def test_a_request_due_within_the_calendar_days_is_reminded_once(cast, offices, aldovia, mailoutbox):
    near = outgoing(cast, offices, FRIDAY + dt.timedelta(days=5))
    later = outgoing(cast, offices, FRIDAY + dt.timedelta(days=6))  # not yet
    report = request_reminders_send(today=FRIDAY)
    assert report.sent == ["intl_officer"] and (report.soon, report.overdue) == (1, 0)
    (message,) = mailoutbox
    assert message.to == [cast.intl_officer.email]
    assert "overdue — 0, due soon — 1" in message.subject
    assert near.number in message.body and "Aldovia" in message.body
    assert "Acknowledgement by the partner" in message.body and "18.06.2025" in message.body
    assert list(RequestReminderSent.objects.values_list("request", "kind")) == [(near.pk, "soon")]
    # The next run the same day does not repeat it; Monday's reminds the later one (due Thursday) only.
    assert request_reminders_send(today=FRIDAY).sent == []
    assert request_reminders_send(today=MONDAY).soon == 1
    assert later.number in mailoutbox[1].body and near.number not in mailoutbox[1].body
    assert len(mailoutbox) == 2


def test_working_day_terms_count_the_reminder_in_working_days(cast, offices, aldovia, mailoutbox):
    monday = incoming(cast, offices, MONDAY)  # one working day after Friday
    incoming(cast, offices, TUESDAY)  # two
    report = request_reminders_send(today=FRIDAY)
    assert report.soon == 1
    assert monday.number in mailoutbox[0].body
    assert "Registration of an incoming request" in mailoutbox[0].body


def test_an_overdue_request_is_reminded_again_once(cast, offices, aldovia, mailoutbox):
    record = outgoing(cast, offices, MONDAY)
    assert request_reminders_send(today=FRIDAY).soon == 1
    assert request_reminders_send(today=MONDAY).sent == []  # due today: the soon reminder was sent already
    report = request_reminders_send(today=TUESDAY)
    assert (report.soon, report.overdue) == (0, 1)
    assert "Overdue (1)" in mailoutbox[-1].body and "overdue — 1, due soon — 0" in mailoutbox[-1].subject
    assert request_reminders_send(today=TUESDAY + dt.timedelta(days=1)).sent == []
    assert sorted(RequestReminderSent.objects.filter(request=record).values_list("kind", flat=True)) == [
        "overdue",
        "soon",
    ]
    assert len(mailoutbox) == 2


def test_a_request_first_seen_overdue_gets_the_overdue_reminder_only(cast, offices, aldovia, mailoutbox):
    outgoing(cast, offices, FRIDAY - dt.timedelta(days=10))
    report = request_reminders_send(today=FRIDAY)
    assert (report.soon, report.overdue) == (0, 1)


def test_a_new_due_date_gets_its_own_reminders(cast, offices, aldovia, mailoutbox):
    record = outgoing(cast, offices, FRIDAY - dt.timedelta(days=1))
    request_reminders_send(today=FRIDAY)
    # Acknowledged: the execution term starts (180 calendar days, reminded 14 days before).
    record.status, record.due_date = S.ACKNOWLEDGED, TUESDAY + dt.timedelta(days=10)
    record.save(update_fields=["status", "due_date"])
    report = request_reminders_send(today=TUESDAY)
    assert (report.soon, report.overdue) == (1, 0)
    assert "Execution" in mailoutbox[-1].body


def test_requests_not_awaiting_are_not_reminded(cast, offices, aldovia, mailoutbox):
    outgoing(cast, offices, FRIDAY - dt.timedelta(days=1), status=S.EXECUTED)
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=1), status=S.DRAFT)
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=1), status=S.RETURNED)
    assert request_reminders_send(today=FRIDAY).sent == []
    assert mailoutbox == []


def test_one_email_per_officer_listing_all_their_requests(cast, offices, aldovia, mailoutbox):
    outgoing(cast, offices, FRIDAY - dt.timedelta(days=2))
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=2))
    make_request(
        office=offices.gpo,
        officer=cast.head_gpo,
        status=S.IN_EXECUTION,
        start=FRIDAY - dt.timedelta(days=100),
        due_date=FRIDAY - dt.timedelta(days=1),
    )
    report = request_reminders_send(today=FRIDAY)
    assert sorted(report.sent) == ["head_gpo", "intl_officer"] and (report.soon, report.overdue) == (1, 2)
    mine = next(m for m in mailoutbox if m.to == [cast.intl_officer.email])
    assert "Overdue (1)" in mine.body and "Due soon (1)" in mine.body


def test_the_email_is_in_the_officers_language(cast, offices, aldovia, mailoutbox):
    cast.intl_officer.preferred_language = "ru"
    cast.intl_officer.save(update_fields=["preferred_language"])
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=1))
    request_reminders_send(today=FRIDAY)
    body = mailoutbox[0].body
    assert body.startswith("Уважаемый(ая)")
    assert "Государство XA" in body  # the partner state's Russian name


def test_a_restricted_request_is_named_by_its_number_only(cast, offices, aldovia, mailoutbox):
    record = outgoing(cast, offices, FRIDAY + dt.timedelta(days=1), sensitivity=Sensitivity.RESTRICTED)
    request_reminders_send(today=FRIDAY)
    body = mailoutbox[0].body
    assert record.number in body and "restricted: the details are in the information system" in body
    assert "Aldovia" not in body and "Mutual legal assistance" not in body


def test_officers_without_an_address_or_no_longer_active_are_reported(cast, offices, aldovia, mailoutbox):
    cast.intl_officer.email = ""
    cast.intl_officer.save(update_fields=["email"])
    cast.head_gpo.is_active = False
    cast.head_gpo.save(update_fields=["is_active"])
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=1))
    gone = make_request(
        office=offices.gpo,
        officer=cast.head_gpo,
        status=S.SENT,
        start=FRIDAY,
        due_date=FRIDAY + dt.timedelta(days=1),
    )
    report = request_reminders_send(today=FRIDAY)
    assert report.sent == [] and report.without_email == ["intl_officer"] and report.inactive == [gone.number]
    assert not RequestReminderSent.objects.exists()  # reminded once the officer is put right
    assert mailoutbox == []


def test_nothing_is_sent_on_a_day_off(cast, offices, aldovia, mailoutbox):
    outgoing(cast, offices, MONDAY)
    report = request_reminders_send(today=SATURDAY)
    assert report.day_off and report.sent == [] and mailoutbox == []


def test_a_dry_run_writes_nothing_and_sends_nothing(cast, offices, aldovia, mailoutbox):
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=1))
    report = request_reminders_send(today=FRIDAY, dry_run=True)
    assert report.sent == ["intl_officer"] and report.soon == 1
    assert mailoutbox == [] and not RequestReminderSent.objects.exists()


def test_a_reminder_another_run_claimed_is_not_sent_twice(cast, offices, aldovia, mailoutbox):
    record = outgoing(cast, offices, FRIDAY + dt.timedelta(days=1))
    RequestReminderSent.objects.create(request=record, due_date=record.due_date, kind="soon")
    assert request_reminders_send(today=FRIDAY).sent == []


def test_the_reminder_goes_through_a_real_smtp_server(cast, offices, aldovia, smtp):
    cast.intl_officer.preferred_language = "kk"
    cast.intl_officer.save(update_fields=["preferred_language"])
    record = outgoing(cast, offices, FRIDAY - dt.timedelta(days=1))
    assert request_reminders_send(today=FRIDAY).sent == ["intl_officer"]
    ((recipients, message),) = smtp.received
    assert recipients == [cast.intl_officer.email]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Құрметті") and record.number in body


def test_a_mail_server_that_is_down_is_reported_and_retried(cast, offices, aldovia, settings):
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=1))
    point_mailer_at(settings, free_port())
    report = request_reminders_send(today=FRIDAY)
    assert report.failed == ["intl_officer"] and report.sent == []
    assert not RequestReminderSent.objects.exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    assert request_reminders_send(today=FRIDAY).sent == ["intl_officer"]
    assert len(mail.outbox) == 1


def test_the_command_prints_a_summary(cast, offices, aldovia, mailoutbox, capsys):
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=1))
    call_command("cooperation_deadlines", "--today", FRIDAY.isoformat(), "--dry-run")
    assert "[dry run] Request deadlines: 1 e-mail(s) would be sent; 1 request(s) due soon, 0 overdue." in (
        capsys.readouterr().out
    )
    call_command("cooperation_deadlines", "--today", FRIDAY.isoformat())
    assert "1 e-mail(s) sent" in capsys.readouterr().out and len(mailoutbox) == 1
    call_command("cooperation_deadlines", "--today", SATURDAY.isoformat())
    assert "is a day off" in capsys.readouterr().out


def test_the_command_fails_when_mail_cannot_be_sent(cast, offices, aldovia, settings):
    outgoing(cast, offices, FRIDAY + dt.timedelta(days=1))
    point_mailer_at(settings, free_port())
    with pytest.raises(CommandError, match="intl_officer"):
        call_command("cooperation_deadlines", "--today", FRIDAY.isoformat())
