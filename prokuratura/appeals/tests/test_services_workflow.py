"""The lifecycle: the declared table, who may take each step, extension limits, answers, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from prokuratura.appeals import services
from prokuratura.appeals.models import AppealTransition, Status
from prokuratura.appeals.tests.factories import register
from prokuratura.appeals.transitions import STEP_PERMISSION, TRANSITIONS, can_transition
from prokuratura.core.models import AuditEntry


@pytest.fixture
def appeal(offices, cast):
    return register(by=cast.registrar_astana, region=offices.astana.region)


def _in_review(appeal, cast):
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    return services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)


def test_every_status_is_in_the_table_and_every_target_is_a_status():
    assert set(TRANSITIONS) == set(Status.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(Status.values)
    assert set(STEP_PERMISSION) == set(Status.values) - {Status.REGISTERED}


@given(st.sampled_from(Status.values), st.sampled_from(Status.values))
def test_can_transition_is_exactly_the_table(current, target):
    assert can_transition(current, target) == (target in TRANSITIONS[current])


def test_forwarded_is_final():
    assert TRANSITIONS[Status.FORWARDED] == frozenset()


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


def test_extension_limit_is_two_calendar_months_from_registration(appeal):
    appeal.registered_on = dt.date(2024, 12, 31)
    assert services.extension_limit(appeal) == dt.date(2025, 2, 28)


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
