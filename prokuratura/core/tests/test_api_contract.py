"""The API's contract: every operation declares its permission and every response it can give, the OpenAPI
document says so, forgetting a declaration is safe, and the docs are for signed-in staff only."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, path
from ninja import Router

from prokuratura.accounts.roles import ALL_PERMISSIONS
from prokuratura.api import ProkuraturaAPI, api
from prokuratura.core.api_support import (
    AUTHENTICATED,
    PUBLIC,
    BearerTokenAuth,
    ErrorOut,
    JsonParser,
    api_permission,
)
from prokuratura.core.tests.api_client import assert_error, bearer

KNOWN_POLICIES = set(ALL_PERMISSIONS) | {PUBLIC, AUTHENTICATED}
OPERATIONS = api.all_operations()


def _op_id(operation):
    return f"{'/'.join(operation.methods)} {operation.path}"


def _error_codes(operation):
    return {
        code for code, model in operation.response_models.items() if isinstance(code, int) and code >= 400
    }


def _takes_input(operation):
    return bool(operation.models)  # path, query, header or body parameters


# --- walking the operations ------------------------------------------------------------------------------------


def test_the_walk_sees_every_router():
    paths = {operation.path for operation in OPERATIONS}
    assert {"/ping", "/offices", "/audit", "/me", "/tokens", "/users"} <= paths
    assert len(OPERATIONS) >= 19


@pytest.mark.parametrize("operation", OPERATIONS, ids=_op_id)
def test_every_operation_declares_a_known_permission(operation):
    assert operation.api_permission in KNOWN_POLICIES


@pytest.mark.parametrize("operation", OPERATIONS, ids=_op_id)
def test_every_operation_is_documented(operation):
    assert operation.tags
    assert operation.summary and operation.summary != operation.view_func.__name__.title().replace("_", " ")
    assert operation.description


@pytest.mark.parametrize("operation", OPERATIONS, ids=_op_id)
def test_every_operation_lists_the_errors_it_can_return(operation):
    codes = _error_codes(operation)
    if operation.api_permission == PUBLIC:
        assert not operation.auth_callbacks  # public means no authentication at all
    else:
        assert {401, 403} <= codes  # no credentials; lacking the permission (or the CSRF token)
    if _takes_input(operation):
        assert 422 in codes
    if any(m.__ninja_param_source__ == "body" for m in operation.models):
        assert {400, 415} <= codes  # malformed JSON; not JSON at all
    if "{" in operation.path:
        assert 404 in codes
    for code in codes - {503}:
        assert operation.response_models[code].model_fields["response"].annotation is ErrorOut


# --- the OpenAPI document --------------------------------------------------------------------------------------


@pytest.fixture
def openapi(cast):
    response = bearer(cast.analyst).get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_is_3_1_with_title_and_security_schemes(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert openapi["info"]["title"] == "prokuratura API"
    assert openapi["info"]["version"] and openapi["info"]["description"]
    schemes = openapi["components"]["securitySchemes"]
    assert (schemes["BearerTokenAuth"]["type"], schemes["BearerTokenAuth"]["scheme"]) == ("http", "bearer")
    assert schemes["SessionCookieAuth"]["type"] == "apiKey" and schemes["SessionCookieAuth"]["in"] == "cookie"
    assert set(openapi["components"]["schemas"]["ErrorOut"]["required"]) == {"error", "message"}


def test_openapi_lists_every_error_response_of_every_operation(openapi):
    operations = [(p, m, op) for p, methods in openapi["paths"].items() for m, op in methods.items()]
    assert len(operations) == len(OPERATIONS)
    for route, method, operation in operations:
        where = f"{method.upper()} {route}"
        responses = operation["responses"]
        takes_input = bool(operation.get("parameters")) or "requestBody" in operation
        if operation["x-permission"] != PUBLIC:
            assert {"401", "403"} <= set(responses), where
            assert {"BearerTokenAuth": []} in operation["security"], where
            assert {"SessionCookieAuth": []} in operation["security"], where
        else:
            assert "security" not in operation, where
        if takes_input:
            assert "422" in responses, where
        for code, response in responses.items():
            if code.startswith(("4", "5")) and code != "503":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, where


def test_openapi_shows_the_paginated_shapes(openapi):
    offices = openapi["paths"]["/api/v1/offices"]["get"]["responses"]["200"]["content"]["application/json"]
    paged = openapi["components"]["schemas"][offices["schema"]["$ref"].rsplit("/", 1)[1]]
    assert set(paged["properties"]) == {"items", "count", "page", "page_size", "next", "previous"}
    audit = openapi["paths"]["/api/v1/audit"]["get"]
    assert {p["name"] for p in audit["parameters"]} >= {"after", "page_size", "action", "actor"}
    tokens = openapi["paths"]["/api/v1/tokens"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in tokens["parameters"])
    assert {"201", "409", "429"} <= set(tokens["responses"])


def test_openapi_document_needs_an_account(cast, client_for):
    assert_error(Client().get("/api/v1/openapi.json"), 401)
    assert client_for(cast.outsider).get("/api/v1/openapi.json").status_code == 200


# --- Django URL callbacks --------------------------------------------------------------------------------------


def _callbacks(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _callbacks(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry.callback


def test_every_api_url_callback_is_marked_even_when_the_urls_are_rebuilt():
    for _attempt in range(2):  # ninja builds the URL list anew on each access to api.urls
        callbacks = list(_callbacks(api.urls[0]))
        assert callbacks and all(getattr(cb, "access_policy", None) == "api" for cb in callbacks)


def test_ping_passes_the_access_policy_middleware(db):
    assert Client().get("/api/v1/ping").status_code == 200


# --- forgetting a declaration is safe --------------------------------------------------------------------------

_router = Router()


@_router.get("/declared", response={200: dict, 401: ErrorOut, 403: ErrorOut}, summary="Declared")
@api_permission(AUTHENTICATED)
def declared(request):
    return {"ok": True}


@_router.get("/forgotten", response={200: dict, 401: ErrorOut, 403: ErrorOut}, summary="Forgotten")
def forgotten(request):
    return {"secret": "data"}


_contract_api = ProkuraturaAPI(
    title="contract", urls_namespace="contract", auth=[BearerTokenAuth()], parser=JsonParser()
)
_contract_api.add_router("", _router)
urlpatterns = [path("contract/", _contract_api.urls)]


@pytest.mark.urls(__name__)
def test_an_operation_without_a_declaration_always_answers_403(cast):
    client = bearer(cast.admin)
    assert client.get("/contract/declared").json() == {"ok": True}
    response = client.get("/contract/forgotten")
    assert_error(response, 403, "undeclared_permission")
    assert b"secret" not in response.content
    assert_error(Client().get("/contract/forgotten"), 403)  # refused before anything else


def test_the_contract_walk_catches_a_forgotten_declaration():
    undeclared = [op.path for op in _contract_api.all_operations() if op.api_permission is None]
    assert undeclared == ["/forgotten"]


# --- the docs page ---------------------------------------------------------------------------------------------


def test_docs_page_is_for_signed_in_staff(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_docs_page_is_offline_swagger_under_our_csp(cast, client_for):
    response = client_for(cast.outsider).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui-init.js" in html
    assert "/api/v1/openapi.json" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    assert '"validatorUrl": null' in html  # Swagger would otherwise fetch a badge from swagger.io
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp


def test_docs_page_sends_an_unverified_user_to_the_second_factor(cast, client):
    from prokuratura.accounts.models import RolePolicy

    RolePolicy.objects.update_or_create(role="auditor", defaults={"require_2fa": True})
    client.force_login(cast.auditor)  # password only
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/")


def test_ninjas_own_docs_url_redirects_to_the_docs_page(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 302 and response["Location"] == "/api/docs/"
