import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# Django's own views that are safe for anyone: static files in development and nothing else.
_ALLOWED_UNDECLARED = {"django.views.static.serve", "django.contrib.staticfiles.views.serve"}


class AccessPolicyMiddleware:
    """Deny by default: a view that declares no access policy is refused with 403."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        if getattr(view_func, "access_policy", None):
            return None
        name = f"{getattr(view_func, '__module__', '')}.{getattr(view_func, '__name__', '')}"
        if name in _ALLOWED_UNDECLARED:
            return None
        logger.error("View %s declares no access policy; refused.", name)
        raise PermissionDenied
