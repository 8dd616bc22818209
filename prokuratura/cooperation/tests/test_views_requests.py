"""The requests register's pages: who may open them (403/404), recording a request with the legal basis offered by
the resolver, bad input (field errors, nothing saved), the steps from the page, the refusal checklist, the
persons' personal data hidden from who may not read it, letters and translations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.cooperation.models_requests import (
    AssistanceRequest,
    Correspondence,
    GroundFinding,
    RefusalAssessment,
    RefusalGround,
    RequestPerson,
    RequestStatus,
    TranslationTask,
)
from prokuratura.cooperation.request_transitions import REQUESTS
from prokuratura.core.models import AuditEntry, CrimeCategory

from .request_factories import complete_mla, incoming_extradition, outgoing_mla, treaty

pytestmark = pytest.mark.django_db
S = RequestStatus


@pytest.fixture
def signed_in(client_for):
    def login(user):
        client = client_for(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


def _url(name, *args):
    return reverse(f"cooperation:{name}", args=args)


def _form(instrument, **overrides):
    """A complete outgoing MLA request as the page posts it."""
    data = {
        "partner": instrument.partner_id,
        "kind": "mla",
        "offence_category": "",
        "focus_area": "",
        "basis": str(instrument.pk),
        "reciprocity_assurance": "",
        "foreign_authority": "Ministry of Justice of State XA",
        "urgency": "normal",
        "transnational": "unknown",
        "organised_group": "unknown",
        "language": "ru",
        "sensitivity": "internal",
        "submission_key": "key-1",
        **complete_mla(),
        **overrides,
    }
    return data


def _office(cast):
    return str(cast.intl_officer.office.pk)


# --- the list -----------------------------------------------------------------------------------------------------


def test_list_shows_visible_requests_and_offers_new_ones_to_who_works_on_them(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    response = signed_in(cast.intl_officer).get(_url("request_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert record.number in body
    assert 'id="new-outgoing"' in body and 'id="new-incoming"' in body
    assert "State XA" in body


def test_list_without_work_permission_offers_no_new_request(cast, signed_in):
    outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    response = signed_in(cast.auditor).get(_url("request_list"))
    assert response.status_code == 200
    assert 'id="new-outgoing"' not in response.content.decode()


def test_list_refused_without_permission(cast, signed_in):
    assert signed_in(cast.outsider).get(_url("request_list")).status_code == 403
    assert signed_in(cast.analyst).get(_url("request_list")).status_code == 403


def test_list_filters_by_direction_and_marks_overdue(cast, signed_in):
    outgoing = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    incoming = incoming_extradition(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=outgoing.basis
    )
    # The term to register it has passed (as if received months ago).
    AssistanceRequest.objects.filter(pk=incoming.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    client = signed_in(cast.intl_officer)
    body = client.get(_url("request_list"), {"direction": "incoming"}).content.decode()
    assert incoming.number in body and outgoing.number not in body
    assert 'class="badge badge-danger">overdue' in body


def test_list_results_alone_for_htmx(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    response = signed_in(cast.intl_officer).get(
        _url("request_list"), {"q": record.number}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="request-results"
    )
    body = response.content.decode()
    assert response.status_code == 200 and record.number in body
    assert "<html" not in body


def test_list_bad_filter_is_400(cast, signed_in):
    response = signed_in(cast.intl_officer).get(
        _url("request_list"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.status_code == 400


# --- recording ------------------------------------------------------------------------------------------------------


def test_create_page_offers_the_resolvers_instruments_and_reciprocity(cast, signed_in):
    instrument = treaty()
    client = signed_in(cast.intl_officer)
    response = client.get(_url("request_create"), {"direction": "outgoing", "partner": "XA"})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{instrument.pk}"' in body and instrument.title_en in body
    assert 'value="reciprocity"' in body
    assert 'data-testid="basis-headline"' in body


def test_create_refresh_returns_the_basis_choices_for_htmx(cast, signed_in):
    instrument = treaty()
    client = signed_in(cast.intl_officer)
    response = client.post(
        _url("request_create") + "?direction=outgoing",
        {"partner": "XA", "kind": "mla", "refresh": "basis", "foreign_authority": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="basis-choices",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="basis-choices"')
    assert f'value="{instrument.pk}"' in body
    assert "errorlist" not in body  # asking again shows no errors on fields not yet filled in
    assert not AssistanceRequest.objects.exists()


def test_create_records_a_draft_once_for_a_double_submit(cast, signed_in):
    instrument = treaty()
    client = signed_in(cast.intl_officer)
    data = _form(instrument, office=_office(cast))
    first = client.post(_url("request_create") + "?direction=outgoing", data)
    second = client.post(_url("request_create") + "?direction=outgoing", data)
    assert first.status_code == 302 and second.status_code == 302
    record = AssistanceRequest.objects.get()
    assert first["Location"] == second["Location"] == _url("request_detail", record.pk)
    assert record.status == S.DRAFT and record.basis == instrument
    assert record.measures == ["bank_records", "locate"]


def test_create_without_legal_basis_shows_the_error_and_saves_nothing(cast, signed_in):
    instrument = treaty()
    response = signed_in(cast.intl_officer).post(
        _url("request_create") + "?direction=outgoing", _form(instrument, basis="", office=_office(cast))
    )
    assert response.status_code == 400
    assert "Choose the legal basis" in response.content.decode()
    assert "basis" in response.context["form"].errors
    assert not AssistanceRequest.objects.exists()


def test_create_with_an_instrument_the_resolver_does_not_offer_is_refused(cast, signed_in):
    instrument = treaty()
    other = treaty(iso2="XB")
    response = signed_in(cast.intl_officer).post(
        _url("request_create") + "?direction=outgoing",
        _form(instrument, basis=str(other.pk), office=_office(cast)),
    )
    assert response.status_code == 400
    assert "not a legal basis" in response.context["form"].errors["basis"][0]
    assert not AssistanceRequest.objects.exists()


def test_create_on_reciprocity_needs_the_assurance(cast, signed_in):
    instrument = treaty()
    client = signed_in(cast.intl_officer)
    url = _url("request_create") + "?direction=outgoing"
    response = client.post(url, _form(instrument, basis="reciprocity", office=_office(cast)))
    assert response.status_code == 400
    assert "reciprocity_assurance" in response.context["form"].errors
    response = client.post(
        url,
        _form(
            instrument,
            basis="reciprocity",
            reciprocity_assurance="Kazakhstan will execute a like request of State XA.",
            office=_office(cast),
        ),
    )
    assert response.status_code == 302
    assert AssistanceRequest.objects.get().basis_kind == "reciprocity"


def test_create_incoming_needs_the_date_received(cast, signed_in):
    instrument = treaty()
    client = signed_in(cast.intl_officer)
    url = _url("request_create") + "?direction=incoming"
    data = _form(instrument, office=_office(cast), received_on="")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "received_on" in response.context["form"].errors
    data["received_on"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 302
    record = AssistanceRequest.objects.get()
    assert record.status == S.RECEIVED and record.direction == "incoming"


def test_create_refused_without_work_permission(cast, signed_in):
    assert signed_in(cast.auditor).get(_url("request_create")).status_code == 403
    assert signed_in(cast.prosecutor_astana).get(_url("request_create")).status_code == 403


def test_create_page_is_translated(cast, signed_in):
    treaty()
    client = signed_in(cast.intl_officer)
    response = client.get(_url("request_create"), {"direction": "outgoing"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()


# --- the request's page ---------------------------------------------------------------------------------------------


def test_detail_names_every_missing_item_and_holds_back_the_check(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, purpose="", facts_summary="")
    response = signed_in(cast.intl_officer).get(_url("request_detail", record.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="completeness-missing"' in body
    assert "State the purpose" in body and "Summarise the relevant facts" in body
    assert 'id="blocked-check"' in body
    assert 'id="step-check-form"' not in body


def test_check_step_refused_while_incomplete_and_taken_when_complete(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, purpose="")
    client = signed_in(cast.intl_officer)
    url = _url("request_step", record.pk, "check")
    response = client.post(url, {"version": REQUESTS.version(record)})
    assert response.status_code == 400
    assert "The request is not complete" in response.content.decode()
    record.refresh_from_db()
    assert record.status == S.DRAFT

    complete = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=record.basis)
    response = client.post(
        _url("request_step", complete.pk, "check"), {"version": REQUESTS.version(complete)}
    )
    assert response.status_code == 302
    complete.refresh_from_db()
    assert complete.status == S.CHECKED


def test_stale_step_form_is_refused(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    old = REQUESTS.version(record)
    AssistanceRequest.objects.filter(pk=record.pk).update(
        updated_at=record.updated_at + dt.timedelta(seconds=5)
    )
    response = signed_in(cast.intl_officer).post(_url("request_step", record.pk, "check"), {"version": old})
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()


def test_only_a_head_signs_from_the_page(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    record.refresh_from_db()
    data = {"version": REQUESTS.version(record)}
    assert signed_in(cast.intl_officer).post(_url("request_step", record.pk, "sign"), data).status_code == 403
    response = signed_in(cast.head_gpo).post(_url("request_step", record.pk, "sign"), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == S.SIGNED


def test_send_and_acknowledge_from_the_page(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    REQUESTS.perform(step="sign", by=cast.head_gpo, record=record, inputs={})
    record.refresh_from_db()
    client = signed_in(cast.intl_officer)
    today = timezone.localdate().isoformat()
    page = client.get(_url("request_detail", record.pk)).content.decode()
    assert 'id="step-send-form"' in page
    response = client.post(
        _url("request_step", record.pk, "send"), {"version": REQUESTS.version(record), "sent_on": today}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    response = client.post(
        _url("request_step", record.pk, "acknowledge"),
        {"version": REQUESTS.version(record), "acknowledged_on": today, "foreign_reference": "MJ-77"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == S.ACKNOWLEDGED and record.foreign_reference == "MJ-77"


def test_unknown_step_is_404(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    assert signed_in(cast.intl_officer).post(_url("request_step", record.pk, "nope"), {}).status_code == 404


def test_restricted_request_is_404_for_an_officer_without_clearance(cast, offices, signed_in):
    terrorism = CrimeCategory.objects.create(
        code="terrorism", kind=CrimeCategory.Kind.FOCUS_AREA, name_en="Terrorism", name_ru="Т", name_kk="Т"
    )
    record = outgoing_mla(by=cast.intl_officer, office=offices.gpo, focus_area=terrorism)
    other = UserFactory(username="intl_other", office=offices.gpo, roles=[Role.INTL_OFFICER])
    client = signed_in(other)
    assert client.get(_url("request_detail", record.pk)).status_code == 404
    assert client.get(_url("request_edit", record.pk)).status_code == 404
    assert client.post(_url("request_step", record.pk, "check"), {}).status_code == 404
    assert record.number not in client.get(_url("request_list")).content.decode()
    assert signed_in(cast.head_gpo).get(_url("request_detail", record.pk)).status_code == 200


def test_persons_hidden_from_who_may_not_read_personal_data(cast, signed_in):
    record = incoming_extradition(by=cast.intl_officer, office=cast.intl_officer.office)
    body = signed_in(cast.auditor).get(_url("request_detail", record.pk)).content.decode()
    assert 'id="persons-restricted"' in body
    assert "1 person — personal data restricted" in body
    assert "Ivanov" not in body  # not in the table, nor in the checklist's suggestions
    officer = signed_in(cast.intl_officer).get(_url("request_detail", record.pk)).content.decode()
    assert "Ivanov Ivan" in officer


def test_edit_changes_a_draft_and_refuses_a_checked_request(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    client = signed_in(cast.intl_officer)
    assert client.get(_url("request_edit", record.pk)).status_code == 200
    data = _form(record.basis, purpose="To identify and charge the persons.")
    del data["submission_key"]
    response = client.post(_url("request_edit", record.pk), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.purpose == "To identify and charge the persons."
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    response = client.get(_url("request_edit", record.pk))
    assert response.status_code == 302


def test_edit_refused_to_who_may_only_read(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    assert signed_in(cast.auditor).get(_url("request_edit", record.pk)).status_code == 403
    other = UserFactory(username="intl_other", office=cast.intl_officer.office, roles=[Role.INTL_OFFICER])
    assert signed_in(other).get(_url("request_edit", record.pk)).status_code == 403


# --- the refusal checklist ------------------------------------------------------------------------------------------


def test_incoming_extradition_of_a_citizen_shows_the_own_nationals_ground(cast, signed_in):
    record = incoming_extradition(by=cast.intl_officer, office=cast.intl_officer.office)
    body = signed_in(cast.intl_officer).get(_url("request_detail", record.pk)).content.decode()
    assert 'id="ground-own_national-suggestion"' in body
    assert "a citizen of Kazakhstan" in body


def test_grounds_checklist_needs_a_note_where_a_ground_applies(cast, signed_in):
    record = incoming_extradition(by=cast.intl_officer, office=cast.intl_officer.office)
    client = signed_in(cast.intl_officer)
    data = {f"finding_{code}": GroundFinding.UNASSESSED for code in RefusalGround.values}
    data["finding_own_national"] = GroundFinding.APPLIES
    response = client.post(_url("request_grounds", record.pk), data)
    assert response.status_code == 400
    assert "Say why this ground applies." in response.content.decode()
    assert not RefusalAssessment.objects.filter(finding=GroundFinding.APPLIES).exists()
    data["note_own_national"] = "A citizen of Kazakhstan: Constitution, art. 11."
    assert client.post(_url("request_grounds", record.pk), data).status_code == 302
    assert RefusalAssessment.objects.get(ground="own_national").finding == GroundFinding.APPLIES


def test_grounds_refused_for_an_outgoing_request(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    response = signed_in(cast.intl_officer).post(_url("request_grounds", record.pk), {})
    assert response.status_code == 400
    assert not RefusalAssessment.objects.exists()


# --- persons, letters, translations ---------------------------------------------------------------------------------


def test_person_add_edit_remove(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    client = signed_in(cast.intl_officer)
    assert client.get(_url("request_person_add", record.pk)).status_code == 200
    response = client.post(_url("request_person_add", record.pk), {"role": "witness", "full_name": ""})
    assert response.status_code == 400 and not RequestPerson.objects.exists()
    response = client.post(
        _url("request_person_add", record.pk),
        {"role": "witness", "full_name": "Petrov Petr", "nationality": "XA", "location": "City of XA"},
    )
    assert response.status_code == 302
    person = RequestPerson.objects.get()
    assert person.nationality_id == "XA"
    response = client.post(
        _url("request_person_edit", record.pk, person.pk),
        {"role": "witness", "full_name": "Petrov Petr", "stateless": "on", "nationality": "XA"},
    )
    assert response.status_code == 400  # a stateless person has no nationality
    response = client.post(
        _url("request_person_edit", record.pk, person.pk),
        {"role": "victim", "full_name": "Petrov Petr", "location": "City of XA"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == "victim"
    assert client.post(_url("request_person_remove", record.pk, person.pk)).status_code == 302
    assert not RequestPerson.objects.exists()


def test_person_of_another_request_is_404(cast, signed_in):
    one = incoming_extradition(by=cast.intl_officer, office=cast.intl_officer.office)
    other = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=one.basis)
    person = one.persons.get()
    client = signed_in(cast.intl_officer)
    assert client.get(_url("request_person_edit", other.pk, person.pk)).status_code == 404


def test_letter_with_attachment_served_only_after_access(cast, offices, signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    client = signed_in(cast.intl_officer)
    upload = SimpleUploadedFile("note.txt", b"Acknowledgement of receipt.", content_type="text/plain")
    response = client.post(
        _url("request_letter_add", record.pk),
        {
            "direction": "in",
            "dated": timezone.localdate().isoformat(),
            "counterpart": "Ministry of Justice of State XA",
            "summary": "Acknowledgement of receipt",
            "attachment": upload,
            "submission_key": "letter-1",
        },
    )
    assert response.status_code == 302
    letter = Correspondence.objects.get()
    url = _url("request_letter_file", record.pk, letter.pk)
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Acknowledgement of receipt."
    page = client.get(_url("request_detail", record.pk)).content.decode()
    assert url in page
    # Another request's id with this letter: not found.
    other = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=record.basis)
    assert client.get(_url("request_letter_file", other.pk, letter.pk)).status_code == 404
    assert signed_in(cast.outsider).get(url).status_code == 403


def test_letter_without_summary_shows_the_error(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    response = signed_in(cast.intl_officer).post(
        _url("request_letter_add", record.pk),
        {"direction": "out", "dated": timezone.localdate().isoformat(), "counterpart": "MoJ", "summary": ""},
    )
    assert response.status_code == 400
    assert response.context["letter_form"].errors["summary"]
    assert not Correspondence.objects.exists()


def test_translation_order_and_status(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    client = signed_in(cast.intl_officer)
    response = client.post(
        _url("request_translation_order", record.pk),
        {
            "language": "en",
            "document": "The request",
            "due_date": (timezone.localdate() + dt.timedelta(days=5)),
        },
    )
    assert response.status_code == 302
    task = TranslationTask.objects.get()
    response = client.post(_url("request_translation_status", record.pk, task.pk), {"status": "done"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.done_on == timezone.localdate()
    # Done is final: nothing more to offer, and a posted move is refused.
    response = client.post(_url("request_translation_status", record.pk, task.pk), {"status": "ordered"})
    assert response.status_code == 400


def test_translation_order_in_the_past_is_refused(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    response = signed_in(cast.intl_officer).post(
        _url("request_translation_order", record.pk),
        {"language": "en", "document": "The request", "due_date": "2020-01-01"},
    )
    assert response.status_code == 400
    assert not TranslationTask.objects.exists()


def test_refused_write_is_audited(cast, signed_in):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, purpose="")
    before = AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).count()
    signed_in(cast.intl_officer).post(
        _url("request_step", record.pk, "check"), {"version": REQUESTS.version(record)}
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SECURITY).count() == before + 1


def test_list_and_detail_queries_do_not_grow_with_the_rows(cast, signed_in, django_assert_max_num_queries):
    first = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office)
    client = signed_in(cast.intl_officer)
    client.get(_url("request_list"))  # the session and the user's roles are read once
    with CaptureQueriesContext(connection) as one:
        client.get(_url("request_list"))
    for _ in range(4):
        outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=first.basis)
    with django_assert_max_num_queries(len(one)):
        client.get(_url("request_list"))
    with django_assert_max_num_queries(25):
        client.get(_url("request_detail", first.pk))
