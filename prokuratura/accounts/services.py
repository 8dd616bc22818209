"""Writes about people: sign-in bookkeeping, users and roles, API tokens, role policies. Each is audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.core.actors import Actor, is_user
from prokuratura.core.audit import audit_record, diff, snapshot
from prokuratura.core.models import AuditEntry
from prokuratura.core.prepared import PreparedQuery, Slot
from prokuratura.core.throttle import exclusive

from .models import ApiToken, LoginFailure, RolePolicy, User, UserRole
from .roles import Role
from .selectors import login_is_locked

USER_AUDIT_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "middle_name",
    "email",
    "office",
    "department",
    "position",
    "position_kk",
    "position_ru",
    "preferred_language",
    "is_active",
)
TOKEN_PREFIX = "pk_"  # noqa: S105 - a public marker, not a secret


# --- sign-in -------------------------------------------------------------------------------------------------


def login_failure_record(*, username: str, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        LoginFailure.objects.create(
            username=username[:150],
            ip_address=request.META.get("REMOTE_ADDR") if request else None,
            created_at=timezone.now(),
        )
        audit_record(
            actor=None,
            action=AuditEntry.Action.LOGIN_FAILED,
            object_type="accounts.user",
            object_repr=username[:150],
            request=request,
        )


def _login_lock_name(username: str) -> str:
    # Usernames compare case-insensitively (LoginFailure is counted with iexact): one lock for every spelling.
    return f"login:{username[:150].casefold()}"


@dataclass(frozen=True)
class LoginAttempt:
    """What a password attempt came to: the user when the password was right, `locked` when it was not checked."""

    user: User | None
    locked: bool = False


def login_attempt(*, username: str, password: str, request: HttpRequest) -> LoginAttempt:
    """Check a password against the lockout, exactly however many attempts arrive at once.

    The lockout counts LoginFailure rows per username. Reading the count, checking the password and writing a
    failure as three steps let concurrent attempts all read "4 failures" and all be checked (7 were evaluated
    against a limit of 5). So an attempt first reserves its slot: in one short transaction that holds a lock on the
    username (core.throttle.exclusive: a PostgreSQL advisory lock, SQLite's IMMEDIATE transaction) it reads the
    count and, below the limit, writes its LoginFailure row at once. At most LOGIN_FAILURE_LIMIT attempts per
    window get a row, so at most that many passwords are checked.

    The password is checked (Argon2, tens of milliseconds) after that transaction has ended, so no lock is held
    across it and other users' sign-ins never wait on it. A right password gives its slot back (its row is deleted,
    earlier failures stay until the second factor, see login_success_record); a wrong one keeps the row as the
    recorded failure. An attempt cut off in between leaves its failure counted: it errs towards the lockout."""
    username = username[:150]
    with exclusive(_login_lock_name(username)):
        if login_is_locked(username=username):
            return LoginAttempt(user=None, locked=True)
        slot = LoginFailure.objects.create(
            username=username, ip_address=request.META.get("REMOTE_ADDR"), created_at=timezone.now()
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        # Unknown user, wrong password and deactivated account are audited alike: nobody can probe.
        audit_record(
            actor=None,
            action=AuditEntry.Action.LOGIN_FAILED,
            object_type="accounts.user",
            object_repr=username,
            request=request,
        )
        return LoginAttempt(user=None)
    LoginFailure.objects.filter(pk=slot.pk).delete()
    return LoginAttempt(user=user)


def login_success_record(
    *, user: User, request: HttpRequest | None = None, clear_failures: bool = True
) -> None:
    """`clear_failures=False` when a second factor is still to come: a right password alone must not reset the
    count, or someone holding it could guess codes forever by signing in again before the lockout."""
    with transaction.atomic():
        if clear_failures:
            LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
        audit_record(actor=user, action=AuditEntry.Action.LOGIN, obj=user, request=request)


def logout_record(*, user: User, request: HttpRequest | None = None) -> None:
    audit_record(actor=user, action=AuditEntry.Action.LOGOUT, obj=user, request=request)


# --- users and roles -----------------------------------------------------------------------------------------


def _validate_roles(roles: set[str]) -> None:
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(roles)s") % {"roles": ", ".join(sorted(unknown))}})


def _validate_placement(user: User) -> None:
    """A department is part of an office: someone in a department works in that department's office."""
    department = user.department
    if department is None:
        return
    if user.office_id is None or department.office_id != user.office_id:
        raise ValidationError({"department": _("Choose a department of the person's own office.")})


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from error


def _guard_own_account(
    *, by: Actor, user: User, current_roles: set[str], data: dict[str, Any], roles: set[str] | None
) -> None:
    """An administrator cannot lock themselves out: no dropping their own admin role, no deactivating self."""
    if not is_user(by) or by.pk != user.pk:
        return
    if roles is not None and Role.ADMIN in current_roles and Role.ADMIN not in roles:
        raise ValidationError({"roles": _("You cannot remove your own administrator role.")})
    if "is_active" in data and not data["is_active"] and user.is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})


