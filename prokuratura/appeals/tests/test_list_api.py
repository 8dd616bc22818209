"""The list through the API: whose appeals (`view`), office and prosecutor by name, and assigning several appeals at
once (the lifecycle's `assign` step on each, reported per appeal, idempotent)."""

import pytest

from prokuratura.appeals.models import AppealTransition, Status
from prokuratura.appeals.services.workflow import appeal_assign
from prokuratura.appeals.tests.factories import register
from prokuratura.appeals.transitions import APPEALS
from prokuratura.core.models import Sensitivity
from prokuratura.core.tests.api_client import assert_error, bearer

ASSIGN = "/api/v1/appeals/assign"


@pytest.fixture
def head_api(cast, no_2fa):
    return bearer(cast.head_astana)


@pytest.fixture
def appeals(offices, cast):
    first = register(by=cast.registrar_astana, region=offices.astana.region)
    second = register(by=cast.registrar_astana, office=offices.astana_district)
    almaty = register(by=cast.registrar_astana, region=offices.almaty.region, sensitivity=Sensitivity.PUBLIC)
    hidden = register(by=cast.registrar_astana, region=offices.almaty.region)
    return first, second, almaty, hidden


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_the_list_narrows_by_view_office_and_assignee(head_api, cast, appeals, offices):
    first, second, almaty, hidden = appeals
    appeal_assign(by=cast.head_astana, appeal=first, assignee=cast.prosecutor_astana)
    assert ids(head_api.get("/api/v1/appeals")) == {first.pk, second.pk, almaty.pk}
    assert ids(head_api.get("/api/v1/appeals", {"view": "office"})) == {first.pk, second.pk}
    assert ids(head_api.get("/api/v1/appeals", {"view": "mine"})) == set()
    assert ids(head_api.get("/api/v1/appeals", {"office": "AST-01"})) == {second.pk}
    assert ids(head_api.get("/api/v1/appeals", {"office": "NOPE"})) == set()
    assert ids(head_api.get("/api/v1/appeals", {"assignee_id": cast.prosecutor_astana.pk})) == {first.pk}
    assert_error(head_api.get("/api/v1/appeals", {"view": "everything"}), 422)


def test_the_list_names_the_office_and_the_prosecutor(head_api, cast, appeals):
    first, *_rest = appeals
    appeal_assign(by=cast.head_astana, appeal=first, assignee=cast.prosecutor_astana)
    items = {item["id"]: item for item in head_api.get("/api/v1/appeals").json()["items"]}
    assert items[first.pk]["office"] == "AST"
    assert items[first.pk]["office_name"] in {
        first.office.name_en,
        first.office.name_ru,
        first.office.name_kk,
    }
    assert items[first.pk]["assignee_name"] == cast.prosecutor_astana.full_name
    assert items[appeals[1].pk]["assignee_name"] is None


def test_several_appeals_are_assigned_each_through_the_lifecycle_and_reported(head_api, cast, appeals):
    first, second, almaty, hidden = appeals
    stale_version = APPEALS.version(second)
    appeal_assign(by=cast.head_gpo, appeal=second, assignee=cast.prosecutor_astana)
    response = head_api.post(
        ASSIGN,
        {
            "appeal_ids": [first.pk, second.pk, almaty.pk, hidden.pk, 999_999, first.pk],
            "assignee_id": cast.prosecutor_astana.pk,
            "reason": "Срочно",
            "versions": {str(second.pk): stale_version},
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assigned"] == 1 and body["refused"] == 4
    results = {r["id"]: r for r in body["results"]}
    assert [r["id"] for r in body["results"]] == [first.pk, second.pk, almaty.pk, hidden.pk, 999_999]
    assert results[first.pk] == {
        "id": first.pk,
        "reg_number": first.reg_number,
        "assigned": True,
        "error": None,
        "message": None,
    }
    assert results[second.pk]["error"] == "stale"
    assert results[almaty.pk]["error"] == "forbidden"  # visible (public), not over the head's office
    for unseen in (hidden.pk, 999_999):  # not visible, or not there: the same answer
        assert results[unseen] == {
            "id": unseen,
            "reg_number": None,
            "assigned": False,
            "error": "not_found",
            "message": results[999_999]["message"],
        }
    first.refresh_from_db()
    assert first.status == Status.ASSIGNED and first.assignee == cast.prosecutor_astana
    assert AppealTransition.objects.get(appeal=first, step="assign").reason == "Срочно"


def test_a_retry_with_the_same_key_assigns_nothing_twice(head_api, cast, appeals):
    first, *_rest = appeals
    body = {"appeal_ids": [first.pk], "assignee_id": cast.prosecutor_astana.pk}
    one = head_api.post(ASSIGN, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="bulk-1")
    two = head_api.post(ASSIGN, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="bulk-1")
    assert one.status_code == two.status_code == 200
    assert two["Idempotent-Replayed"] == "true" and two.json() == one.json()
    assert AppealTransition.objects.filter(appeal=first, step="assign").count() == 1


def test_bad_requests_are_refused_before_anything_is_done(head_api, cast, appeals):
    first, *_rest = appeals
    assert_error(
        head_api.post(
            ASSIGN,
            {"appeal_ids": [], "assignee_id": cast.prosecutor_astana.pk},
            content_type="application/json",
        ),
        422,
    )
    assert_error(
        head_api.post(
            ASSIGN,
            {"appeal_ids": list(range(1, 202)), "assignee_id": cast.prosecutor_astana.pk},
            content_type="application/json",
        ),
        422,
    )
    unknown = assert_error(
        head_api.post(
            ASSIGN, {"appeal_ids": [first.pk], "assignee_id": 999_999}, content_type="application/json"
        ),
        422,
    )
    assert "assignee_id" in unknown["details"]
    assert_error(head_api.post(ASSIGN, "appeal_ids=1", content_type="text/plain"), 415)
    first.refresh_from_db()
    assert first.assignee is None


def test_someone_who_may_not_assign_is_refused(cast, appeals, no_2fa):
    first, *_rest = appeals
    for user in (cast.prosecutor_astana, cast.registrar_astana):
        response = bearer(user).post(
            ASSIGN,
            {"appeal_ids": [first.pk], "assignee_id": cast.prosecutor_astana.pk},
            content_type="application/json",
        )
        assert_error(response, 403)
