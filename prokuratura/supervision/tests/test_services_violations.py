"""Violations found in an inspection or while answering an appeal (supervision.services.violations)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.appeals import services as appeal_services
from prokuratura.appeals.tests.factories import register
from prokuratura.core.audit import object_label
from prokuratura.core.models import AuditEntry, Sensitivity
from prokuratura.supervision.models import Violation
from prokuratura.supervision.services import (
    inspection_cancel,
    violation_record,
    violation_update,
)

from .factories import make_inspection, make_violation, violation_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def running(cast):
    return make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)


def test_a_violation_takes_its_inspections_office_and_sensitivity(cast, running):
    violation = make_violation(by=cast.prosecutor_astana, inspection=running)
    assert (violation.office, violation.sensitivity, violation.created_by) == (
        running.office,
        Sensitivity.INTERNAL,
        cast.prosecutor_astana,
    )
    assert violation.damage == Decimal("1500000.00")
    (entry,) = AuditEntry.objects.filter(action="create", object_type=object_label(violation))
    assert entry.changes["law_violated"]["after"] == "Трудовой кодекс РК, ст. 113"


def test_a_violation_found_while_answering_an_appeal(cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    with pytest.raises(PermissionDenied):
        make_violation(by=cast.prosecutor_astana, appeal=appeal)  # nobody assigned it to them
    appeal_services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    violation = make_violation(by=cast.prosecutor_astana, appeal=appeal)
    assert (violation.appeal, violation.inspection, violation.office) == (appeal, None, appeal.office)
    assert list(appeal.violations.all()) == [violation]


def test_a_violation_is_found_in_exactly_one_place(cast, offices, running):
    with pytest.raises(ValidationError):
        make_violation(by=cast.prosecutor_astana)
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    with pytest.raises(ValidationError):
        make_violation(by=cast.head_astana, inspection=running, appeal=appeal)
    assert not Violation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"damage": Decimal("-0.01")}, "damage", "The amount cannot be negative."),
        ({"persons_affected": -1}, "persons_affected", "The number cannot be negative."),
        ({"found_on": TODAY + dt.timedelta(days=1)}, "found_on", "The date cannot be in the future."),
        (
            {"found_on": TODAY - dt.timedelta(days=30)},
            "found_on",
            "A violation is found during the inspection, not before it.",
        ),
        ({"description": " "}, "description", "Describe the violation."),
        ({"law_violated": ""}, "law_violated", "Name the act and the article violated."),
        ({"category": "gossip"}, "category", "Choose a category."),
    ],
)
def test_bad_input_is_refused_with_its_message(cast, running, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        make_violation(by=cast.prosecutor_astana, inspection=running, **overrides)
    assert refused.value.message_dict[field] == [message]
    assert not Violation.objects.exists()


def test_no_new_findings_in_a_cancelled_inspection(cast, running):
    inspection_cancel(by=cast.head_astana, inspection=running, reason="Отменена")
    with pytest.raises(ValidationError) as refused:
        make_violation(by=cast.prosecutor_astana, inspection=running)
    assert refused.value.messages == ["The inspection is closed or cancelled: it takes no new findings."]


def test_only_the_responsible_or_a_head_records_the_findings(cast, running):
    with pytest.raises(PermissionDenied):
        make_violation(by=cast.prosecutor_almaty, inspection=running)
    with pytest.raises(PermissionDenied):
        make_violation(by=cast.auditor, inspection=running)
    assert make_violation(by=cast.head_gpo, inspection=running).created_by == cast.head_gpo


def test_a_retry_with_the_same_submission_key_records_one_violation(cast, running):
    first = violation_record(
        by=cast.prosecutor_astana, data=violation_data(), inspection=running, submission_key="form:v1"
    )
    again = violation_record(
        by=cast.prosecutor_astana, data=violation_data(), inspection=running, submission_key="form:v1"
    )
    assert again.pk == first.pk and Violation.objects.count() == 1


def test_correcting_a_violation_is_audited(cast, running):
    violation = make_violation(by=cast.prosecutor_astana, inspection=running)
    updated = violation_update(
        by=cast.prosecutor_astana, violation=violation, data=violation_data(damage=Decimal("2000000.00"))
    )
    assert updated.damage == Decimal("2000000.00")
    (entry,) = AuditEntry.objects.filter(action="update", object_type=object_label(violation))
    assert set(entry.changes) == {"damage"}
    with pytest.raises(PermissionDenied):
        violation_update(by=cast.prosecutor_almaty, violation=violation, data=violation_data())


def test_the_findings_of_a_closed_inspection_are_final(cast, running):
    violation = make_violation(by=cast.prosecutor_astana, inspection=running)
    inspection_cancel(by=cast.head_astana, inspection=running, reason="Отменена")
    violation.inspection.refresh_from_db()
    with pytest.raises(ValidationError):
        violation_update(
            by=cast.prosecutor_astana, violation=violation, data=violation_data(persons_affected=1)
        )
    assert Violation.objects.get(pk=violation.pk).persons_affected == 12
