"""Both lifecycles, step by step: the table (each step from each status), the actor (who may and who may not),
and the conditions (`When`), each through the step's service; what the page and the API offer
(`Lifecycle.may_take`) agrees with what the service does."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.core.lifecycle import SAME
from prokuratura.supervision.models import (
    Act,
    ActStatus,
    ActTransition,
    Inspection,
    InspectionStatus,
    InspectionTransition,
)
from prokuratura.supervision.services import (
    Outcome,
    act_issue,
    act_record_court_decision,
    act_record_reply,
    act_record_result,
    act_withdraw,
    inspection_cancel,
    inspection_complete,
    inspection_implement,
    inspection_start,
)
from prokuratura.supervision.transitions import ACTS, INSPECTIONS

from .factories import make_act, make_inspection

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
IS, A = InspectionStatus, ActStatus


@pytest.fixture
def colleague(cast):
    """A prosecutor of the same district office who is not responsible for the inspection nor the act's author."""
    return UserFactory(username="colleague", office=cast.prosecutor_astana.office, roles=[Role.PROSECUTOR])


def in_status(record, status):
    # Test set-up only: put the record where the step starts from without walking every step before it.
    type(record).objects.filter(pk=record.pk).update(status=status)
    return type(record).objects.get(pk=record.pk)


# --- the tables ------------------------------------------------------------------------------------------------


def test_the_inspection_table():
    assert INSPECTIONS.table() == {
        IS.PLANNED: {IS.ORDERED, IS.CANCELLED},
        IS.ORDERED: {IS.ORDERED, IS.IN_PROGRESS, IS.CANCELLED},
        IS.IN_PROGRESS: {IS.IN_PROGRESS, IS.COMPLETED, IS.CANCELLED},
        IS.COMPLETED: {IS.IMPLEMENTED},
        IS.IMPLEMENTED: {IS.CLOSED},
        IS.CLOSED: set(),
        IS.CANCELLED: set(),
    }


def test_the_act_table():
    assert ACTS.table() == {
        A.DRAFT: {A.ISSUED, A.WITHDRAWN},
        A.ISSUED: {A.REPLIED, A.IN_COURT, A.CLOSED, A.WITHDRAWN},
        A.REPLIED: {A.CLOSED},
        A.IN_COURT: {A.CLOSED},
        A.CLOSED: set(),
        A.WITHDRAWN: set(),
    }


# --- inspections: each step from each status --------------------------------------------------------------------

INSPECTION_INPUTS = {
    "order": {},
    "start": {},
    "extend": {"until": TODAY + dt.timedelta(days=60), "reason": "Большой объём документов"},
    "complete": {"results": "Выявлены нарушения трудового законодательства"},
    "implement": {},
    "close": {},
    "cancel": {"reason": "Отпала необходимость"},
}
# Who takes each step: a head over the office, or the responsible prosecutor.
INSPECTION_ACTOR = {
    "order": "head_astana",
    "start": "prosecutor_astana",
    "extend": "head_astana",
    "complete": "prosecutor_astana",
    "implement": "prosecutor_astana",
    "close": "head_astana",
    "cancel": "head_astana",
}


@pytest.mark.parametrize("status", InspectionStatus.values)
@pytest.mark.parametrize("step", list(INSPECTION_INPUTS))
def test_each_inspection_step_from_each_status(cast, step, status):
    inspection = in_status(make_inspection(by=cast.prosecutor_astana), status)
    declared = INSPECTIONS.step(step)
    actor = getattr(cast, INSPECTION_ACTOR[step])
    offered = INSPECTIONS.may_take(actor=actor, record=inspection, step=step)
    service = declared.service_func
    if status in declared.sources:
        assert offered
        done = service(by=actor, inspection=inspection, **INSPECTION_INPUTS[step])
        expected = status if declared.target == SAME else declared.target
        assert Inspection.objects.get(pk=inspection.pk).status == done.status == expected
        last = InspectionTransition.objects.filter(inspection=inspection).latest("id")
        assert (last.step, last.from_status, last.to_status, last.by) == (step, status, expected, actor)
    else:
        assert not offered
        with pytest.raises(ValidationError) as refused:
            service(by=actor, inspection=inspection, **INSPECTION_INPUTS[step])
        assert refused.value.code == "invalid_transition"
        assert Inspection.objects.get(pk=inspection.pk).status == status
        assert not InspectionTransition.objects.filter(inspection=inspection, step=step).exists()


# Who may not: a prosecutor for a head's step; a colleague, another region's prosecutor and the auditor for the
# responsible prosecutor's step.
INSPECTION_REFUSED = [
    ("order", IS.PLANNED, "prosecutor_astana"),
    ("order", IS.PLANNED, "prosecutor_almaty"),
    ("extend", IS.IN_PROGRESS, "prosecutor_astana"),
    ("close", IS.IMPLEMENTED, "prosecutor_astana"),
    ("cancel", IS.ORDERED, "prosecutor_astana"),
    ("cancel", IS.ORDERED, "auditor"),
    ("start", IS.ORDERED, "colleague"),
    ("start", IS.ORDERED, "prosecutor_almaty"),
    ("complete", IS.IN_PROGRESS, "colleague"),
    ("complete", IS.IN_PROGRESS, "auditor"),
    ("implement", IS.COMPLETED, "colleague"),
    ("implement", IS.COMPLETED, "registrar_astana"),
]


