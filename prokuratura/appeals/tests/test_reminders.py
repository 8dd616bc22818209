"""Deadlines: reminders to prosecutors, escalation of overdue appeals to heads, the daily command, and the
deadline panels on the home page.

E-mail goes through a real SMTP server (aiosmtpd on 127.0.0.1, a free port) where the test is about what the
recipients receive; the audit test uses Django's locmem outbox.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.appeals import services
from prokuratura.appeals.models import Appeal, RoutingRule, Status
from prokuratura.appeals.services.reminders import (
    appeal_escalate_overdue,
    appeal_reminders_send,
)
from prokuratura.appeals.tests.factories import register
from prokuratura.core.audit import audit_verify_chain
from prokuratura.core.calendar import add_working_days, is_working_day
from prokuratura.core.models import AuditEntry

# Wednesday 11 June 2025: a working day; the next three working days are 12, 13 and 16 June.
TODAY = dt.date(2025, 6, 11)
SATURDAY = dt.date(2025, 6, 14)
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


# --- a real SMTP server ---------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _staff_read_english(request):
    """Messages go out in each user's language; these tests read them in English unless they say otherwise."""
    if "cast" in request.fixturenames:
        for user in vars(request.getfixturevalue("cast")).values():
            if hasattr(user, "preferred_language"):
                user.preferred_language = "en"
                user.save(update_fields=["preferred_language"])


# --- appeals with the due dates a test needs ------------------------------------------------------------------


def make_appeal(cast, *, region, due: dt.date, assignee=None, subject: str = "Невыплата заработной платы"):
    appeal = register(by=cast.registrar_astana, region=region, subject=subject)
    if assignee is not None:
        head = cast.head_gpo
        services.appeal_assign(by=head, appeal=appeal, assignee=assignee)
    # The due date is set directly: the test is about what happens around it, not how it was computed.
    Appeal.objects.filter(pk=appeal.pk).update(due_date=due)
    appeal.refresh_from_db()
    return appeal


@pytest.fixture
def district_rule(offices):
    """Astana appeals about labour go to the district office (which has no head; the city office has one)."""
    return RoutingRule.objects.create(
        region=offices.astana.region, office=offices.astana_district, priority=1
    )


@pytest.fixture
def astana_appeals(offices, cast):
    soon = add_working_days(TODAY, 3)
    region = offices.astana.region
    p = cast.prosecutor_astana
    return {
        "overdue": make_appeal(cast, region=region, due=TODAY - dt.timedelta(days=1), assignee=p),
        "today": make_appeal(cast, region=region, due=TODAY, assignee=p),
        "soon": make_appeal(cast, region=region, due=soon, assignee=p),
        "later": make_appeal(cast, region=region, due=soon + dt.timedelta(days=1), assignee=p),
    }


# --- reminders ------------------------------------------------------------------------------------------------


def test_the_window_is_three_working_days(db):
    assert is_working_day(TODAY)
    assert not is_working_day(SATURDAY)
    assert add_working_days(TODAY, 3) == dt.date(2025, 6, 16)


def test_each_prosecutor_gets_one_email_with_their_overdue_today_and_soon_appeals(
    offices, cast, astana_appeals, smtp
):
    appeals = astana_appeals
    almaty = make_appeal(cast, region=offices.almaty.region, due=TODAY, assignee=cast.prosecutor_almaty)
    smtp.clear()  # the applicants' receipts

    summary = appeal_reminders_send(today=TODAY)

    assert summary.sent == 2 and summary.appeals == 4 and not summary.failed
    [mine] = smtp.to(cast.prosecutor_astana.email)
    body = smtp.body(mine)
    for key in ("overdue", "today", "soon"):
        assert appeals[key].reg_number in body
    assert appeals["later"].reg_number not in body
    assert almaty.reg_number not in body
    assert "Невыплата заработной платы" in body  # Cyrillic survives the trip through SMTP
    assert "11.06.2025" in mine["Subject"]
    assert "1 overdue, 1 due today, 1 due soon" in mine["Subject"]
    assert body.index(appeals["overdue"].reg_number) < body.index(appeals["today"].reg_number)
    [theirs] = smtp.to(cast.prosecutor_almaty.email)
    assert almaty.reg_number in smtp.body(theirs)
    assert len(smtp.received) == 2


