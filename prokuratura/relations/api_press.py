"""The press import through the API: a press text (JSON) or an uploaded file (multipart) → the draft event with every
item and the sentence it was read from. Nothing is saved: a program posts the confirmed draft to
`POST /relations/events` (api_events.py)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import ApiError, api_permission, errors

from .press.extract import Draft, extract
from .press.gazetteer import gazetteer_from_db
from .press.text import MAX_CHARS, MAX_UPLOAD_BYTES, text_from_paste, text_from_upload, upload_too_large

router = Router(tags=["relations"])

PRESS_URL = "/relations/press"


class RelPressTextIn(Schema):
    text: str = Field(
        ..., description=f"The press text (Kazakh, Russian or English), at most {MAX_CHARS:,} characters."
    )
    published_on: dt.date | None = Field(
        None, description="When it was published: “today”, “yesterday” in the text count from it."
    )


class RelPressFoundOut(Schema):
    text: str = Field(..., description="The words matched, as written.")
    start: int = Field(
        ..., description="Their offset in the text read (`text` of the draft is not returned)."
    )
    end: int
    sentence: str = Field(..., description="The sentence they were read from.")
    sentence_start: int


class RelPressStateOut(Schema):
    iso2: str
    name: str
    found: RelPressFoundOut


class RelPressOrganisationOut(Schema):
    code: str = Field(..., description="The counterpart's code (GET /relations/counterparts).")
    name: str
    kind: str
    found: RelPressFoundOut


class RelPressOfficialOut(Schema):
    name: str
    title: str
    state: str = Field(..., description="ISO code of the state the official represents, or empty.")
    organisation: str = Field(..., description="Code of the organisation or agency, or empty.")
    found: RelPressFoundOut


class RelPressTopicOut(Schema):
    code: str
    name: str
    found: RelPressFoundOut


class RelPressFigureOut(Schema):
    value: Decimal
    text: str = Field(..., description="As written, e.g. “more than 500 thousand”.")
    subject: str = Field(..., description="What it counts, e.g. “people”.")
    found: RelPressFoundOut


class RelPressDraftOut(Schema):
    language: str = Field(..., description="kk, ru or en.")
    characters: int = Field(..., description="Length of the text read.")
    title: str
    summary: str
    date: dt.date | None = Field(None, description="Null when no date was recognised: the officer types it.")
    end_date: dt.date | None = None
    date_found: RelPressFoundOut | None = None
    published_on: dt.date | None = None
    place: str = Field(..., description="The place in the text's language.")
    place_found: RelPressFoundOut | None = None
    country: str = Field(..., description="ISO code of the place's state.")
    kind: str
    kind_found: RelPressFoundOut | None = None
    principal: str = Field(..., description="Code of the counterpart the event is about, or empty.")
    holder_name: str
    states: list[RelPressStateOut]
    organisations: list[RelPressOrganisationOut]
    officials: list[RelPressOfficialOut]
    topics: list[RelPressTopicOut]
    figures: list[RelPressFigureOut]
    warnings: list[str] = Field(
        ..., description="What the officer must do before saving (e.g. type the date)."
    )


def _out(draft: Draft) -> dict[str, Any]:
    data = draft.as_dict()
    data["characters"] = len(draft.text)
    data["place"] = draft.place_name
    return data


def _invalid(field: tuple[str, str], error: ValidationError) -> ApiError:
    message = error.messages[0]
    kind = getattr(error, "code", None) or "invalid"
    return ApiError(422, "validation_error", message, [{"loc": list(field), "msg": message, "type": kind}])


@router.post(
    f"{PRESS_URL}/extract",
    response={200: RelPressDraftOut, **errors(400, 401, 403, 415, 422)},
    summary="Read a press text into a draft event",
    description="The date, place, kind, title, organisations, states, officials with titles, topics and figures "
    "read from the text, each with the sentence it came from. An empty or too long text (over "
    f"{MAX_CHARS:,} characters) answers 422. Nothing is saved.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_press_extract(request: HttpRequest, payload: RelPressTextIn) -> Any:
    try:
        text = text_from_paste(payload.text)
    except ValidationError as error:
        raise _invalid(("body", "text"), error) from None
    return _out(extract(text, gazetteer_from_db(), published=payload.published_on))


@router.post(
    f"{PRESS_URL}/extract-file",
    response={200: RelPressDraftOut, **errors(400, 401, 403, 422)},
    summary="Read an uploaded press release into a draft event",
    description="Multipart: `file` — a .txt (UTF-8 or Windows-1251), .html or .docx file of at most "
    f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB — and optionally `published_on`. A binary, undecodable, empty or "
    "unknown file, or a text that is too long, answers 422. Nothing is saved.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_press_extract_file(
    request: HttpRequest, file: File[UploadedFile], published_on: Form[dt.date | None] = None
) -> Any:
    try:
        if file.size is not None and file.size > MAX_UPLOAD_BYTES:
            raise upload_too_large()
        text = text_from_upload(file.name or "", file.read(MAX_UPLOAD_BYTES + 1))
    except ValidationError as error:
        raise _invalid(("body", "file"), error) from None
    return _out(extract(text, gazetteer_from_db(), published=published_on))
