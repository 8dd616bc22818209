from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prokuratura.core.permissions import AUTHENTICATED, public, require

from prokuratura.accounts import services
from prokuratura.accounts.forms.auth import LoginForm
from prokuratura.accounts.selectors import login_is_locked


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@public
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if login_is_locked(username=username):
            form.add_error(None, _("Too many failed attempts. The account is locked for %(minutes)d minutes.")
                           % {"minutes": settings.LOGIN_LOCKOUT_MINUTES})
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(username=username, request=request)
                form.add_error(None, _("The username or password is not correct."))
                status = 400
            else:
                login(request, user)
                services.login_success_record(user=user, request=request)
                return redirect(_safe_next(request))
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)}, status=status)


@require(AUTHENTICATED)
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require(AUTHENTICATED)
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"profile_user": request.user})
