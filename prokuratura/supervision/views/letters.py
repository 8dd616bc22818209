"""An act of response as an official letter: the page that shows the sheet, the issued act's PDF and DOCX (drawn
from the act's row as it was signed), and a draft's preview files, marked as a draft on every page.

Everyone who may see the act (`supervision.view` and the record rule, through `access_act`: 404 otherwise) may read
its letter. The issued act's file is only for an act that has its number; a draft's preview only for a draft.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header

from prokuratura.accounts.roles import Perm
from prokuratura.core.permissions import SignedInRequest, require

from ..access import access_act
from ..models import ActStatus
from ..services.act_letters import (
    LETTER_FORMATS,
    act_draft_letter_file,
    act_is_issued,
    act_letter_file,
    act_letter_html,
)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require(Perm.SUPERVISION_VIEW)
def act_letter_page(request: SignedInRequest, act_id: int) -> HttpResponse:
    """The act's letter on a page: as signed for an issued act, a marked preview for a draft."""
    act = access_act(user=request.user, act_id=act_id, request=request)
    issued, is_draft = act_is_issued(act), act.status == ActStatus.DRAFT
    context = {
        "act": act,
        "issued": issued,
        "is_draft": is_draft,
        # An act withdrawn before it was issued never became a letter.
        "sheet": act_letter_html(act) if issued or is_draft else "",
    }
    return render(request, "supervision/letter.html", context)


@require(Perm.SUPERVISION_VIEW)
def act_letter(request: SignedInRequest, act_id: int, fmt: str) -> HttpResponse:
    """The issued act as PDF or DOCX; 404 for a draft (it has no number yet: see `act_letter_draft`)."""
    act = access_act(user=request.user, act_id=act_id, request=request)
    if fmt not in LETTER_FORMATS or not act_is_issued(act):
        raise Http404
    return _attachment(*act_letter_file(act=act, fmt=fmt))


@require(Perm.SUPERVISION_VIEW)
def act_letter_draft(request: SignedInRequest, act_id: int, fmt: str) -> HttpResponse:
    """A draft as it would be printed, marked as a draft; 404 once it is issued (download the act instead)."""
    act = access_act(user=request.user, act_id=act_id, request=request)
    if fmt not in LETTER_FORMATS or act.status != ActStatus.DRAFT:
        raise Http404
    return _attachment(*act_draft_letter_file(act=act, fmt=fmt))


urlpatterns: list[URLPattern] = [
    path("acts/<int:act_id>/letter/", act_letter_page, name="act_letter_page"),
    path("acts/<int:act_id>/letter.<slug:fmt>", act_letter, name="act_letter"),
    path("acts/<int:act_id>/draft-letter.<slug:fmt>", act_letter_draft, name="act_letter_draft"),
]
