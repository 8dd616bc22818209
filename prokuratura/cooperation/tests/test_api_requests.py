"""The requests register's API: /api/v1/cooperation/requests…

Permissions per operation, 404 for what the caller may not see (a terrorism request without clearance), the 422
shape naming the field, idempotent creates, the lifecycle's steps (a forbidden one 422 or 403, an execution dated
before the sending refused with nothing changed, a refusal without a ground refused), and the query counts of the
list and the detail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.cooperation.models_requests import (
    AssistanceRequest,
    Correspondence,
    RequestPerson,
    RequestStatus,
    TranslationTask,
)
from prokuratura.cooperation.request_transitions import REQUESTS
from prokuratura.core.models import AuditEntry, CrimeCategory
from prokuratura.core.tests.api_client import assert_error, bearer

from .factories import CountryFactory, InstrumentFactory
from .request_factories import complete_mla, incoming_extradition, outgoing_mla, treaty

pytestmark = pytest.mark.django_db
S = RequestStatus
URL = "/api/v1/cooperation/requests"


def _url(record: AssistanceRequest | int, *rest: str) -> str:
    pk = record if isinstance(record, int) else record.pk
    return "/".join([URL, str(pk), *rest])


def _post(client, url: str, body: dict[str, Any], **headers: str):
    return client.post(url, body, content_type="application/json", **headers)


def _put(client, url: str, body: dict[str, Any], **headers: str):
    return client.put(url, body, content_type="application/json", **headers)


def _security_entries() -> int:
    return AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).count()


def _mla_body(instrument, **overrides: Any) -> dict[str, Any]:
    body = {
        "direction": "outgoing",
        "kind": "mla",
        "partner": instrument.partner_id,
        "foreign_authority": "Ministry of Justice of State XA",
        "basis_kind": "instrument",
        "basis": instrument.code,
        "case_number": "261500031000123",
        "offence_article": "CC RK art. 205",
        **complete_mla(),
    }
    body["measures"] = [str(m) for m in body["measures"]]
    body.update(overrides)
    return body


@pytest.fixture
def instrument(db):
    return treaty()


@pytest.fixture
def officer(cast):
    return bearer(cast.intl_officer)


@pytest.fixture
def terrorism(db):
    return CrimeCategory.objects.create(
        code="terrorism",
        kind=CrimeCategory.Kind.FOCUS_AREA,
        name_en="Terrorism",
        name_ru="Терроризм",
        name_kk="Терроризм",
    )


def _sent(cast, record: AssistanceRequest, sent_on: dt.date) -> AssistanceRequest:
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    REQUESTS.perform(step="sign", by=cast.head_gpo, record=record, inputs={})
    REQUESTS.perform(step="send", by=cast.intl_officer, record=record, inputs={"sent_on": sent_on})
    record.refresh_from_db()
    return record


# --- who may call what -----------------------------------------------------------------------------------------


def test_no_credentials_answer_401(client, db):
    assert_error(client.get(URL), 401)


def test_the_list_needs_the_requests_permission(cast):
    assert_error(bearer(cast.analyst).get(URL), 403)  # the numbers, not the requests
    assert bearer(cast.auditor).get(URL).status_code == 200
    assert bearer(cast.prosecutor_astana).get(URL).status_code == 200


def test_a_prosecutor_may_read_but_not_record(cast, instrument):
    response = _post(bearer(cast.prosecutor_astana), URL, _mla_body(instrument))
    assert_error(response, 403)
    assert not AssistanceRequest.objects.exists()


def test_every_operation_declares_a_coop_permission():
    from prokuratura.accounts.roles import Perm
    from prokuratura.api import api

    ours = [op for op in api.all_operations() if op.path.startswith("/cooperation/requests")]
    assert len(ours) >= 27
    allowed = {Perm.COOP_REQUESTS_VIEW, Perm.COOP_REQUESTS_WORK, Perm.COOP_REQUESTS_DIRECT}
    assert {op.api_permission for op in ours} <= allowed
    signs = [op for op in ours if op.path.endswith("/sign")]
    assert [op.api_permission for op in signs] == [Perm.COOP_REQUESTS_DIRECT]


def test_the_openapi_components_carry_the_module_prefix(cast):
    doc = bearer(cast.analyst).get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for name in (
        "CoopRequestOut",
        "CoopRequestDetailOut",
        "CoopRequestStatus",
        "CoopReasonIn",
        "CoopResultIn",
    ):
        assert name in schemas, name
    assert set(schemas["CoopRequestStatus"]["enum"]) == set(RequestStatus.values)
    body = doc["paths"]["/api/v1/cooperation/requests/{request_id}/refuse"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CoopReasonIn"}


# --- recording a request ---------------------------------------------------------------------------------------


def test_record_an_outgoing_mla_request(cast, officer, instrument):
    response = _post(officer, URL, _mla_body(instrument))
    assert response.status_code == 201, response.content
    body = response.json()
    record = AssistanceRequest.objects.get()
    assert body["id"] == record.pk
    assert body["number"] == record.number and "/OUT-MLA-" in body["number"]
    assert (body["status"], body["direction"], body["partner"], body["basis"]) == (
        "draft",
        "outgoing",
        "XA",
        instrument.code,
    )
    assert body["completeness"]["complete"] is True
    assert body["persons"] == [] and body["person_count"] == 0
    assert body["steps"] == ["check"]
    assert body["officer_id"] == cast.intl_officer.pk and body["office"] == "GPO"
    assert body["version"] == REQUESTS.version(record)


def test_record_an_incoming_request_needs_the_date_received(officer, instrument):
    body = _mla_body(instrument, direction="incoming")
    response = _post(officer, URL, body)
    assert "received_on" in assert_error(response, 422, "validation_error")["details"]
    received = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = _post(officer, URL, {**body, "received_on": received})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "received" and response.json()["due_date"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"basis_kind": None, "basis": None}, "basis_kind"),
        ({"basis_kind": "reciprocity", "basis": None}, "reciprocity_assurance"),
        ({"partner": "XZ"}, "partner"),
        ({"partner": "KZ"}, "partner"),
        ({"basis": "no-such-treaty"}, "basis"),
        ({"focus_area": "no-such-area"}, "focus_area"),
        ({"office": "NOPE"}, "office"),
    ],
    ids=[
        "no-basis",
        "reciprocity-without-assurance",
        "unknown-state",
        "kazakhstan",
        "unknown-basis",
        "area",
        "office",
    ],
)
def test_bad_input_answers_422_naming_the_field_audited_and_nothing_saved(
    officer, instrument, overrides, field
):
    before = _security_entries()
    response = _post(officer, URL, _mla_body(instrument, **overrides))
    body = assert_error(response, 422, "validation_error")
    assert field in body["details"], body
    assert all(isinstance(m, str) and m for m in body["details"][field])
    assert not AssistanceRequest.objects.exists()
    assert _security_entries() == before + 1


def test_a_basis_the_resolver_does_not_offer_answers_422(officer, instrument):
    extradition_only = InstrumentFactory(partner=instrument.partner, subjects=["extradition"])
    response = _post(officer, URL, _mla_body(instrument, basis=extradition_only.code))
    body = assert_error(response, 422)
    assert "is not a legal basis for this request with State XA" in body["details"]["basis"][0]
    assert not AssistanceRequest.objects.exists()


def test_a_treaty_with_another_state_is_not_a_basis(officer, instrument):
    other = InstrumentFactory(partner=CountryFactory(iso2="XB"), subjects=["mla"])
    response = _post(officer, URL, _mla_body(instrument, basis=other.code))
    assert "basis" in assert_error(response, 422)["details"]


def test_schema_errors_have_the_ninja_shape(officer, instrument):
    response = _post(officer, URL, _mla_body(instrument, kind="bribery", measures=["teleport"]))
    body = assert_error(response, 422, "validation_error")
    locations = {tuple(d["loc"]) for d in body["details"]}
    assert ("body", "payload", "kind") in locations
    assert any(loc[:3] == ("body", "payload", "measures") for loc in locations)


def test_a_retried_create_with_the_same_key_records_one_request(officer, instrument):
    body = _mla_body(instrument)
    first = _post(officer, URL, body, HTTP_IDEMPOTENCY_KEY="create-1")
    again = _post(officer, URL, body, HTTP_IDEMPOTENCY_KEY="create-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert AssistanceRequest.objects.count() == 1
    other = _post(officer, URL, {**body, "case_number": "other"}, HTTP_IDEMPOTENCY_KEY="create-1")
    assert_error(other, 409, "idempotency_key_reused")
    assert AssistanceRequest.objects.count() == 1


def test_a_refused_keyed_create_is_still_audited_and_the_key_stays_free(officer, instrument):
    before = _security_entries()
    response = _post(
        officer, URL, _mla_body(instrument, basis_kind=None, basis=None), HTTP_IDEMPOTENCY_KEY="k-9"
    )
    assert_error(response, 422)
    assert _security_entries() == before + 1
    fixed = _post(officer, URL, _mla_body(instrument), HTTP_IDEMPOTENCY_KEY="k-9")
    assert fixed.status_code == 201


# --- reading ---------------------------------------------------------------------------------------------------


def test_a_terrorism_request_is_404_without_clearance_and_audited(cast, offices, instrument, terrorism):
    record = outgoing_mla(
        by=cast.intl_officer, office=offices.gpo, instrument=instrument, focus_area=terrorism
    )
    assert record.sensitivity == "restricted"
    colleague = UserFactory(username="intl_colleague", office=offices.gpo, roles=[Role.INTL_OFFICER])
    client = bearer(colleague)
    before = _security_entries()
    assert_error(client.get(_url(record)), 404, "not_found")
    assert _security_entries() == before + 1
    assert_error(client.get(_url(999_999)), 404, "not_found")  # the same answer as for a missing one
    assert_error(client.get(_url(record, "completeness")), 404)
    assert_error(_post(client, _url(record, "check"), {}), 404)
    assert client.get(URL).json()["count"] == 0
    assert client.get(URL, {"q": record.number}).json()["items"] == []
    # The officer named in it and a head over the office read it; each read is audited.
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ, object_id=str(record.pk)).count()
    assert bearer(cast.head_gpo).get(_url(record)).status_code == 200
    assert bearer(cast.head_gpo).get(URL).json()["count"] == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ, object_id=str(record.pk)).count() > reads


def test_another_office_sees_nothing(cast, offices, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    assert_error(bearer(cast.prosecutor_almaty).get(_url(record)), 404)
    assert bearer(cast.auditor).get(_url(record)).status_code == 200  # national: internal records


def test_persons_are_omitted_with_a_count_for_who_may_not_see_personal_data(cast, offices, instrument):
    record = incoming_extradition(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    mine = bearer(cast.intl_officer).get(_url(record)).json()
    assert [p["full_name"] for p in mine["persons"]] == ["Ivanov Ivan"]
    assert mine["persons"][0]["nationality"] == "KZ"
    theirs = bearer(cast.auditor).get(_url(record)).json()
    assert theirs["persons"] is None and theirs["person_count"] == 1
    assert "Ivanov" not in str(theirs)
    assert_error(bearer(cast.auditor).get(_url(record, "persons")), 403)
    assert bearer(cast.intl_officer).get(_url(record, "persons")).json()[0]["role"] == "sought"


def test_the_detail_shows_the_checklist_of_an_incoming_request(cast, offices, instrument):
    record = incoming_extradition(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    body = bearer(cast.intl_officer).get(_url(record)).json()
    grounds = {g["ground"]: g for g in body["grounds"]}
    assert len(grounds) == 8
    assert "citizen of Kazakhstan" in grounds["own_national"]["suggestion"]
    assert grounds["own_national"]["finding"] == "unassessed"


def test_list_filters(cast, offices, instrument):
    mla = outgoing_mla(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    # Received ten days ago: its one working day to register it has run out whatever the weekday today.
    ext = incoming_extradition(
        by=cast.intl_officer,
        office=offices.gpo,
        instrument=instrument,
        received_on=timezone.localdate() - dt.timedelta(days=10),
    )
    client = bearer(cast.intl_officer)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [ext.pk, mla.pk]
    assert ids(direction="incoming") == [ext.pk]
    assert ids(kind="mla") == [mla.pk]
    assert ids(status="received") == [ext.pk]
    assert ids(partner="XA") == [ext.pk, mla.pk]
    assert ids(partner="XB") == []
    assert ids(office="GPO") == [ext.pk, mla.pk]
    assert ids(office="NOPE") == []
    assert ids(q=mla.number) == [mla.pk]
    assert ids(mine="true", open_only="true") == [ext.pk, mla.pk]
    ext.refresh_from_db()
    assert ext.due_date < timezone.localdate()
    assert ids(overdue="true") == [ext.pk]
    assert_error(client.get(URL, {"status": "lost"}), 422)
    page = client.get(URL, {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1 and page["next"]


# --- correcting it, its persons, letters and translations ------------------------------------------------------


def test_correct_a_draft_with_if_match(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    version = officer.get(_url(record)).json()["version"]
    body = _mla_body(instrument, purpose="", reason="Purpose to be agreed.")
    body.pop("direction")
    response = _put(officer, _url(record), body, HTTP_IF_MATCH=version)
    assert response.status_code == 200, response.content
    assert response.json()["completeness"]["complete"] is False
    assert [m["code"] for m in response.json()["completeness"]["missing"]] == ["purpose"]
    stale = _put(officer, _url(record), body, HTTP_IF_MATCH=version)
    assert_error(stale, 412, "stale")
    # The auditor may read it, not correct it.
    assert_error(_put(bearer(cast.auditor), _url(record), body), 403)


def test_a_signed_request_cannot_be_corrected(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    body = _mla_body(instrument)
    body.pop("direction")
    before = _security_entries()
    assert_error(_put(officer, _url(record), body), 422)
    assert _security_entries() == before + 1


def test_persons_add_correct_remove(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    person = {"role": "witness", "full_name": "Petrov Petr", "nationality": "XA", "location": "Capital of XA"}
    response = _post(officer, _url(record, "persons"), person, HTTP_IDEMPOTENCY_KEY="p-1")
    assert response.status_code == 201, response.content
    again = _post(officer, _url(record, "persons"), person, HTTP_IDEMPOTENCY_KEY="p-1")
    assert again.json()["id"] == response.json()["id"] and RequestPerson.objects.count() == 1
    person_id = response.json()["id"]
    assert_error(_post(officer, _url(record, "persons"), {**person, "nationality": "ZZ"}), 422)
    updated = _put(officer, _url(record, "persons", str(person_id)), {**person, "location": "Harbour city"})
    assert updated.status_code == 200 and updated.json()["location"] == "Harbour city"
    # Someone who may not change the request learns nothing about its persons.
    assert_error(bearer(cast.auditor).delete(_url(record, "persons", str(person_id))), 403)
    assert_error(officer.delete(_url(record, "persons", "999999")), 404)
    assert officer.delete(_url(record, "persons", str(person_id))).status_code == 204
    assert not RequestPerson.objects.exists()
    # The audit trail keeps the role, never the name.
    assert not AuditEntry.objects.filter(changes__icontains="Petrov").exists()


def test_letters_are_logged_as_json(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    letter = {
        "direction": "in",
        "dated": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "counterpart": "Ministry of Justice of State XA",
        "summary": "Asks for the translation.",
    }
    first = _post(officer, _url(record, "letters"), letter, HTTP_IDEMPOTENCY_KEY="l-1")
    assert first.status_code == 201, first.content
    assert first.json()["has_attachment"] is False
    _post(officer, _url(record, "letters"), letter, HTTP_IDEMPOTENCY_KEY="l-1")
    assert Correspondence.objects.count() == 1
    listed = bearer(cast.auditor).get(_url(record, "letters")).json()
    assert [row["summary"] for row in listed] == ["Asks for the translation."]
    bad = _post(officer, _url(record, "letters"), {**letter, "summary": " "})
    assert "summary" in assert_error(bad, 422)["details"]


def test_translations_order_and_status(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    order = {"language": "en", "document": "The request", "due_date": timezone.localdate().isoformat()}
    response = _post(officer, _url(record, "translations"), order)
    assert response.status_code == 201, response.content
    task = response.json()
    assert (task["status"], task["language_name"]) == ("ordered", "English")
    moved = _post(officer, _url(record, "translations", str(task["id"]), "status"), {"status": "done"})
    assert moved.status_code == 200 and moved.json()["done_on"] == timezone.localdate().isoformat()
    back = _post(officer, _url(record, "translations", str(task["id"]), "status"), {"status": "ordered"})
    assert "status" in assert_error(back, 422)["details"]
    assert TranslationTask.objects.get().status == "done"
    assert_error(_post(officer, _url(record, "translations", "999999", "status"), {"status": "done"}), 404)
    assert_error(_post(officer, _url(record, "translations"), {**order, "language": "xx"}), 422)


def test_the_completeness_check_names_every_missing_item(cast, officer, instrument):
    record = outgoing_mla(
        by=cast.intl_officer,
        office=cast.intl_officer.office,
        instrument=instrument,
        purpose="",
        facts_summary="",
        conducting_authority="",
    )
    body = officer.get(_url(record, "completeness")).json()
    assert body["complete"] is False
    assert [m["code"] for m in body["missing"]] == ["conducting_authority", "purpose", "facts_summary"]
    assert all(m["message"] for m in body["missing"])
    assert body["translations_required"] == [] and body["assurances_required"] == []


# --- the lifecycle ---------------------------------------------------------------------------------------------


def test_an_outgoing_request_through_its_steps(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    head = bearer(cast.head_gpo)
    assert [s["name"] for s in officer.get(_url(record, "steps")).json()] == ["check"]
    response = _post(officer, _url(record, "check"), {})
    assert response.status_code == 200 and response.json()["status"] == "checked"
    assert_error(_post(officer, _url(record, "sign"), {}), 403)  # only a head signs
    response = _post(head, _url(record, "sign"), {})
    assert response.json()["status"] == "signed" and response.json()["signer_name"]
    today = timezone.localdate()
    response = _post(officer, _url(record, "send"), {"sent_on": today.isoformat()})
    assert response.json()["status"] == "sent" and response.json()["due_date"]
    response = _post(
        officer,
        _url(record, "acknowledge"),
        {"acknowledged_on": today.isoformat(), "foreign_reference": "XA-77"},
    )
    assert response.json()["foreign_reference"] == "XA-77"
    response = _post(
        officer,
        _url(record, "record_result"),
        {"result": "partly_executed", "executed_on": today.isoformat(), "outcome": "Logs for one address."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "partly_executed" and response.json()["due_date"] is None
    history = officer.get(_url(record, "history")).json()
    assert [h["to_status"] for h in history] == [
        "draft",
        "checked",
        "signed",
        "sent",
        "acknowledged",
        "partly_executed",
    ]
    assert history[2]["by_id"] == cast.head_gpo.pk


def test_a_step_the_lifecycle_forbids_now_answers_422_and_is_audited(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    before = _security_entries()
    body = assert_error(_post(bearer(cast.head_gpo), _url(record, "sign"), {}), 422)
    assert "Sign" in body["message"] or "Sign" in str(body["details"])
    assert _security_entries() == before + 1
    body = assert_error(_post(officer, _url(record, "register"), {}), 422)  # an incoming step
    record.refresh_from_db()
    assert record.status == S.DRAFT


def test_an_incomplete_request_cannot_be_checked(cast, officer, instrument):
    record = outgoing_mla(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument, purpose=""
    )
    body = assert_error(_post(officer, _url(record, "check"), {}), 422)
    assert "purpose" in str(body["details"])
    assert "check" not in officer.get(_url(record)).json()["steps"]


def test_an_execution_dated_before_the_sending_is_refused_and_nothing_changes(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    today = timezone.localdate()
    record = _sent(cast, record, today)
    version = REQUESTS.version(record)
    history = record.history.count()
    before = _security_entries()
    response = _post(
        officer,
        _url(record, "record_result"),
        {"result": "executed", "executed_on": (today - dt.timedelta(days=3)).isoformat(), "outcome": "Done."},
    )
    body = assert_error(response, 422)
    assert "executed_on" in body["details"]
    record.refresh_from_db()
    assert (record.status, record.executed_on, record.outcome) == (S.SENT, None, "")
    assert REQUESTS.version(record) == version and record.history.count() == history
    assert _security_entries() == before + 1


def test_a_refusal_without_a_ground_is_refused_then_taken_on_a_recorded_ground(cast, offices, instrument):
    record = incoming_extradition(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    officer, head = bearer(cast.intl_officer), bearer(cast.head_gpo)
    assert _post(officer, _url(record, "register"), {}).json()["status"] == "registered"
    before = _security_entries()
    body = assert_error(_post(head, _url(record, "refuse"), {"reason": "A citizen."}), 422)
    assert "ground of refusal" in str(body)
    assert _security_entries() == before + 1
    record.refresh_from_db()
    assert record.status == S.REGISTERED
    # A ground found to apply needs its note.
    bad = _put(
        officer, _url(record, "grounds"), {"findings": [{"ground": "own_national", "finding": "applies"}]}
    )
    assert "own_national" in assert_error(bad, 422)["details"]
    grounds = _put(
        officer,
        _url(record, "grounds"),
        {"findings": [{"ground": "own_national", "finding": "applies", "note": "Constitution art. 11."}]},
    )
    assert grounds.status_code == 200, grounds.content
    assert {g["ground"]: g["finding"] for g in grounds.json()}["own_national"] == "applies"
    assert_error(_post(officer, _url(record, "refuse"), {"reason": "Citizen."}), 403)  # a head refuses
    response = _post(head, _url(record, "refuse"), {"reason": "Constitution art. 11(1)."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "refused"
    assert response.json()["refusal_reasons"] == "Constitution art. 11(1)."


def test_an_incoming_request_is_assigned_to_an_office(cast, offices, instrument):
    record = incoming_extradition(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    officer = bearer(cast.intl_officer)
    _post(officer, _url(record, "register"), {})
    assert _post(officer, _url(record, "accept"), {}).json()["status"] == "checked"
    assert (
        "executing_office"
        in assert_error(_post(officer, _url(record, "assign"), {"executing_office": "NOPE"}), 422)["details"]
    )
    response = _post(officer, _url(record, "assign"), {"executing_office": "AST"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["executing_office"]) == ("assigned", "AST")
    assert body["executing_body"] == offices.astana.name


def test_a_step_on_a_stale_version_answers_412(cast, officer, instrument):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument)
    assert_error(_post(officer, _url(record, "check"), {}, HTTP_IF_MATCH="2000-01-01T00:00:00+00:00"), 412)
    record.refresh_from_db()
    assert record.status == S.DRAFT


# --- query counts ----------------------------------------------------------------------------------------------


def test_the_list_costs_the_same_for_one_request_or_many(
    cast, offices, instrument, django_assert_max_num_queries
):
    client = bearer(cast.head_gpo)
    outgoing_mla(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    client.get(URL)  # warm up: the token's first use, the content types
    # The token, the caller's roles and office, the count and the page (partner, office, officer, basis and focus
    # area joined): five, whatever the page holds.
    with django_assert_max_num_queries(5) as one:
        assert client.get(URL).json()["count"] == 1
    queries = len(one.captured_queries)  # now: the log is reset by the next request
    for _n in range(4):
        outgoing_mla(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
        incoming_extradition(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    with django_assert_max_num_queries(queries):
        assert client.get(URL).json()["count"] == 9


def test_the_detail_reads_a_bounded_number_of_queries(
    cast, offices, instrument, django_assert_max_num_queries
):
    record = incoming_extradition(by=cast.intl_officer, office=offices.gpo, instrument=instrument)
    client = bearer(cast.intl_officer)
    client.get(_url(record))
    # The token, the roles, the request (joined), its persons twice (the personal data, whose audited read takes five
    # statements, and the completeness check), letters, translations twice, the checklist, the partner's
    # profile and the history: sixteen, however many persons, letters and translations it has.
    with django_assert_max_num_queries(16) as few:
        client.get(_url(record))
    queries = len(few.captured_queries)  # now: the log is reset by the next request
    for n in range(4):
        _post(
            client,
            _url(record, "persons"),
            {"role": "witness", "full_name": f"Witness {n}", "nationality": "XA"},
        )
        _post(
            client,
            _url(record, "letters"),
            {
                "direction": "in",
                "dated": record.received_on.isoformat(),
                "counterpart": "XA",
                "summary": f"L{n}",
            },
        )
        _post(client, _url(record, "translations"), {"language": "ru", "document": f"Annex {n}"})
    with django_assert_max_num_queries(queries):
        body = client.get(_url(record)).json()
    assert body["person_count"] == 5 and len(body["letters"]) == 4 and len(body["translations"]) == 4
