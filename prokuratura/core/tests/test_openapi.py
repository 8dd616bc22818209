"""The OpenAPI document's schema names (core/openapi.py) and the response check every API test runs through
(core/tests/openapi_check.py)."""

import json

import pytest
from django.http import HttpResponse
from ninja import Schema

from prokuratura.api import ProkuraturaAPI
from prokuratura.appeals.models import Status as AppealStatus
from prokuratura.cooperation.models import Instrument, InstrumentParty
from prokuratura.core.api_support import PUBLIC, api_permission
from prokuratura.core.models import CrimeCategory
from prokuratura.core.openapi import SchemaNameCollision, schema_names
from prokuratura.core.tests.api_client import assert_error, bearer
from prokuratura.core.tests.openapi_check import (
    ResponseContractViolation,
    check_response,
    operation_for,
    published_document,
)


def _ref(schema):
    return schema["$ref"].rsplit("/", 1)[1]


def test_nested_and_clashing_classes_get_their_own_names():
    schemas = published_document()["components"]["schemas"]
    assert set(schemas["AppealStatus"]["enum"]) == set(AppealStatus.values)
    assert set(schemas["InstrumentStatus"]["enum"]) == set(Instrument.Status.values)
    assert set(schemas["InstrumentPartyStatus"]["enum"]) == set(InstrumentParty.Status.values)
    assert set(schemas["InstrumentKind"]["enum"]) == set(Instrument.Kind.values)
    assert set(schemas["CrimeCategoryKind"]["enum"]) == set(CrimeCategory.Kind.values)
    assert {"KeysetPaginationInput", "PageNumberPaginationInput"} <= set(schemas)
    assert {"AppealReasonIn", "SupervisionReasonIn"} <= set(schemas)
    assert not {"Status", "Kind", "Input", "ReasonIn"} & set(schemas)
    assert not [name for name in schemas if "__" in name]


def test_an_appeal_is_documented_with_appeal_statuses():
    document = published_document()
    appeal = document["components"]["schemas"]["AppealOut"]
    assert _ref(appeal["properties"]["status"]) == "AppealStatus"


def test_names_are_qualnames_with_the_apps_prefix_only_where_ambiguous():
    names = schema_names(
        {
            ("prokuratura.appeals.models", "Status"),
            ("prokuratura.cooperation.models", "Instrument.Status"),
            ("prokuratura.core.models", "Office.Level"),
            ("prokuratura.appeals.schemas", "ReasonIn"),
            ("prokuratura.supervision.schemas", "ReasonIn"),
            ("prokuratura.cooperation.request_schemas", "CoopReasonIn"),
            ("prokuratura.relations.models", "Meeting.Kind"),
            ("prokuratura.supervision.models", "Meeting.Kind"),
        }
    )
    assert names == {
        "prokuratura.appeals.models.Status": "AppealStatus",
        "prokuratura.cooperation.models.Instrument.Status": "InstrumentStatus",
        "prokuratura.core.models.Office.Level": "OfficeLevel",
        "prokuratura.appeals.schemas.ReasonIn": "AppealReasonIn",
        "prokuratura.supervision.schemas.ReasonIn": "SupervisionReasonIn",
        "prokuratura.cooperation.request_schemas.CoopReasonIn": "CoopReasonIn",
        "prokuratura.relations.models.Meeting.Kind": "RelMeetingKind",
        "prokuratura.supervision.models.Meeting.Kind": "SupervisionMeetingKind",
    }


def _thing(fields: dict[str, type]) -> type[Schema]:
    """A schema class always named `elsewhere.Thing`, whatever its fields."""
    cls = type("Thing", (Schema,), {"__annotations__": fields, "__module__": "elsewhere"})
    cls.__qualname__ = "Thing"
    return cls


def test_a_name_that_would_mean_two_things_is_refused():
    first, second = _thing({"a": int}), _thing({"b": str})

    class FirstOut(Schema):
        thing: first  # type: ignore[valid-type]

    class SecondOut(Schema):
        thing: second  # type: ignore[valid-type]

    fake = ProkuraturaAPI(title="collision", version="0", urls_namespace="collision")

    @fake.get("/one", response=FirstOut)
    @api_permission(PUBLIC)
    def one(request):  # pragma: no cover - never called
        return None

    @fake.get("/two", response=SecondOut)
    @api_permission(PUBLIC)
    def two(request):  # pragma: no cover - never called
        return None

    with pytest.raises(SchemaNameCollision, match="Thing"):
        fake.get_openapi_schema(path_prefix="/x/")


def _json(status, body):
    return HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")


def test_the_check_accepts_what_the_document_declares():
    check_response("GET", "/api/v1/ping", _json(200, {"ok": True, "database": "ok"}))
    error = {"error": "not_found", "message": "No.", "details": None}
    check_response("GET", "/api/v1/appeals/12", _json(404, error))


def test_the_check_refuses_a_body_that_does_not_match():
    with pytest.raises(ResponseContractViolation, match="database"):
        check_response("GET", "/api/v1/ping", _json(200, {"ok": True}))
    with pytest.raises(ResponseContractViolation, match="'id' is a required property"):
        an_error_as_an_appeal = {"error": "not_found", "message": "No.", "details": None}
        check_response("GET", "/api/v1/appeals/12", _json(200, an_error_as_an_appeal))


def test_the_check_refuses_an_undocumented_status_or_content_type():
    error = {"error": "teapot", "message": "No.", "details": None}
    with pytest.raises(ResponseContractViolation, match="418"):
        check_response("GET", "/api/v1/ping", _json(418, error))
    with pytest.raises(ResponseContractViolation, match="text/html"):
        check_response("GET", "/api/v1/ping", HttpResponse("<p>ok</p>", content_type="text/html"))


def test_the_check_passes_over_what_the_document_does_not_have():
    check_response("GET", "/api/v1/no-such-thing", _json(404, {"anything": 1}))
    check_response("GET", "/api/v1/openapi.json", _json(200, {"anything": 1}))
    check_response("GET", "/contract/ping", _json(418, {"anything": 1}))


def test_a_literal_path_wins_over_a_template():
    paths = published_document()["paths"]
    literal = [p for p in paths if p.startswith("/api/v1/appeals/") and "{" not in p and p.count("/") == 4]
    assert literal, "the appeals API has an operation at a literal path under /appeals/"
    for path in literal:
        methods = list(paths[path])
        assert operation_for(path, methods[0])[0] == path


def test_every_operation_declares_the_input_policys_answers():
    """core.input_policy refuses NUL and non-UTF-8 bytes (400) and oversized bodies (413) before any operation
    runs; schemathesis found GET lists answering an undeclared 400."""
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, methods in published_document()["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert responses["400"]["content"]["application/json"]["schema"] == error, (method, path)
            if "requestBody" in operation:
                assert responses["413"]["content"]["application/json"]["schema"] == error, (method, path)
            assert list(responses) == sorted(responses, key=int), (method, path)


def test_a_nul_in_a_list_query_is_a_documented_400(cast):
    assert_error(bearer(cast.analyst).get("/api/v1/offices", {"q": "a\x00b"}), 400, "invalid_characters")
