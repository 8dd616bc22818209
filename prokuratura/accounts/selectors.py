from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from prokuratura.accounts.roles import ROLE_PERMISSIONS, Perm
from prokuratura.core.access import office_subtree_ids, offices_visible_to
from prokuratura.core.models import Office

from .models import ApiToken, LoginFailure, RolePolicy, User, UserRole


def user_requires_2fa(*, user: User) -> bool:
    if not user.roles:
        return False
    return RolePolicy.objects.filter(role__in=user.roles, require_2fa=True).exists()


def login_is_locked(*, username: str) -> bool:
    window_start = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(username__iexact=username, created_at__gte=window_start).count()
    return recent >= settings.LOGIN_FAILURE_LIMIT


def user_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[User]:
    """Staff the acting user may see: administrators and auditors everyone, heads their office subtree."""
    filters = filters or {}
    qs = User.objects.select_related("office", "department").prefetch_related(
        Prefetch("user_roles", queryset=UserRole.objects.order_by("role"))
    )
    if not (user.has_perm(Perm.MANAGE_USERS) or user.has_perm(Perm.VIEW_AUDIT)):
        qs = qs.filter(office__in=offices_visible_to(user=user))
    if q := filters.get("q"):
        from django.db.models import Q

        qs = qs.filter(Q(username__icontains=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q))
    if role := filters.get("role"):
        qs = qs.filter(user_roles__role=role)
    if office := filters.get("office"):
        qs = qs.filter(office_id=office)
    return qs.order_by("last_name", "first_name", "username")


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def role_policy_list() -> list[RolePolicy]:
    return list(RolePolicy.objects.order_by("role"))


def otp_status(*, user: User) -> dict[str, Any]:
    """The user's second factor as the profile shows it: set up or not, recovery codes left, required or not."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {
        "enabled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "recovery_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
        "required": user_requires_2fa(user=user),
    }


def users_holding(*, permission: str, office: Office | None) -> QuerySet[User]:
    """Active users whose roles grant `permission`, in `office` and the offices below it (whom a form may make
    responsible for a record there), by office, then name."""
    if office is None:
        return User.objects.none()
    roles = sorted(role for role, granted in ROLE_PERMISSIONS.items() if permission in granted)
    return (
        User.objects.filter(is_active=True, office__in=office_subtree_ids(office), user_roles__role__in=roles)
        .select_related("office")
        .distinct()
        .order_by("office__path", "last_name", "first_name", "username")
    )
