"""One input policy for text, applied once, before anything reads the request (InputPolicyMiddleware).

What a person could not have meant to type is removed; what can only be an attack or a broken client is refused.

- Refused (400, nothing is read further, nothing changes): NUL (U+0000) anywhere — the path, the query string, any
  header, a form field, a JSON string whether raw or escaped as ``\\u0000`` — and a lone surrogate escaped in JSON
  (``\\ud800``). PostgreSQL cannot store either in text, so letting them through only turns them into a 500 later.
  Bytes that are not UTF-8 in the path, the query string, a form-encoded or a JSON body are refused the same way.
  (Multipart fields are decoded by Django with replacement characters, so a broken byte there becomes U+FFFD.)
- Removed from every text value (query parameters, form fields including multipart's non-file fields, JSON strings
  and keys): the C0 and C1 control characters except TAB, LF and CR, and the bidirectional embeddings, overrides and
  isolates (U+202A–U+202E, U+2066–U+2069) that "Trojan Source" spoofing uses to make text read other than it is
  stored. The left-to-right and right-to-left marks (U+200E, U+200F) are kept: they are harmless and legitimately
  typed in text mixing Kazakh or Russian with Latin or Arabic script. Text is then normalised to NFC, so "й" typed
  as "и" + combining breve is stored, searched and compared as the one letter.
- Files are untouched; their names are already stripped of every non-printable character (controls, bidi
  formatting) by Django's multipart parser, and the attachments service keeps only the base name.

A cheap scan comes first and a request is rebuilt only when something must change, so the usual request costs one
regular-expression pass over its text. A cleaned JSON body is re-serialised and put back where ninja and the
idempotency hash (core.api_support) read it, so a retry of the same raw body hashes the same.

Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (form fields or JSON; files are not counted) or with too many fields or
files answer 413: in the API's error shape under /api/, as a page elsewhere. A refused request never touches the
session or the database: its page is the stand-alone error page (500.html's layout), in the language the cookie or
Accept-Language asks for.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from io import BytesIO
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

__all__ = [
    "InputPolicyMiddleware",
    "Refused",
    "clean_text",
    "clean_value",
    "needs_cleaning",
]

# Removed from text: C0 controls but TAB (09), LF (0A), CR (0D); DEL and the C1 controls; bidi embeddings,
# overrides (202A–202E) and isolates (2066–2069).
_REMOVED = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Refused: NUL, and surrogates (only reachable through a JSON escape; no UTF-8 text holds them).
_REFUSED = re.compile("[\x00\ud800-\udfff]")
# A JSON escape that may stand for a refused or removed character (scanned on the raw body before parsing).
_JSON_ESCAPE = re.compile(
    r"\\u(?:00[01][0-9a-f]|007f|008[0-9a-f]|009[0-9a-f]|202[a-e]|206[6-9]|d[89a-f])", re.I
)

TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
# Protocols with an error shape of their own (GeoReport v2, docs/OPEN311.md): their text is cleaned like any other,
# but a refusal or an oversized body is left to their views, which answer NUL and too many fields in the spec's
# shape. Their multipart bodies are not parsed here (a body too large would be half read when the view came to it).
OWN_ERROR_SHAPE_PREFIXES = ("/open311/",)


class Refused(Exception):
    """The request holds what the policy refuses (NUL, a lone surrogate, bytes that are not UTF-8)."""


def needs_cleaning(text: str) -> bool:
    """Whether `clean_text` would change `text` (the cheap check: one regex scan, NFC only for non-ASCII)."""
    if _REMOVED.search(text):
        return True
    return not text.isascii() and not unicodedata.is_normalized("NFC", text)


def clean_text(text: str) -> str:
    """`text` with the removed characters removed and normalised to NFC; raises Refused on NUL or a surrogate."""
    if _REFUSED.search(text):
        raise Refused
    if not needs_cleaning(text):
        return text
    return unicodedata.normalize("NFC", _REMOVED.sub("", text))


def clean_value(value: Any) -> Any:
    """A parsed JSON value with every string (keys too) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): clean_value(item) for key, item in value.items()}
    return value


def _url_encoded_text(raw: bytes) -> str:
    """The text of a query string or form-encoded body, percent-decoded (for checking only)."""
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused from None


def _cleaned_query_dict(source: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=source.encoding)
    for key, values in source.lists():
        cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
    cleaned._mutable = False  # type: ignore[attr-defined]  # as Django hands out request.GET and POST
    return cleaned


