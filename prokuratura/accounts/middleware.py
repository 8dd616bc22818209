from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .selectors import user_requires_2fa

# Pages a signed-in user may reach before completing the second factor. otp_setup refuses by itself to enrol a
# new device for someone who already has one and has not verified it (see accounts.views.auth.otp_setup).
EXEMPT_URL_NAMES = frozenset(
    {"accounts:login", "accounts:logout", "accounts:otp_verify", "accounts:otp_setup", "set_language"}
)


def _redirect(request: HttpRequest, url_name: str) -> HttpResponse:
    # Only a GET can be resumed after the detour; a half-sent form returns to the page it came from.
    next_url = request.get_full_path() if request.method == "GET" else ""
    url = reverse(url_name)
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    if getattr(request, "htmx", False):
        # An htmx swap would put the whole page into a fragment: ask htmx for a full navigation instead.
        response = HttpResponse(status=401)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class TwoFactorEnforcementMiddleware:
    """Until the second factor is verified this session, a user who has set one up reaches only the
    verification page, and a user whose role requires one (accounts.RolePolicy) only the set-up page."""

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
        name = match.view_name if match else ""
        if name in EXEMPT_URL_NAMES:
            return None
        if user.is_verified():
            return None
        from django_otp import user_has_device

        # Anyone who has set up a second factor must use it; roles that require one must set it up.
        if user_has_device(user, confirmed=True):
            return _redirect(request, "accounts:otp_verify")
        if user_requires_2fa(user=user):
            return _redirect(request, "accounts:otp_setup")
        return None
