"""accounts' REST operations: who am I, personal API tokens, the staff list."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from prokuratura.core.api_support import (
    AUTHENTICATED,
    IdempotencyKey,
    PageNumberPagination,
    TokenCreateThrottle,
    api_permission,
    api_user,
    errors,
    idempotent,
)

from .access import access_api_token
from .roles import Perm, Role
from .selectors import token_list, user_list
from .services import token_create, token_revoke

router = Router()

MAX_ID = 2**63 - 1
TOKEN_MAX_DAYS = 365


class OfficeBrief(Schema):
    id: int
    code: str
    name: str


class DepartmentBrief(Schema):
    id: int
    code: str
    name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    position: str = Field(..., description="The position in English, as signed under an English letter.")
    position_kk: str = Field(..., description="The position in Kazakh, as signed under a Kazakh letter.")
    position_ru: str = Field(..., description="The position in Russian, as signed under a Russian letter.")
    preferred_language: str
    office: OfficeBrief | None
    department: DepartmentBrief | None
    roles: list[str] = Field(..., description="Role codes, sorted.")
    permissions: list[str] = Field(..., description="Permission codes the roles grant, sorted.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The first characters of the secret, to recognise the token by.")
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreateIn(Schema):
    name: str = Field(..., min_length=1, max_length=100, description="What the token is for.")
    expires_in_days: int = Field(90, ge=1, le=TOKEN_MAX_DAYS, description="Days until it expires (1–365).")


class TokenCreatedOut(TokenOut):
    secret: str | None = Field(
        ...,
        description="The token itself, shown this once and stored only as a hash. Null when this response is "
        "an Idempotency-Key replay: revoke that token and create a new one if the secret was lost.",
    )


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    position: str
    is_active: bool
    office_id: int | None
    department_id: int | None
    roles: list[str]

    @staticmethod
    def resolve_roles(obj: Any) -> list[str]:
        return sorted(r.role for r in obj.user_roles.all())  # prefetched by user_list


class UserFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Part of the username or name.")
    role: Role | None = None
    office: int | None = Field(None, ge=1, le=MAX_ID, description="Office id.")


@router.get(
    "/me",
    response={200: MeOut, **errors(401, 403)},
    tags=["accounts"],
    summary="The signed-in user",
    description="Who the token or session belongs to: office, roles and the permissions they grant.",
)
@api_permission(AUTHENTICATED)
def me(request: HttpRequest) -> Any:
    user = api_user(request)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "position": user.position,
        "position_kk": user.position_kk,
        "position_ru": user.position_ru,
        "preferred_language": user.preferred_language,
        "office": user.office,
        "department": user.department,
        "roles": sorted(user.roles),
        "permissions": sorted(user.permission_codes),
    }


@router.get(
    "/tokens",
    response={200: list[TokenOut], **errors(401, 403)},
    tags=["accounts"],
    summary="My API tokens",
    description="Your own tokens, newest first, revoked and expired ones included. Secrets are never shown again.",
)
@api_permission(AUTHENTICATED)
def tokens_list(request: HttpRequest) -> Any:
    return list(token_list(user=api_user(request)))


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, **errors(400, 401, 403, 409, 415, 422, 429)},
    tags=["accounts"],
    summary="Create an API token",
    description="Returns the secret once. Send an Idempotency-Key to make retries safe.",
    throttle=[TokenCreateThrottle("30/hour")],
)
@api_permission(AUTHENTICATED)
def tokens_create(
    request: HttpRequest,
    payload: TokenCreateIn,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    user = api_user(request)

    def create() -> Status[TokenCreatedOut]:
        expires_at = timezone.now() + dt.timedelta(days=payload.expires_in_days)
        token, secret = token_create(by=user, name=payload.name, expires_at=expires_at, request=request)
        out = TokenCreatedOut.model_validate(
            {**TokenOut.model_validate(token).model_dump(), "secret": secret}
        )
        return Status(201, out)

    return idempotent(request, key=idempotency_key, create=create, redact={"secret"})


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    tags=["accounts"],
    summary="Revoke an API token",
    description="Revokes one of your own tokens at once. Revoking a revoked token is no error; someone else's "
    "token answers 404.",
)
@api_permission(AUTHENTICATED)
def tokens_revoke(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    user = api_user(request)
    token = access_api_token(user=user, token_id=token_id)
    token_revoke(by=user, token=token, request=request)
    return Status(204, None)


@router.get(
    "/users",
    response={200: list[UserOut], **errors(401, 403, 422)},
    tags=["accounts"],
    summary="Staff",
    description="The staff you may see (heads: their office and below; auditors and administrators: everyone).",
)
@paginate(PageNumberPagination)
@api_permission(Perm.VIEW_USERS)
def users_list(request: HttpRequest, filters: Query[UserFilters]) -> Any:
    return user_list(user=api_user(request), filters=filters.model_dump(exclude_none=True))
