"""Answering htmx: a region of the page, or the whole page.

A view answers with a region only when htmx asked for that region and is not restoring a page from its history
(Back, Forward or a reload of a pushed URL after htmx's cache missed it: that needs the whole page). The
`VaryOnHtmxMiddleware` tells caches that one URL has two answers, so the browser's Back never shows a bare region.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def partial_requested(request: HttpRequest, target: str) -> bool:
    htmx = getattr(request, "htmx", None)  # django_htmx.middleware.HtmxMiddleware
    if htmx is None or not htmx:
        return False
    return bool(htmx.target == target and not htmx.history_restore_request)


class VaryOnHtmxMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