def user_create(
    *,
    by: Actor,
    data: dict[str, Any],
    roles: set[str],
    password: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """A new member of staff. Without a password the account cannot sign in until one is set."""
    _validate_roles(roles)
    with transaction.atomic():
        user = User(**data)
        if password:
            _validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        _validate_placement(user)
        user.save()
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(roles)])
        user.__dict__.pop("roles", None)
        user.__dict__.pop("permission_codes", None)
        after = snapshot(user, USER_AUDIT_FIELDS) | {"roles": sorted(roles)}
        audit_record(
            actor=by, action=AuditEntry.Action.CREATE, obj=user, changes=diff({}, after), request=request
        )
    return user


def user_update(
    *,
    by: Actor,
    user: User,
    data: dict[str, Any],
    roles: set[str] | None = None,
    request: HttpRequest | None = None,
) -> User:
    if roles is not None:
        _validate_roles(roles)
    with transaction.atomic():
        # "Before" comes from the database, locked: the caller's instance may already carry new values (a
        # ModelForm's validation writes into it) or stale cached roles, and the audit must say what changed.
        stored = User.objects.select_for_update().get(pk=user.pk)
        stored_roles = set(UserRole.objects.filter(user=stored).values_list("role", flat=True))
        before = snapshot(stored, USER_AUDIT_FIELDS) | {"roles": sorted(stored_roles)}
        _guard_own_account(by=by, user=stored, current_roles=stored_roles, data=data, roles=roles)
        for key, value in data.items():
            setattr(user, key, value)
        user.full_clean()
        _validate_placement(user)
        user.save(update_fields=[k for k in data if k in {f.name for f in User._meta.fields}])
        if roles is not None:
            UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
            UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(roles - stored_roles)])
        user.__dict__.pop("roles", None)
        user.__dict__.pop("permission_codes", None)
        after = snapshot(user, USER_AUDIT_FIELDS) | {"roles": sorted(user.roles)}
        changes = diff(before, after)
        if changes:
            audit_record(
                actor=by, action=AuditEntry.Action.UPDATE, obj=user, changes=changes, request=request
            )
    return user


def user_reset_2fa(*, by: User, user: User, request: HttpRequest | None = None) -> int:
    """An administrator removes every second-factor device of someone who lost their phone. If a role of theirs
    requires 2FA they set a new one up at the next sign-in (accounts.middleware). Returns how many were removed."""
    return _otp_devices_wipe(by=by, user=user, reason="2FA reset by an administrator", request=request)


def user_set_password(*, by: User, user: User, password: str, request: HttpRequest | None = None) -> None:
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


