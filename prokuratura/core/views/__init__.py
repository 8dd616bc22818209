from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.core.calendar import is_working_day
from prokuratura.core.home import sections_for
from prokuratura.core.permissions import AUTHENTICATED, SignedInRequest, require


@require(AUTHENTICATED)
def home(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "sections": sections_for(request.user),
        "today": today,
        "today_is_working_day": is_working_day(today),
    }
    return render(request, "core/home.html", context)


# --- error pages ---------------------------------------------------------------------------------------------
# Rendered in the language LocaleMiddleware chose (cookie, then Accept-Language). API paths get the API's
# one error shape instead of HTML.

_API_ERROR_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"error": _API_ERROR_CODES[status], "message": message, "details": None}, status=status
        )
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, _("Access denied"), _("You do not have permission to open this page."))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, _("Page not found"), _("There is no such page, or you may not see it."))


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request: no context processors, so neither the session, the user nor the menu is
    touched — the database may be the very thing that failed."""
    title = _("Server error")
    message = _("Something went wrong on our side. The error has been logged.")
    if _is_api(request):
        return JsonResponse({"error": _API_ERROR_CODES[500], "message": message, "details": None}, status=500)
    html = loader.get_template("500.html").render({"status": 500, "title": title, "message": message})
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Form expired"),
        _("The form had expired or was sent from another site. Reload the page and try again."),
    )
