"""The appeals API: idempotent registration, bad input, visibility, steps."""

import pytest

from prokuratura.appeals import services
from prokuratura.appeals.models import Appeal, Status
from prokuratura.appeals.tests.factories import VALID_IIN, register
from prokuratura.core.tests.api_client import assert_error, bearer


def payload(**overrides):
    body = {
        "kind": "complaint",
        "subject": "Отказ в пособии",
        "text": "Мне отказали в назначении пособия без объяснения причин.",
        "region": "710000000",
        "topic": "social",
        "applicant": {
            "type": "individual",
            "name": "Жумабаева Айгуль",
            "iin": VALID_IIN,
            "email": "aigul@example.kz",
            "language": "kk",
            "consent_personal_data": True,
        },
        "received_via": "other_body",
    }
    body.update(overrides)
    return body


@pytest.fixture
def registrar_api(cast, no_2fa):
    return bearer(cast.registrar_astana)


def test_register_returns_201_with_number_and_deadline(registrar_api, offices):
    response = registrar_api.post("/api/v1/appeals", payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reg_number"].startswith("AST-")
    assert body["status"] == "registered"
    assert body["channel"] == "api"
    assert Appeal.objects.get(pk=body["id"]).applicant_language == "kk"


def test_a_retry_with_the_same_idempotency_key_makes_no_second_appeal(registrar_api, offices):
    first = registrar_api.post(
        "/api/v1/appeals", payload(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="req-42"
    )
    again = registrar_api.post(
        "/api/v1/appeals", payload(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="req-42"
    )
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Appeal.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(registrar_api, offices):
    registrar_api.post(
        "/api/v1/appeals", payload(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    other = registrar_api.post(
        "/api/v1/appeals",
        payload(subject="Другое"),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert_error(other, 409)
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region": "000000000"}, "region"),
        ({"topic": "astrology"}, "topic"),
        (
            {
                "applicant": {
                    "type": "individual",
                    "name": "X",
                    "iin": "900101300127",
                    "consent_personal_data": True,
                }
            },
            "applicant_iin",
        ),
        (
            {"applicant": {"type": "individual", "name": "X", "consent_personal_data": False}},
            "consent_personal_data",
        ),
        ({"received_at": "2026-12-01T10:30:00"}, "received_at"),  # no time zone: whose 10:30?
        ({"received_at": "2099-01-01T10:30:00+05:00"}, "received_at"),  # in the future
    ],
)
def test_bad_input_is_422_with_details_and_saves_nothing(registrar_api, offices, overrides, field):
    response = registrar_api.post("/api/v1/appeals", payload(**overrides), content_type="application/json")
    body = assert_error(response, 422)
    assert field in body["details"]
    assert Appeal.objects.count() == 0


def test_a_time_of_receipt_a_little_ahead_of_our_clock_is_accepted(registrar_api, offices):
    import datetime as dt

    from django.utils import timezone

    ahead = (timezone.now() + dt.timedelta(minutes=2)).isoformat()
    response = registrar_api.post(
        "/api/v1/appeals", payload(received_at=ahead), content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_a_failed_create_releases_the_key_for_a_corrected_retry(registrar_api, offices):
    bad = registrar_api.post(
        "/api/v1/appeals",
        payload(topic="astrology"),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="fix",
    )
    assert bad.status_code == 422
    good = registrar_api.post(
        "/api/v1/appeals", payload(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="fix"
    )
    assert good.status_code == 201


def test_malformed_json_is_a_400(registrar_api, offices):
    response = registrar_api.post("/api/v1/appeals", "{not json", content_type="application/json")
    assert_error(response, 400)


def test_a_prosecutor_may_not_register(cast, offices, no_2fa):
    response = bearer(cast.prosecutor_astana).post(
        "/api/v1/appeals", payload(), content_type="application/json"
    )
    assert_error(response, 403)


def test_another_office_sees_404_for_an_internal_appeal(cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    assert bearer(cast.prosecutor_almaty).get(f"/api/v1/appeals/{appeal.pk}").status_code == 404
    assert bearer(cast.head_astana).get(f"/api/v1/appeals/{appeal.pk}").status_code == 200


def test_list_shows_only_visible_appeals(cast, offices, no_2fa):
    mine = register(by=cast.registrar_astana, region=offices.astana.region)
    register(by=cast.registrar_astana, region=offices.almaty.region)
    items = bearer(cast.head_astana).get("/api/v1/appeals").json()["items"]
    assert [item["id"] for item in items] == [mine.pk]


def test_steps_through_the_api(cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    head, prosecutor = bearer(cast.head_astana), bearer(cast.prosecutor_astana)
    r = head.post(
        f"/api/v1/appeals/{appeal.pk}/assign",
        {"assignee_id": cast.prosecutor_astana.pk},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    assert (
        prosecutor.post(f"/api/v1/appeals/{appeal.pk}/start", content_type="application/json").status_code
        == 200
    )
    r = prosecutor.post(
        f"/api/v1/appeals/{appeal.pk}/answer",
        {"outcome": "explained", "answer_text": "Разъяснён порядок обжалования."},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    closed = prosecutor.post(f"/api/v1/appeals/{appeal.pk}/close", {}, content_type="application/json")
    assert_error(closed, 403)
    assert Appeal.objects.get(pk=appeal.pk).status == Status.ANSWERED


def test_a_forbidden_transition_is_422(cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    r = bearer(cast.head_astana).post(
        f"/api/v1/appeals/{appeal.pk}/answer",
        {"outcome": "explained", "answer_text": "x"},
        content_type="application/json",
    )
    assert r.status_code in (403, 422)
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REGISTERED


def test_deadlines_endpoint(cast, offices, no_2fa):
    register(by=cast.registrar_astana, region=offices.astana.region)
    body = bearer(cast.head_astana).get("/api/v1/appeals/deadlines?scope=office").json()
    assert set(body["counts"]) == {"today", "soon", "overdue"}


def test_the_steps_endpoint_lists_what_the_caller_may_do_now(cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    head = bearer(cast.head_astana).get(f"/api/v1/appeals/{appeal.pk}/steps").json()
    assert [s["name"] for s in head] == ["route", "correct", "assign", "forward", "leave"]
    assert head[2]["path"] == f"/api/v1/appeals/{appeal.pk}/assign"
    assert (head[0]["target"], head[2]["target"], head[4]["reason"], head[4]["deadline"]) == (
        "registered",  # routing keeps the status
        "assigned",
        "required",
        "stop",
    )
    registrar = bearer(cast.registrar_astana).get(f"/api/v1/appeals/{appeal.pk}/steps").json()
    assert [s["name"] for s in registrar] == ["route", "correct"]
    assert bearer(cast.analyst).get(f"/api/v1/appeals/{appeal.pk}/steps").status_code == 403
    assert bearer(cast.prosecutor_almaty).get(f"/api/v1/appeals/{appeal.pk}/steps").status_code == 404


def test_routing_through_the_api(cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    r = bearer(cast.registrar_astana).post(
        f"/api/v1/appeals/{appeal.pk}/route",
        {"office": offices.astana_district.code, "reason": "По месту жительства"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["office"] == offices.astana_district.code
    unknown = bearer(cast.registrar_astana).post(
        f"/api/v1/appeals/{appeal.pk}/route", {"office": "NOPE"}, content_type="application/json"
    )
    assert_error(unknown, 422)


def test_a_step_on_a_version_read_before_a_change_is_412(cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    head = bearer(cast.head_astana)
    read = head.get(f"/api/v1/appeals/{appeal.pk}").json()["version"]
    assigned = head.post(
        f"/api/v1/appeals/{appeal.pk}/assign",
        {"assignee_id": cast.prosecutor_astana.pk},
        content_type="application/json",
        headers={"If-Match": read},
    )
    assert assigned.status_code == 200 and assigned.json()["version"] != read
    stale = head.post(
        f"/api/v1/appeals/{appeal.pk}/assign",
        {"assignee_id": cast.head_astana.pk},
        content_type="application/json",
        headers={"If-Match": read},
    )
    assert_error(stale, 412)
    assert Appeal.objects.get(pk=appeal.pk).assignee == cast.prosecutor_astana


def test_extending_a_term_that_has_run_out_is_422_with_the_reason(cast, offices, no_2fa):
    import datetime as dt

    from django.utils import timezone

    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    ran_out = timezone.localdate() - dt.timedelta(days=2)
    Appeal.objects.filter(pk=appeal.pk).update(due_date=ran_out)
    r = bearer(cast.head_astana).post(
        f"/api/v1/appeals/{appeal.pk}/extend",
        {"until": (ran_out + dt.timedelta(days=20)).isoformat(), "reason": "Экспертиза"},
        content_type="application/json",
    )
    body = assert_error(r, 422)
    assert ran_out.strftime("%d.%m.%Y") in str(body["details"])
    assert Appeal.objects.get(pk=appeal.pk).status == Status.IN_REVIEW


def test_a_registrar_corrects_details_through_the_api_sending_only_what_changes(cast, offices, no_2fa):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    client = bearer(cast.registrar_astana)
    r = client.post(
        f"/api/v1/appeals/{appeal.pk}/correct",
        {"subject": "Исправленная тема", "topic": "housing", "reason": "Опечатка"},
        content_type="application/json",
    )
    assert (
        r.status_code == 200 and r.json()["subject"] == "Исправленная тема" and r.json()["topic"] == "housing"
    )
    unknown = client.post(
        f"/api/v1/appeals/{appeal.pk}/correct",
        {"topic": "astrology", "reason": "—"},
        content_type="application/json",
    )
    assert "topic" in assert_error(unknown, 422)["details"]
