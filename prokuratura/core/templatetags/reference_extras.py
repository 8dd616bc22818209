"""Template helpers for reference data: source links and world-region labels."""

from __future__ import annotations

from django import template

from prokuratura.core.reference import world_region_label

register = template.Library()


@register.filter
def source_links(text: str) -> list[dict[str, object]]:
    """Split a source cell ("url | url | text") into parts; only http(s) parts become links."""
    parts = [part.strip() for part in (text or "").split(" | ") if part.strip()]
    return [{"text": part, "is_link": part.startswith(("https://", "http://"))} for part in parts]


@register.filter
def world_region(code: str) -> str:
    return world_region_label(code) if code else ""