def test_answered_and_unassigned_appeals_are_not_reminded(offices, cast, smtp):
    region = offices.astana.region
    unassigned = make_appeal(cast, region=region, due=TODAY)
    answered = make_appeal(cast, region=region, due=TODAY, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=answered)
    services.appeal_answer(
        by=cast.prosecutor_astana,
        appeal=answered,
        outcome="explained",
        answer_text="Разъяснено.",
        rights_restored=False,
        persons_restored=0,
    )
    assert answered.status == Status.ANSWERED
    smtp.clear()
    summary = appeal_reminders_send(today=TODAY)
    assert summary.sent == 0
    assert smtp.received == []
    assert unassigned.assignee_id is None


@pytest.mark.parametrize(
    ("language", "status_label"), [("kk", "Мәртебесі"), ("ru", "Статус"), ("en", "Status"), ("", "Статус")]
)
def test_reminder_is_in_the_prosecutors_language(offices, cast, smtp, language, status_label):
    cast.prosecutor_almaty.preferred_language = language
    cast.prosecutor_almaty.save(update_fields=["preferred_language"])
    appeal = make_appeal(cast, region=offices.almaty.region, due=TODAY, assignee=cast.prosecutor_almaty)
    smtp.clear()
    appeal_reminders_send(today=TODAY)
    [message] = smtp.to(cast.prosecutor_almaty.email)
    body = smtp.body(message)
    assert f"{status_label}: " in body
    assert appeal.reg_number in body


def test_no_reminders_on_a_day_off(offices, cast, smtp):
    make_appeal(cast, region=offices.almaty.region, due=SATURDAY, assignee=cast.prosecutor_almaty)
    smtp.clear()
    summary = appeal_reminders_send(today=SATURDAY)
    assert summary.day_off and summary.sent == 0
    assert smtp.received == []


def test_a_prosecutor_without_an_address_is_reported_not_mailed(offices, cast, smtp):
    cast.prosecutor_almaty.email = ""
    cast.prosecutor_almaty.save(update_fields=["email"])
    make_appeal(cast, region=offices.almaty.region, due=TODAY, assignee=cast.prosecutor_almaty)
    smtp.clear()
    summary = appeal_reminders_send(today=TODAY)
    assert summary.without_email == ["prosecutor_almaty"]
    assert summary.sent == 0 and smtp.received == []


def test_a_long_list_is_cut_and_says_how_many_more(offices, cast, smtp, monkeypatch):
    from prokuratura.appeals.services import reminders

    monkeypatch.setattr(reminders, "MAIL_LIST_LIMIT", 2)
    made = [
        make_appeal(
            cast,
            region=offices.almaty.region,
            due=TODAY - dt.timedelta(days=n),
            assignee=cast.prosecutor_almaty,
        )
        for n in (1, 2, 3)
    ]
    smtp.clear()
    appeal_reminders_send(today=TODAY)
    body = smtp.body(smtp.to(cast.prosecutor_almaty.email)[0])
    assert "and 1 more appeal." in body
    assert sum(appeal.reg_number in body for appeal in made) == 2


# --- escalation -----------------------------------------------------------------------------------------------


def test_overdue_appeals_go_to_the_nearest_head_once_per_head_and_only_once(
    offices, cast, smtp, district_rule
):
    yesterday = TODAY - dt.timedelta(days=1)
    # In the district office, which has no head: the Astana city head is the nearest one above.
    district = [
        make_appeal(cast, region=offices.astana.region, due=yesterday, assignee=cast.prosecutor_astana),
        make_appeal(cast, region=offices.astana.region, due=yesterday - dt.timedelta(days=3)),
    ]
    assert {a.office for a in district} == {offices.astana_district}
    # In Almaty, which has no head either: the Prosecutor General's Office's head.
    almaty = make_appeal(cast, region=offices.almaty.region, due=yesterday, assignee=cast.prosecutor_almaty)
    not_yet = make_appeal(cast, region=offices.almaty.region, due=TODAY, assignee=cast.prosecutor_almaty)
    smtp.clear()

    summary = appeal_escalate_overdue(today=TODAY)

    assert sorted(summary.escalated) == sorted(a.reg_number for a in [*district, almaty])
    assert summary.heads_notified == 2 and not summary.without_head
    [to_astana] = smtp.to(cast.head_astana.email)
    body = smtp.body(to_astana)
    assert all(a.reg_number in body for a in district)
    assert almaty.reg_number not in body
    with translation.override("en"):  # the head reads English here: the office is named in English
        assert f"Office: {offices.astana_district}" in body
    assert "2 appeals are overdue" in to_astana["Subject"]
    [to_gpo] = smtp.to(cast.head_gpo.email)
    assert almaty.reg_number in smtp.body(to_gpo)
    assert district[0].reg_number not in smtp.body(to_gpo)
    assert len(smtp.received) == 2
    for appeal in [*district, almaty]:
        appeal.refresh_from_db()
        assert appeal.escalated_on == TODAY
    not_yet.refresh_from_db()
    assert not_yet.escalated_on is None

    smtp.clear()
    again = appeal_escalate_overdue(today=TODAY)
    assert again.escalated == [] and again.heads_notified == 0
    assert smtp.received == []
    assert appeal_escalate_overdue(today=TODAY + dt.timedelta(days=1)).escalated == [not_yet.reg_number]


