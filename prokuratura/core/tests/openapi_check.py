"""A pytest plugin (loaded by the root conftest.py): every response a test gets from /api/v1/ through
django.test.Client must be what the published OpenAPI document promises.

For each response to an operation of `prokuratura.api.api` (matched by path template and method) the status code
must be one the operation declares, the content type one it declares for that status, and a JSON body must
validate against the declared schema (OpenAPI 3.1 = JSON Schema 2020-12, `$ref`s resolved against the document's
components). A mismatch fails the test at the request. Paths and methods the document does not have (a test's own
API, /api/v1/openapi.json itself, an unknown path answering 404) are not checked.

The document is built once per session and each (path, method, status) validator compiled once. A test that
provokes an answer no operation declares on purpose (a 500 from a crash it injects) says so with
`@pytest.mark.undocumented_status(500)`; such a body must still have the one error shape (`ErrorOut`).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from django.http import HttpResponseBase, StreamingHttpResponse
from django.test.client import Client
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

API_PREFIX = "/api/v1/"
UNCHECKED_PATHS = frozenset({"/api/v1/openapi.json", "/api/v1/docs"})


class ResponseContractViolation(AssertionError):
    """A response of the API is not what the OpenAPI document declares."""


@cache
def published_document() -> dict[str, Any]:
    """The document exactly as /api/v1/openapi.json serves it (JSON round trip: status codes become strings)."""
    from prokuratura.api import api

    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """(regex, template) for every documented path; literal segments win over parameters (/appeals/assign before
    /appeals/{appeal_id})."""
    templates = list(published_document()["paths"])

    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"(\{[^}]+\})", template)
        return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")

    ordered = sorted(templates, key=lambda t: (t.count("{"), [s.startswith("{") for s in t.split("/")]))
    return [(pattern(t), t) for t in ordered]


def operation_for(path: str, method: str) -> tuple[str, dict[str, Any]] | None:
    paths = published_document()["paths"]
    for regex, template in _templates():
        if regex.match(path):
            operation = paths[template].get(method.lower())
            if operation is not None:
                return template, operation
    return None


@cache
def _validator(template: str, method: str, status: str, media_type: str) -> Draft202012Validator:
    document = published_document()
    schema = document["paths"][template][method]["responses"][status]["content"][media_type]["schema"]
    # The document is the root resource, so "#/components/schemas/X" resolves inside it.
    root = {**schema, "components": document["components"]}
    Draft202012Validator.check_schema(root)
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def _error_validator() -> Draft202012Validator:
    document = published_document()
    root = {"$ref": "#/components/schemas/ErrorOut", "components": document["components"]}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_response(
    method: str, path: str, response: HttpResponseBase, *, undocumented: frozenset[int] = frozenset()
) -> None:
    """Raise ResponseContractViolation when `response` is not what the document declares for it."""
    if not path.startswith(API_PREFIX) or path in UNCHECKED_PATHS:
        return
    found = operation_for(path, method)
    if found is None:
        return
    template, operation = found
    where = f"{method} {path} ({template})"
    status = str(response.status_code)
    declared = operation["responses"].get(status)
    if declared is None and response.status_code in undocumented:
        _raise_first(where, status, _error_validator(), json.loads(response.content))
        return
    if declared is None:
        raise ResponseContractViolation(
            f"{where} answered {status}, which the OpenAPI document does not declare "
            f"(declared: {', '.join(sorted(operation['responses']))}). Body: {_body_text(response)}"
        )
    content = declared.get("content")
    media_type = (response.get("Content-Type") or "").split(";")[0].strip().lower()
    if not content:
        if response.status_code != 204 and _has_body(response):
            raise ResponseContractViolation(
                f"{where} answered {status} with a body the document does not declare."
            )
        return
    if media_type not in content:
        raise ResponseContractViolation(
            f"{where} answered {status} as {media_type!r}; the document declares {sorted(content)}."
        )
    if media_type != "application/json" or isinstance(response, StreamingHttpResponse):
        return
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise ResponseContractViolation(f"{where} answered {status} with a body that is not JSON.") from exc
    _raise_first(where, status, _validator(template, method.lower(), status, media_type), body)


def _raise_first(where: str, status: str, validator: Draft202012Validator, body: Any) -> None:
    error = best_match(validator.iter_errors(body))
    if error is not None:
        at = "/".join(str(p) for p in error.absolute_path) or "(the body)"
        raise ResponseContractViolation(
            f"{where} answered {status} with a body that does not match the document at {at}: {error.message}"
        )


def _has_body(response: HttpResponseBase) -> bool:
    return not isinstance(response, StreamingHttpResponse) and bool(getattr(response, "content", b""))


def _body_text(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        return "(streamed)"
    return getattr(response, "content", b"")[:500].decode("utf-8", "replace")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "undocumented_status(*codes): the test provokes these API status codes on purpose although no operation "
        "declares them (their body must still be the error shape)",
    )


@pytest.fixture(autouse=True)
def _api_responses_match_the_openapi_document(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Client.request
    marker = request.node.get_closest_marker("undocumented_status")
    undocumented = frozenset(marker.args if marker else ())

    def checked_request(self: Client, **environ: Any) -> Any:
        response = original(self, **environ)
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        check_response(method, path, response, undocumented=undocumented)
        return response

    monkeypatch.setattr(Client, "request", checked_request)
