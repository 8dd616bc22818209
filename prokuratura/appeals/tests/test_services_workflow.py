"""The lifecycle: the declared table, who may take each step, extension limits, answers, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.accounts.roles import Perm
from prokuratura.appeals import services
from prokuratura.appeals.models import Appeal, AppealRule, AppealTransition, Status
from prokuratura.appeals.rules import rules_changed
from prokuratura.appeals.tests.factories import register
from prokuratura.appeals.transitions import APPEALS
from prokuratura.core.actors import PUBLIC, SCHEDULER, SETUP
from prokuratura.core.models import AuditEntry


@pytest.fixture
def appeal(offices, cast):
    return register(by=cast.registrar_astana, region=offices.astana.region)


def _in_review(appeal, cast):
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    return services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)


# The table as it stood before the lifecycle kernel, with the head's sign-off of answers added since: the
# declaration must derive exactly this.
S = Status
TABLE = {
    S.REGISTERED: {S.REGISTERED, S.ASSIGNED, S.FORWARDED, S.LEFT_WITHOUT_CONSIDERATION},
    S.ASSIGNED: {S.REGISTERED, S.ASSIGNED, S.IN_REVIEW, S.FORWARDED, S.LEFT_WITHOUT_CONSIDERATION},
    S.IN_REVIEW: {
        S.IN_REVIEW,
        S.ASSIGNED,
        S.EXTENDED,
        S.ANSWERED,
        S.FORWARDED,
        S.LEFT_WITHOUT_CONSIDERATION,
        S.AWAITING_SIGNOFF,
    },
    S.EXTENDED: {
        S.ASSIGNED,
        S.EXTENDED,
        S.ANSWERED,
        S.FORWARDED,
        S.LEFT_WITHOUT_CONSIDERATION,
        S.AWAITING_SIGNOFF,
    },
    S.AWAITING_SIGNOFF: {S.ANSWERED, S.IN_REVIEW, S.EXTENDED},
    S.ANSWERED: {S.CLOSED, S.REOPENED},
    S.CLOSED: {S.REOPENED},
    S.FORWARDED: set(),
    S.LEFT_WITHOUT_CONSIDERATION: {S.REOPENED},
    S.REOPENED: {S.ASSIGNED, S.IN_REVIEW},
}
# (Registered → registered and assigned → registered are re-routing; in review → in review is the prosecutor's
# request for an extension: steps that keep or reset the status, declared with SAME.)


def test_the_declared_steps_derive_the_lifecycle_table():
    assert APPEALS.table() == {status: frozenset(targets) for status, targets in TABLE.items()}


def test_every_user_step_declares_a_permission_code():
    for step in APPEALS.steps:
        assert step.permission in vars(Perm).values(), step.name


@pytest.mark.parametrize(
    "status, actor, expected",
    [
        (S.REGISTERED, "registrar_astana", {"route", "correct"}),
        (S.REGISTERED, "head_astana", {"route", "correct", "assign", "forward", "leave"}),
        (S.ASSIGNED, "prosecutor_astana", {"start", "forward", "leave"}),
        (S.ASSIGNED, "head_astana", {"route", "correct", "assign", "start", "forward", "leave"}),
        (S.IN_REVIEW, "prosecutor_astana", {"request_extension", "answer", "forward", "leave"}),
        (S.IN_REVIEW, "head_astana", {"assign", "extend", "answer", "forward", "leave"}),
        (S.IN_REVIEW, "prosecutor_almaty", set()),
        (S.ANSWERED, "head_gpo", {"close", "reopen"}),
        (S.ANSWERED, "prosecutor_astana", set()),
        (S.CLOSED, "head_astana", {"reopen"}),
        (S.FORWARDED, "head_gpo", set()),
        (S.REOPENED, "head_astana", {"assign", "start"}),
        (S.IN_REVIEW, "analyst", set()),
        (S.IN_REVIEW, "auditor", set()),
    ],
)
def test_who_is_offered_which_step(offices, cast, status, actor, expected):
    due = timezone.localdate() + dt.timedelta(days=10)  # a running term
    appeal = Appeal(status=status, office=offices.astana, assignee=cast.prosecutor_astana, due_date=due)
    assert {s.name for s in APPEALS.available(actor=getattr(cast, actor), record=appeal)} == expected


def test_no_system_actor_is_offered_a_step(offices, cast):
    appeal = Appeal(status=S.REGISTERED, office=offices.astana, applicant_type="anonymous")
    for actor in (PUBLIC, SCHEDULER, SETUP):
        assert APPEALS.available(actor=actor, record=appeal) == []


def test_forwarded_is_final():
    assert APPEALS.table()[Status.FORWARDED] == frozenset()


def test_full_path_registered_to_closed_is_audited_step_by_step(appeal, cast):
    _in_review(appeal, cast)
    services.appeal_answer(
        by=cast.prosecutor_astana,
        appeal=appeal,
        outcome="satisfied",
        answer_text="Задолженность по заработной плате погашена.",
        rights_restored=True,
        persons_restored=3,
    )
    services.appeal_close(by=cast.head_astana, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    assert appeal.persons_restored == 3
    steps = list(AppealTransition.objects.filter(appeal=appeal).values_list("to_status", flat=True))
    assert steps == ["registered", "assigned", "in_review", "answered", "closed"]
    transitions = AuditEntry.objects.filter(object_id=str(appeal.pk), action=AuditEntry.Action.TRANSITION)
    assert transitions.count() == 4
    answered = transitions.filter(changes__has_key="outcome").get()
    assert answered.changes["outcome"] == {"before": "", "after": "satisfied"}


def test_a_transition_the_table_forbids_is_refused_and_changes_nothing(appeal, cast):
    with pytest.raises(ValidationError):
        services.appeal_close(by=cast.head_astana, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.status == Status.REGISTERED
    assert appeal.transitions.count() == 1


def test_only_a_head_over_the_office_assigns(appeal, cast):
    with pytest.raises(PermissionDenied):
        services.appeal_assign(by=cast.prosecutor_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    with pytest.raises(PermissionDenied):
        services.appeal_assign(by=cast.registrar_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_assign(by=cast.head_gpo, appeal=appeal, assignee=cast.prosecutor_astana)
    assert appeal.assignee == cast.prosecutor_astana


def test_cannot_assign_to_a_prosecutor_of_another_branch(appeal, cast):
    with pytest.raises(ValidationError) as caught:
        services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_almaty)
    assert "assignee" in caught.value.message_dict


def test_another_prosecutor_may_not_work_on_it(appeal, cast):
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    with pytest.raises(PermissionDenied):
        services.appeal_start_review(by=cast.prosecutor_almaty, appeal=appeal)


def test_head_extends_within_two_months_and_notice_is_due_in_3_working_days(appeal, cast):
    _in_review(appeal, cast)
    limit = services.extension_limit(appeal)
    services.appeal_extend(by=cast.head_astana, appeal=appeal, until=limit, reason="Нужна проверка")
    appeal.refresh_from_db()
    assert appeal.status == Status.EXTENDED
    assert appeal.due_date == limit == appeal.extended_until
    assert appeal.statutory_due_date < limit
    assert appeal.extension_notice_due is not None


def test_extension_beyond_two_months_is_refused(appeal, cast):
    _in_review(appeal, cast)
    too_far = services.extension_limit(appeal) + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.appeal_extend(by=cast.head_astana, appeal=appeal, until=too_far, reason="x")
    assert "until" in caught.value.message_dict
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_REVIEW and appeal.extended_until is None


def test_extension_limit_is_two_calendar_months_from_the_day_the_term_runs_from(appeal):
    from zoneinfo import ZoneInfo

    # Received on the last day of the year after hours: registered on the next working day.
    appeal.received_at = dt.datetime(2024, 12, 31, 19, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    appeal.registered_on = dt.date(2025, 1, 3)
    # 31 December + 2 months: no 31 February, so 28 February 2025 — a Friday, a working day.
    assert services.extension_limit(appeal) == dt.date(2025, 2, 28)
    AppealRule.objects.update_or_create(
        code="review_term_from_receipt",
        defaults={"value": 0, "unit": "yes/no", "description": "-", "legal_source": "-"},
    )
    rules_changed()
    assert services.extension_limit(appeal) == dt.date(2025, 3, 3)


def test_an_extension_cap_on_a_day_off_moves_to_the_next_working_day(appeal):
    from zoneinfo import ZoneInfo

    # Received on 8 January 2025: two months end on Saturday 8 March, International Women's Day, whose day off moved
    # to Monday 10 March — so the cap is Tuesday 11 March.
    appeal.received_at = dt.datetime(2025, 1, 8, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    appeal.registered_on = dt.date(2025, 1, 8)
    assert services.extension_limit(appeal) == dt.date(2025, 3, 11)


def test_a_prosecutor_asks_and_cannot_extend_alone(appeal, cast):
    _in_review(appeal, cast)
    until = appeal.due_date + dt.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        services.appeal_extend(by=cast.prosecutor_astana, appeal=appeal, until=until, reason="x")
    services.appeal_request_extension(
        by=cast.prosecutor_astana, appeal=appeal, until=until, reason="Экспертиза"
    )
    appeal.refresh_from_db()
    assert appeal.extension_requested_until == until
    services.appeal_extend(by=cast.head_astana, appeal=appeal, until=until, reason="Экспертиза")
    appeal.refresh_from_db()
    assert appeal.extension_requested_until is None and appeal.extension_decided_by == cast.head_astana


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "forwarded", "answer_text": "x"}, "outcome"),
        ({"outcome": "explained", "answer_text": "  "}, "answer_text"),
        (
            {"outcome": "satisfied", "answer_text": "x", "rights_restored": True, "persons_restored": 0},
            "persons_restored",
        ),
        (
            {"outcome": "rejected", "answer_text": "x", "rights_restored": True, "persons_restored": 2},
            "rights_restored",
        ),
    ],
)
def test_bad_answers_are_refused(appeal, cast, kwargs, field):
    _in_review(appeal, cast)
    with pytest.raises(ValidationError) as caught:
        services.appeal_answer(by=cast.prosecutor_astana, appeal=appeal, **kwargs)
    assert field in caught.value.message_dict
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_REVIEW


def test_forwarding_needs_a_body_and_reasons(appeal, cast):
    _in_review(appeal, cast)
    with pytest.raises(ValidationError):
        services.appeal_forward(by=cast.prosecutor_astana, appeal=appeal, forwarded_to="", reason="x")
    with pytest.raises(ValidationError):
        services.appeal_forward(by=cast.prosecutor_astana, appeal=appeal, forwarded_to="Акимат", reason="")
    services.appeal_forward(by=cast.prosecutor_astana, appeal=appeal, forwarded_to="Акимат", reason="Не наша")
    assert appeal.status == Status.FORWARDED and appeal.outcome == "forwarded"


def test_reopening_after_a_successful_complaint_sets_a_new_term(appeal, cast):
    _in_review(appeal, cast)
    services.appeal_answer(
        by=cast.prosecutor_astana, appeal=appeal, outcome="rejected", answer_text="Отказано."
    )
    services.appeal_reopen(by=cast.head_astana, appeal=appeal, reason="Жалоба на ответ удовлетворена")
    appeal.refresh_from_db()
    assert appeal.status == Status.REOPENED
    assert appeal.outcome == "" and appeal.answered_on is None
    assert appeal.due_date >= appeal.registered_on
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    assert appeal.status == Status.IN_REVIEW


def test_notes_are_audited(appeal, cast):
    note = services.appeal_note_add(by=cast.head_astana, appeal=appeal, text="Проверить по базе")
    assert AuditEntry.objects.filter(object_type="appeals.appealnote", object_id=str(note.pk)).exists()
    with pytest.raises(ValidationError):
        services.appeal_note_add(by=cast.head_astana, appeal=appeal, text=" ")


def test_routing_is_a_step_with_its_history_row_and_audit_entry(appeal, cast, offices):
    services.appeal_route(
        by=cast.registrar_astana, appeal=appeal, office=offices.astana_district, reason="District"
    )
    appeal.refresh_from_db()
    assert appeal.office == offices.astana_district and appeal.status == Status.REGISTERED
    row = appeal.transitions.last()
    assert (row.step, row.from_status, row.to_status, row.by, row.reason) == (
        "route",
        Status.REGISTERED,
        Status.REGISTERED,
        cast.registrar_astana,
        "District",
    )
    entry = AuditEntry.objects.filter(object_id=str(appeal.pk), action=AuditEntry.Action.TRANSITION).get()
    assert entry.changes["office"] == {"before": offices.astana.pk, "after": offices.astana_district.pk}


def test_routing_away_from_the_assigned_prosecutor_releases_the_appeal(appeal, cast, offices):
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_route(by=cast.head_gpo, appeal=appeal, office=offices.almaty)
    appeal.refresh_from_db()
    assert appeal.office == offices.almaty and appeal.assignee is None and appeal.status == Status.REGISTERED
    assert appeal.transitions.last().to_status == Status.REGISTERED


def test_routing_is_refused_outside_the_rules_and_changes_nothing(appeal, cast, offices):
    with pytest.raises(ValidationError) as refused:  # an office outside the registrar's subtree
        services.appeal_route(by=cast.registrar_astana, appeal=appeal, office=offices.almaty)
    assert "office" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # where it already is
        services.appeal_route(by=cast.registrar_astana, appeal=appeal, office=offices.astana)
    assert refused.value.message_dict["office"] == ["The appeal is already in this office."]
    with pytest.raises(PermissionDenied):  # a prosecutor does not route
        services.appeal_route(by=cast.prosecutor_astana, appeal=appeal, office=offices.astana_district)
    with pytest.raises(PermissionDenied):  # staff of another branch
        services.appeal_route(by=cast.prosecutor_almaty, appeal=appeal, office=offices.almaty)
    _in_review(appeal, cast)
    with pytest.raises(ValidationError) as refused:  # work has started
        services.appeal_route(by=cast.head_astana, appeal=appeal, office=offices.astana_district)
    assert refused.value.code == "invalid_transition"
    appeal.refresh_from_db()
    assert appeal.office == offices.astana
    assert not appeal.transitions.filter(step="route").exists()


def test_an_anonymous_appeal_waits_for_triage_and_is_never_assigned(offices, cast):
    appeal = register(by=PUBLIC, channel="public_web", applicant_type="anonymous", applicant_name="")
    assert appeal.status == Status.REGISTERED and appeal.forward_due == appeal.registered_on
    registrar = {s.name for s in APPEALS.available(actor=cast.registrar_astana, record=appeal)}
    head = {s.name for s in APPEALS.available(actor=cast.head_astana, record=appeal)}
    assert registrar == {"route", "correct", "triage_leave", "triage_forward"}
    assert head == {
        "route",
        "correct",
        "triage_leave",
        "triage_forward",
    }  # not assign, not the reviewer's leave/forward
    with pytest.raises(ValidationError) as refused:
        services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    assert refused.value.code == "not_now"
    with pytest.raises(PermissionDenied):  # another branch's registrar
        services.appeal_triage_leave(by=cast.prosecutor_almaty, appeal=appeal, reason="—")
    services.appeal_triage_leave(
        by=cast.registrar_astana, appeal=appeal, reason="Не содержит сведений о преступлении"
    )
    appeal.refresh_from_db()
    assert appeal.status == Status.LEFT_WITHOUT_CONSIDERATION and appeal.outcome == "left"
    row = appeal.transitions.last()
    assert (row.step, row.by) == ("triage_leave", cast.registrar_astana)


def test_an_anonymous_report_of_a_crime_is_forwarded_at_once_by_the_registrar(offices, cast):
    appeal = register(by=PUBLIC, channel="public_web", applicant_type="anonymous", applicant_name="")
    services.appeal_triage_forward(
        by=cast.registrar_astana,
        appeal=appeal,
        forwarded_to="Департамент полиции г. Астаны",
        reason="Сообщение о готовящемся преступлении",
    )
    appeal.refresh_from_db()
    assert appeal.status == Status.FORWARDED and appeal.is_urgent_report
    assert appeal.forwarded_to == "Департамент полиции г. Астаны"
    entry = AuditEntry.objects.filter(object_id=str(appeal.pk), action=AuditEntry.Action.TRANSITION).get()
    assert entry.changes["is_urgent_report"] == {"before": False, "after": True}


def test_a_named_appeal_is_not_triaged(appeal, cast):
    assert "triage_leave" not in {
        s.name for s in APPEALS.available(actor=cast.registrar_astana, record=appeal)
    }
    with pytest.raises(ValidationError) as refused:
        services.appeal_triage_leave(by=cast.registrar_astana, appeal=appeal, reason="—")
    assert refused.value.messages == ["Only an anonymous appeal is triaged."]


def test_a_head_declines_an_extension_request_with_reasons_and_the_term_stays(appeal, cast):
    _in_review(appeal, cast)
    due = appeal.due_date
    assert "decline_extension" not in {
        s.name for s in APPEALS.available(actor=cast.head_astana, record=appeal)
    }
    services.appeal_request_extension(
        by=cast.prosecutor_astana, appeal=appeal, until=due + dt.timedelta(days=10), reason="Экспертиза"
    )
    assert "decline_extension" in {s.name for s in APPEALS.available(actor=cast.head_astana, record=appeal)}
    with pytest.raises(PermissionDenied):
        services.appeal_decline_extension(by=cast.prosecutor_astana, appeal=appeal, reason="—")
    with pytest.raises(ValidationError):
        services.appeal_decline_extension(by=cast.head_astana, appeal=appeal, reason=" ")
    services.appeal_decline_extension(by=cast.head_astana, appeal=appeal, reason="Успеете в срок")
    appeal.refresh_from_db()
    assert appeal.due_date == due and appeal.status == Status.IN_REVIEW
    assert appeal.extension_requested_until is None and appeal.extension_request_reason == ""
    row = appeal.transitions.last()
    assert (row.step, row.by, row.reason) == ("decline_extension", cast.head_astana, "Успеете в срок")
    entry = (
        AuditEntry.objects.filter(object_id=str(appeal.pk), action=AuditEntry.Action.TRANSITION)
        .order_by("id")
        .last()
    )
    assert entry.changes["extension_request_reason"] == {"before": "Экспертиза", "after": ""}


def test_a_registrar_corrects_the_details_before_the_review_and_every_change_is_audited(
    appeal, cast, offices
):
    from prokuratura.appeals.models import Topic

    housing = Topic.objects.get(code="housing")
    services.appeal_correct(
        by=cast.registrar_astana,
        appeal=appeal,
        details={"applicant_name": "Серикова Айгуль", "topic": housing, "subject": appeal.subject},
        reason="Фамилия и тема перепутаны при регистрации",
    )
    appeal.refresh_from_db()
    assert appeal.applicant_name == "Серикова Айгуль" and appeal.topic == housing
    row = appeal.transitions.last()
    assert (row.step, row.by, row.to_status) == ("correct", cast.registrar_astana, Status.REGISTERED)
    entry = AuditEntry.objects.filter(object_id=str(appeal.pk), action=AuditEntry.Action.TRANSITION).get()
    assert set(entry.changes) == {"applicant_name", "topic"}  # the subject did not change
    assert entry.reason == "Фамилия и тема перепутаны при регистрации"


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"applicant_iin": "900101300127"}, "applicant_iin"),  # a wrong check digit
        ({"applicant_name": "  "}, "applicant_name"),
        ({"subject": ""}, "subject"),
    ],
)
def test_a_bad_correction_is_refused_and_changes_nothing(appeal, cast, details, field):
    before = Appeal.objects.get(pk=appeal.pk)
    with pytest.raises(ValidationError) as refused:
        services.appeal_correct(by=cast.registrar_astana, appeal=appeal, details=details, reason="—")
    assert field in refused.value.message_dict
    after = Appeal.objects.get(pk=appeal.pk)
    assert (after.applicant_iin, after.applicant_name, after.subject) == (
        before.applicant_iin,
        before.applicant_name,
        before.subject,
    )
    assert not after.transitions.filter(step="correct").exists()


def test_a_correction_that_changes_nothing_or_comes_after_the_review_began_is_refused(appeal, cast):
    with pytest.raises(ValidationError) as refused:
        services.appeal_correct(
            by=cast.registrar_astana, appeal=appeal, details={"subject": appeal.subject}, reason="—"
        )
    assert refused.value.code == "unchanged"
    with pytest.raises(PermissionDenied):  # a prosecutor does not correct registrations
        services.appeal_correct(
            by=cast.prosecutor_astana, appeal=appeal, details={"subject": "x"}, reason="—"
        )
    _in_review(appeal, cast)
    with pytest.raises(ValidationError) as refused:
        services.appeal_correct(
            by=cast.registrar_astana, appeal=appeal, details={"subject": "Другое"}, reason="—"
        )
    assert refused.value.code == "invalid_transition"


def test_correcting_the_day_the_applicant_learned_of_the_decision_decides_lateness_again(offices, cast):
    import zoneinfo

    received = dt.datetime(2024, 6, 3, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Almaty"))
    appeal = register(
        by=cast.registrar_astana,
        received_at=received,
        kind="complaint",
        decision_learned_on=dt.date(2024, 3, 4),
    )
    assert appeal.is_late is False
    services.appeal_correct(
        by=cast.registrar_astana,
        appeal=appeal,
        details={"decision_learned_on": dt.date(2024, 2, 20)},
        reason="Дата указана неверно",
    )
    appeal.refresh_from_db()
    assert appeal.is_late is True
