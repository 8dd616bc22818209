"""The supervision API: idempotent creates, lists, one record through the access rule, the lifecycles' step
endpoints, the act-type catalogue, the letters, and bad input (422/412/404/403 with the one error shape, nothing
changed)."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from prokuratura.appeals import services as appeal_services
from prokuratura.appeals.tests.factories import register
from prokuratura.core.models import AuditEntry
from prokuratura.core.tests.api_client import assert_error, bearer
from prokuratura.supervision.models import (
    Act,
    ActStatus,
    DetentionVisit,
    Inspection,
    InspectionStatus,
    Violation,
)
from prokuratura.supervision.services import act_type_update

from .factories import VALID_BIN, make_act, make_facility, make_inspection, make_violation, make_visit

pytestmark = pytest.mark.django_db

API = "/api/v1/supervision"
TODAY = timezone.localdate()
JSON = "application/json"


def inspection_body(**overrides):
    body = {
        "kind": "unscheduled",
        "ground": "plan",
        "subject_kind": "organisation",
        "subject_name": "ТОО «Астана Құрылыс»",
        "subject_bin": VALID_BIN,
        "period_start": (TODAY - dt.timedelta(days=5)).isoformat(),
        "period_end": (TODAY + dt.timedelta(days=25)).isoformat(),
        "topics": "Соблюдение трудового законодательства",
    }
    body.update(overrides)
    return body


def violation_body(**overrides):
    body = {
        "found_on": TODAY.isoformat(),
        "description": "Задержка выплаты заработной платы",
        "law_violated": "Трудовой кодекс РК, ст. 113",
        "category": "labour",
        "persons_affected": 7,
        "damage": "250000.00",
    }
    body.update(overrides)
    return body


def act_body(**overrides):
    body = {
        "act_type": "submission",
        "addressee_name": "Директору ТОО «Астана Құрылыс»",
        "text": "Требую устранить нарушения трудового законодательства.",
    }
    body.update(overrides)
    return body


@pytest.fixture
def prosecutor(cast, no_2fa):
    return bearer(cast.prosecutor_astana)


@pytest.fixture
def head(cast, no_2fa):
    return bearer(cast.head_astana)


@pytest.fixture
def running(cast):
    """An inspection of the Astana district office in progress, the district prosecutor responsible."""
    return make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)


def assigned_appeal(cast, offices):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    appeal_services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    return appeal


# --- inspections -----------------------------------------------------------------------------------------------


def test_planning_an_inspection_returns_201_with_its_number_and_version(prosecutor, cast):
    response = prosecutor.post(f"{API}/inspections", inspection_body(), content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == f"AST-01-{(TODAY - dt.timedelta(days=5)).year}/П-1"
    assert body["status"] == "planned"
    assert body["office"] == "AST-01"
    assert body["responsible_id"] == cast.prosecutor_astana.pk
    assert body["violation_ids"] == [] and body["act_ids"] == []
    inspection = Inspection.objects.get(pk=body["id"])
    assert body["version"] == inspection.updated_at.isoformat()


def test_an_inspection_retry_with_the_same_key_plans_nothing_twice(prosecutor):
    first = prosecutor.post(
        f"{API}/inspections", inspection_body(), content_type=JSON, HTTP_IDEMPOTENCY_KEY="insp-1"
    )
    again = prosecutor.post(
        f"{API}/inspections", inspection_body(), content_type=JSON, HTTP_IDEMPOTENCY_KEY="insp-1"
    )
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Inspection.objects.count() == 1
    other = prosecutor.post(
        f"{API}/inspections",
        inspection_body(subject_name="Другая организация"),
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="insp-1",
    )
    assert_error(other, 409)
    assert Inspection.objects.count() == 1


def test_the_submission_key_finds_the_inspection_when_the_idempotency_record_is_gone(prosecutor):
    from prokuratura.core.models import IdempotencyRecord

    first = prosecutor.post(
        f"{API}/inspections", inspection_body(), content_type=JSON, HTTP_IDEMPOTENCY_KEY="k"
    )
    IdempotencyRecord.objects.all().delete()  # expired and purged
    again = prosecutor.post(
        f"{API}/inspections", inspection_body(), content_type=JSON, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert again.json()["id"] == first.json()["id"]
    assert Inspection.objects.count() == 1


def test_an_inspection_on_an_appeal_names_it_both_ways(prosecutor, cast, offices):
    appeal = assigned_appeal(cast, offices)
    response = prosecutor.post(
        f"{API}/inspections",
        inspection_body(ground="appeal", ground_appeal_id=appeal.pk),
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["ground_appeal_id"], body["ground_appeal_reg_number"]) == (appeal.pk, appeal.reg_number)
    assert list(appeal.inspections.values_list("pk", flat=True)) == [body["id"]]


def test_an_appeal_the_prosecutor_may_not_see_is_no_such_appeal(cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)  # AST, nobody assigned
    response = bearer(cast.prosecutor_almaty).post(
        f"{API}/inspections",
        inspection_body(ground="appeal", ground_appeal_id=appeal.pk),
        content_type=JSON,
    )
    body = assert_error(response, 422)
    assert body["details"] == {"ground_appeal_id": ["No such appeal."]}
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period_end": (TODAY - dt.timedelta(days=30)).isoformat()}, "period_end"),
        ({"subject_bin": ""}, "subject_bin"),
        ({"ground": "media"}, "ground_detail"),
        ({"office": "ALA"}, "office"),
        ({"office": "NOPE"}, "office"),
        ({"crime_categories": ["no_such_focus"]}, "crime_categories"),
        ({"responsible_id": 10**9}, "responsible_id"),
    ],
)
def test_bad_inspection_input_is_422_on_its_field_and_plans_nothing(prosecutor, overrides, field):
    body = assert_error(
        prosecutor.post(f"{API}/inspections", inspection_body(**overrides), content_type=JSON), 422
    )
    assert field in body["details"]
    assert not Inspection.objects.exists()


def test_the_messages_come_in_the_requests_language(prosecutor, running):
    # in progress: the kernel's table refuses "start" from any status but ordered
    response = prosecutor.post(
        f"{API}/inspections/{running.pk}/start", {}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="ru"
    )
    body = assert_error(response, 422)
    with translation.override("ru"):
        message = translation.gettext("Some of the values sent are not valid.")
        refusal = translation.gettext("“%(step)s” cannot be taken while the status is “%(current)s”.") % {
            "step": translation.gettext("Start the inspection"),
            "current": translation.gettext("In progress"),
        }
    assert body["message"] == message
    assert body["details"] == {"__all__": [refusal]}
    assert Inspection.objects.get(pk=running.pk).status == InspectionStatus.IN_PROGRESS


def test_a_prosecutor_without_the_permission_gets_403(cast, no_2fa):
    response = bearer(cast.analyst).post(f"{API}/inspections", inspection_body(), content_type=JSON)
    assert_error(response, 403)
    assert_error(bearer(cast.analyst).get(f"{API}/inspections"), 403)


def test_the_inspection_steps_through_the_api(cast, prosecutor, head):
    inspection = make_inspection(by=cast.prosecutor_astana)
    url = f"{API}/inspections/{inspection.pk}"
    assert [s["name"] for s in head.get(f"{url}/steps").json()] == ["order", "cancel"]
    assert prosecutor.get(f"{url}/steps").json() == []
    assert_error(prosecutor.post(f"{url}/order", {}, content_type=JSON), 403)
    ordered = head.post(f"{url}/order", {"reason": ""}, content_type=JSON)
    assert ordered.status_code == 200, ordered.content
    assert ordered.json()["status"] == "ordered"
    started = prosecutor.post(f"{url}/start", {}, content_type=JSON, HTTP_IF_MATCH=ordered.json()["version"])
    assert started.json()["status"] == "in_progress"
    completed = prosecutor.post(f"{url}/complete", {"results": "Нарушения выявлены"}, content_type=JSON)
    assert completed.json()["status"] == "completed"
    assert completed.json()["completed_on"] == TODAY.isoformat()


def test_a_step_on_a_stale_version_is_412_and_changes_nothing(cast, head):
    inspection = make_inspection(by=cast.prosecutor_astana)
    stale = head.get(f"{API}/inspections/{inspection.pk}").json()["version"]
    head.post(f"{API}/inspections/{inspection.pk}/order", {}, content_type=JSON)
    response = head.post(
        f"{API}/inspections/{inspection.pk}/cancel",
        {"reason": "Отпала необходимость"},
        content_type=JSON,
        HTTP_IF_MATCH=stale,
    )
    assert_error(response, 412, "stale")
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.ORDERED


def test_implementing_while_an_act_awaits_its_answer_is_422_with_the_reason(cast, prosecutor, running):
    make_act(by=cast.prosecutor_astana, inspection=running, issue=True, code="protest")
    from prokuratura.supervision.services import inspection_complete

    inspection_complete(by=cast.prosecutor_astana, inspection=running, results="Нарушения выявлены")
    response = prosecutor.post(f"{API}/inspections/{running.pk}/implement", {}, content_type=JSON)
    body = assert_error(response, 422)
    assert "still awaits its answer" in body["details"]["__all__"][0]
    assert Inspection.objects.get(pk=running.pk).status == InspectionStatus.COMPLETED


def test_correcting_an_inspection_with_put(cast, prosecutor):
    inspection = make_inspection(by=cast.prosecutor_astana)
    current = prosecutor.get(f"{API}/inspections/{inspection.pk}").json()
    body = inspection_body(subject_name="ТОО «Новое имя»", responsible_id=cast.prosecutor_astana.pk)
    body.pop("period_end")
    response = prosecutor.put(
        f"{API}/inspections/{inspection.pk}", body, content_type=JSON, HTTP_IF_MATCH=current["version"]
    )
    assert response.status_code == 200, response.content
    assert response.json()["subject_name"] == "ТОО «Новое имя»"
    assert response.json()["period_end"] == current["period_end"]  # moved only by `extend`
    stale = prosecutor.put(
        f"{API}/inspections/{inspection.pk}",
        {**body, "subject_name": "Третье"},
        content_type=JSON,
        HTTP_IF_MATCH=current["version"],
    )
    assert_error(stale, 412)
    assert Inspection.objects.get(pk=inspection.pk).subject_name == "ТОО «Новое имя»"
    assert AuditEntry.objects.filter(action="update", object_id=str(inspection.pk)).count() == 1


def test_only_the_responsible_or_a_head_corrects_an_inspection(cast, no_2fa):
    inspection = make_inspection(
        by=cast.head_astana, responsible=cast.prosecutor_astana, office=cast.head_astana.office
    )
    other = bearer(cast.head_gpo)  # a head above: may
    body = inspection_body(responsible_id=cast.prosecutor_astana.pk)
    body.pop("period_end")
    assert other.put(f"{API}/inspections/{inspection.pk}", body, content_type=JSON).status_code == 200
    response = bearer(cast.prosecutor_almaty).put(
        f"{API}/inspections/{inspection.pk}", body, content_type=JSON
    )
    assert_error(response, 404)  # internal, another region: as if it did not exist


# --- violations ------------------------------------------------------------------------------------------------


def test_recording_violations_in_an_inspection(prosecutor, running):
    response = prosecutor.post(
        f"{API}/inspections/{running.pk}/violations",
        violation_body(),
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="v-1",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["inspection_id"], body["inspection_number"], body["office"]) == (
        running.pk,
        running.number,
        "AST-01",
    )
    assert body["damage"] in ("250000.00", 250000.0)
    again = prosecutor.post(
        f"{API}/inspections/{running.pk}/violations",
        violation_body(),
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="v-1",
    )
    assert again.json()["id"] == body["id"] and Violation.objects.count() == 1
    detail = prosecutor.get(f"{API}/inspections/{running.pk}").json()
    assert detail["violation_ids"] == [body["id"]]
    assert (
        prosecutor.get(f"{API}/violations/{body['id']}").json()["law_violated"]
        == "Трудовой кодекс РК, ст. 113"
    )


def test_a_negative_damage_is_422_with_the_services_message(prosecutor, running):
    response = prosecutor.post(
        f"{API}/inspections/{running.pk}/violations", violation_body(damage="-1"), content_type=JSON
    )
    body = assert_error(response, 422)
    assert body["details"] == {"damage": ["The amount cannot be negative."]}
    assert not Violation.objects.exists()


def test_a_violation_in_a_closed_inspection_is_refused(cast, prosecutor, running):
    Inspection.objects.filter(pk=running.pk).update(status=InspectionStatus.CLOSED)
    response = prosecutor.post(
        f"{API}/inspections/{running.pk}/violations", violation_body(), content_type=JSON
    )
    body = assert_error(response, 422)
    assert "takes no new findings" in str(body["details"])
    assert not Violation.objects.exists()


def test_a_colleague_who_is_not_responsible_gets_403_with_the_reason(cast, running, no_2fa):
    from prokuratura.accounts.roles import Role
    from prokuratura.accounts.tests.factories import UserFactory

    colleague = UserFactory(
        username="colleague", office=cast.prosecutor_astana.office, roles=[Role.PROSECUTOR]
    )
    response = bearer(colleague).post(
        f"{API}/inspections/{running.pk}/violations", violation_body(), content_type=JSON
    )
    body = assert_error(response, 403)
    assert body["message"] == "Only the responsible prosecutor or a head records the inspection's findings."


def test_a_violation_found_while_answering_an_appeal(cast, offices, prosecutor):
    appeal = assigned_appeal(cast, offices)
    response = prosecutor.post(f"{API}/appeals/{appeal.pk}/violations", violation_body(), content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["appeal_id"], body["appeal_reg_number"], body["inspection_id"]) == (
        appeal.pk,
        appeal.reg_number,
        None,
    )
    assert body["office"] == appeal.office.code


def test_a_violation_on_an_appeal_of_another_region_is_404(cast, offices, no_2fa):
    appeal = assigned_appeal(cast, offices)
    response = bearer(cast.prosecutor_almaty).post(
        f"{API}/appeals/{appeal.pk}/violations", violation_body(), content_type=JSON
    )
    assert_error(response, 404)
    assert_error(
        bearer(cast.prosecutor_almaty).post(
            f"{API}/appeals/999999/violations", violation_body(), content_type=JSON
        ),
        404,
    )
    assert not Violation.objects.exists()


def test_the_violation_list_shows_what_the_user_may_see(cast, running, no_2fa):
    make_violation(by=cast.prosecutor_astana, inspection=running)
    own = bearer(cast.prosecutor_astana).get(f"{API}/violations").json()
    assert len(own["items"]) == 1
    assert bearer(cast.prosecutor_almaty).get(f"{API}/violations").json()["items"] == []
    assert len(bearer(cast.auditor).get(f"{API}/violations?category=labour").json()["items"]) == 1
    assert bearer(cast.auditor).get(f"{API}/violations?category=budget").json()["items"] == []


# --- acts ------------------------------------------------------------------------------------------------------


def test_drafting_an_act_in_an_inspection(cast, prosecutor, running):
    violation = make_violation(by=cast.prosecutor_astana, inspection=running)
    response = prosecutor.post(
        f"{API}/acts",
        act_body(inspection_id=running.pk, violation_ids=[violation.pk]),
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="act-1",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["number"], body["act_type"], body["answered_by"]) == (
        "draft",
        "",
        "submission",
        "reply",
    )
    assert body["violation_ids"] == [violation.pk]
    assert body["pdf_url"] == f"/api/v1/supervision/acts/{body['id']}/letter.pdf"
    again = prosecutor.post(
        f"{API}/acts",
        act_body(inspection_id=running.pk, violation_ids=[violation.pk]),
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="act-1",
    )
    assert again.json()["id"] == body["id"] and Act.objects.count() == 1
    assert prosecutor.get(f"{API}/inspections/{running.pk}").json()["act_ids"] == [body["id"]]


def test_an_unknown_act_type_is_422_with_a_clear_message(prosecutor):
    response = prosecutor.post(f"{API}/acts", act_body(act_type="decree_of_heaven"), content_type=JSON)
    body = assert_error(response, 422)
    assert body["details"] == {"act_type": ["Unknown act type code: see the catalogue of act types."]}
    assert not Act.objects.exists()


def test_unknown_or_invisible_records_named_in_an_act_are_422(cast, running, no_2fa):
    almaty = bearer(cast.prosecutor_almaty)
    body = assert_error(
        almaty.post(
            f"{API}/acts", act_body(inspection_id=running.pk, violation_ids=[987654]), content_type=JSON
        ),
        422,
    )
    assert body["details"] == {
        "inspection_id": ["No such inspection."],
        "violation_ids": ["No such violation: 987654."],
    }
    assert not Act.objects.exists()


def test_an_act_on_a_closed_inspection_is_422(cast, prosecutor, running):
    Inspection.objects.filter(pk=running.pk).update(status=InspectionStatus.CANCELLED)
    body = assert_error(
        prosecutor.post(f"{API}/acts", act_body(inspection_id=running.pk), content_type=JSON), 422
    )
    assert "takes no new acts" in str(body["details"])
    assert not Act.objects.exists()


def test_the_act_steps_through_the_api(cast, prosecutor, head, running):
    issued_on = running.period_start
    act = make_act(by=cast.prosecutor_astana, inspection=running, code="protest")
    url = f"{API}/acts/{act.pk}"
    assert {s["name"] for s in prosecutor.get(f"{url}/steps").json()} == {"issue"}
    assert {s["name"] for s in head.get(f"{url}/steps").json()} == {"issue", "withdraw"}
    issued = prosecutor.post(f"{url}/issue", {"issued_on": issued_on.isoformat()}, content_type=JSON)
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["status"] == "issued"
    assert body["number"] == f"AST-01-{issued_on.year}/Н-1"
    assert body["due_date"] is not None and body["signer_name"]
    early = prosecutor.post(
        f"{url}/record_reply",
        {"reply_on": (issued_on - dt.timedelta(days=1)).isoformat(), "result": "satisfied"},
        content_type=JSON,
    )
    details = assert_error(early, 422)["details"]
    assert details == {"reply_on": [f"The answer cannot be dated before the act ({issued_on:%d.%m.%Y})."]}
    assert Act.objects.get(pk=act.pk).status == ActStatus.ISSUED
    replied = prosecutor.post(
        f"{url}/record_reply",
        {"reply_on": TODAY.isoformat(), "result": "satisfied", "reply_number": "01-12/345"},
        content_type=JSON,
    )
    assert replied.json()["status"] == "replied"
    negative = prosecutor.post(f"{url}/record_result", {"amount_recovered": "-5"}, content_type=JSON)
    assert assert_error(negative, 422)["details"] == {"amount_recovered": ["The amount cannot be negative."]}
    closed = prosecutor.post(
        f"{url}/record_result",
        {"persons_restored": 7, "amount_recovered": "250000.00", "persons_disciplinary": 2},
        content_type=JSON,
    )
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["persons_restored"]) == ("closed", 7)


def test_withdrawing_is_a_heads_step(cast, prosecutor, head):
    act = make_act(by=cast.prosecutor_astana)
    assert_error(
        prosecutor.post(f"{API}/acts/{act.pk}/withdraw", {"reason": "Ошибка"}, content_type=JSON), 403
    )
    assert_error(head.post(f"{API}/acts/{act.pk}/withdraw", {"reason": ""}, content_type=JSON), 422)
    done = head.post(f"{API}/acts/{act.pk}/withdraw", {"reason": "Ошибка в адресате"}, content_type=JSON)
    assert done.json()["status"] == "withdrawn"


def test_the_act_type_catalogue(cast, no_2fa):
    rows = bearer(cast.analyst).get(f"{API}/act-types").json()
    protest = next(r for r in rows if r["code"] == "protest")
    assert (protest["term_value"], protest["term_unit"], protest["answered_by"], protest["verified"]) == (
        10,
        "calendar_days",
        "reply",
        False,
    )
    assert "155-VII" in protest["legal_source"]
    order = next(r for r in rows if r["code"] == "order")
    assert order["term_value"] is None
    act_type_update(
        by=cast.admin,
        act_type=Act.act_type.field.related_model.objects.get(code="release"),
        changes={"is_active": False},
        source="Приказ ГП № 1",
    )
    codes = [r["code"] for r in bearer(cast.analyst).get(f"{API}/act-types").json()]
    assert "release" not in codes
    everything = bearer(cast.analyst).get(f"{API}/act-types?include_inactive=true").json()
    assert "release" in [r["code"] for r in everything]


def test_the_act_as_pdf_and_docx(cast, prosecutor, running):
    act = make_act(by=cast.prosecutor_astana, inspection=running, issue=True, code="protest")
    pdf = prosecutor.get(f"{API}/acts/{act.pk}/letter.pdf")
    assert pdf.status_code == 200, pdf.content[:500]
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    disposition = pdf["Content-Disposition"]  # the file name carries the Cyrillic number: RFC 6266 encoded
    assert disposition.startswith("attachment; filename") and disposition.endswith(".pdf")
    assert "=?utf-8?" not in disposition
    docx = prosecutor.get(f"{API}/acts/{act.pk}/letter.docx")
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert docx.content.startswith(b"PK")
    assert_error(bearer(cast.prosecutor_almaty).get(f"{API}/acts/{act.pk}/letter.pdf"), 404)


def test_a_drafts_letter_is_422_not_a_file(cast, prosecutor):
    act = make_act(by=cast.prosecutor_astana, code="protest")
    body = assert_error(prosecutor.get(f"{API}/acts/{act.pk}/letter.docx"), 422)
    assert body["details"] == {"__all__": ["The act is not issued yet: preview the draft instead."]}


def test_the_openapi_document_declares_the_letters_as_binary(cast, no_2fa):
    document = bearer(cast.analyst).get("/api/v1/openapi.json").json()
    pdf = document["paths"]["/api/v1/supervision/acts/{act_id}/letter.pdf"]["get"]["responses"]
    assert pdf["200"]["content"] == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    assert {"401", "403", "404", "422"} <= set(pdf)


# --- visits ----------------------------------------------------------------------------------------------------


def test_recording_a_visit_makes_it_restricted(cast, prosecutor):
    facility = make_facility()
    response = prosecutor.post(
        f"{API}/visits",
        {
            "facility": facility.code,
            "visited_on": TODAY.isoformat(),
            "findings": "Жалобы на применение силы",
            "torture_alleged": True,
            "persons_concerned": "Ержанов А.К.",
            "persons_count": 1,
        },
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="visit-1",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["sensitivity"], body["prosecutor_id"], body["facility"]) == (
        "restricted",
        cast.prosecutor_astana.pk,
        facility.code,
    )
    assert DetentionVisit.objects.count() == 1


def test_a_visit_alleging_torture_names_the_persons(prosecutor):
    facility = make_facility()
    response = prosecutor.post(
        f"{API}/visits",
        {
            "facility": facility.code,
            "visited_on": TODAY.isoformat(),
            "findings": "…",
            "torture_alleged": True,
        },
        content_type=JSON,
    )
    assert "persons_concerned" in assert_error(response, 422)["details"]
    unknown = prosecutor.post(
        f"{API}/visits",
        {"facility": "nowhere", "visited_on": TODAY.isoformat(), "findings": "…"},
        content_type=JSON,
    )
    assert assert_error(unknown, 422)["details"] == {"facility": ["Unknown place of detention code."]}
    assert not DetentionVisit.objects.exists()


def test_a_restricted_visit_is_404_for_another_region_exactly_like_a_missing_one(cast, no_2fa):
    visit = make_visit(by=cast.prosecutor_astana)
    almaty = bearer(cast.prosecutor_almaty)
    hidden = assert_error(almaty.get(f"{API}/visits/{visit.pk}"), 404)
    missing = assert_error(almaty.get(f"{API}/visits/{visit.pk + 1000}"), 404)
    assert hidden == missing
    assert almaty.get(f"{API}/visits").json()["items"] == []
    assert not AuditEntry.objects.filter(action="read", object_id=str(visit.pk)).exists()


def test_reading_a_restricted_visit_is_audited_and_the_list_shows_no_findings(cast, no_2fa):
    visit = make_visit(by=cast.prosecutor_astana)
    client = bearer(cast.head_astana)
    listed = client.get(f"{API}/visits").json()["items"]
    assert [v["id"] for v in listed] == [visit.pk]
    assert "findings" not in listed[0] and "persons_concerned" not in listed[0]
    assert not AuditEntry.objects.filter(action="read", object_id=str(visit.pk)).exists()
    body = client.get(f"{API}/visits/{visit.pk}").json()
    assert body["persons_concerned"] == "Ержанов А.К., 1990 г.р."
    read = AuditEntry.objects.get(action="read", object_id=str(visit.pk))
    assert read.actor == cast.head_astana


# --- lists: paging and query counts ----------------------------------------------------------------------------


def test_lists_are_keyset_paginated_newest_first(cast, prosecutor):
    made = [make_inspection(by=cast.prosecutor_astana) for _ in range(3)]
    first = prosecutor.get(f"{API}/inspections?page_size=2").json()
    assert [i["id"] for i in first["items"]] == [made[2].pk, made[1].pk]
    second = prosecutor.get(f"{API}/inspections?page_size=2&after={first['next_after']}").json()
    assert [i["id"] for i in second["items"]] == [made[0].pk]
    assert second["next"] is None
    assert prosecutor.get(f"{API}/inspections?office=NOPE").json()["items"] == []
    assert len(prosecutor.get(f"{API}/inspections?office=AST&status=planned").json()["items"]) == 3


@pytest.mark.parametrize("path", ["inspections", "violations", "acts", "visits", "act-types"])
def test_list_query_counts_do_not_grow_with_rows(cast, running, path, django_assert_num_queries):
    facility = make_facility()
    for _ in range(4):
        make_inspection(by=cast.prosecutor_astana)
        violation = make_violation(by=cast.prosecutor_astana, inspection=running)
        make_act(by=cast.prosecutor_astana, inspection=running, violations=[violation])
        make_visit(by=cast.prosecutor_astana, facility=facility)
    client = bearer(cast.prosecutor_astana)
    client.get(f"{API}/{path}")  # the first use of a token records it; later uses do not write
    # the token with its owner's roles, the user's office and its subtree (the record rule), then the page; the
    # act types: token, the rows, their templates
    with django_assert_num_queries(3 if path == "act-types" else 4):
        response = client.get(f"{API}/{path}")
    body = response.json()
    assert len(body if path == "act-types" else body["items"]) >= 4


def test_detail_query_counts(cast, running, django_assert_num_queries, no_2fa):
    violation = make_violation(by=cast.prosecutor_astana, inspection=running)
    act = make_act(by=cast.prosecutor_astana, inspection=running, violations=[violation])
    client = bearer(cast.prosecutor_astana)
    client.get(f"{API}/inspections/{running.pk}")
    # the token with its owner's roles, the inspection, its crime categories, the user's office and subtree (the
    # record rule, for the related lists), violation ids, act ids
    with django_assert_num_queries(7):
        assert client.get(f"{API}/inspections/{running.pk}").status_code == 200
    # the token with its owner's roles, the act, its violation ids
    with django_assert_num_queries(3):
        assert client.get(f"{API}/acts/{act.pk}").status_code == 200
