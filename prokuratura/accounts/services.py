"""Writes about people: sign-in bookkeeping, users and roles, API tokens, role policies. Each is audited."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.core.audit import audit_record, diff, snapshot
from prokuratura.core.models import AuditEntry

from .models import ApiToken, LoginFailure, RolePolicy, User, UserRole
from .roles import Role

USER_AUDIT_FIELDS = (
    "username", "first_name", "last_name", "middle_name", "email", "office", "department", "position",
    "preferred_language", "is_active",
)
TOKEN_PREFIX = "pk_"


# --- sign-in -------------------------------------------------------------------------------------------------

def login_failure_record(*, username: str, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        LoginFailure.objects.create(
            username=username[:150], ip_address=request.META.get("REMOTE_ADDR") if request else None,
            created_at=timezone.now(),
        )
        audit_record(
            actor=None, action=AuditEntry.Action.LOGIN_FAILED, object_type="accounts.user",
            object_repr=username[:150], request=request,
        )


def login_success_record(*, user: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
        audit_record(actor=user, action=AuditEntry.Action.LOGIN, obj=user, request=request)


# --- users and roles -----------------------------------------------------------------------------------------

def _validate_roles(roles: set[str]) -> None:
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(roles)s") % {"roles": ", ".join(sorted(unknown))}})


def user_create(*, by: Any, data: dict[str, Any], roles: set[str], password: str | None = None,
                request: HttpRequest | None = None) -> User:
    _validate_roles(roles)
    with transaction.atomic():
        user = User(**data)
        if password:
            password_validation.validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(roles)])
        after = snapshot(user, USER_AUDIT_FIELDS) | {"roles": sorted(roles)}
        audit_record(actor=by, action=AuditEntry.Action.CREATE, obj=user, changes=diff({}, after), request=request)
    return user


def user_update(*, by: Any, user: User, data: dict[str, Any], roles: set[str] | None = None,
                request: HttpRequest | None = None) -> User:
    with transaction.atomic():
        before = snapshot(user, USER_AUDIT_FIELDS) | {"roles": sorted(user.roles)}
        for key, value in data.items():
            setattr(user, key, value)
        user.full_clean()
        user.save(update_fields=[k for k in data if k in {f.name for f in User._meta.fields}])
        if roles is not None:
            _validate_roles(roles)
            UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
            existing = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
            UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(roles - existing)])
            user.__dict__.pop("roles", None)
            user.__dict__.pop("permission_codes", None)
        after = snapshot(user, USER_AUDIT_FIELDS) | {"roles": sorted(user.roles)}
        changes = diff(before, after)
        if changes:
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=user, changes=changes, request=request)
    return user


def user_set_password(*, by: Any, user: User, password: str, request: HttpRequest | None = None) -> None:
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=by, action=AuditEntry.Action.SECURITY, obj=user, reason="password changed", request=request
        )


# --- API tokens ----------------------------------------------------------------------------------------------

def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, by: User, name: str, expires_at: Any = None, request: HttpRequest | None = None) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(
            user=by, name=name[:100], prefix=secret[:10], digest=token_digest(secret),
            created_at=timezone.now(), expires_at=expires_at,
        )
        token.full_clean()
        token.save()
        audit_record(actor=by, action=AuditEntry.Action.CREATE, obj=token, request=request)
    return token, secret


def token_revoke(*, by: User, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=token,
                     changes={"revoked_at": {"before": None, "after": token.revoked_at.isoformat()}}, request=request)
    return token


def token_authenticate(*, secret: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
    if token is None or token.revoked_at is not None:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    # Write last-use at most once a minute: a busy client must not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- role policies -------------------------------------------------------------------------------------------

def role_policy_set(*, by: User, role: str, require_2fa: bool, request: HttpRequest | None = None) -> RolePolicy:
    _validate_roles({role})
    with transaction.atomic():
        policy, _created = RolePolicy.objects.select_for_update().get_or_create(role=role)
        if policy.require_2fa != require_2fa:
            changes = {"require_2fa": {"before": policy.require_2fa, "after": require_2fa}}
            policy.require_2fa = require_2fa
            policy.save(update_fields=["require_2fa"])
            audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=policy, changes=changes, request=request)
    return policy
