from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .selectors import user_requires_2fa

# Paths a signed-in user may reach before completing the second factor.
_EXEMPT_URL_NAMES = {"accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_setup", "set_language"}


class TwoFactorEnforcementMiddleware:
    """A user whose role requires 2FA reaches nothing but set-up/verification until verified this session."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        user = getattr(request, "user", None)
        if not user or not user.is_authenticated:
            return None
        if request.path.startswith("/api/") or request.path.startswith("/static/"):
            return None  # API clients authenticate with tokens; see docs/ARCHITECTURE.md
        match = request.resolver_match
        name = f"{match.namespace}:{match.url_name}" if match and match.namespace else (match.url_name if match else "")
        if name in _EXEMPT_URL_NAMES:
            return None
        if user.is_verified():
            return None
        from django_otp import user_has_device

        # Anyone who has set up a second factor must use it; roles that require one must set it up.
        if user_has_device(user, confirmed=True):
            return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        if user_requires_2fa(user=user):
            return redirect(reverse("accounts:otp_setup"))
        return None