def _check_path_and_headers(request: HttpRequest) -> None:
    # Django has already decoded the path (bytes that are not UTF-8 are percent-encoded again, so they can only
    # miss a route); what is left to refuse is a NUL or a surrogate in it. META["PATH_INFO"] holds that decoded text
    # too, so it must not be decoded a second time ("É" would look like a broken byte).
    if _REFUSED.search(request.path):
        raise Refused
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            raise Refused


def _clean_query(request: HttpRequest) -> None:
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return
    try:
        data = raw.encode("latin-1")  # WSGI carries the bytes as latin-1
    except UnicodeEncodeError:
        data = raw.encode("utf-8")
    text = _url_encoded_text(data)
    if "\x00" in text:
        raise Refused
    if needs_cleaning(text):
        request.GET = _cleaned_query_dict(request.GET)  # type: ignore[assignment]  # read-only, as Django makes it


def _clean_json(request: HttpRequest) -> None:
    body = request.body
    if not body:
        return
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused from None
    if "\x00" in text:
        raise Refused
    if not _JSON_ESCAPE.search(text) and not needs_cleaning(text):
        return
    try:
        parsed = json.loads(text)
    except ValueError:
        return  # not JSON: the API's parser answers 400 malformed_body
    cleaned = clean_value(parsed)
    if cleaned != parsed:
        data = json.dumps(cleaned, ensure_ascii=False).encode("utf-8")
        request._body = data  # type: ignore[attr-defined]  # what request.body returns from now on
        request._stream = BytesIO(data)  # type: ignore[attr-defined]


def _clean_form(request: HttpRequest, *, url_encoded: bool) -> None:
    if url_encoded:
        text = _url_encoded_text(request.body)
        if "\x00" in text:
            raise Refused
    # Parsed here, where too many fields or files answer 413 (Django parses it once; the view gets this copy).
    post = request.POST  # multipart: files to temporary files, fields to memory
    if url_encoded and not needs_cleaning(text):
        return
    if any(_REFUSED.search(key) or any(_REFUSED.search(v) for v in values) for key, values in post.lists()):
        raise Refused
    if any(needs_cleaning(key) or any(needs_cleaning(v) for v in values) for key, values in post.lists()):
        request._post = _cleaned_query_dict(post)  # type: ignore[attr-defined]


def apply_policy(request: HttpRequest) -> None:
    """Refuse (Refused) or clean the request in place. May raise RequestDataTooBig, TooManyFieldsSent and
    TooManyFilesSent while reading the body."""
    _check_path_and_headers(request)
    _clean_query(request)
    content_type = (request.content_type or "").lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        _clean_json(request)
    elif content_type == "application/x-www-form-urlencoded":
        _clean_form(request, url_encoded=True)
    elif content_type == "multipart/form-data" and not _answers_itself(request):
        _clean_form(request, url_encoded=False)


# --- answers ---------------------------------------------------------------------------------------------------


def _answers_itself(request: HttpRequest) -> bool:
    return request.path.startswith(OWN_ERROR_SHAPE_PREFIXES)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(status: int, title: str, message: str) -> HttpResponse:
    # 500.html is the site's stand-alone error layout: no user, no session, no database — nothing of a refused
    # request is trusted or read.
    html = loader.get_template("500.html").render({"status": status, "title": title, "message": message})
    return HttpResponse(html, status=status)


def refused_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "The request contains characters that cannot be accepted (a NUL character or bytes that are not "
        "UTF-8 text). Nothing was saved."
    )
    if _is_api(request):
        from .api_support import error_response

        return error_response(400, "invalid_characters", message)
    return _page(400, _("Bad request"), message)


def too_large_message() -> str:
    return _(
        "The request is too large: at most %(size)s of text (form fields or JSON, not counting attached files) "
        "and at most %(fields)d fields may be sent at once."
    ) % {
        "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        "fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    }


def too_large_response(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        from .api_support import payload_too_large

        return payload_too_large()
    return _page(413, _("Request too large"), too_large_message())


class InputPolicyMiddleware:
    """Applies the module's policy to every request before the session, CSRF, forms or the API read it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            apply_policy(request)
        except Refused:
            if not _answers_itself(request):
                with translation.override(translation.get_language_from_request(request)):
                    return refused_response(request)
        except TOO_LARGE:
            if not _answers_itself(request):
                with translation.override(translation.get_language_from_request(request)):
                    return too_large_response(request)
        return self.get_response(request)
