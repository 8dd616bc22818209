"""The requests register's services against the issue's bad input: each refusal is a clear message on the field,
leaves nothing half-saved (no request, no number used, no history, no audit entry but the security one) and writes a
SECURITY entry to the audit trail; a refused lifecycle step is audited too."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.cooperation.models_requests import (
    AssistanceRequest,
    BasisKind,
    Correspondence,
    Direction,
    GroundFinding,
    RefusalAssessment,
    RefusalGround,
    RequestCounter,
    RequestKind,
    RequestPerson,
    RequestStatus,
    RequestTransition,
    TranslationTask,
)
from prokuratura.cooperation.request_access import access_request
from prokuratura.cooperation.request_services import (
    PersonData,
    RequestData,
    request_create,
    request_grounds_assess,
    request_letter_add,
    request_person_add,
    request_update,
    translation_order,
    translation_set_status,
)
from prokuratura.cooperation.request_transitions import REQUESTS
from prokuratura.core.models import AuditEntry, Country, CrimeCategory

from .factories import CountryFactory, InstrumentFactory
from .request_factories import complete_mla, incoming_extradition, treaty

pytestmark = pytest.mark.django_db
S = RequestStatus


@contextmanager
def refused(error_type: type[Exception] = ValidationError, *, field: str | None = None, what: str = ""):
    """The block is refused with `error_type` (naming `field`), writes nothing but one SECURITY audit entry (whose
    reason names `what`), and leaves no request, number, history, person, letter, translation or ground."""
    tables = (
        AssistanceRequest,
        RequestTransition,
        RequestPerson,
        Correspondence,
        TranslationTask,
        RefusalAssessment,
    )
    counts = {model: model.objects.count() for model in tables}
    counters = list(RequestCounter.objects.values_list("office_id", "year", "last"))
    last_entry = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with pytest.raises(error_type) as caught:
        yield caught
    if field is not None:
        assert field in caught.value.message_dict, caught.value  # type: ignore[attr-defined]
        assert all(caught.value.message_dict[field])  # type: ignore[attr-defined]
    assert {model: model.objects.count() for model in tables} == counts
    assert list(RequestCounter.objects.values_list("office_id", "year", "last")) == counters
    written = list(AuditEntry.objects.filter(id__gt=last_entry))
    assert [entry.action for entry in written] == [AuditEntry.Action.SECURITY], written
    assert written[0].reason.startswith("refused") and what in written[0].reason


def _data(instrument, **overrides: Any) -> RequestData:
    fields: dict[str, Any] = {
        "kind": RequestKind.MLA,
        "partner": instrument.partner,
        "foreign_authority": "Ministry of Justice of State XA",
        "basis_kind": BasisKind.INSTRUMENT,
        "basis": instrument,
        **complete_mla(),
        **overrides,
    }
    return RequestData(**fields)


def _create(cast, instrument, direction: str = Direction.OUTGOING, **kwargs: Any) -> AssistanceRequest:
    data = kwargs.pop("data", None) or _data(instrument)
    return request_create(
        by=kwargs.pop("by", cast.intl_officer),
        direction=direction,
        office=kwargs.pop("office", cast.intl_officer.office),
        data=data,
        **kwargs,
    )


@pytest.fixture
def instrument(db):
    return treaty()


# --- recording a request ---------------------------------------------------------------------------------------


def test_a_good_request_is_numbered_stamped_and_audited(cast, instrument):
    record = _create(cast, instrument)
    assert record.number == f"GPO-{timezone.localdate().year}/OUT-MLA-1"
    assert record.status == S.DRAFT and record.created_by == cast.intl_officer
    assert [h.step for h in record.history.all()] == ["create"]
    created = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_repr=record.number)
    assert created.changes["number"]["after"] == record.number


def test_a_request_without_a_legal_basis(cast, instrument):
    with refused(field="basis_kind", what="request_create"):
        _create(cast, instrument, data=_data(instrument, basis_kind="", basis=None))


def test_an_instrument_basis_without_the_instrument(cast, instrument):
    with refused(field="basis", what="request_create"):
        _create(cast, instrument, data=_data(instrument, basis=None))


def test_reciprocity_without_the_assurance(cast, instrument):
    with refused(field="reciprocity_assurance"):
        _create(cast, instrument, data=_data(instrument, basis_kind=BasisKind.RECIPROCITY, basis=None))


def test_reciprocity_naming_a_treaty(cast, instrument):
    data = _data(instrument, basis_kind=BasisKind.RECIPROCITY, reciprocity_assurance="We will reciprocate.")
    with refused(field="basis"):
        _create(cast, instrument, data=data)


def test_kazakhstan_is_not_a_partner(cast, instrument):
    kazakhstan = Country.objects.get(iso2="KZ")
    with refused(field="partner"):
        _create(cast, instrument, data=_data(instrument, partner=kazakhstan))


def test_a_state_without_a_treaty_gets_no_treaty_basis(cast, instrument):
    """A state the register knows nothing in common with: the treaty with XA is no basis for XB."""
    other = CountryFactory(iso2="XB")
    with refused(field="basis") as caught:
        _create(cast, instrument, data=_data(instrument, partner=other))
    assert "State XB" in caught.value.message_dict["basis"][0]


def test_a_treaty_not_covering_the_kind(cast, instrument):
    extradition_only = InstrumentFactory(partner=instrument.partner, subjects=["extradition"])
    with refused(field="basis"):
        _create(cast, instrument, data=_data(instrument, basis=extradition_only))


def test_a_treaty_not_in_force_on_the_date(cast, instrument):
    ended = InstrumentFactory(
        partner=instrument.partner, subjects=["mla"], terminated_date=dt.date(2020, 1, 1)
    )
    with refused(field="basis"):
        _create(cast, instrument, data=_data(instrument, basis=ended))


def test_reciprocity_with_the_assurance_is_a_basis(cast, instrument):
    data = _data(
        instrument,
        basis_kind=BasisKind.RECIPROCITY,
        basis=None,
        reciprocity_assurance="Kazakhstan will reciprocate.",
    )
    assert _create(cast, instrument, data=data).basis_kind == BasisKind.RECIPROCITY


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"foreign_authority": "  "}, "foreign_authority"),
        ({"measures": ["teleport"]}, "measures"),
        ({"assurances": ["nothing"]}, "assurances"),
        ({"extradition_purpose": "prosecution"}, "extradition_purpose"),
        ({"dated": dt.date(2026, 1, 1)}, "dated"),  # an outgoing request is dated when signed
    ],
)
def test_bad_fields_of_the_request(cast, instrument, overrides, field):
    with refused(field=field):
        _create(cast, instrument, data=_data(instrument, **overrides))


def test_an_incoming_request_needs_a_past_date_received(cast, instrument):
    with refused(field="received_on"):
        _create(cast, instrument, direction=Direction.INCOMING)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with refused(field="received_on"):
        _create(cast, instrument, direction=Direction.INCOMING, received_on=tomorrow)
    with refused(field="received_on"):
        _create(cast, instrument, direction=Direction.OUTGOING, received_on=timezone.localdate())


def test_an_office_outside_ones_own(cast, offices, instrument):
    astana_officer = UserFactory(username="intl_astana", office=offices.astana, roles=[Role.INTL_OFFICER])
    with refused(field="office"):
        _create(cast, instrument, by=astana_officer, office=offices.almaty)


def test_no_permission_to_record(cast, instrument):
    with refused(PermissionDenied, what="request_create"):
        _create(cast, instrument, by=cast.prosecutor_astana)


def test_terrorism_is_restricted_and_may_not_be_opened(cast, instrument):
    terrorism = CrimeCategory.objects.create(
        code="terrorism", kind=CrimeCategory.Kind.FOCUS_AREA, name_en="Terrorism", name_ru="Т", name_kk="Т"
    )
    with refused(field="sensitivity"):
        _create(cast, instrument, data=_data(instrument, focus_area=terrorism), sensitivity="internal")
    record = _create(cast, instrument, data=_data(instrument, focus_area=terrorism))
    assert record.sensitivity == "restricted"


def test_a_restricted_request_asked_for_without_clearance_is_404_and_audited(cast, offices, instrument):
    record = _create(cast, instrument, sensitivity="restricted")
    colleague = UserFactory(username="intl_colleague", office=offices.gpo, roles=[Role.INTL_OFFICER])
    before = AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY, object_id=str(record.pk)).count()
    with pytest.raises(Http404):
        access_request(user=colleague, request_id=record.pk)
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY, object_id=str(record.pk)).count()
        == before + 1
    )
    with pytest.raises(Http404):  # a missing one: the same answer
        access_request(user=colleague, request_id=record.pk + 1000)


# --- correcting ------------------------------------------------------------------------------------------------


def test_a_correction_refused_changes_nothing(cast, instrument):
    record = _create(cast, instrument)
    with refused(field="basis_kind", what="request_update"):
        request_update(
            by=cast.intl_officer, assistance_request=record, data=_data(instrument, basis_kind="", basis=None)
        )
    record.refresh_from_db()
    assert record.basis_kind == BasisKind.INSTRUMENT and record.basis == instrument


def test_only_the_officer_in_charge_or_a_head_corrects(cast, offices, instrument):
    record = _create(cast, instrument)
    colleague = UserFactory(username="intl_colleague", office=offices.gpo, roles=[Role.INTL_OFFICER])
    with refused(PermissionDenied):
        request_update(by=colleague, assistance_request=record, data=_data(instrument, purpose="Other."))
    updated = request_update(
        by=cast.head_gpo, assistance_request=record, data=_data(instrument, purpose="Other.")
    )
    assert updated.purpose == "Other."


def test_a_checked_request_is_not_corrected(cast, instrument):
    record = _create(cast, instrument)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    with refused(what="request_update"):
        request_update(
            by=cast.intl_officer, assistance_request=record, data=_data(instrument, purpose="Other.")
        )


# --- persons, letters, translations, the checklist -------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"role": "hostage"}, "role"),
        ({"full_name": " "}, "full_name"),
        ({"stateless": True, "nationality": "XA"}, "nationality"),
        ({"birth_date": dt.date(2999, 1, 1)}, "birth_date"),
    ],
)
def test_bad_persons(cast, instrument, overrides, field):
    record = _create(cast, instrument)
    values: dict[str, Any] = {"role": "witness", "full_name": "Petrov Petr", **overrides}
    if values.get("nationality") == "XA":
        values["nationality"] = instrument.partner
    with refused(field=field, what="request_person_add"):
        request_person_add(by=cast.intl_officer, assistance_request=record, data=PersonData(**values))


def test_bad_letters(cast, instrument):
    record = _create(cast, instrument)
    with refused(field="dated", what="request_letter_add"):
        request_letter_add(
            by=cast.intl_officer,
            assistance_request=record,
            direction="in",
            dated=timezone.localdate() + dt.timedelta(days=3),
            counterpart="MoJ XA",
            summary="Early.",
        )
    with refused(field="direction"):
        request_letter_add(
            by=cast.intl_officer,
            assistance_request=record,
            direction="sideways",
            dated=timezone.localdate(),
            counterpart="MoJ XA",
            summary="Hm.",
        )


def test_bad_translations(cast, instrument):
    record = _create(cast, instrument)
    with refused(field="language", what="translation_order"):
        translation_order(
            by=cast.intl_officer, assistance_request=record, language="klingon", document="Request"
        )
    with refused(field="due_date"):
        translation_order(
            by=cast.intl_officer,
            assistance_request=record,
            language="en",
            document="Request",
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    task = translation_order(
        by=cast.intl_officer, assistance_request=record, language="en", document="Request"
    )
    translation_set_status(by=cast.intl_officer, assistance_request=record, task=task, status="done")
    with refused(field="status", what="translation_set_status"):
        translation_set_status(
            by=cast.intl_officer, assistance_request=record, task=task, status="in_progress"
        )


def test_the_checklist_is_for_incoming_requests_and_an_applying_ground_needs_its_note(cast, instrument):
    outgoing = _create(cast, instrument)
    with refused(what="request_grounds_assess"):
        request_grounds_assess(
            by=cast.intl_officer,
            assistance_request=outgoing,
            findings={RefusalGround.TORTURE: (GroundFinding.NOT_APPLICABLE, "")},
        )
    incoming = incoming_extradition(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument
    )
    with refused(field=RefusalGround.OWN_NATIONAL.value):
        request_grounds_assess(
            by=cast.intl_officer,
            assistance_request=incoming,
            findings={RefusalGround.OWN_NATIONAL: (GroundFinding.APPLIES, " ")},
        )
    with refused(field="grounds"):
        request_grounds_assess(
            by=cast.intl_officer,
            assistance_request=incoming,
            findings={"weather": (GroundFinding.APPLIES, "Rain.")},
        )


# --- the lifecycle's refused steps -----------------------------------------------------------------------------


def _sent(cast, instrument, sent_on: dt.date) -> AssistanceRequest:
    record = _create(cast, instrument)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    REQUESTS.perform(step="sign", by=cast.head_gpo, record=record, inputs={})
    REQUESTS.perform(step="send", by=cast.intl_officer, record=record, inputs={"sent_on": sent_on})
    record.refresh_from_db()
    return record


def test_an_execution_before_the_sending_is_refused_audited_and_nothing_changes(cast, instrument):
    today = timezone.localdate()
    record = _sent(cast, instrument, today)  # signed today, so sent today at the earliest
    version = REQUESTS.version(record)
    with refused(field="executed_on", what="step record_result"):
        REQUESTS.perform(
            step="record_result",
            by=cast.intl_officer,
            record=record,
            inputs={
                "result": "executed",
                "executed_on": today - dt.timedelta(days=2),
                "outcome": "Received.",
            },
        )
    record.refresh_from_db()
    assert (record.status, record.executed_on, record.outcome) == (S.SENT, None, "")
    assert REQUESTS.version(record) == version


def test_an_acknowledgement_before_the_sending_is_refused(cast, instrument):
    today = timezone.localdate()
    record = _sent(cast, instrument, today)
    with refused(field="acknowledged_on", what="step acknowledge"):
        REQUESTS.perform(
            step="acknowledge",
            by=cast.intl_officer,
            record=record,
            inputs={"acknowledged_on": today - dt.timedelta(days=1)},
        )


def test_a_sending_before_the_signature_or_in_the_future_is_refused(cast, instrument):
    record = _create(cast, instrument)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    REQUESTS.perform(step="sign", by=cast.head_gpo, record=record, inputs={})
    for sent_on in (timezone.localdate() - dt.timedelta(days=1), timezone.localdate() + dt.timedelta(days=1)):
        with refused(field="sent_on", what="step send"):
            REQUESTS.perform(step="send", by=cast.intl_officer, record=record, inputs={"sent_on": sent_on})
    record.refresh_from_db()
    assert record.status == S.SIGNED and record.sent_on is None


def test_a_result_without_an_outcome_is_refused(cast, instrument):
    record = _sent(cast, instrument, timezone.localdate())
    with refused(field="outcome", what="step record_result"):
        REQUESTS.perform(
            step="record_result",
            by=cast.intl_officer,
            record=record,
            inputs={"result": "executed", "outcome": ""},
        )


def test_a_refusal_without_a_ground_is_refused_and_audited(cast, instrument):
    record = incoming_extradition(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument
    )
    REQUESTS.perform(step="register", by=cast.intl_officer, record=record, inputs={})
    with refused(what="step refuse") as caught:
        REQUESTS.perform(step="refuse", by=cast.head_gpo, record=record, inputs={"reason": "A citizen."})
    assert "ground of refusal" in str(caught.value)
    # A ground assessed as not applying is no ground either.
    request_grounds_assess(
        by=cast.intl_officer,
        assistance_request=record,
        findings={RefusalGround.OWN_NATIONAL: (GroundFinding.NOT_APPLICABLE, "")},
    )
    with refused(what="step refuse"):
        REQUESTS.perform(step="refuse", by=cast.head_gpo, record=record, inputs={"reason": "A citizen."})
    request_grounds_assess(
        by=cast.intl_officer,
        assistance_request=record,
        findings={RefusalGround.OWN_NATIONAL: (GroundFinding.APPLIES, "Constitution art. 11(1).")},
    )
    with refused(field="reason", what="step refuse"):  # reasons are required
        REQUESTS.perform(step="refuse", by=cast.head_gpo, record=record, inputs={"reason": " "})
    REQUESTS.perform(
        step="refuse", by=cast.head_gpo, record=record, inputs={"reason": "Constitution art. 11(1)."}
    )
    record.refresh_from_db()
    assert record.status == S.REFUSED and record.due_date is None


@pytest.mark.parametrize(
    ("step", "actor", "error"),
    [
        ("sign", "head_gpo", ValidationError),  # a draft is checked first
        ("register", "intl_officer", ValidationError),  # an incoming step
        ("withdraw", "intl_officer", PermissionDenied),  # a head withdraws
        ("check", "auditor", PermissionDenied),  # reads only
    ],
)
def test_a_step_the_lifecycle_forbids_is_refused_and_audited(cast, instrument, step, actor, error):
    record = _create(cast, instrument)
    with refused(error, what=f"step {step}"):
        REQUESTS.perform(
            step=step,
            by=getattr(cast, actor),
            record=record,
            inputs={"reason": "x"} if step == "withdraw" else {},
        )
    record.refresh_from_db()
    assert record.status == S.DRAFT


def test_an_incoming_request_returned_and_resumed_restarts_its_term(cast, instrument):
    record = incoming_extradition(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument, warrant=""
    )
    REQUESTS.perform(step="register", by=cast.intl_officer, record=record, inputs={})
    with refused(what="step accept"):
        REQUESTS.perform(step="accept", by=cast.intl_officer, record=record, inputs={})
    REQUESTS.perform(step="return", by=cast.intl_officer, record=record, inputs={"reason": ""})
    record.refresh_from_db()
    assert record.status == S.RETURNED and record.due_date is None
    assert "arrest warrant" in record.history.last().reason  # the missing items are the reasons
    REQUESTS.perform(
        step="resume", by=cast.intl_officer, record=record, inputs={"reason": "Warrant received."}
    )
    record.refresh_from_db()
    assert record.status == S.REGISTERED and record.due_date is not None
