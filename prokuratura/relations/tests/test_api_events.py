"""/api/v1/relations/events and /relations/tasks: record (the press import's draft), idempotent retries, bad input
and unknown ids (422 naming the field, nothing saved), others' records (404), the list's filters and query count,
corrections (PUT, PATCH), the lifecycle's steps and the follow-up tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from prokuratura.core.tests.api_client import assert_error, bearer

from ..models import Event, EventKind, EventStatus, FollowUpTask, Participant, TaskStatus
from . import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/relations/events"
TODAY = timezone.localdate()


def _post(client, url: str, body: dict[str, Any], **headers: str):
    return client.post(url, body, content_type="application/json", **headers)


def _body(**overrides: Any) -> dict[str, Any]:
    day = (TODAY - dt.timedelta(days=10)).isoformat()
    body = {
        "kind": "incoming_visit",
        "title": "Familiarisation visit of the ambassadors of OSCE participating States",
        "start_date": day,
        "held": True,
        "place": "Astana",
        "participants": [
            {"country": "us", "official_name": "J. Smith", "official_title": "Ambassador"},
            {"counterpart_id": f.counterpart("osce", name_en="OSCE").pk},
        ],
        "agreements": [{"title": "Memorandum of understanding"}],
        "figures": [
            {"value": "44", "text": "44", "subject": "bilateral agreements", "sentence": "…44 bilateral…"}
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def officer(cast):
    f.country("US")
    return bearer(cast.intl_officer)


def test_record_a_confirmed_press_draft(officer, cast):
    response = _post(officer, URL, _body(topics=[f.topic().code]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == EventStatus.HELD and body["office"] == "GPO"
    assert [p["country"] for p in body["participants"]] == ["US", None]
    assert body["participants"][1]["counterpart"]["code"] == "osce"
    assert body["agreements"][0]["title"] == "Memorandum of understanding"
    assert body["figures"][0]["subject"] == "bilateral agreements"
    assert body["may_change"] is True and body["steps"] == []  # held: no step left


def test_a_retry_with_the_same_key_records_once(officer):
    first = _post(officer, URL, _body(), HTTP_IDEMPOTENCY_KEY="press-1")
    again = _post(officer, URL, _body(), HTTP_IDEMPOTENCY_KEY="press-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert Event.objects.count() == 1


def test_bad_input_answers_422_per_field_and_saves_nothing(officer):
    day = TODAY - dt.timedelta(days=3)
    response = _post(
        officer,
        URL,
        _body(
            start_date=day.isoformat(), end_date=(day - dt.timedelta(days=2)).isoformat(), participants=[{}]
        ),
    )
    body = assert_error(response, 422)
    assert body["details"]["end_date"] == ["The event cannot end before it starts."]
    assert "Participant 1" in body["details"]["participants"][0]
    assert not Event.objects.exists() and not Participant.objects.exists()


def test_unknown_ids_name_their_field(officer):
    response = _post(
        officer,
        URL,
        _body(
            principal_id=999999,
            topics=["nope"],
            participants=[{"country": "XX"}],
            agreements=[{"instrument_id": 5}],
        ),
    )
    details = assert_error(response, 422)["details"]
    assert set(details) == {"principal_id", "topics", "participants", "agreements"}
    assert details["participants"] == ["Participant 1: unknown state code XX."]
    assert not Event.objects.exists()


def test_who_may_call_what(cast, client, db):
    event = f.event(by=cast.intl_officer)
    assert_error(client.get(URL), 401)
    assert_error(bearer(cast.analyst).get(URL), 403)  # the numbers, not the records
    assert_error(_post(bearer(cast.auditor), URL, _body()), 403)
    assert_error(bearer(cast.prosecutor_almaty).get(f"{URL}/{event.pk}"), 404)  # another office's record
    assert bearer(cast.head_gpo).get(f"{URL}/{event.pk}").status_code == 200


def test_the_list_filters_and_its_query_count(cast, django_assert_max_num_queries):
    by = cast.intl_officer
    un = f.un_mandate()
    for n in range(4):
        f.event(by=by, title=f"Meeting {n}")
    f.un_visit(by=by, mandate_code="sr-torture", start=dt.date(2009, 5, 5), end=dt.date(2009, 5, 13))
    client = bearer(cast.head_gpo)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"page_size": 3})
    body = response.json()
    assert body["count"] == 5 and len(body["items"]) == 3
    un_visits = client.get(URL, {"counterpart": un.parent.parent_id}).json()
    assert [e["kind"] for e in un_visits["items"]] == [EventKind.INCOMING_VISIT]
    assert client.get(URL, {"special_procedures": True, "to": "2010-01-01"}).json()["count"] == 1
    assert client.get(URL, {"q": "Meeting 3"}).json()["count"] == 1


def test_put_and_patch(officer, cast):
    event_id = _post(officer, URL, _body()).json()["id"]
    patched = officer.patch(f"{URL}/{event_id}", {"place": "Almaty"}, content_type="application/json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["place"] == "Almaty" and len(patched.json()["participants"]) == 2
    put = officer.put(
        f"{URL}/{event_id}", _body(title="Corrected", participants=[]), content_type="application/json"
    )
    assert put.status_code == 200 and put.json()["title"] == "Corrected" and put.json()["participants"] == []
    bad = officer.patch(f"{URL}/{event_id}", {"title": None}, content_type="application/json")
    assert_error(bad, 422)
    assert_error(
        bearer(cast.prosecutor_almaty).patch(f"{URL}/{event_id}", {}, content_type="application/json"), 404
    )


def test_steps_of_a_planned_event(cast):
    event = f.event(by=cast.intl_officer, held=False)
    client = bearer(cast.intl_officer)
    assert [s["name"] for s in client.get(f"{URL}/{event.pk}/steps").json()] == ["hold", "cancel"]
    response = _post(client, f"{URL}/{event.pk}/cancel", {"reason": "The partner postponed"})
    assert response.status_code == 200 and response.json()["status"] == EventStatus.CANCELLED


def test_follow_up_tasks(cast):
    event = f.event(by=cast.intl_officer)
    client = bearer(cast.intl_officer)
    due = (TODAY + dt.timedelta(days=10)).isoformat()
    response = _post(
        client,
        f"{URL}/{event.pk}/tasks",
        {"title": "Send the draft", "owner_id": cast.intl_officer.pk, "due_date": due},
    )
    assert response.status_code == 201, response.content
    task_id = response.json()["id"]
    assert response.json()["steps"] == ["start", "complete", "reschedule", "cancel"]
    unknown = _post(client, f"{URL}/{event.pk}/tasks", {"title": "X", "owner_id": 999999, "due_date": due})
    assert set(assert_error(unknown, 422)["details"]) == {"owner_id"}
    mine = client.get("/api/v1/relations/tasks").json()
    assert [t["id"] for t in mine["items"]] == [task_id]
    started = _post(client, f"/api/v1/relations/tasks/{task_id}/start", {})
    assert started.status_code == 200 and started.json()["status"] == TaskStatus.IN_PROGRESS
    assert FollowUpTask.objects.get().status == TaskStatus.IN_PROGRESS
    assert_error(bearer(cast.prosecutor_almaty).get(f"/api/v1/relations/tasks/{task_id}"), 404)
