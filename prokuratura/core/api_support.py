"""What every REST operation shares: authentication, the one error shape, permission declarations, pagination
and idempotent creates. `prokuratura/api.py` assembles the API from these pieces; each app's `api.py` only
declares operations.

- Auth: `Authorization: Bearer <token>` (accounts.services.token_authenticate) or the browser's session (with the
  CSRF check on unsafe methods and the same second-factor rule as the HTML pages). Neither → 401.
- Every operation declares what it needs with `@api_permission(Perm.X)` (or AUTHENTICATED / PUBLIC). The API
  checks the declaration right after authentication, before the input is validated; an operation that declares
  nothing is replaced by one that always answers 403 (`ProkuraturaAPI` in prokuratura/api.py).
- Every error is `{"error": code, "message": text in the request's language, "details": ...}`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import TYPE_CHECKING, Annotated, Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError, connection, models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder, Status
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import UserRateThrottle
from ninja.utils import check_csrf

from .models import IdempotencyRecord
from .permissions import AUTHENTICATED, PUBLIC, user_may
from .prepared import cursor as prepared_cursor
from .throttle import SharedRateThrottle
from .transactions import whole_transaction

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

logger = logging.getLogger(__name__)

__all__ = [
    "AUTHENTICATED",
    "PUBLIC",
    "ApiError",
    "ApiJSONRenderer",
    "BearerTokenAuth",
    "ErrorOut",
    "IdempotencyKey",
    "JsonParser",
    "KeysetPagination",
    "PageNumberPagination",
    "SessionCookieAuth",
    "api_permission",
    "api_user",
    "errors",
    "first_messages",
    "idempotency_purge",
    "idempotent",
    "validation_messages",
]

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
API_PERMISSION_ATTR = "api_permission"


# --- the error shape ------------------------------------------------------------------------------------------


class FieldError(Schema):
    loc: list[str | int] = Field(
        ..., description="Where the bad value is: source (body/query/path/header), then fields."
    )
    msg: str
    type: str


class ErrorOut(Schema):
    """Every error the API returns has this shape."""

    error: str = Field(..., description="A stable machine-readable code, e.g. `not_found`.")
    message: str = Field(..., description="What went wrong, in the request's language.")
    details: list[FieldError] | dict[str, Any] | None = Field(
        None, description="422: the field errors; 405: the allowed methods; otherwise null."
    )


ERROR_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


def default_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Sign in or send a valid API token."),
        403: _("You do not have permission to do this."),
        404: _("There is no such resource, or you may not see it."),
        405: _("This method is not allowed here."),
        409: _("The request conflicts with an earlier one."),
        415: _("Send the request body as JSON (Content-Type: application/json)."),
        422: _("Some of the values sent are not valid."),
        429: _("Too many requests. Wait a little and try again."),
        500: _("Something went wrong on our side. The error has been logged."),
        503: _("The service is temporarily unavailable."),
    }
    return messages.get(status, _("The request failed."))


def _dumps(data: Any) -> str:
    return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)


class ApiJSONRenderer(JSONRenderer):
    """UTF-8 JSON without \\u escapes: names in Kazakh and Russian stay readable and half the size."""

    json_dumps_params = {"ensure_ascii": False}


class ApiError(Exception):
    """Raise from an endpoint (or a helper) to answer with the error shape."""

    def __init__(self, status: int, code: str | None = None, message: str | None = None, details: Any = None):
        self.status = status
        self.code = code or ERROR_CODES.get(status, "error")
        self.message = message
        self.details = details
        super().__init__(self.code)


def error_response(
    status: int, code: str | None = None, message: str | None = None, details: Any = None
) -> HttpResponse:
    body = {
        "error": code or ERROR_CODES.get(status, "error"),
        "message": message or default_message(status),
        "details": details,
    }
    response = HttpResponse(_dumps(body), status=status, content_type=JSON_CONTENT_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="prokuratura"'
    return response


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """`response={200: Out, **errors(401, 403, 422)}`: list every error an operation can answer with."""
    return dict.fromkeys(statuses, ErrorOut)


# The error answers of the usual operations on a module's records (each operation lists what it can answer).
LIST_ERRORS = errors(401, 403, 422)
DETAIL_ERRORS = errors(401, 403, 404, 422)
CREATE_ERRORS = errors(400, 401, 403, 409, 415, 422)
CREATE_IN_ERRORS = errors(
    400, 401, 403, 404, 409, 415, 422
)  # a record made inside another one (404: not yours)
WRITE_ERRORS = errors(400, 401, 403, 404, 415, 422)


def _field_errors(raw: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "loc": list(item.get("loc", ())),
            "msg": str(item.get("msg", "")),
            "type": str(item.get("type", "invalid")),
        }
        for item in raw
    ]


def validation_messages(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError's messages by field, as plain strings ("__all__": those that name no field).
    What a 422 answer carries in `details`."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}


def first_messages(exc: DjangoValidationError) -> dict[str, str]:
    """The first message for each field of `validation_messages`: for input checked in several steps whose
    problems are gathered into one ValidationError, one message a field."""
    return {field: messages[0] for field, messages in validation_messages(exc).items()}


class UnsupportedMediaType(Exception):
    """The body is not JSON (raised by JsonParser; ninja wraps it in a 400 HttpError, which we turn into 415)."""


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.details)


def _on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(422, details=_field_errors(exc.errors))


def _on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return error_response(422, details=validation_messages(exc))


def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(401)


def _on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return error_response(429)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, UnsupportedMediaType):
        return error_response(415)
    if exc.status_code == 400:
        # ninja's only 400: a body that is not valid JSON.
        return error_response(400, "malformed_body", _("The request body is not valid JSON."))
    return error_response(exc.status_code)


def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404)


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # A service that refuses says why, in the user's language ("Only a head closes an inspection."); a bare refusal
    # gets the general sentence.
    return error_response(403, message=str(exc) or None)


def payload_too_large() -> HttpResponse:
    """413: a body over DATA_UPLOAD_MAX_MEMORY_SIZE or with too many fields (core.input_policy answers it before
    the API runs; the handler below is the net for a body read some other way)."""
    from .input_policy import too_large_message

    return error_response(413, "payload_too_large", too_large_message())


def _on_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return payload_too_large()


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with the traceback for us; the client learns nothing about the internals.
    logger.exception("Unhandled error in API %s %s", request.method, request.path, exc_info=exc)
    return error_response(500)


def install_exception_handlers(api: Any) -> None:
    """Every exception an operation can raise becomes the one error shape (the most specific class wins)."""
    api.add_exception_handler(Exception, _on_unexpected)
    api.add_exception_handler(ApiError, _on_api_error)
    api.add_exception_handler(NinjaValidationError, _on_validation_error)
    api.add_exception_handler(DjangoValidationError, _on_django_validation_error)
    api.add_exception_handler(AuthenticationError, _on_authentication_error)
    api.add_exception_handler(Throttled, _on_throttled)
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(Http404, _on_not_found)
    api.add_exception_handler(PermissionDenied, _on_permission_denied)
    for too_large in (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        api.add_exception_handler(too_large, _on_too_large)


class JsonParser(Parser):
    """Bodies must be JSON: a form-encoded or text body is refused (415) rather than guessed at."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = (request.content_type or "").lower()
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise UnsupportedMediaType(content_type)
        return super().parse_body(request)


