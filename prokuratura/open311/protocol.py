"""The wire format of GeoReport v2: JSON or XML chosen by the URL's extension, the spec's error shape, w3 dates.

The XML follows the spec's examples exactly (no namespace, a list's items each under the singular tag:
`<services><service>…`, `<service_requests><request>…`, `<errors><error>…`); the JSON is the same tree by the Spark
convention the spec names (a list for a plural element, null for an empty one).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from xml.etree.ElementTree import Element, tostring

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

FORMATS: dict[str, str] = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
DEFAULT_FORMAT = "json"

# The item tag of each list element (the spec's "⇊ / ↴" pairs).
LIST_ITEMS: dict[str, str] = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}

XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# Characters XML 1.0 cannot carry at all (C0 controls other than tab, line feed and carriage return).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """An answer in the spec's error shape: the HTTP status and one or more human-readable descriptions, each
    its own `<error>` (the spec allows several; a 400 names every bad parameter at once)."""

    def __init__(self, status: int, *descriptions: str, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.descriptions = [str(d) for d in descriptions] or [""]
        self.headers = headers or {}
        super().__init__(f"{status}: {'; '.join(self.descriptions)}")


def w3(value: dt.datetime) -> str:
    """A w3/ISO 8601 date-time with the offset of the service's time zone, e.g. 2026-12-01T10:30:00+05:00."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of a day in the service's time zone: a term that runs to a day runs to its end."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _element(tag: str, value: Any) -> Element:
    element = Element(tag)
    if isinstance(value, dict):
        for name, child in value.items():
            element.append(_element(name, child))
    elif isinstance(value, list):
        item_tag = LIST_ITEMS[tag]
        for item in value:
            element.append(_element(item_tag, item))
    elif value is not None:
        element.text = _text(value)
    return element


def to_xml(root: str, data: Any) -> bytes:
    return XML_DECLARATION + tostring(_element(root, data), encoding="utf-8", xml_declaration=False)


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def render(
    data: Any, *, fmt: str, root: str, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    """`data` (a list for a plural root, a dict otherwise) in the requested format."""
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    response = HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS[DEFAULT_FORMAT]))
    response["Content-Language"] = get_language() or ""
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def render_error(error: Open311Error, *, fmt: str) -> HttpResponse:
    """`[{"code": 403, "description": "…"}]` / `<errors><error><code>403</code><description>…`."""
    items = [{"code": error.status, "description": text} for text in error.descriptions]
    fmt = fmt if fmt in FORMATS else DEFAULT_FORMAT
    return render(items, fmt=fmt, root="errors", status=error.status, headers=error.headers)
