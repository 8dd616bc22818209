"""The foundation of the requests register: intake, completeness, both lifecycles end to end, refusal grounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from prokuratura.accounts.roles import Role
from prokuratura.cooperation.completeness import request_completeness
from prokuratura.cooperation.models_requests import GroundFinding, RefusalGround, RequestStatus
from prokuratura.cooperation.refusal import refusal_suggestions
from prokuratura.cooperation.request_access import access_request
from prokuratura.cooperation.request_services import (
    RequestData,
    request_create,
    request_grounds_assess,
)
from prokuratura.cooperation.request_transitions import REQUESTS
from prokuratura.core.models import AuditEntry, CrimeCategory

from .request_factories import incoming_extradition, outgoing_mla, treaty

pytestmark = pytest.mark.django_db
S = RequestStatus


def test_outgoing_flow_to_execution(cast):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    assert record.status == S.DRAFT and record.number.startswith("GPO-") and "/OUT-MLA-" in record.number
    assert request_completeness(record).complete
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    REQUESTS.perform(step="sign", by=cast.head_gpo, record=record, inputs={})
    record.refresh_from_db()
    assert record.signer_name and record.signed_on
    today = timezone.localdate()
    REQUESTS.perform(step="send", by=cast.intl_officer, record=record, inputs={"sent_on": today})
    record.refresh_from_db()
    assert record.due_date and record.due_date > today
    REQUESTS.perform(
        step="acknowledge", by=cast.intl_officer, record=record, inputs={"acknowledged_on": today}
    )
    REQUESTS.perform(
        step="record_result",
        by=cast.intl_officer,
        record=record,
        inputs={"result": "executed", "executed_on": today, "outcome": "Logs received."},
    )
    record.refresh_from_db()
    assert record.status == S.EXECUTED and record.due_date is None
    assert [h.to_status for h in record.history.all()] == [
        "draft",
        "checked",
        "signed",
        "sent",
        "acknowledged",
        "executed",
    ]


def test_incomplete_request_cannot_be_checked_and_the_refusal_is_audited(cast):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, purpose="", facts_summary="")
    codes = request_completeness(record).codes()
    assert codes == ["facts_summary", "purpose"] or set(codes) == {"facts_summary", "purpose"}
    before = AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).count()
    with pytest.raises(ValidationError) as error:
        REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    assert "purpose" in str(error.value)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).count() == before + 1


def test_execution_before_sending_is_refused(cast):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    for step, by in (("check", cast.intl_officer), ("sign", cast.head_gpo)):
        REQUESTS.perform(step=step, by=by, record=record, inputs={})
    today = timezone.localdate()
    REQUESTS.perform(step="send", by=cast.intl_officer, record=record, inputs={"sent_on": today})
    with pytest.raises(ValidationError):
        REQUESTS.perform(
            step="record_result",
            by=cast.intl_officer,
            record=record,
            inputs={"result": "executed", "executed_on": today - dt.timedelta(days=3), "outcome": "x"},
        )
    record.refresh_from_db()
    assert record.status == S.SENT


def test_request_without_legal_basis_is_refused_and_nothing_saved(cast):
    instrument = treaty()
    with pytest.raises(ValidationError) as error:
        outgoing_mla(
            by=cast.intl_officer,
            office=cast.intl_officer.office,
            instrument=instrument,
            basis_kind="",
            basis=None,
        )
    assert "basis_kind" in error.value.message_dict
    from prokuratura.cooperation.models_requests import AssistanceRequest

    assert not AssistanceRequest.objects.exists()


def test_incoming_extradition_of_a_citizen_suggests_own_nationals(cast):
    record = incoming_extradition(by=cast.intl_officer, office=cast.intl_officer.office)
    assert record.status == S.RECEIVED and record.due_date
    hints = refusal_suggestions(record, list(record.persons.all()))
    assert "citizen of Kazakhstan" in hints[RefusalGround.OWN_NATIONAL]
    REQUESTS.perform(step="register", by=cast.intl_officer, record=record, inputs={})
    with pytest.raises(ValidationError):  # no ground recorded yet
        REQUESTS.perform(step="refuse", by=cast.head_gpo, record=record, inputs={"reason": "Citizen."})
    request_grounds_assess(
        by=cast.intl_officer,
        assistance_request=record,
        findings={RefusalGround.OWN_NATIONAL: (GroundFinding.APPLIES, "A citizen of Kazakhstan.")},
    )
    REQUESTS.perform(
        step="refuse", by=cast.head_gpo, record=record, inputs={"reason": "Constitution art. 11."}
    )
    record.refresh_from_db()
    assert record.status == S.REFUSED


def test_terrorism_request_is_restricted_and_hidden_without_clearance(cast, offices):
    terrorism = CrimeCategory.objects.create(
        code="terrorism",
        kind=CrimeCategory.Kind.FOCUS_AREA,
        name_en="Terrorism",
        name_ru="Терроризм",
        name_kk="Терроризм",
    )
    record = outgoing_mla(by=cast.intl_officer, office=offices.gpo, focus_area=terrorism)
    assert record.sensitivity == "restricted"
    from prokuratura.accounts.tests.factories import UserFactory

    other = UserFactory(username="intl_other", office=offices.gpo, roles=[Role.INTL_OFFICER])
    with pytest.raises(Http404):
        access_request(user=other, request_id=record.pk)
    assert access_request(user=cast.head_gpo, request_id=record.pk) == record
    data = RequestData(
        kind="mla",
        partner=record.partner,
        foreign_authority="MoJ",
        basis_kind="instrument",
        basis=record.basis,
        focus_area=terrorism,
    )
    with pytest.raises(ValidationError) as error:
        request_create(
            by=cast.intl_officer, direction="outgoing", office=offices.gpo, data=data, sensitivity="internal"
        )
    assert "sensitivity" in error.value.message_dict


def test_only_a_head_signs(cast):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    with pytest.raises(PermissionDenied):
        REQUESTS.perform(step="sign", by=cast.intl_officer, record=record, inputs={})


def test_retry_with_key_returns_the_first(cast):
    instrument = treaty()
    from prokuratura.cooperation.request_services import request_create
    from prokuratura.cooperation.tests.request_factories import complete_mla

    data = RequestData(
        kind="mla",
        partner=instrument.partner,
        foreign_authority="MoJ",
        basis_kind="instrument",
        basis=instrument,
        **complete_mla(),
    )
    a = request_create(
        by=cast.intl_officer,
        direction="outgoing",
        office=cast.intl_officer.office,
        data=data,
        submission_key="k1",
    )
    b = request_create(
        by=cast.intl_officer,
        direction="outgoing",
        office=cast.intl_officer.office,
        data=data,
        submission_key="k1",
    )
    assert a.pk == b.pk