# --- authentication --------------------------------------------------------------------------------------------


def api_user(request: HttpRequest) -> User:
    """The user the request acts as: the token's owner or the signed-in session user.

    Typed `User`: every operation but a PUBLIC one runs only after authentication has found one. A PUBLIC one gets
    the request's AnonymousUser here, which `user_may`, the access helpers and the selectors refuse at run time."""
    return cast("User", getattr(request, "auth", None) or request.user)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer pk_…` — a personal API token (stored hashed; revoked and expired ones refused)."""

    openapi_description = (
        "A personal API token: `Authorization: Bearer pk_…` (create one at POST /api/v1/tokens)."
    )

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if not header:
            return None  # no token: let the session try
        scheme, _sep, secret = header.partition(" ")
        # A header that is present but unusable is refused outright rather than falling back to the session.
        if scheme.lower() != "bearer" or not secret.strip():
            raise ApiError(401, "invalid_token", _("The Authorization header must be “Bearer <token>”."))
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        from prokuratura.accounts.services import token_authenticate

        user = token_authenticate(secret=token)
        if user is None:
            raise ApiError(401, "invalid_token", _("The API token is unknown, revoked or expired."))
        request.user = user  # so code that reads request.user (throttles, audit) sees the token's owner
        return user


def session_second_factor_ok(user: User) -> bool:
    """The HTML pages' 2FA rule (accounts.middleware) for session calls to the API, which that middleware skips.
    `user` is the session's signed-in user, with the `is_verified()` django-otp's middleware gives it."""
    from django_otp import user_has_device

    from prokuratura.accounts.selectors import user_requires_2fa

    if getattr(user, "is_verified", lambda: False)():
        return True
    if user_has_device(user, confirmed=True):
        return False
    return not user_requires_2fa(user=user)


class SessionCookieAuth(APIKeyCookie):
    """The browser's Django session. Unsafe methods need the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The signed-in browser session; POST/PUT/PATCH/DELETE also need the X-CSRFToken header."
    )

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not key or not user.is_authenticated:
            return None
        if not session_second_factor_ok(user):
            raise ApiError(
                401, "second_factor_required", _("Complete the sign-in with your second factor first.")
            )
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise ApiError(
                403, "csrf_failed", _("The CSRF token is missing or wrong. Reload the page and retry.")
            )
        return user


# --- permission declarations -----------------------------------------------------------------------------------


def api_permission(policy: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare (and enforce) what an operation needs: a permission code from accounts.roles.Perm,
    AUTHENTICATED (any active staff member) or PUBLIC (no account; pair with `auth=None`).

    Put it directly above the function (below `@router.get` and `@paginate`). The declaration is stored on the
    function; ProkuraturaAPI checks it right after authentication, and the wrapper checks it again so the
    operation stays safe even when mounted on another API."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not user_may(api_user(request), policy):
                raise ApiError(403)
            return view(request, *args, **kwargs)

        setattr(wrapped, API_PERMISSION_ATTR, policy)
        return wrapped

    return decorator


def declared_permission(view_func: Callable[..., Any]) -> str | None:
    return getattr(view_func, API_PERMISSION_ATTR, None) or None


def secure_operation(api: Any, operation: Any) -> None:
    """Enforce an operation's declaration before its input is read; refuse every call to an undeclared one."""
    policy = declared_permission(operation.view_func)
    operation.api_permission = policy
    if policy is None:
        logger.error("API operation %s declares no permission; it will answer 403.", operation.view_func)

        def refuse(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return error_response(403, "undeclared_permission", default_message(403))

        operation.run = refuse
        return
    if operation.is_async:  # pragma: no cover - the API is synchronous; an async operation needs its own hook
        raise TypeError(f"{operation.view_func} is async; api_support only secures synchronous operations.")
    operation.openapi_extra = {**(operation.openapi_extra or {}), "x-permission": policy}
    checks = operation._run_checks

    def run_checks(request: HttpRequest) -> HttpResponse | None:
        error = checks(request)  # authentication, then throttles
        if error is not None:
            return error
        if policy != PUBLIC and not user_may(api_user(request), policy):
            return error_response(403)
        return None

    operation._run_checks = run_checks


def iter_operations(bound_routers: Iterable[Any]) -> Iterator[Any]:
    for bound in bound_routers:
        for path_view in bound.path_operations.values():
            yield from path_view.operations


# --- pagination ----------------------------------------------------------------------------------------------

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _url_with(request: HttpRequest, **params: Any) -> str:
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = str(value)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")


def _query_error(name: str, message: str, kind: str) -> NinjaValidationError:
    return NinjaValidationError([{"loc": ("query", name), "msg": message, "type": kind}])


class PageNumberPagination(PaginationBase):
    """`?page=&page_size=` → {items, count, page, page_size, next, previous}. For lists that are counted cheaply."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="1-based page number.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (1–200)."
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="Items on all pages.")
        page: int
        page_size: int
        next: str | None = Field(..., description="URL of the next page, or null on the last one.")
        previous: str | None = Field(..., description="URL of the previous page, or null on the first one.")

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page, size = pagination.page, pagination.page_size
        count = self._items_count(queryset)
        offset = (page - 1) * size
        if page > 1 and offset >= count:
            raise _query_error("page", _("There is no page %(page)d.") % {"page": page}, "page_out_of_range")
        items = list(queryset[offset : offset + size]) if count else []
        return {
            "items": items,
            "count": count,
            "page": page,
            "page_size": size,
            "next": _url_with(request, page=page + 1) if offset + size < count else None,
            "previous": _url_with(request, page=page - 1) if page > 1 else None,
        }


class KeysetPagination(PaginationBase):
    """`?after=&page_size=` → {items, page_size, next, next_after}: no count and no OFFSET, so page 10,000 of a
    table with millions of rows costs the same as page 1. Orders by one unique field (`field`, descending by
    default); `after` is the last value the client has seen."""

    class Input(Schema):
        after: str | None = Field(
            None, max_length=100, description="Value of the ordering field of the last item already seen."
        )
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (1–200)."
        )

    class Output(Schema):
        items: list[Any]
        page_size: int
        next: str | None = Field(..., description="URL of the next page, or null when this is the last.")
        next_after: str | None = Field(..., description="The `after` value for the next page, or null.")

    def __init__(self, *, field: str = "pk", descending: bool = True, **kwargs: Any) -> None:
        self.field = field
        self.descending = descending
        super().__init__(**kwargs)

    def _cursor_field(self, queryset: models.QuerySet[Any]) -> models.Field[Any, Any]:
        meta = queryset.model._meta
        field = meta.pk if self.field == "pk" else meta.get_field(self.field)
        if not isinstance(field, models.Field) or not (field.unique or field.primary_key):
            raise FieldDoesNotExist(f"Keyset pagination needs a unique field; {self.field} is not one.")
        return field

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        field = self._cursor_field(queryset)
        size = pagination.page_size
        queryset = queryset.order_by(f"-{field.name}" if self.descending else field.name)
        if pagination.after is not None:
            try:
                after = field.to_python(pagination.after)
                field.run_validators(after)
            except DjangoValidationError:
                raise _query_error(
                    "after", _("This is not a position in this list."), "invalid_cursor"
                ) from None
            queryset = queryset.filter(**{f"{field.name}__{'lt' if self.descending else 'gt'}": after})
        rows = list(queryset[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        next_after = str(getattr(rows[-1], field.attname)) if more else None
        return {
            "items": rows,
            "page_size": size,
            "next": _url_with(request, after=next_after) if next_after is not None else None,
            "next_after": next_after,
        }


# --- throttles -------------------------------------------------------------------------------------------------


class TokenCreateThrottle(SharedRateThrottle, UserRateThrottle):
    """A user creating tokens in a loop is either a bug or an attack; a person needs a handful. Counted in the
    shared cache, so the limit holds for the deployment, not per worker."""

    scope = "token_create"


# --- idempotent creates ----------------------------------------------------------------------------------------

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_TTL = dt.timedelta(hours=24)
IDEMPOTENCY_KEY_MAX_LENGTH = 100
IDEMPOTENCY_KEY_DESCRIPTION = (
    "Optional, up to 100 characters, unique per create. A retry with the same key and the same body gets the "
    "first response back (header `Idempotent-Replayed: true`) instead of creating twice; the same key with a "
    "different body is refused with 409. Keys are remembered for 24 hours."
)

# The optional `Idempotency-Key` header of a create operation, declared once for every app's API:
# `def things_create(request, payload: ThingIn, idempotency_key: IdempotencyKey = None)`, then
# `return idempotent(request, key=idempotency_key, create=create)`.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        min_length=1,
        max_length=IDEMPOTENCY_KEY_MAX_LENGTH,
        description=IDEMPOTENCY_KEY_DESCRIPTION,
    ),
]


def _request_hash(request: HttpRequest) -> str:
    return hashlib.sha256(request.body).hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(record.response_body, status=record.status_code, content_type=JSON_CONTENT_TYPE)
    response["Idempotent-Replayed"] = "true"
    return response


# A claim committed without an outcome can only have been left by the two-step claim of earlier releases, whose
# request died between its two transactions; after this long nobody is still working on it.
IDEMPOTENCY_STALE_CLAIM = dt.timedelta(minutes=1)
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout expires


def _in_progress() -> ApiError:
    return ApiError(
        409,
        "idempotency_in_progress",
        _("A request with this Idempotency-Key is still being processed. Retry in a moment."),
    )


def _insert_claim(record: IdempotencyRecord) -> bool:
    """Insert the claim in the caller's transaction; False when another request holds the key.

    One `INSERT … ON CONFLICT DO NOTHING`, so a conflict leaves the caller's transaction usable without a savepoint.
    A concurrent request holding the same key has its claim uncommitted: the unique index makes this insert wait
    until that request commits (nothing inserted: the caller replays its answer) or rolls back — which the database
    does at once when its process dies — and then the insert simply succeeds. On PostgreSQL the wait is bounded by
    IDEMPOTENCY_WAIT_SECONDS (lock_timeout, set for this insert only, not for the create that follows); SQLite lets
    one writer at a time in at BEGIN IMMEDIATE, within its busy timeout."""
    table = connection.ops.quote_name(IdempotencyRecord._meta.db_table)
    insert = (
        f"INSERT INTO {table} (user_id, key, method, path, request_hash, status_code, response_body, created_at) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, NULL, '', %s) ON CONFLICT (user_id, key) DO NOTHING RETURNING id"
    )
    params: list[Any] = [
        record.user_id,
        record.key,
        record.method,
        record.path,
        record.request_hash,
        connection.ops.adapt_datetimefield_value(record.created_at),
    ]
    with prepared_cursor(connection) as cursor:  # every create through the API claims: prepared once
        if connection.vendor != "postgresql":
            cursor.execute(insert, params)
            row = cursor.fetchone()
        else:
            wait_ms = max(1, round(float(getattr(settings, "IDEMPOTENCY_WAIT_SECONDS", 10)) * 1000))
            # The setting in force is read and the wait's bound set in one statement (left to right).
            cursor.execute(
                "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
                [f"{wait_ms}ms"],
            )
            previous = cursor.fetchone()[0]
            # A lock_timeout raises here and fails the caller's transaction, whose rollback undoes the setting.
            cursor.execute(insert, params)
            row = cursor.fetchone()
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
    if row is None:
        return False
    record.pk = row[0]
    record._state.adding = False
    return True


def _record_answer(record: IdempotencyRecord) -> None:
    """Store the answer on the claim (`save(update_fields=…)` with its UPDATE prepared once, core.prepared)."""
    table = connection.ops.quote_name(IdempotencyRecord._meta.db_table)
    with prepared_cursor(connection) as cursor:
        cursor.execute(
            f"UPDATE {table} SET status_code = %s, response_body = %s WHERE id = %s",  # noqa: S608 - placeholders only
            [record.status_code, record.response_body, record.pk],
        )


def _claim(request: HttpRequest, user: User, key: str, request_hash: str) -> IdempotencyRecord | HttpResponse:
    """Claim the key inside the caller's transaction, or answer from (or refuse because of) the request that
    holds it."""
    path = request.path[:500]
    for _attempt in range(3):
        record = IdempotencyRecord(
            user=user,
            key=key,
            method=request.method or "",
            path=path,
            request_hash=request_hash,
            created_at=timezone.now(),
        )
        try:
            inserted = _insert_claim(record)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                raise _in_progress() from None
            raise
        if inserted:
            return record
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            continue  # purged in between: claim it again
        now = timezone.now()
        expired = existing.created_at < now - IDEMPOTENCY_TTL
        dead = existing.status_code is None and existing.created_at < now - IDEMPOTENCY_STALE_CLAIM
        if expired or dead:
            # The key is free again; deleted in this transaction, so a create that fails puts it back as it was.
            IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        same_request = (existing.method, existing.path, existing.request_hash) == (
            request.method,
            path,
            request_hash,
        )
        if not same_request:
            raise ApiError(
                409,
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for a different request. Use a new key."),
            )
        if existing.status_code is None:
            raise _in_progress()
        return _replay(existing)
    raise _in_progress()  # pragma: no cover - the key changed hands three times while we looked


def api_submission_key(user: User, idempotency_key: str | None) -> str | None:
    """The submission key a create made through the API stores on its record: kept there too, so a retry after the
    idempotency record expired still finds the first record instead of making a second."""
    return f"api:{user.pk}:{idempotency_key}" if idempotency_key else None


def idempotent(
    request: HttpRequest, *, key: str | None, create: Callable[[], Any], redact: Iterable[str] = ()
) -> Any:
    """Run `create()` at most once per (user, Idempotency-Key).

    `create` returns what an endpoint would (`Status(code, schema)` or a schema). Without a key it simply runs.
    With one, the response is stored with a hash of the body; a retry with the same key and body gets it back
    (`Idempotent-Replayed: true`), a different request with the same key gets 409. `redact` names top-level
    fields (secrets) that are returned the first time but stored — and so replayed — as null.

    The claim on the key is written in the same transaction as the create, so it exists for others only once the
    create is committed: a create that fails (raises) or a request that dies (its connection closes, its
    transaction is rolled back) leaves the key free at once. A retry that arrives while the first is still
    running waits for it (at most IDEMPOTENCY_WAIT_SECONDS, then 409 idempotency_in_progress) and then gets its
    answer replayed.
    """
    if key is None:
        return create()
    user = api_user(request)
    request_hash = _request_hash(request)
    with transaction.atomic():
        claimed = _claim(request, user, key, request_hash)
        if isinstance(claimed, HttpResponse):
            return claimed
        with whole_transaction():  # a failure rolls back everything, the claim included (core.transactions)
            result = create()
        status, value = (result.status_code, result.value) if isinstance(result, Status) else (200, result)
        data = value.model_dump() if isinstance(value, Schema) else value
        stored = {**data, **dict.fromkeys(set(redact) & set(data))} if isinstance(data, dict) else data
        claimed.status_code = status
        claimed.response_body = _dumps(stored)
        _record_answer(claimed)
    return HttpResponse(_dumps(data), status=status, content_type=JSON_CONTENT_TYPE)


def idempotency_purge(*, older_than: dt.timedelta = IDEMPOTENCY_TTL) -> int:
    """Forget idempotency keys older than `older_than`; returns how many were removed."""
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
