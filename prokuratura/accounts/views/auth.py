"""Sign-in, the second factor, and each person's own security settings: password, API tokens, language.

Every write goes through accounts.services (audited); these views parse input and render.
"""

from __future__ import annotations

import base64
import datetime as dt

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from prokuratura.accounts import selectors, services
from prokuratura.accounts.access import access_api_token
from prokuratura.accounts.forms.auth import (
    CurrentPasswordForm,
    LanguageForm,
    LoginForm,
    OtpCodeForm,
    PasswordChangeForm,
    TokenCreateForm,
)
from prokuratura.accounts.models import User
from prokuratura.core.permissions import AUTHENTICATED, SignedInRequest, public, require
from prokuratura.core.qr import qr_svg

# --- helpers -------------------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    """The `next` the request carries if it points into this site, else "" (never an open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _is_verified(user: User) -> bool:
    # django_otp.middleware.OTPMiddleware installs is_verified() on request.user; the model does not declare it.
    return bool(user.is_verified())  # type: ignore[attr-defined]


def _home() -> str:
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _set_language(response: HttpResponse, language: str) -> HttpResponse:
    """Apply a language the way Django's set_language view does: LocaleMiddleware reads this cookie."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _lockout_message() -> str:
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    return ngettext(
        "Too many failed attempts. The account is locked for %(minutes)d minute.",
        "Too many failed attempts. The account is locked for %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _locked_out(request: HttpRequest) -> HttpResponse:
    """End a half-finished sign-in whose account has just been locked, and say so (429)."""
    logout(request)
    context = {"form": LoginForm(), "next": "", "lockout": _lockout_message()}
    return render(request, "accounts/login.html", context, status=429)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- sign-in -------------------------------------------------------------------------------------------------


@public
@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or _home())
    form = LoginForm(request.POST) if request.method == "POST" else LoginForm()
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            attempt = services.login_attempt(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                request=request,
            )
            if attempt.locked:
                form.add_error(None, _lockout_message())
                status = 429
            elif attempt.user is None:
                # Unknown user, wrong password and deactivated account read the same: nobody can probe.
                form.add_error(None, _("The username or password is not correct."))
                status = 400
            else:
                return _password_accepted(request, attempt.user, next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


def _password_accepted(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    has_device = user_has_device(user, confirmed=True)
    login(request, user)
    services.login_success_record(user=user, request=request, clear_failures=not has_device)
    translation.activate(user.preferred_language)
    if has_device:
        target = _with_next("accounts:otp_verify", next_url)
    elif selectors.user_requires_2fa(user=user):
        target = _with_next("accounts:otp_setup", next_url)
    else:
        target = next_url or _home()
    return _set_language(redirect(target), user.preferred_language)


@require(AUTHENTICATED)
@require_POST
def logout_view(request: SignedInRequest) -> HttpResponse:
    services.logout_record(user=request.user, request=request)
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- second factor -------------------------------------------------------------------------------------------


@require(AUTHENTICATED)
@sensitive_post_parameters("code")
@never_cache
def otp_setup(request: SignedInRequest) -> HttpResponse:
    user = request.user
    next_url = _safe_next(request)
    if user_has_device(user, confirmed=True):
        if not _is_verified(user):
            # A password alone must never enrol a new device next to the one already set up.
            return redirect(_with_next("accounts:otp_verify", next_url))
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("accounts:profile")
    device = services.otp_device_start(user=user, request=request)
    if request.method == "POST":
        form = OtpCodeForm(request.POST, allow_recovery=False)
    else:
        form = OtpCodeForm(allow_recovery=False)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            codes = services.otp_device_confirm(
                user=user, device=device, code=form.cleaned_data["code"], request=request
            )
            if codes is None:
                form.add_error(
                    "code", _("The code is not correct. Check the time on your phone and try again.")
                )
                status = 400
            else:
                device.refresh_from_db()
                django_otp.login(request, device)
                # Shown once, in the response to this POST, and never stored anywhere the user could reopen.
                return render(
                    request,
                    "accounts/otp_recovery_codes.html",
                    {"codes": codes, "next": next_url or _home()},
                )
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "secret": _grouped(secret),
        "qr_svg": qr_svg(device.config_url, _("QR code for your authenticator app")),
        "required": selectors.user_requires_2fa(user=user),
    }
    return render(request, "accounts/otp_setup.html", context, status=status)


@require(AUTHENTICATED)
@sensitive_post_parameters("code")
@never_cache
def otp_verify(request: SignedInRequest) -> HttpResponse:
    user = request.user
    next_url = _safe_next(request)
    if _is_verified(user) or not user_has_device(user, confirmed=True):
        return redirect(next_url or _home())
    form = OtpCodeForm(request.POST) if request.method == "POST" else OtpCodeForm()
    status = 200
    if request.method == "POST":
        if selectors.login_is_locked(username=user.get_username()):
            return _locked_out(request)
        if not form.is_valid():
            status = 400
        else:
            device = services.otp_verify_code(user=user, code=form.cleaned_data["code"], request=request)
            if device is None:
                if selectors.login_is_locked(username=user.get_username()):
                    return _locked_out(request)
                form.add_error("code", _("The code is not correct or has expired."))
                status = 400
            else:
                django_otp.login(request, device)
                return redirect(next_url or _home())
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url}, status=status)


@require(AUTHENTICATED)
@sensitive_post_parameters("password")
def otp_disable(request: SignedInRequest) -> HttpResponse:
    user = request.user
    status_info = selectors.otp_status(user=user)
    if not user_has_device(user, confirmed=None):
        messages.info(request, _("Two-factor authentication is not set up."))
        return redirect("accounts:profile")
    if request.method == "POST":
        form = CurrentPasswordForm(request.POST, user=user)
    else:
        form = CurrentPasswordForm(user=user)
    status = 200
    if request.method == "POST":
        if status_info["required"]:
            status = 403
        elif not form.is_valid():
            status = 400
        else:
            try:
                services.otp_devices_remove(by=user, user=user, request=request)
            except ValidationError as error:
                form.add_error(None, error)
                status = 403
            else:
                messages.success(request, _("Two-factor authentication is switched off."))
                return redirect("accounts:profile")
    return render(
        request,
        "accounts/otp_disable.html",
        {"form": form, "required": status_info["required"]},
        status=status,
    )


# --- password ------------------------------------------------------------------------------------------------


@require(AUTHENTICATED)
@sensitive_post_parameters("password", "new_password1", "new_password2")
def password_change(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = PasswordChangeForm(request.POST, user=user)
    else:
        form = PasswordChangeForm(user=user)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                services.user_set_password(
                    by=user, user=user, password=form.cleaned_data["new_password1"], request=request
                )
            except ValidationError as error:
                form.add_error("new_password1", error)
                status = 400
            else:
                # The password is part of the session hash: keep this session, end the others.
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password has been changed."))
                return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


# --- API tokens ----------------------------------------------------------------------------------------------


@require(AUTHENTICATED)
@sensitive_post_parameters()
def token_list(request: SignedInRequest) -> HttpResponse:
    """The user's own tokens, and the form that makes a new one (POST here)."""
    form = TokenCreateForm(request.POST) if request.method == "POST" else TokenCreateForm()
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            days = form.cleaned_data["expires_in_days"]
            expires_at = timezone.now() + dt.timedelta(days=days) if days else None
            try:
                token, secret = services.token_create(
                    by=request.user, name=form.cleaned_data["name"], expires_at=expires_at, request=request
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                response = render(request, "accounts/token_created.html", {"token": token, "secret": secret})
                response["Cache-Control"] = "no-store"
                return response
    tokens = selectors.token_list(user=request.user)
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens, "now": timezone.now()},
        status=status,
    )


@require(AUTHENTICATED)
@require_POST
def token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = access_api_token(user=request.user, token_id=pk)
    services.token_revoke(by=request.user, token=token, request=request)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:token_list")


# --- profile -------------------------------------------------------------------------------------------------


def _render_profile(request: SignedInRequest, language_form: LanguageForm, status: int = 200) -> HttpResponse:
    context = {
        "profile_user": request.user,
        "otp": selectors.otp_status(user=request.user),
        "language_form": language_form,
    }
    return render(request, "accounts/profile.html", context, status=status)


@require(AUTHENTICATED)
def profile(request: SignedInRequest) -> HttpResponse:
    form = LanguageForm(initial={"preferred_language": request.user.preferred_language})
    return _render_profile(request, form)


@require(AUTHENTICATED)
@require_POST
def profile_language(request: SignedInRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, form, status=400)
    language = form.cleaned_data["preferred_language"]
    try:
        services.user_set_language(by=request.user, user=request.user, language=language, request=request)
    except ValidationError as error:
        form.add_error("preferred_language", error.messages)
        return _render_profile(request, form, status=400)
    translation.activate(language)
    messages.success(request, _("Your preferred language has been saved."))
    return _set_language(redirect("accounts:profile"), language)
