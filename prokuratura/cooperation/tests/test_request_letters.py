"""A request's letters: the request and its cover letter as PDF and DOCX in Kazakh, Russian and English from the
default templates; the final letter only for a signed, complete outgoing request (otherwise 409 naming what is
missing, and no file); a draft always, marked, for the officer in charge or a head; 404/403 as the record rule and
the permissions say."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib

import pytest
from django.urls import reverse

from prokuratura.cooperation.models_requests import (
    Direction,
    RequestKind,
    RequestTemplate,
)
from prokuratura.cooperation.request_letters import (
    draft_mark,
    letter_final_problems,
    request_letter_facts,
    request_letter_file,
    request_letter_sheet,
    request_template_preview,
)
from prokuratura.cooperation.request_services import PersonData, request_person_add
from prokuratura.cooperation.request_transitions import REQUESTS
from prokuratura.core.letters import DOCX_CONTENT_TYPE
from prokuratura.core.models import Country

from .request_factories import incoming_extradition, outgoing_mla, treaty

pytestmark = pytest.mark.django_db

PARTNER = {"en": "State XA", "ru": "Государство XA", "kk": "XA мемлекеті"}
MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04"}
CONTENT_TYPE = {"pdf": "application/pdf", "docx": DOCX_CONTENT_TYPE}


# --- reading the files back ------------------------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    cells = [
        p.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]
    headers = [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join([*headers, *cells, *(p.text for p in document.paragraphs)])


def _cmap(data: bytes) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for glyph, code in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[glyph.decode().lower()] = bytes.fromhex(code.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, code in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first, width = int(start, 16), len(start)
            base = int(code, 16)
            for offset in range(int(end, 16) - first + 1):
                mapping[f"{first + offset:0{width}x}"] = chr(base + offset)
    return mapping


def _pdf_text(content: bytes) -> str:
    """The text WeasyPrint's PDF draws, decoded through each font's ToUnicode map (no PDF library is needed): the
    content streams select a font by its subset tag (`/TAG size Tf`) and draw glyph ids (`[<id>…] TJ`)."""
    streams: dict[str, bytes] = {}
    # Each stream is read by its /Length: compressed data may itself end in a carriage return.
    for match in re.finditer(rb"(\d+) 0 obj\s*<<([^>]*)>>\s*stream\r?\n", content):
        length = re.search(rb"/Length (\d+)", match.group(2))
        if length is None:
            continue
        raw = content[match.end() : match.end() + int(length.group(1))]
        try:
            streams[match.group(1).decode()] = zlib.decompress(raw)
        except zlib.error:
            continue
    every = b"\n".join([content, *streams.values()])
    fonts = {
        tag.decode(): _cmap(streams.get(obj.decode(), b""))
        for tag, obj in re.findall(rb"/BaseFont /(\w+)\+[^/]*/ToUnicode (\d+) 0 R", every)
    }
    chunks: list[str] = []
    for data in streams.values():
        if b"BT" not in data:
            continue
        font: dict[str, str] = {}
        for tag, array, single in re.findall(
            rb"/(\w+) [\d.]+ Tf|\[([^\[\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj", data, re.S
        ):
            if tag:
                font = fonts.get(tag.decode(), {})
                continue
            glyphs = b"".join(re.findall(rb"<([0-9a-fA-F]*)>", array)) if array else single
            hexes = glyphs.decode().lower()
            chunks.append("".join(font.get(hexes[i : i + 4], "") for i in range(0, len(hexes), 4)))
    return " ".join(chunks)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the records -----------------------------------------------------------------------------------------------------


@pytest.fixture
def partner_names():
    instrument = treaty()
    Country.objects.filter(iso2="XA").update(
        name_en=PARTNER["en"], name_ru=PARTNER["ru"], name_kk=PARTNER["kk"]
    )
    instrument.partner.refresh_from_db()
    return instrument


def _signed(cast, instrument, **overrides):
    record = outgoing_mla(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=instrument, **overrides
    )
    request_person_add(
        by=cast.intl_officer,
        assistance_request=record,
        data=PersonData(
            role="suspect",
            full_name="Petrov Pyotr",
            birth_date=dt.date(1990, 3, 4),
            nationality=instrument.partner,
            location="Capital of XA",
        ),
    )
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    REQUESTS.perform(step="sign", by=cast.head_gpo, record=record, inputs={})
    record.refresh_from_db()
    return record


@pytest.fixture
def signed(cast, partner_names):
    return _signed(cast, partner_names, case_number="267510031000123")


def _url(record, document="request", language="ru", fmt="pdf", *, draft=False):
    name = "cooperation:request_letter_draft" if draft else "cooperation:request_letter"
    return reverse(name, args=[record.pk, document, language, fmt])


# --- the final letter ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("document", ["request", "cover"])
def test_the_signed_complete_request_downloads_in_each_language(
    client_for, cast, signed, language, fmt, document
):
    response = client_for(cast.intl_officer).get(_url(signed, document, language, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE[fmt]
    assert response.content.startswith(MAGIC[fmt])
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{document}-{language}.{fmt}" in response["Content-Disposition"]
    text = _pdf_text(response.content) if fmt == "pdf" else _docx_text(response.content)
    for expected in (signed.number, PARTNER[language], signed.case_number, signed.signer_name):
        assert _squeezed(expected) in _squeezed(text), expected
    assert _squeezed(draft_mark(language)) not in _squeezed(text)


def test_the_letters_speak_the_letters_language(cast, signed):
    texts = {
        language: request_letter_sheet(
            assistance_request=signed, persons=None, document="cover", language=language, final=True
        ).body
        for language in ("kk", "ru", "en")
    }
    assert "presents its compliments" in texts["en"] and "has the honour to transmit" in texts["en"]
    assert "свидетельствует Вам своё уважение" in texts["ru"] and "имеет честь направить" in texts["ru"]
    assert "құрметін білдіреді" in texts["kk"] and "мәртебе санайды" in texts["kk"]
    for text in texts.values():
        assert signed.number in text and "{{" not in text and "{%" not in text


def test_the_request_carries_the_untoc_contents_and_the_persons(cast, signed):
    persons = list(signed.persons.select_related("nationality"))
    sheet = request_letter_sheet(
        assistance_request=signed, persons=persons, document="request", language="en", final=True
    )
    text = sheet.body
    for expected in (
        "Requesting authority: Prosecutor General's Office of the Republic of Kazakhstan.",
        "Subject and nature of the proceedings: Pre-trial investigation of unauthorised access",
        "Authority conducting the proceedings: Investigation department, Astana police.",
        "Summary of the relevant facts: In March 2026",
        "– bank and financial records;",
        "– identifying or locating persons.",
        "Purpose of the request: To identify the persons who accessed the network.",
        "Petrov Pyotr, suspect or accused, nationality: State XA, born on 4 March 1990",
        f"Legal basis: {signed.basis.title_en}.",
        "pre-trial investigation No. 267510031000123",
    ):
        assert expected in text, expected
    assert sheet.addressee == ("Ministry of Justice of State XA", "State XA")
    assert sheet.signer == signed.signer_name and sheet.date == signed.dated and not sheet.preview
    # Without the personal data, the letter names no one.
    hidden = request_letter_sheet(
        assistance_request=signed, persons=None, document="request", language="en", final=True
    ).body
    assert "Petrov" not in hidden


def test_the_final_letter_is_refused_while_the_request_is_incomplete(client_for, cast, partner_names):
    record = outgoing_mla(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=partner_names, purpose=""
    )
    response = client_for(cast.intl_officer).get(_url(record, fmt="pdf"))
    assert response.status_code == 409
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert "State the purpose for which the evidence, information or action is sought." in page
    assert "The request is not signed yet" in page
    with pytest.raises(Exception) as error:
        request_letter_file(
            assistance_request=record, persons=None, document="request", language="ru", fmt="pdf"
        )
    assert "purpose" in str(error.value)


def test_the_final_letter_is_refused_for_a_complete_request_not_yet_signed(client_for, cast, partner_names):
    record = outgoing_mla(by=cast.intl_officer, office=cast.intl_officer.office, instrument=partner_names)
    REQUESTS.perform(step="check", by=cast.intl_officer, record=record, inputs={})
    record.refresh_from_db()
    assert letter_final_problems(record) == ["The request is not signed yet: only a draft can be previewed."]
    response = client_for(cast.intl_officer).get(_url(record, fmt="docx"))
    assert response.status_code == 409 and "Content-Disposition" not in response


def test_a_signed_request_that_lost_a_required_translation_has_no_final_letter(cast, signed):
    signed.translations_required = ["zh"]
    signed.save(update_fields=["translations_required"])
    problems = letter_final_problems(signed)
    assert problems and "Chinese" in problems[0]


# --- drafts ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_draft_is_always_previewed_and_marked(client_for, cast, partner_names, fmt):
    record = outgoing_mla(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=partner_names, purpose=""
    )
    response = client_for(cast.intl_officer).get(_url(record, "cover", "en", fmt, draft=True))
    assert response.status_code == 200
    assert response.content.startswith(MAGIC[fmt])
    assert "-draft." in response["Content-Disposition"]
    text = _pdf_text(response.content) if fmt == "pdf" else _docx_text(response.content)
    assert _squeezed(draft_mark("en")) in _squeezed(text)
    assert _squeezed(record.number) in _squeezed(text) and "StateXA" in _squeezed(text)


def test_a_head_over_the_office_previews_a_draft_too(client_for, cast, signed):
    assert client_for(cast.head_gpo).get(_url(signed, "request", "kk", "docx", draft=True)).status_code == 200


# --- access ----------------------------------------------------------------------------------------------------------


def test_who_may_read_download_and_preview(client_for, cast, signed):
    page = reverse("cooperation:request_letters", args=[signed.pk])
    # Readers of the request: the page and the final letter; not the draft (403: they may see but not generate).
    for reader in (cast.auditor, cast.head_gpo):
        client = client_for(reader)
        assert client.get(page).status_code == 200, reader
        assert client.get(_url(signed, fmt="docx")).status_code == 200, reader
    assert client_for(cast.auditor).get(_url(signed, fmt="docx", draft=True)).status_code == 403
    # Without the permission: 403; with it but outside the record rule: 404 (nobody learns that it exists).
    for stranger in (cast.analyst, cast.outsider):
        assert client_for(stranger).get(page).status_code == 403, stranger
        assert client_for(stranger).get(_url(signed)).status_code == 403, stranger
    assert client_for(cast.prosecutor_almaty).get(page).status_code == 404
    assert client_for(cast.prosecutor_almaty).get(_url(signed)).status_code == 404
    # An unknown document, language or format is no letter.
    officer = client_for(cast.intl_officer)
    assert officer.get(_url(signed, "memo")).status_code == 404
    assert officer.get(_url(signed, language="de")).status_code == 404
    assert officer.get(_url(signed, fmt="odt")).status_code == 404


def test_an_incoming_request_has_no_letters(client_for, cast):
    record = incoming_extradition(by=cast.intl_officer, office=cast.intl_officer.office)
    assert record.direction == Direction.INCOMING
    client = client_for(cast.intl_officer)
    assert client.get(reverse("cooperation:request_letters", args=[record.pk])).status_code == 404
    assert client.get(_url(record, draft=True)).status_code == 404


# --- the page --------------------------------------------------------------------------------------------------------


def test_the_page_shows_the_sheet_and_what_is_missing(client_for, cast, partner_names):
    record = outgoing_mla(
        by=cast.intl_officer, office=cast.intl_officer.office, instrument=partner_names, facts_summary=""
    )
    url = reverse("cooperation:request_letters", args=[record.pk])
    page = client_for(cast.intl_officer).get(url, {"document": "cover", "language": "kk"}).content.decode()
    assert 'id="letter-missing"' in page and "Summarise the relevant facts" in page
    assert 'id="letter-draft-pdf"' in page and 'id="letter-pdf"' not in page
    assert 'lang="kk"' in page and record.number in page and "мәртебе санайды" in page


def test_the_page_offers_the_final_files_once_signed(client_for, cast, signed):
    page = client_for(cast.intl_officer).get(reverse("cooperation:request_letters", args=[signed.pk])).content
    assert b'id="letter-pdf"' in page and b'id="letter-missing"' not in page


def test_a_broken_template_is_reported_not_crashed(client_for, cast, signed):
    RequestTemplate.objects.filter(kind="mla", document="request", language="ru").update(body="{% if %}")
    response = client_for(cast.intl_officer).get(_url(signed, "request", "ru", "pdf"))
    assert response.status_code == 409
    assert "cannot be used" in response.content.decode()


# --- every default template ------------------------------------------------------------------------------------------


def test_every_kind_document_and_language_has_a_default_that_renders(offices):
    templates = {(t.kind, t.document, t.language): t for t in RequestTemplate.objects.all()}
    assert len(templates) == 4 * 2 * 3
    for kind in RequestKind.values:
        for document in RequestTemplate.Document.values:
            for language in ("kk", "ru", "en"):
                template = templates[(kind, document, language)]
                sheet = request_template_preview(
                    kind=kind,
                    document=document,
                    language=language,
                    subject=template.subject,
                    body=template.body,
                    office=offices.gpo,
                )
                assert sheet.subject and len(sheet.paragraphs) >= 4, (kind, document, language)
                assert "{" not in sheet.body and "{" not in sheet.subject
                assert sheet.number in sheet.body or document == "request"


def test_the_facts_are_plain_values(cast, signed):
    facts = request_letter_facts(assistance_request=signed, persons=[], language="en", final=True)

    def plain(value):
        if isinstance(value, dict):
            return all(plain(v) for v in value.values())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | bool | int | dt.date)

    assert plain(facts)
