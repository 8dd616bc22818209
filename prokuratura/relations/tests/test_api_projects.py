"""/api/v1/relations/projects: record, idempotent retries, bad input and unknown ids (422, nothing saved), others'
records (404), the list's filters and query count, corrections and the lifecycle's steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from prokuratura.core.tests.api_client import assert_error, bearer

from ..models import CounterpartKind, Project, ProjectStatus
from . import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/relations/projects"
TODAY = timezone.localdate()


def _post(client, url: str, body: dict[str, Any], **headers: str):
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def office(db):
    osce = f.counterpart("osce", name_en="OSCE")
    return f.counterpart("osce-astana", CounterpartKind.FIELD_OFFICE, parent=osce, name_en="OSCE PO Astana")


def _body(partner, **overrides: Any) -> dict[str, Any]:
    body = {
        "partner_id": partner.pk,
        "title": "Criminal justice reform support",
        "start_date": (TODAY - dt.timedelta(days=100)).isoformat(),
        "budget": "150000.00",
        "currency": "EUR",
        "offices": ["GPO"],
        "status": "active",
    }
    body.update(overrides)
    return body


def test_record_once_and_read(cast, office):
    client = bearer(cast.intl_officer)
    first = _post(client, URL, _body(office), HTTP_IDEMPOTENCY_KEY="p-1")
    again = _post(client, URL, _body(office), HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == 201, first.content
    assert again.json()["id"] == first.json()["id"] and Project.objects.count() == 1
    body = first.json()
    assert body["partner"]["code"] == "osce-astana" and body["offices"] == ["GPO"]
    assert body["steps"] == ["suspend", "complete"]


def test_bad_input_and_unknown_ids(cast, office):
    client = bearer(cast.intl_officer)
    bad = _post(client, URL, _body(office, end_date="2000-01-01", currency=""))
    assert set(assert_error(bad, 422)["details"]) == {"end_date", "currency"}
    unknown = _post(client, URL, _body(office, partner_id=999999, offices=["NOPE"], manager_id=999999))
    assert set(assert_error(unknown, 422)["details"]) == {"partner_id", "offices", "manager_id"}
    assert not Project.objects.exists()


def test_list_with_the_partner_below_and_the_query_count(cast, office, django_assert_max_num_queries):
    for n in range(3):
        f.project(by=cast.intl_officer, partner=office, title=f"Project {n}")
    f.project(by=cast.intl_officer, partner=f.counterpart("test-partner"))
    client = bearer(cast.head_gpo)
    with django_assert_max_num_queries(12):
        body = client.get(URL, {"partner": office.parent_id}).json()
    assert body["count"] == 3
    assert client.get(URL, {"partner": 999999}).json()["count"] == 0
    assert bearer(cast.prosecutor_almaty).get(URL).json()["count"] == 0


def test_patch_steps_and_404(cast, office):
    project = f.project(by=cast.intl_officer, partner=office)
    client = bearer(cast.intl_officer)
    patched = client.patch(f"{URL}/{project.pk}", {"reference": "PO-2026-7"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["reference"] == "PO-2026-7"
    started = _post(client, f"{URL}/{project.pk}/start", {})
    assert started.status_code == 200 and started.json()["status"] == ProjectStatus.ACTIVE
    assert_error(bearer(cast.prosecutor_almaty).get(f"{URL}/{project.pk}"), 404)
