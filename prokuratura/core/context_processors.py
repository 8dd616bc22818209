from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu entries the signed-in user may open (each guarded again by its view)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    from .navigation import items_for

    return {"nav_items": items_for(user)}
