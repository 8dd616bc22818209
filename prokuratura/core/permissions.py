"""Declaring what each view needs. Deny by default.

Every URL's view carries an `access_policy`: PUBLIC (anyone, no account), AUTHENTICATED (any signed-in
staff member) or a permission code such as "core.view_audit" that roles grant (accounts.roles).
`core.middleware.AccessPolicyMiddleware` refuses any view that declares nothing, and
`core/tests/test_urls_declare_permissions.py` walks the URL conf so such a view never ships.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from prokuratura.accounts.models import User

PUBLIC = "public"
AUTHENTICATED = "authenticated"

ViewFunc = Callable[..., HttpResponse]


class SignedInRequest(HttpRequest):
    """What `require(AUTHENTICATED)` or `require(<permission>)` guarantees, for the type checker: the user is a
    signed-in, active member of staff (with django-otp's `is_verified()` installed by OTPMiddleware). Annotate a
    view's request with it only behind such a declaration; a PUBLIC view gets a plain HttpRequest."""

    user: User


def user_may(user: User | AnonymousUser, policy: str) -> bool:
    """Whether `user` passes `policy`. Takes a request's user as it comes, anonymous or not."""
    if policy == PUBLIC:
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    if policy == AUTHENTICATED:
        return True
    return bool(user.has_perm(policy))


def require(policy: str) -> Callable[[ViewFunc], ViewFunc]:
    """Declare and enforce the permission a view needs."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if policy != PUBLIC and not request.user.is_authenticated:
                if getattr(request, "htmx", False):
                    response = HttpResponse(status=401)
                    response["HX-Redirect"] = redirect_to_login(request.get_full_path())["Location"]
                    return response
                return redirect_to_login(request.get_full_path())
            if not user_may(request.user, policy):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_policy = policy  # type: ignore[attr-defined]
        return wrapped

    return decorator


public = require(PUBLIC)
login_required = require(AUTHENTICATED)


def declare(view: ViewFunc, policy: str) -> ViewFunc:
    """Wrap a third-party view (e.g. Django's set_language) with a declared policy."""
    return require(policy)(view)
