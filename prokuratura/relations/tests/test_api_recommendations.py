"""/api/v1/relations/recommendations: a special rapporteur's visit with two recommendations, one's implementation
status updated with its evidence, the history; bad input and unknown ids (422, nothing saved), others' (404), the
list's query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from prokuratura.core.tests.api_client import assert_error, bearer

from ..models import ImplementationStatus, Recommendation
from . import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/relations/recommendations"
TODAY = timezone.localdate()


def _post(client, url: str, body: dict[str, Any], **headers: str):
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def visit(cast):
    return f.un_visit(
        by=cast.intl_officer,
        mandate_code="sr-torture",
        start=TODAY - dt.timedelta(days=40),
        end=TODAY - dt.timedelta(days=33),
        sensitivity="internal",
    )


def _body(visit, **overrides: Any) -> dict[str, Any]:
    body = {
        "source_kind": "special_procedure",
        "source_id": visit.principal_id,
        "event_id": visit.pk,
        "text": "Ensure prompt and impartial investigation of all allegations of torture.",
        "issued_on": (TODAY - dt.timedelta(days=30)).isoformat(),
        "document": "A/HRC/13/39/Add.3",
        "paragraph": "81(a)",
        "theme": f.topic("torture", "human_rights").code,
    }
    body.update(overrides)
    return body


def test_a_visit_with_two_recommendations_and_one_updated(cast, visit):
    client = bearer(cast.intl_officer)
    first = _post(client, URL, _body(visit), HTTP_IDEMPOTENCY_KEY="r-1")
    second = _post(client, URL, _body(visit, paragraph="81(b)"))
    assert first.status_code == second.status_code == 201, first.content
    rec_id = first.json()["id"]
    assert first.json()["theme"] == "torture" and first.json()["steps"] == ["start"]
    started = _post(client, f"{URL}/{rec_id}/start", {"planned_actions": "Draft amendments to the CPC"})
    assert started.status_code == 200, started.content
    reported = _post(
        client, f"{URL}/{rec_id}/report", {"status": "partially", "evidence": "Law No. 123 adopted"}
    )
    assert reported.json()["status"] == ImplementationStatus.PARTIALLY
    history = client.get(f"{URL}/{rec_id}/history").json()
    assert [h["step"] for h in history] == ["create", "start", "report"]
    assert history[-1]["reason"] == "Law No. 123 adopted"
    listed = client.get(URL, {"event": visit.pk}).json()
    assert listed["count"] == 2


def test_bad_input_and_unknown_ids(cast, visit):
    client = bearer(cast.intl_officer)
    future = (TODAY + dt.timedelta(days=5)).isoformat()
    bad = _post(client, URL, _body(visit, issued_on=future, source_kind="x"))
    assert set(assert_error(bad, 422)["details"]) == {"issued_on", "source_kind"}
    unknown = _post(client, URL, _body(visit, source_id=999999, event_id=999999, theme="nope"))
    assert set(assert_error(unknown, 422)["details"]) == {"source_id", "event_id", "theme"}
    hidden = _post(bearer(cast.prosecutor_almaty), URL, _body(visit))  # the visit is another office's
    assert set(assert_error(hidden, 422)["details"]) == {"event_id"}
    assert not Recommendation.objects.exists()


def test_list_query_count_patch_and_404(cast, visit, django_assert_max_num_queries):
    for n in range(3):
        f.recommendation(by=cast.intl_officer, paragraph=str(n))
    client = bearer(cast.head_gpo)
    with django_assert_max_num_queries(12):
        body = client.get(URL, {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    rec = Recommendation.objects.first()
    patched = bearer(cast.intl_officer).patch(
        f"{URL}/{rec.pk}", {"planned_actions": "Training"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["planned_actions"] == "Training"
    assert_error(bearer(cast.prosecutor_almaty).get(f"{URL}/{rec.pk}/history"), 404)
