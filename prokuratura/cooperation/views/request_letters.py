"""A request's letters: the request itself and its cover letter, in Kazakh, Russian or English, as a page (the sheet
as it prints) and as PDF or DOCX files.

- The page (`request_letters`) and the final files (`request_letter`): everyone who may see the request
  (`cooperation.requests_view` and the record rule, through `access_request`: 404 otherwise). The final letter — not
  marked — exists only for an outgoing request that is signed (or later) and complete; otherwise the page answers
  409 and names every missing item, and no file is made.
- A draft's files (`request_letter_draft`), marked as a draft on every page, whatever the status: the officer in
  charge or a head (`cooperation.requests_work` and `access_request(for_write=True)`: 403 for a reader).

Only outgoing requests have letters (an incoming one is the partner's document): 404 for an incoming one. The
persons concerned appear in a letter only for a reader who may see their personal data.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header

from prokuratura.accounts.roles import Perm
from prokuratura.core.letters import sheet_html
from prokuratura.core.permissions import SignedInRequest, require

from ..forms_request_catalogue import LetterChoiceForm
from ..models_requests import AssistanceRequest, RequestPerson
from ..request_access import access_request, access_request_persons, may_change_request
from ..request_letters import (
    DOCUMENTS,
    LANGUAGE_CODES,
    LETTER_FORMATS,
    letter_final_problems,
    letters_available,
    request_draft_letter_file,
    request_letter_file,
    request_letter_sheet,
)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _letter_request(
    request: SignedInRequest, request_id: int, *, for_write: bool = False
) -> AssistanceRequest:
    record = access_request(user=request.user, request_id=request_id, for_write=for_write, request=request)
    if not letters_available(record):
        raise Http404
    return record


def _check_choice(document: str, language: str, fmt: str) -> None:
    if document not in DOCUMENTS or language not in LANGUAGE_CODES or fmt not in LETTER_FORMATS:
        raise Http404


class _Unread:
    """The persons were not read yet (None means: read, and the user may not see them)."""


UNREAD = _Unread()


def _page(
    request: SignedInRequest,
    record: AssistanceRequest,
    *,
    document: str,
    language: str,
    persons: list[RequestPerson] | None | _Unread = UNREAD,
    refused: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if isinstance(persons, _Unread):
        persons = access_request_persons(user=request.user, assistance_request=record, request=request)
    problems = letter_final_problems(record)
    final = not problems
    sheet, sheet_errors = "", []
    try:
        sheet = sheet_html(
            request_letter_sheet(
                assistance_request=record, persons=persons, document=document, language=language, final=final
            )
        )
    except ValidationError as error:
        sheet_errors = error.messages
    context: dict[str, Any] = {
        "record": record,
        "form": LetterChoiceForm(initial={"document": document, "language": language}),
        "document": document,
        "language": language,
        "final": final,
        "problems": problems,
        "refused": refused or [],
        "sheet": sheet,
        "sheet_errors": sheet_errors,
        "persons_hidden": persons is None and record.persons.exists(),
        "other_language": language != record.language,
        "may_generate": may_change_request(user=request.user, assistance_request=record),
    }
    return render(request, "cooperation/request_letters.html", context, status=status)


@require(Perm.COOP_REQUESTS_VIEW)
def request_letters(request: SignedInRequest, request_id: int) -> HttpResponse:
    """The chosen letter (`?document=request|cover&language=kk|ru|en`; the request in its own language unless
    another is chosen) as it prints, with its files."""
    record = _letter_request(request, request_id)
    form = LetterChoiceForm(request.GET or None)
    document, language = "request", record.language
    if form.is_valid():
        document, language = form.cleaned_data["document"], form.cleaned_data["language"]
    return _page(request, record, document=document, language=language)


@require(Perm.COOP_REQUESTS_VIEW)
def request_letter(
    request: SignedInRequest, request_id: int, document: str, language: str, fmt: str
) -> HttpResponse:
    """The final letter as PDF or DOCX; while the request is not signed or not complete, the letters page with what
    is missing (409) and no file."""
    record = _letter_request(request, request_id)
    _check_choice(document, language, fmt)
    persons = access_request_persons(user=request.user, assistance_request=record, request=request)
    try:
        content = request_letter_file(
            assistance_request=record, persons=persons, document=document, language=language, fmt=fmt
        )
    except ValidationError as error:
        return _page(
            request,
            record,
            document=document,
            language=language,
            persons=persons,
            refused=error.messages,
            status=409,
        )
    return _attachment(*content)


@require(Perm.COOP_REQUESTS_WORK)
def request_letter_draft(
    request: SignedInRequest, request_id: int, document: str, language: str, fmt: str
) -> HttpResponse:
    """The letter as it would print today, marked as a draft on every page: the officer in charge or a head."""
    record = _letter_request(request, request_id, for_write=True)
    _check_choice(document, language, fmt)
    persons = access_request_persons(user=request.user, assistance_request=record, request=request)
    try:
        content = request_draft_letter_file(
            assistance_request=record, persons=persons, document=document, language=language, fmt=fmt
        )
    except ValidationError as error:
        return _page(
            request,
            record,
            document=document,
            language=language,
            persons=persons,
            refused=error.messages,
            status=409,
        )
    return _attachment(*content)


urlpatterns: list[URLPattern] = [
    path("requests/<int:request_id>/documents/", request_letters, name="request_letters"),
    path(
        "requests/<int:request_id>/documents/<slug:document>/<slug:language>.<slug:fmt>",
        request_letter,
        name="request_letter",
    ),
    path(
        "requests/<int:request_id>/documents/<slug:document>/<slug:language>/draft.<slug:fmt>",
        request_letter_draft,
        name="request_letter_draft",
    ),
]
