"""The REST API root: /api/v1/. Each app contributes one router (see docs/ARCHITECTURE.md).

`ProkuraturaAPI` is django-ninja's NinjaAPI with the project's rules built in (core/api_support.py):
- every operation is checked against its `@api_permission(...)` declaration right after authentication, and an
  operation without one is replaced by one that answers 403;
- every Django URL callback it produces is marked `access_policy = "api"` for core.AccessPolicyMiddleware (ninja
  rebuilds the URL list on every `api.urls`, so the marking happens where the list is built);
- every error, including 404 for an unknown /api/v1/ path and 405, has the one JSON error shape;
- /api/v1/openapi.json needs a signed-in user or a token; the Swagger page lives at /api/docs/ (staff only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.responses import Status

from prokuratura.accounts.api import router as accounts_router
from prokuratura.appeals.api import router as appeals_router
from prokuratura.cooperation.api import router as cooperation_router
from prokuratura.core.api import router as core_router
from prokuratura.core.api_support import (
    PUBLIC,
    ApiError,
    ApiJSONRenderer,
    BearerTokenAuth,
    ErrorOut,
    JsonParser,
    SessionCookieAuth,
    api_permission,
    error_response,
    install_exception_handlers,
    iter_operations,
    secure_operation,
    session_second_factor_ok,
)
from prokuratura.core.openapi import build_openapi_schema
from prokuratura.core.permissions import AUTHENTICATED, SignedInRequest, require
from prokuratura.relations.api import router as relations_router
from prokuratura.supervision.api import router as supervision_router

logger = logging.getLogger(__name__)

API_ACCESS_POLICY = "api"  # core.AccessPolicyMiddleware lets these through; each operation enforces its own

DESCRIPTION = """The prosecution service's information system, for programs.

**Authentication.** Send a personal API token as `Authorization: Bearer pk_…` (create one with
`POST /api/v1/tokens` while signed in, or on your profile page), or call from the signed-in browser (session
cookie; unsafe methods also need the `X-CSRFToken` header). Without either, every operation but `/ping` answers 401.

**Permissions.** Each operation names the permission it needs in `x-permission`; your roles grant permissions.
Records of other offices that you may not see answer 404, exactly like records that do not exist.

**Errors** always have the shape `{"error": code, "message": text, "details": …}`; `message` is in the language of
the request (`Accept-Language`: kk, ru or en). Validation errors (422) list the bad fields in `details`.

**Lists** are paginated: `?page=&page_size=` (at most 200) with `count`, `next` and `previous`; the audit trail
uses `?after=` keyset pagination instead, which stays fast at any depth.

**Creates** accept an `Idempotency-Key` header: a retry with the same key and body returns the first response.
"""


def _api_view(callback: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a ninja URL callback for the access-policy middleware and give 405 the JSON error shape."""

    @wraps(callback)
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = callback(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(405, details={"allowed": [m.strip() for m in allowed.split(",")]})
            response["Allow"] = allowed
        return response

    view.access_policy = API_ACCESS_POLICY  # type: ignore[attr-defined]
    view.csrf_exempt = True  # type: ignore[attr-defined]  # session auth checks CSRF itself
    return view


def _not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(404, message=_("There is no such API endpoint."))


class ProkuraturaAPI(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        self._secured = False
        self._openapi_cache: dict[str, Any] | None = None
        super().__init__(**kwargs)

    def set_default_exception_handlers(self) -> None:
        install_exception_handlers(self)

    def _get_bound_routers(self) -> Any:
        bound = super()._get_bound_routers()
        if not self._secured:
            for operation in iter_operations(bound):
                secure_operation(self, operation)
            self._secured = True
        return bound

    def all_operations(self) -> list[Any]:
        """Every operation of every mounted router (the contract test walks these)."""
        return list(iter_operations(self._get_bound_routers()))

    def authenticate(self, request: HttpRequest) -> Any:
        """Run the API's authenticators outside an operation (for the OpenAPI document)."""
        for auth in self.auth or []:  # type: ignore[union-attr]
            user = auth(request)
            if user:
                return user
        raise ApiError(401)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The document with unique schema names; a name that would mean two things raises (core/openapi.py)."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return build_openapi_schema(self, path_prefix)

    def openapi_json(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.authenticate(request)
        except ApiError as exc:
            return self.on_exception(request, exc)
        if self._openapi_cache is None:
            self._openapi_cache = dict(self.get_openapi_schema())
        return self.create_response(request, self._openapi_cache, status=200)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns: list[URLResolver | URLPattern] = [
            path("openapi.json", _api_view(self.openapi_json), name="openapi-json"),
            # ninja's own docs page is replaced by /api/docs/ (staff only, no CDN)
            path("docs", _api_view(lambda request: redirect("api_docs")), name="openapi-view"),
        ]
        for bound in self._get_bound_routers():
            for pattern in bound.urls_paths(bound.prefix):
                pattern.callback = _api_view(pattern.callback)
                patterns.append(pattern)
        patterns.append(path("", _api_view(_not_found), name="api-root"))
        patterns.append(re_path(r"^.*$", _api_view(_not_found), name="api-not-found"))
        return patterns


api = ProkuraturaAPI(
    title="prokuratura API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[BearerTokenAuth(), SessionCookieAuth()],
    parser=JsonParser(),
    renderer=ApiJSONRenderer(),
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
api.add_router("", core_router)
api.add_router("", accounts_router)
api.add_router("", appeals_router)
api.add_router("", cooperation_router)
api.add_router("", supervision_router)
api.add_router("", relations_router)


class PingOut(Schema):
    ok: bool
    database: str


@api.get(
    "/ping",
    auth=None,
    response={200: PingOut, 503: ErrorOut},
    tags=["system"],
    summary="Health check",
    description="Answers 200 when the application and its database respond, 503 when the database does not. "
    "Needs no authentication.",
)
@api_permission(PUBLIC)
def ping(request: HttpRequest) -> Any:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer.")
        return Status(
            503, {"error": "unavailable", "message": _("The database does not answer."), "details": None}
        )
    return {"ok": True, "database": "ok"}


@require(AUTHENTICATED)
def api_docs(request: SignedInRequest) -> HttpResponse:
    """Swagger UI for signed-in staff, served from ninja's bundled static files (no CDN)."""
    if not session_second_factor_ok(request.user):
        # accounts' 2FA middleware leaves /api/ to the API's own checks; this page is for people, so send them on.
        from django_otp import user_has_device

        url_name = (
            "accounts:otp_verify" if user_has_device(request.user, confirmed=True) else "accounts:otp_setup"
        )
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")
    return api.docs.render_page(request, api)
