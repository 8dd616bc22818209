"""The act's letter pages: the issued act's PDF and DOCX for whoever may see the act (404 for anyone the record rule
does not admit, 403 without `supervision.view`), a draft's marked preview, and the page showing the sheet."""

import datetime as dt

import pytest
from django.urls import reverse

from prokuratura.core.letters import DOCX_CONTENT_TYPE
from prokuratura.supervision.services.act_letters import draft_mark

from .factories import make_act, make_inspection, make_violation

pytestmark = pytest.mark.django_db


def _acts(cast):
    inspection = make_inspection(by=cast.prosecutor_astana, head=cast.head_astana, started=True)
    violation = make_violation(by=cast.prosecutor_astana, inspection=inspection)
    issued = make_act(
        by=cast.prosecutor_astana,
        code="protest",
        inspection=inspection,
        violations=[violation],
        issue=True,
        issued_on=dt.date(2026, 12, 1),
    )
    draft = make_act(
        by=cast.prosecutor_astana, code="submission", inspection=inspection, violations=[violation]
    )
    return issued, draft


def _url(name, act, **kwargs):
    return reverse(f"supervision:{name}", kwargs={"act_id": act.pk, **kwargs})


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [("pdf", "application/pdf", b"%PDF-"), ("docx", DOCX_CONTENT_TYPE, b"PK")],
)
def test_the_issued_act_downloads_as_a_letter(client_for, cast, fmt, content_type, magic):
    issued, _draft = _acts(cast)
    response = client_for(cast.prosecutor_astana).get(_url("act_letter", issued, fmt=fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f".{fmt}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_head_above_and_an_auditor_may_download_it_too(client_for, cast):
    issued, _draft = _acts(cast)
    for user in (cast.head_astana, cast.head_gpo, cast.auditor):
        assert client_for(user).get(_url("act_letter", issued, fmt="pdf")).status_code == 200, user


def test_a_prosecutor_of_another_region_gets_404_for_an_internal_act(client_for, cast):
    issued, draft = _acts(cast)
    assert issued.sensitivity == "internal"
    client = client_for(cast.prosecutor_almaty)
    for url in (
        _url("act_letter", issued, fmt="pdf"),
        _url("act_letter", issued, fmt="docx"),
        _url("act_letter_page", issued),
        _url("act_letter_draft", draft, fmt="pdf"),
        _url("act_letter_page", draft),
    ):
        assert client.get(url).status_code == 404, url


def test_without_the_supervision_permission_the_letter_is_refused(client_for, cast):
    issued, _draft = _acts(cast)
    for user in (cast.analyst, cast.outsider, cast.registrar_astana):
        assert client_for(user).get(_url("act_letter", issued, fmt="pdf")).status_code == 403, user


def test_a_missing_act_and_an_unknown_format_are_404(client_for, cast):
    issued, _draft = _acts(cast)
    client = client_for(cast.prosecutor_astana)
    assert (
        client.get(reverse("supervision:act_letter", kwargs={"act_id": 999999, "fmt": "pdf"})).status_code
        == 404
    )
    assert client.get(_url("act_letter", issued, fmt="odt")).status_code == 404
    assert client.get(_url("act_letter", issued, fmt="html")).status_code == 404


def test_a_draft_has_no_letter_but_a_marked_preview(client_for, cast):
    issued, draft = _acts(cast)
    client = client_for(cast.prosecutor_astana)
    assert client.get(_url("act_letter", draft, fmt="pdf")).status_code == 404
    response = client.get(_url("act_letter_draft", draft, fmt="docx"))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert f"submission-draft-{draft.pk}.docx" in response["Content-Disposition"]
    assert client.get(_url("act_letter_draft", draft, fmt="pdf")).content.startswith(b"%PDF-")
    # An issued act is downloaded as signed, never as a draft.
    assert client.get(_url("act_letter_draft", issued, fmt="pdf")).status_code == 404


def test_the_letter_page_shows_the_sheet_with_its_downloads(client_for, cast, django_assert_num_queries):
    issued, draft = _acts(cast)
    client = client_for(cast.prosecutor_astana)
    # The session, the user, their devices, roles and 2FA policy (6), then the act with all it refers to (1).
    with django_assert_num_queries(7):
        response = client.get(_url("act_letter_page", issued))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="letter-sheet" lang="ru"' in page
    assert issued.number in page and "01.12.2026" in page and "ПРОТЕСТ" in page
    assert _url("act_letter", issued, fmt="pdf") in page and _url("act_letter", issued, fmt="docx") in page
    assert "letter-draft-note" not in page

    page = client.get(_url("act_letter_page", draft)).content.decode()
    assert "letter-draft-note" in page
    assert _url("act_letter_draft", draft, fmt="pdf") in page
    assert _url("act_letter", draft, fmt="pdf") not in page


def test_the_draft_mark_is_in_the_acts_language(client_for, cast):
    _issued, draft = _acts(cast)
    response = client_for(cast.prosecutor_astana).get(_url("act_letter_draft", draft, fmt="docx"))
    from io import BytesIO

    from docx import Document

    header = Document(BytesIO(response.content)).sections[0].header.paragraphs[0].text
    assert header == draft_mark("ru")