def test_a_head_in_the_appeals_own_office_is_the_one_told(offices, cast, smtp):
    subject = 'Жалоба на ТОО "Береке" & <Ко>'
    appeal = make_appeal(
        cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=2), subject=subject
    )
    assert appeal.office == offices.astana
    smtp.clear()
    appeal_escalate_overdue(today=TODAY)
    assert [recipients for recipients, _message in smtp.received] == [[cast.head_astana.email]]
    assert subject in smtp.body(smtp.received[0][1])  # plain text: nothing HTML-escaped


def test_every_head_of_the_office_is_told(offices, cast, smtp):
    deputy = UserFactory(
        username="deputy_astana", office=offices.astana, roles=["head"], preferred_language="kk"
    )
    appeal = make_appeal(cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=2))
    smtp.clear()
    appeal_escalate_overdue(today=TODAY)
    assert appeal.reg_number in smtp.body(smtp.to(cast.head_astana.email)[0])
    [to_deputy] = smtp.to(deputy.email)
    assert "Прокуратура: " in smtp.body(to_deputy)  # "Office" in Kazakh


def test_an_appeal_extended_after_escalation_is_escalated_again_when_the_new_term_expires(
    offices, cast, smtp
):
    appeal = make_appeal(cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=1))
    appeal_escalate_overdue(today=TODAY)
    new_term = TODAY + dt.timedelta(days=7)
    Appeal.objects.filter(pk=appeal.pk).update(due_date=new_term, status=Status.EXTENDED)
    assert appeal_escalate_overdue(today=new_term).escalated == []
    smtp.clear()
    later = new_term + dt.timedelta(days=1)
    assert appeal_escalate_overdue(today=later).escalated == [appeal.reg_number]
    appeal.refresh_from_db()
    assert appeal.escalated_on == later
    assert len(smtp.to(cast.head_astana.email)) == 1


def test_an_appeal_without_any_head_above_is_reported(offices, cast, smtp):
    cast.head_gpo.is_active = False
    cast.head_gpo.save(update_fields=["is_active"])
    appeal = make_appeal(cast, region=offices.almaty.region, due=TODAY - dt.timedelta(days=1))
    smtp.clear()
    summary = appeal_escalate_overdue(today=TODAY)
    assert summary.escalated == [appeal.reg_number]
    assert summary.without_head == [appeal.reg_number]
    assert smtp.received == []


def test_escalation_is_audited_and_mailed_through_the_default_mailer(offices, cast, mailoutbox):
    """No SMTP server: the test runner's locmem outbox."""
    appeal = make_appeal(cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=1))
    mailoutbox.clear()

    appeal_escalate_overdue(today=TODAY)

    entry = AuditEntry.objects.filter(object_type="appeals.appeal", object_id=str(appeal.pk)).latest("id")
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor is None and entry.actor_repr == "system:scheduler"
    assert entry.changes == {"escalated_on": {"before": None, "after": TODAY.isoformat()}}
    assert "10.06.2025" in entry.reason
    assert list(audit_verify_chain(seal=True)) == []
    assert [m.to for m in mail.outbox] == [[cast.head_astana.email]]
    assert appeal.reg_number in mail.outbox[0].body


def test_a_dry_run_writes_nothing_and_sends_nothing(offices, cast, smtp):
    appeal = make_appeal(cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=1))
    make_appeal(cast, region=offices.almaty.region, due=TODAY, assignee=cast.prosecutor_almaty)
    smtp.clear()
    entries = AuditEntry.objects.count()
    reminders = appeal_reminders_send(today=TODAY, dry_run=True)
    escalation = appeal_escalate_overdue(today=TODAY, dry_run=True)
    assert reminders.sent == 1 and escalation.escalated == [appeal.reg_number]
    assert escalation.heads_notified == 1
    assert smtp.received == []
    assert AuditEntry.objects.count() == entries
    appeal.refresh_from_db()
    assert appeal.escalated_on is None


