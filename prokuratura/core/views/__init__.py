from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from prokuratura.core.permissions import AUTHENTICATED, require


@require(AUTHENTICATED)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}
        return JsonResponse({"error": codes[status], "message": message, "details": None}, status=status)
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, _("Access denied"), _("You do not have permission to open this page."))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, _("Page not found"), _("There is no such page, or you may not see it."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("Server error"), _("Something went wrong on our side. The error has been logged."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request, "error.html",
        {"status": 403, "title": _("Form expired"),
         "message": _("The form had expired or was sent from another site. Reload the page and try again.")},
        status=403,
    )