@pytest.mark.parametrize(("step", "status", "who"), INSPECTION_REFUSED)
def test_an_inspection_step_refused_to_the_wrong_actor(cast, colleague, step, status, who):
    actor = colleague if who == "colleague" else getattr(cast, who)
    inspection = in_status(make_inspection(by=cast.prosecutor_astana), status)
    assert not INSPECTIONS.may_take(actor=actor, record=inspection, step=step)
    with pytest.raises(PermissionDenied):
        INSPECTIONS.step(step).service_func(by=actor, inspection=inspection, **INSPECTION_INPUTS[step])
    assert Inspection.objects.get(pk=inspection.pk).status == status


def test_a_head_above_takes_the_responsible_prosecutors_steps(cast):
    inspection = in_status(make_inspection(by=cast.prosecutor_astana), IS.ORDERED)
    for head in (cast.head_gpo, cast.head_astana):
        assert INSPECTIONS.may_take(actor=head, record=inspection, step="start")
    assert inspection_start(by=cast.head_gpo, inspection=inspection).status == IS.IN_PROGRESS


def test_implementing_is_refused_while_an_act_awaits_its_answer(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    act = make_act(by=cast.prosecutor_astana, inspection=inspection, code="submission")
    inspection = inspection_complete(by=cast.prosecutor_astana, inspection=inspection, results="Нарушения")
    for waiting in (A.DRAFT, A.ISSUED):
        if waiting == A.ISSUED:
            act = act_issue(by=cast.prosecutor_astana, act=act)
        assert not INSPECTIONS.may_take(actor=cast.prosecutor_astana, record=inspection, step="implement")
        with pytest.raises(ValidationError) as refused:
            inspection_implement(by=cast.prosecutor_astana, inspection=inspection)
        assert refused.value.code == "not_now"
        assert refused.value.messages == [
            "An act of this inspection still awaits its answer: record the replies (or withdraw the act) first."
        ]
        assert Inspection.objects.get(pk=inspection.pk).status == IS.COMPLETED
    act_record_reply(by=cast.prosecutor_astana, act=act, reply_on=TODAY, result="partly")
    assert INSPECTIONS.may_take(actor=cast.prosecutor_astana, record=inspection, step="implement")
    assert inspection_implement(by=cast.prosecutor_astana, inspection=inspection).status == IS.IMPLEMENTED


def test_a_withdrawn_act_no_longer_holds_the_inspection(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    act = make_act(by=cast.prosecutor_astana, inspection=inspection, issue=True)
    inspection = inspection_complete(by=cast.prosecutor_astana, inspection=inspection, results="Нарушения")
    act_withdraw(by=cast.head_astana, act=act, reason="Адресат ликвидирован")
    assert inspection_implement(by=cast.prosecutor_astana, inspection=inspection).status == IS.IMPLEMENTED


def test_a_step_without_its_required_reason_is_refused(cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    with pytest.raises(ValidationError) as refused:
        inspection_cancel(by=cast.head_astana, inspection=inspection, reason="  ")
    assert "reason" in refused.value.message_dict
    assert Inspection.objects.get(pk=inspection.pk).status == IS.PLANNED


def test_a_step_on_a_record_changed_meanwhile_is_refused(cast):
    inspection = make_inspection(by=cast.prosecutor_astana)
    stale = Inspection.objects.get(pk=inspection.pk)
    INSPECTIONS.step("order").service_func(by=cast.head_astana, inspection=inspection)
    with pytest.raises(ValidationError) as refused:
        inspection_cancel(by=cast.head_astana, inspection=stale, reason="Отпала необходимость")
    assert refused.value.code == "stale"
    assert Inspection.objects.get(pk=inspection.pk).status == IS.ORDERED


# --- acts: each step from each status ----------------------------------------------------------------------------

# The act type each step is tried on: one whose answer the step records.
ACT_CODE = {
    "issue": "protest",
    "record_reply": "submission",
    "record_court_decision": "claim",
    "record_result": "warning",
    "withdraw": "submission",
}
ACT_INPUTS = {
    "issue": {},
    "record_reply": {"reply_on": TODAY, "result": "satisfied"},
    "record_court_decision": {"court_decision_on": TODAY, "court_result": "partly"},
    "record_result": {"outcome": Outcome(persons_restored=3)},
    "withdraw": {"reason": "Ошибка в адресате"},
}
ACT_ACTOR = {
    "issue": "prosecutor_astana",
    "record_reply": "prosecutor_astana",
    "record_court_decision": "prosecutor_astana",
    "record_result": "prosecutor_astana",
    "withdraw": "head_astana",
}


def act_in_status(cast, code, status):
    act = make_act(by=cast.prosecutor_astana, code=code, issue=status != A.DRAFT)
    return in_status(act, status) if status not in (A.DRAFT, A.ISSUED) else act


@pytest.mark.parametrize("status", ActStatus.values)
@pytest.mark.parametrize("step", list(ACT_INPUTS))
def test_each_act_step_from_each_status(cast, step, status):
    act = act_in_status(cast, ACT_CODE[step], status)
    declared = ACTS.step(step)
    actor = getattr(cast, ACT_ACTOR[step])
    offered = ACTS.may_take(actor=actor, record=act, step=step)
    if status in declared.sources:
        assert offered
        done = declared.service_func(by=actor, act=act, **ACT_INPUTS[step])
        assert Act.objects.get(pk=act.pk).status == done.status == declared.target
        last = ActTransition.objects.filter(act=act).latest("id")
        assert (last.step, last.from_status, last.to_status) == (step, status, declared.target)
    else:
        assert not offered
        with pytest.raises(ValidationError) as refused:
            declared.service_func(by=actor, act=act, **ACT_INPUTS[step])
        assert refused.value.code == "invalid_transition"
        assert Act.objects.get(pk=act.pk).status == status


ACT_REFUSED = [
    ("issue", A.DRAFT, "colleague"),
    ("issue", A.DRAFT, "prosecutor_almaty"),
    ("issue", A.DRAFT, "auditor"),
    ("record_reply", A.ISSUED, "colleague"),
    ("record_court_decision", A.ISSUED, "colleague"),
    ("record_result", A.ISSUED, "prosecutor_almaty"),
    ("withdraw", A.ISSUED, "prosecutor_astana"),
    ("withdraw", A.DRAFT, "colleague"),
]


@pytest.mark.parametrize(("step", "status", "who"), ACT_REFUSED)
def test_an_act_step_refused_to_the_wrong_actor(cast, colleague, step, status, who):
    actor = colleague if who == "colleague" else getattr(cast, who)
    act = act_in_status(cast, ACT_CODE[step], status)
    assert not ACTS.may_take(actor=actor, record=act, step=step)
    with pytest.raises(PermissionDenied):
        ACTS.step(step).service_func(by=actor, act=act, **ACT_INPUTS[step])
    assert Act.objects.get(pk=act.pk).status == status


def test_a_reply_that_goes_to_court_leaves_the_act_in_court_until_the_decision(cast):
    act = make_act(by=cast.prosecutor_astana, code="protest", issue=True)
    act = act_record_reply(by=cast.prosecutor_astana, act=act, reply_on=TODAY, result="appealed")
    assert act.status == A.IN_COURT
    assert {s.name for s in ACTS.available(actor=cast.prosecutor_astana, record=act)} == {
        "record_court_decision"
    }
    act = act_record_court_decision(
        by=cast.prosecutor_astana,
        act=act,
        court_decision_on=TODAY,
        court_result="satisfied",
        outcome=Outcome(persons_restored=2),
    )
    assert (act.status, act.court_result, act.persons_restored) == (A.CLOSED, "satisfied", 2)


@pytest.mark.parametrize(
    ("code", "step", "inputs", "message"),
    [
        ("claim", "record_reply", ACT_INPUTS["record_reply"], "This type of act is not answered by a reply."),
        (
            "submission",
            "record_court_decision",
            ACT_INPUTS["record_court_decision"],
            "This act is not before a court.",
        ),
        ("submission", "record_result", ACT_INPUTS["record_result"], "Record the addressee's reply first."),
    ],
)
def test_an_act_step_refused_by_its_condition(cast, code, step, inputs, message):
    act = make_act(by=cast.prosecutor_astana, code=code, issue=True)
    assert not ACTS.may_take(actor=cast.prosecutor_astana, record=act, step=step)
    with pytest.raises(ValidationError) as refused:
        ACTS.step(step).service_func(by=cast.prosecutor_astana, act=act, **inputs)
    assert (refused.value.code, refused.value.messages) == ("not_now", [message])
    assert Act.objects.get(pk=act.pk).status == A.ISSUED


def test_issuing_is_refused_once_the_inspection_is_over(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    act = make_act(by=cast.prosecutor_astana, inspection=inspection)
    inspection_cancel(by=cast.head_astana, inspection=inspection, reason="Отменена прокурором области")
    act = Act.objects.select_related("inspection", "act_type", "office").get(pk=act.pk)
    assert not ACTS.may_take(actor=cast.prosecutor_astana, record=act, step="issue")
    with pytest.raises(ValidationError) as refused:
        act_issue(by=cast.prosecutor_astana, act=act)
    assert refused.value.messages == ["The inspection is closed or cancelled: it takes no new acts."]
    act = Act.objects.get(pk=act.pk)
    assert (act.status, act.number, act.sequence) == (A.DRAFT, "", None)


def test_a_warning_needs_no_answer_and_its_result_is_recorded_at_once(cast):
    act = make_act(by=cast.prosecutor_astana, code="warning", issue=True)
    assert act.due_date is None
    assert {s.name for s in ACTS.available(actor=cast.prosecutor_astana, record=act)} == {"record_result"}
    act = act_record_result(by=cast.prosecutor_astana, act=act, outcome=Outcome(persons_administrative=1))
    assert (act.status, act.persons_administrative) == (A.CLOSED, 1)
