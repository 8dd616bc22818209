"""/api/v1/relations/counterparts and /topics: permissions, filters (kind, parent, words in any language),
pagination, one counterpart with its chain, 404 for an unknown id."""

from __future__ import annotations

import pytest
from django.test import Client

from prokuratura.core.tests.api_client import assert_error, bearer

from ..models import Counterpart

pytestmark = pytest.mark.django_db
URL = "/api/v1/relations/counterparts"


def test_needs_a_user_with_the_permission(cast):
    assert_error(Client().get(URL), 401)
    assert_error(bearer(cast.analyst).get(URL), 403)


def test_list_filters_and_pages(cast, django_assert_max_num_queries):
    client = bearer(cast.intl_officer)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"page_size": 10})
    body = response.json()
    assert response.status_code == 200 and body["count"] == Counterpart.objects.count()
    assert [item["code"] for item in body["items"][:3]] == ["un", "un-hrc", "hrc-special-procedures"]
    assert body["next"]
    found = client.get(URL, {"q": "ОБСЕ", "kind": "field_office"}).json()
    assert [item["code"] for item in found["items"]] == ["osce-astana"]
    assert "OSCE Centre in Astana" in found["items"][0]["aliases"]
    special = Counterpart.objects.get(code="hrc-special-procedures")
    mandates = client.get(URL, {"parent": special.pk, "page_size": 100}).json()["items"]
    assert {item["kind"] for item in mandates} == {"mandate"} and len(mandates) >= 12
    assert_error(client.get(URL, {"kind": "planet"}), 422)


def test_detail_with_its_chain(cast):
    client = bearer(cast.prosecutor_astana)
    torture = Counterpart.objects.get(code="sr-torture")
    body = client.get(f"{URL}/{torture.pk}").json()
    chain = list(
        Counterpart.objects.filter(code__in=["un", "un-hrc", "hrc-special-procedures"]).values_list(
            "pk", flat=True
        )
    )
    assert sorted(body["ancestors"]) == sorted(chain) and body["children"] == []
    assert body["mandate_kind"] == "special_rapporteur" and body["name_ru"].startswith(
        "Специальный докладчик"
    )
    assert_error(client.get(f"{URL}/999999999"), 404)


def test_topics(cast):
    client = bearer(cast.intl_officer)
    topics = client.get("/api/v1/relations/topics", {"kind": "crime"}).json()
    assert {t["kind"] for t in topics} == {"crime"}
    terrorism = next(t for t in topics if t["code"] == "terrorism")
    assert "terroris*" in terrorism["keywords"]