def token_create(
    *, by: User, name: str, expires_at: Any = None, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(
            user=by,
            name=name[:100],
            prefix=secret[:10],
            digest=token_digest(secret),
            created_at=timezone.now(),
            expires_at=expires_at,
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
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=token,
            changes={"revoked_at": {"before": None, "after": token.revoked_at.isoformat()}},
            request=request,
        )
    return token


_USER_FIELDS = list(User._meta.concrete_fields)
_TOKEN_FIELDS = ("pk", "revoked_at", "expires_at", "last_used_at")


def _token_query(digest: str) -> Any:
    # The owner's roles come in the same query (every API call checks a permission), as "role,role".
    roles = (
        UserRole.objects.filter(user=OuterRef("user_id"))
        .order_by()
        .values("user")
        .annotate(joined=StringAgg("role", delimiter=Value(",")))
        .values("joined")
    )
    return (
        ApiToken.objects.filter(digest=digest)
        .annotate(owner_roles=Subquery(roles))
        .values_list(*_TOKEN_FIELDS, "owner_roles", *(f"user__{f.name}" for f in _USER_FIELDS))
        .order_by()[:1]
    )


# Every API request asks: its SQL is built once per connection (core.prepared).
_TOKEN = PreparedQuery(
    "accounts.token",
    _token_query,
    [Slot(ApiToken, "digest", "sample %_\\ not a digest")],
)


def token_authenticate(*, secret: str) -> User | None:
    rows = _TOKEN.rows(token_digest(secret))
    if not rows:
        return None
    token_id, revoked_at, expires_at, last_used_at, owner_roles, *user_values = rows[0]
    if revoked_at is not None:
        return None
    user = User.from_db("default", [f.attname for f in _USER_FIELDS], user_values)
    user.__dict__["roles"] = frozenset(filter(None, (owner_roles or "").split(",")))
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        return None
    if not user.is_active:
        return None
    # Write last-use at most once a minute: a busy client must not turn every read into a write.
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


# --- role policies -------------------------------------------------------------------------------------------


def role_policy_set(
    *, by: User, role: str, require_2fa: bool, request: HttpRequest | None = None
) -> RolePolicy:
    _validate_roles({role})
    with transaction.atomic():
        policy, _created = RolePolicy.objects.select_for_update().get_or_create(role=role)
        if policy.require_2fa != require_2fa:
            changes = {"require_2fa": {"before": policy.require_2fa, "after": require_2fa}}
            policy.require_2fa = require_2fa
            policy.save(update_fields=["require_2fa"])
            audit_record(
                actor=by, action=AuditEntry.Action.UPDATE, obj=policy, changes=changes, request=request
            )
    return policy


def role_policies_set(*, by: User, policies: dict[str, bool], request: HttpRequest | None = None) -> None:
    """Save the whole table at once: either every role's setting changes or none does."""
    with transaction.atomic():
        for role, require_2fa in sorted(policies.items()):
            role_policy_set(by=by, role=role, require_2fa=require_2fa, request=request)


# --- preferences ---------------------------------------------------------------------------------------------


def user_set_language(*, by: User, user: User, language: str, request: HttpRequest | None = None) -> User:
    choices: Any = User._meta.get_field("preferred_language").choices
    allowed = {code for code, _label in choices}
    if language not in allowed:
        raise ValidationError({"preferred_language": _("Choose one of the offered languages.")})
    if user.preferred_language == language:
        return user
    with transaction.atomic():
        changes = {"preferred_language": {"before": user.preferred_language, "after": language}}
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit_record(actor=by, action=AuditEntry.Action.UPDATE, obj=user, changes=changes, request=request)
    return user


# --- two-factor authentication (django-otp) ------------------------------------------------------------------
# Every event here is a SECURITY audit entry. Codes are never written to the audit trail.

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def otp_device_start(*, user: User, request: HttpRequest | None = None) -> Any:
    """The user's unconfirmed TOTP device, created if there is none. Reused so reloading the set-up page
    does not pile up devices; its secret is only ever shown to its owner."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
            audit_record(
                actor=user,
                action=AuditEntry.Action.SECURITY,
                obj=user,
                reason="2FA set-up started",
                request=request,
            )
    return device


def otp_device_confirm(
    *, user: User, device: Any, code: str, request: HttpRequest | None = None
) -> list[str] | None:
    """Confirm the user's new TOTP device if `code` is right, and issue fresh recovery codes.

    Returns the single-use recovery codes (shown once; django-otp's static plugin stores them, the audit trail
    never does), or None when the code is wrong: the device then stays unconfirmed."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("This device cannot be confirmed."))
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(code):
            audit_record(
                actor=user,
                action=AuditEntry.Action.SECURITY,
                obj=user,
                reason="2FA set-up code rejected",
                request=request,
            )
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
        audit_record(
            actor=user,
            action=AuditEntry.Action.SECURITY,
            obj=user,
            reason="2FA device confirmed; recovery codes issued",
            request=request,
        )
    return codes


def otp_verify_code(*, user: User, code: str, request: HttpRequest | None = None) -> Any:
    """Check a second-factor code after the password: a six-digit code against the authenticator, anything else
    against the recovery codes (each works once). Returns the device that accepted it, or None.

    A wrong code counts towards the same lockout as a wrong password; a right one completes the sign-in, and
    only then are earlier failures forgotten. django-otp's own throttling applies on top."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    is_totp = code.isdigit() and len(code) == 6
    model = TOTPDevice if is_totp else StaticDevice
    # Under the same per-username lock as login_attempt, the lockout is checked and the failure written in one
    # step, so concurrent wrong codes cannot all pass the check (a code is checked in microseconds: holding the
    # lock across it costs nothing). A locked account gets None without its code being looked at.
    with exclusive(_login_lock_name(user.get_username())):
        if login_is_locked(username=user.get_username()):
            return None
        matched = None
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                matched = device
                break
        if matched is None:
            LoginFailure.objects.create(
                username=user.get_username()[:150],
                ip_address=request.META.get("REMOTE_ADDR") if request else None,
                created_at=timezone.now(),
            )
            audit_record(
                actor=user,
                action=AuditEntry.Action.SECURITY,
                obj=user,
                reason="2FA code rejected",
                request=request,
            )
            return None
        LoginFailure.objects.filter(username__iexact=user.get_username()).delete()
        kind = "authenticator code" if is_totp else "recovery code"
        audit_record(
            actor=user,
            action=AuditEntry.Action.SECURITY,
            obj=user,
            reason=f"2FA verified with {kind}",
            request=request,
        )
    return matched


def otp_devices_remove(*, by: User, user: User, request: HttpRequest | None = None) -> int:
    """Remove every second-factor device of `user` (authenticator and recovery codes). Refused when one of
    the user's roles requires two-factor authentication."""
    from .selectors import user_requires_2fa

    if user_requires_2fa(user=user):
        raise ValidationError(
            _("Your role requires two-factor authentication, so it cannot be switched off."), code="required"
        )
    return _otp_devices_wipe(by=by, user=user, reason="2FA switched off", request=request)


def _otp_devices_wipe(*, by: User, user: User, reason: str, request: HttpRequest | None) -> int:
    """Delete every second-factor device of `user` (authenticator and recovery codes) and audit it as `reason`.
    Returns how many devices there were."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        # Counted before deleting: delete() would also count the recovery codes cascading with their device.
        devices = (
            TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()
        )
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            actor=by,
            action=AuditEntry.Action.SECURITY,
            obj=user,
            reason=reason,
            changes={"otp_devices": {"before": devices, "after": 0}},
            request=request,
        )
    return devices