def test_a_mail_server_that_is_down_is_reported_and_the_escalation_still_recorded(offices, cast, smtp_down):
    appeal = make_appeal(cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=1))
    summary = appeal_escalate_overdue(today=TODAY)
    assert summary.failed == ["head_astana"] and summary.heads_notified == 0
    appeal.refresh_from_db()
    assert appeal.escalated_on == TODAY


# --- the command ----------------------------------------------------------------------------------------------


def test_command_runs_both_and_prints_a_summary(offices, cast, smtp, capsys):
    make_appeal(
        cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=1), assignee=cast.prosecutor_astana
    )
    smtp.clear()
    call_command("appeals_deadlines", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "Reminders: 1 sent, listing 1 appeal(s)." in out
    assert "Escalation: 1 appeal(s) escalated, 1 head(s) notified." in out
    assert {r for recipients, _m in smtp.received for r in recipients} == {
        cast.prosecutor_astana.email,
        cast.head_astana.email,
    }


def test_command_dry_run_says_what_it_would_do(offices, cast, smtp, capsys):
    appeal = make_appeal(cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=1))
    smtp.clear()
    call_command("appeals_deadlines", "--dry-run", "--date", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "[dry run] Escalation: 1 appeal(s) would be escalated, 1 head(s) to notify." in out
    assert smtp.received == []
    appeal.refresh_from_db()
    assert appeal.escalated_on is None


def test_command_on_a_day_off_still_escalates(offices, cast, smtp, capsys):
    make_appeal(cast, region=offices.astana.region, due=TODAY)
    call_command("appeals_deadlines", "--date", SATURDAY.isoformat())
    out = capsys.readouterr().out
    assert "Reminders: 14.06.2025 is a day off, none sent." in out
    assert "Escalation: 1 appeal(s) escalated" in out


def test_command_fails_when_mail_cannot_be_sent(offices, cast, smtp_down):
    make_appeal(cast, region=offices.astana.region, due=TODAY - dt.timedelta(days=1))
    with pytest.raises(CommandError) as raised:
        call_command("appeals_deadlines", "--date", TODAY.isoformat())
    assert raised.value.returncode == 1
    assert "head_astana" in str(raised.value)


# --- home page panels -----------------------------------------------------------------------------------------


def _home(client_for, user) -> str:
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_prosecutor_home_lists_their_deadlines(offices, cast, client_for):
    today = timezone.localdate()
    mine = make_appeal(
        cast, region=offices.astana.region, due=today - dt.timedelta(days=1), assignee=cast.prosecutor_astana
    )
    other = make_appeal(cast, region=offices.almaty.region, due=today, assignee=cast.prosecutor_almaty)
    html = _home(client_for, cast.prosecutor_astana)
    assert "Deadlines of the appeals assigned to you" in html
    assert mine.reg_number in html
    assert other.reg_number not in html
    assert f'href="{reverse("appeals:deadlines")}?scope=mine"' in html
    assert "Deadlines in your office" not in html


def test_head_and_registrar_home_list_their_offices_deadlines(offices, cast, client_for):
    today = timezone.localdate()
    astana = make_appeal(cast, region=offices.astana.region, due=today, assignee=cast.prosecutor_astana)
    almaty = make_appeal(cast, region=offices.almaty.region, due=today)
    for user in (cast.head_astana, cast.registrar_astana):
        html = _home(client_for, user)
        assert "Deadlines in your office and the offices below it" in html
        assert astana.reg_number in html
        assert almaty.reg_number not in html
    assert almaty.reg_number in _home(client_for, cast.head_gpo)


def test_roles_without_appeals_have_no_deadline_panel(offices, cast, client_for):
    make_appeal(cast, region=offices.astana.region, due=timezone.localdate())
    for user in (cast.analyst, cast.admin, cast.outsider):
        assert "home-deadlines-" not in _home(client_for, user)


def test_a_head_who_is_also_a_registrar_sees_the_office_panel_once(offices, cast, client_for):
    from prokuratura.accounts.models import UserRole

    UserRole.objects.create(user=cast.head_astana, role="registrar")
    html = _home(client_for, cast.head_astana)
    assert html.count('id="home-deadlines-office"') == 1


def test_home_query_count_does_not_grow_with_the_appeals(
    offices, cast, client_for, django_assert_max_num_queries
):
    today = timezone.localdate()
    region = offices.astana.region
    client = client_for(cast.head_astana)
    make_appeal(cast, region=region, due=today, assignee=cast.prosecutor_astana)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(8):
        make_appeal(cast, region=region, due=today - dt.timedelta(days=n), assignee=cast.prosecutor_astana)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(25):
        client.get("/")
