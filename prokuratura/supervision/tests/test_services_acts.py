"""Acts of response through their services: drafting (where an act may be drafted, what it answers), issuing
(numbers per office and year, the signer, the due date from the type's rule on the real calendar), the answer's
own checks, and retries with a submission key."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.appeals import services as appeal_services
from prokuratura.appeals.tests.factories import register
from prokuratura.core.audit import object_label
from prokuratura.core.models import AuditEntry
from prokuratura.supervision.models import Act, ActCounter, ActStatus, ActType, TermUnit
from prokuratura.supervision.services import (
    Outcome,
    act_draft,
    act_issue,
    act_record_reply,
    act_record_result,
    act_type_update,
    act_update,
    inspection_cancel,
)

from .factories import act_data, make_act, make_inspection, make_violation, make_visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = dt.date


def issue(cast, code, issued_on, due_date=None, by=None):
    act = make_act(by=by or cast.prosecutor_astana, code=code)
    return act_issue(by=by or cast.prosecutor_astana, act=act, issued_on=issued_on, due_date=due_date)


# --- numbers ----------------------------------------------------------------------------------------------------


def test_acts_are_numbered_per_office_and_year(cast):
    first = issue(cast, "protest", D(2026, 3, 13))
    second = issue(cast, "submission", D(2026, 10, 29))
    assert (first.number, second.number) == ("AST-01-2026/Н-1", "AST-01-2026/Н-2")
    assert (first.year, first.sequence, second.sequence) == (2026, 1, 2)
    almaty = issue(cast, "protest", D(2026, 3, 13), by=cast.prosecutor_almaty)
    assert almaty.number == "ALA-2026/Н-1"
    earlier_year = issue(cast, "protest", D(2025, 12, 29))
    assert earlier_year.number == "AST-01-2025/Н-1"
    assert ActCounter.objects.get(office=cast.prosecutor_astana.office, year=2026).last == 2


def test_a_draft_has_no_number_and_a_refused_issue_takes_none(cast):
    act = make_act(by=cast.prosecutor_astana, code="protest")
    assert (act.status, act.number, act.issued_on) == (ActStatus.DRAFT, "", None)
    with pytest.raises(PermissionDenied):  # refused by the kernel after the number was drawn: rolled back
        act_issue(by=cast.prosecutor_almaty, act=act, issued_on=D(2026, 12, 1))
    assert not ActCounter.objects.filter(last__gt=0).exists()
    assert Act.objects.get(pk=act.pk).number == ""
    issued = issue(cast, "protest", D(2026, 12, 1))
    assert issued.number.endswith("/Н-1")


def test_the_signer_is_the_issuer_as_signed(cast):
    act = issue(cast, "protest", D(2026, 12, 1))
    assert act.signer == cast.prosecutor_astana
    assert act.signer_name


# --- the due date, through the service, on the real calendar -----------------------------------------------------


def test_a_protest_whose_tenth_day_falls_in_nauryz_is_due_after_the_moved_days_off(cast):
    # 13.03.2026 + 10 calendar days = 23.03 (Nauryz); 24 and 25.03 are the moved days off.
    assert issue(cast, "protest", D(2026, 3, 13)).due_date == D(2026, 3, 26)


def test_a_submission_month_ending_on_a_sunday_is_due_on_monday(cast):
    # 29.10.2026 + 1 month = Sunday 29.11.2026.
    assert issue(cast, "submission", D(2026, 10, 29)).due_date == D(2026, 11, 30)


def test_a_working_days_type_made_by_the_administrator(cast):
    act_type_update(
        by=cast.admin,
        act_type=ActType.objects.get(code="instruction"),
        changes={"term_value": 3, "term_unit": TermUnit.WORKING_DAYS},
        source="УПК РК, статья о полномочиях прокурора (проверено)",
    )
    # After Wednesday 06.05.2026: 07.05 off, Fri 08.05 (1), 09–11.05 off, Tue 12.05 (2), Wed 13.05 (3).
    assert issue(cast, "instruction", D(2026, 5, 6)).due_date == D(2026, 5, 13)


def test_a_type_without_a_term_needs_the_date_the_act_names(cast):
    act = make_act(by=cast.prosecutor_astana, code="order")
    with pytest.raises(ValidationError) as refused:
        act_issue(by=cast.prosecutor_astana, act=act, issued_on=D(2026, 11, 2))
    assert refused.value.message_dict == {
        "due_date": ["The law sets no term for this act: enter the term the act names."]
    }
    issued = act_issue(by=cast.prosecutor_astana, act=act, issued_on=D(2026, 11, 2), due_date=D(2026, 11, 20))
    assert issued.due_date == D(2026, 11, 20)


def test_a_due_date_later_than_the_laws_is_refused_a_shorter_one_is_kept(cast):
    act = make_act(by=cast.prosecutor_astana, code="protest")
    with pytest.raises(ValidationError) as refused:
        act_issue(by=cast.prosecutor_astana, act=act, issued_on=D(2026, 3, 13), due_date=D(2026, 3, 27))
    assert refused.value.message_dict == {
        "due_date": ["The law's term for this act ends on 26.03.2026: a later date cannot be set."]
    }
    assert Act.objects.get(pk=act.pk).status == ActStatus.DRAFT
    issued = act_issue(by=cast.prosecutor_astana, act=act, issued_on=D(2026, 3, 13), due_date=D(2026, 3, 20))
    assert issued.due_date == D(2026, 3, 20)


def test_a_due_date_on_or_before_the_act_is_refused(cast):
    act = make_act(by=cast.prosecutor_astana, code="order")
    with pytest.raises(ValidationError) as refused:
        act_issue(by=cast.prosecutor_astana, act=act, issued_on=D(2026, 11, 2), due_date=D(2026, 11, 2))
    assert "due_date" in refused.value.message_dict


def test_a_warning_and_a_claim_have_no_due_date(cast):
    assert issue(cast, "warning", D(2026, 11, 2)).due_date is None
    assert issue(cast, "claim", D(2026, 11, 2)).due_date is None


def test_an_act_is_not_dated_in_the_future_nor_before_its_inspection(cast):
    act = make_act(by=cast.prosecutor_astana, code="protest")
    with pytest.raises(ValidationError) as refused:
        act_issue(by=cast.prosecutor_astana, act=act, issued_on=TODAY + dt.timedelta(days=1))
    assert "issued_on" in refused.value.message_dict
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    act = make_act(by=cast.prosecutor_astana, code="protest", inspection=inspection)
    with pytest.raises(ValidationError) as refused:
        act_issue(
            by=cast.prosecutor_astana, act=act, issued_on=inspection.period_start - dt.timedelta(days=1)
        )
    assert "issued_on" in refused.value.message_dict
    assert Act.objects.filter(status=ActStatus.ISSUED).count() == 0


# --- drafting ---------------------------------------------------------------------------------------------------


def test_a_retry_with_the_same_submission_key_returns_the_first_act(cast):
    first = act_draft(by=cast.prosecutor_astana, data=act_data("protest"), submission_key="api:1:k")
    again = act_draft(by=cast.prosecutor_astana, data=act_data("protest"), submission_key="api:1:k")
    assert again.pk == first.pk
    assert Act.objects.count() == 1
    assert AuditEntry.objects.filter(action="create", object_type=object_label(first)).count() == 1


def test_an_act_answers_the_violations_of_its_own_inspection(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    other = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    own = make_violation(by=cast.prosecutor_astana, inspection=inspection)
    foreign = make_violation(by=cast.prosecutor_astana, inspection=other)
    act = make_act(by=cast.prosecutor_astana, inspection=inspection, violations=[own])
    assert list(act.violations.all()) == [own]
    assert (act.office, act.sensitivity) == (inspection.office, inspection.sensitivity)
    with pytest.raises(ValidationError) as refused:
        make_act(by=cast.prosecutor_astana, inspection=inspection, violations=[own, foreign])
    assert "violations" in refused.value.message_dict
    assert Act.objects.count() == 1


def test_an_act_answers_one_inspection_one_appeal_or_one_visit(cast, offices):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    visit = make_visit(by=cast.prosecutor_astana)
    with pytest.raises(ValidationError):
        make_act(by=cast.prosecutor_astana, inspection=inspection, visit=visit)
    assert not Act.objects.exists()


def test_an_act_on_an_appeal_by_who_works_on_it(cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    with pytest.raises(PermissionDenied):
        make_act(by=cast.prosecutor_astana, appeal=appeal)  # not assigned: may not even see it
    appeal_services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    violation = make_violation(by=cast.prosecutor_astana, appeal=appeal)
    act = make_act(by=cast.prosecutor_astana, appeal=appeal, violations=[violation])
    assert (act.appeal, act.office) == (appeal, appeal.office)
    assert list(appeal.supervision_acts.all()) == [act]


def test_no_act_on_a_closed_or_cancelled_inspection(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    inspection_cancel(by=cast.head_astana, inspection=inspection, reason="Отменена")
    with pytest.raises(ValidationError) as refused:
        make_act(by=cast.prosecutor_astana, inspection=inspection)
    assert refused.value.messages == ["The inspection is closed or cancelled: it takes no new acts."]
    assert not Act.objects.exists()


def test_only_the_responsible_or_a_head_drafts_the_inspections_acts(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    with pytest.raises(PermissionDenied):
        make_act(by=cast.prosecutor_almaty, inspection=inspection)
    assert make_act(by=cast.head_astana, inspection=inspection).author == cast.head_astana


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"addressee_name": "  "}, "addressee_name"), ({"language": "en"}, "language")],
)
def test_bad_draft_input_is_refused_on_its_field(cast, overrides, field):
    with pytest.raises(ValidationError) as refused:
        make_act(by=cast.prosecutor_astana, **overrides)
    assert field in refused.value.message_dict
    assert not Act.objects.exists()


def test_a_type_no_longer_in_use_is_refused(cast):
    act_type_update(
        by=cast.admin,
        act_type=ActType.objects.get(code="release"),
        changes={"is_active": False},
        source="Приказ о выводе из употребления",
    )
    with pytest.raises(ValidationError) as refused:
        make_act(by=cast.prosecutor_astana, code="release")
    assert "act_type" in refused.value.message_dict


def test_a_draft_is_edited_an_issued_act_is_not(cast):
    act = make_act(by=cast.prosecutor_astana, code="protest")
    edited = act_update(
        by=cast.prosecutor_astana,
        act=act,
        data=act_data("protest", addressee_name="Акиму города Астаны", subject="Протест на решение акима"),
    )
    assert edited.addressee_name == "Акиму города Астаны"
    act_issue(by=cast.prosecutor_astana, act=edited, issued_on=D(2026, 12, 1))
    with pytest.raises(ValidationError):
        act_update(
            by=cast.prosecutor_astana,
            act=Act.objects.get(pk=act.pk),
            data=act_data("protest", subject="Другое"),
        )
    assert Act.objects.get(pk=act.pk).addressee_name == "Акиму города Астаны"


# --- the answer -------------------------------------------------------------------------------------------------


def test_a_reply_is_not_dated_before_the_act_nor_in_the_future(cast):
    act = issue(cast, "protest", D(2026, 12, 1))
    with pytest.raises(ValidationError) as refused:
        act_record_reply(by=cast.prosecutor_astana, act=act, reply_on=D(2026, 11, 30), result="satisfied")
    assert refused.value.message_dict == {
        "reply_on": ["The answer cannot be dated before the act (01.12.2026)."]
    }
    with pytest.raises(ValidationError) as refused:
        act_record_reply(
            by=cast.prosecutor_astana, act=act, reply_on=TODAY + dt.timedelta(days=1), result="satisfied"
        )
    assert "reply_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        act_record_reply(by=cast.prosecutor_astana, act=act, reply_on=D(2026, 12, 3), result="maybe")
    assert "result" in refused.value.message_dict
    fresh = Act.objects.get(pk=act.pk)
    assert (fresh.status, fresh.reply_on, fresh.result) == (ActStatus.ISSUED, None, "")


def test_a_negative_outcome_is_refused_and_nothing_is_recorded(cast):
    act = issue(cast, "protest", D(2026, 12, 1))
    act = act_record_reply(by=cast.prosecutor_astana, act=act, reply_on=D(2026, 12, 3), result="satisfied")
    with pytest.raises(ValidationError) as refused:
        act_record_result(
            by=cast.prosecutor_astana,
            act=act,
            outcome=Outcome(amount_recovered=Decimal("-1"), persons_criminal=-2),
        )
    assert refused.value.message_dict == {
        "persons_criminal": ["The number cannot be negative."],
        "amount_recovered": ["The amount cannot be negative."],
    }
    assert Act.objects.get(pk=act.pk).status == ActStatus.REPLIED
    closed = act_record_result(
        by=cast.prosecutor_astana,
        act=act,
        outcome=Outcome(persons_restored=12, amount_recovered=Decimal("1500000.00"), persons_disciplinary=2),
    )
    assert (closed.status, closed.amount_recovered, closed.persons_responsible) == (
        ActStatus.CLOSED,
        Decimal("1500000.00"),
        2,
    )


def test_the_answer_is_audited_with_its_changes(cast):
    act = issue(cast, "protest", D(2026, 12, 1))
    act_record_reply(
        by=cast.prosecutor_astana, act=act, reply_on=D(2026, 12, 3), result="partly", reply_number="02-15/77"
    )
    entry = AuditEntry.objects.filter(action="transition", object_type=object_label(act)).latest("id")
    assert entry.changes["status"] == {"before": "issued", "after": "replied"}
    assert entry.changes["reply_number"] == {"before": "", "after": "02-15/77"}


def test_an_act_dated_before_independence_is_refused_and_takes_no_number(cast):
    act = make_act(by=cast.prosecutor_astana)
    with pytest.raises(ValidationError) as caught:
        act_issue(by=cast.prosecutor_astana, act=act, issued_on=dt.date(1, 1, 1))
    assert caught.value.message_dict["issued_on"] == ["The date is too far in the past."]
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT and act.number == ""
