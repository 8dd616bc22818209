"""The official letter sheet any module prints: the same facts in HTML, PDF and DOCX, A4, the reference line only
when there is a document answered, and a refusal of an unknown format."""

import datetime as dt
import io
import re
import zlib

import pytest
from django.core.exceptions import ValidationError

from prokuratura.accounts.models import User
from prokuratura.core.letters import (
    DOCX_CONTENT_TYPE,
    Letterhead,
    LetterSheet,
    sheet_docx,
    sheet_file,
    sheet_html,
    sheet_pdf,
    signer_name,
    signer_position,
)
from prokuratura.core.models import Office

HEAD = Letterhead(
    name_kk="Астана қаласының прокуратурасы",
    name_ru="Прокуратура города Астаны",
    address_kk="Астана қ., Мәңгілік Ел д-лы, 14",
    address_ru="г. Астана, пр. Мангилик Ел, 14",
    phone="+7 7172 71-28-00",
    email="astana@prokuror.kz",
)


def _sheet(**overrides) -> LetterSheet:
    # English, so the "No. … of …" lines read the same whether or not the catalogues are compiled.
    values = {
        "language": "en",
        "subject": "Submission on the elimination of violations of the law",
        "body": "Құрметті басшы!\n\nThe inspection found violations.\nThey are listed below.\n\n  \n\nRespond within a month.",
        "number": "AST-2026/7",
        "date": dt.date(2026, 3, 2),
        "reference": ("12-34/567", dt.date(2026, 2, 20)),
        "addressee": ("Береке LLP", "Director А.А. Серіков", "Astana, Abay Ave. 1"),
        "signer": "Е.Б. Абенов",
        "signer_position": "City prosecutor",
        "letterhead": HEAD,
        "filename_stem": "submission-AST-2026-7",
    }
    values.update(overrides)
    return LetterSheet(**values)


def _docx_lines(content: bytes) -> list[str]:
    from docx import Document

    document = Document(io.BytesIO(content))
    cells = [
        p.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]
    return [*cells, *(p.text for p in document.paragraphs)]


def _pdf_objects(content: bytes) -> bytes:
    """The PDF with its compressed streams inflated (WeasyPrint packs the page tree into object streams)."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # an image or font program that is not deflated
    return content + b"".join(inflated)


def _pdf_title(objects: bytes) -> str:
    """The document's title: a literal string, or UTF-16 in hex when it is not ASCII."""
    [(literal, hexadecimal)] = re.findall(rb"/Title\s*(?:\(([^)]*)\)|<([0-9a-fA-F]+)>)", objects)
    return literal.decode("ascii") if literal else bytes.fromhex(hexadecimal.decode()).decode("utf-16")


def _pdf_characters(objects: bytes) -> set[str]:
    """Every character the PDF draws, read from its fonts' ToUnicode maps."""
    characters = set()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", objects, re.S):
        for _glyph, code in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            characters.add(bytes.fromhex(code.decode()).decode("utf-16-be"))
    return characters


def test_paragraphs_are_split_on_blank_lines_and_empty_ones_dropped():
    assert _sheet().paragraphs == [
        "Құрметті басшы!",
        "The inspection found violations.\nThey are listed below.",
        "Respond within a month.",
    ]


def test_the_pdf_is_one_a4_page_drawing_the_letters_text():
    sheet = _sheet()
    content = sheet_pdf(sheet)
    assert content.startswith(b"%PDF-")
    objects = _pdf_objects(content)
    assert re.findall(rb"/Count (\d+)", objects) == [b"1"]
    [(width, height)] = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", objects)
    # A4 is 210 × 297 mm: 595.28 × 841.89 points.
    assert (round(float(width), 1), round(float(height), 1)) == (595.3, 841.9)
    assert _pdf_title(objects) == sheet.subject
    drawn = _pdf_characters(objects)
    # The Kazakh letters of the body and the letterhead are drawn with real glyphs (the Noto/DejaVu fonts).
    for text in (sheet.paragraphs[0], HEAD.name_kk.upper(), sheet.signer, sheet.number):
        missing = set(text.replace(" ", "")) - drawn
        assert not missing, (text, missing)


def test_the_pdf_title_is_the_subject_in_the_letters_language():
    sheet = _sheet(language="ru", subject="Представление об устранении нарушений закона")
    assert _pdf_title(_pdf_objects(sheet_pdf(sheet))) == sheet.subject


def test_the_docx_carries_the_number_date_reference_addressee_and_signer():
    lines = _docx_lines(sheet_docx(_sheet()))
    for expected in (
        "No. AST-2026/7 of 02.03.2026",
        "To No. 12-34/567 of 20.02.2026",
        "Береке LLP",
        "Director А.А. Серіков",
        "Astana, Abay Ave. 1",
        "Submission on the elimination of violations of the law",
        "Құрметті басшы!",
        "Respond within a month.",
        "City prosecutor",
        "Е.Б. Абенов",
        HEAD.name_kk.upper(),
        HEAD.name_ru.upper(),
        HEAD.address_kk,
        HEAD.address_ru,
        HEAD.email,
    ):
        assert expected in lines, expected
    assert lines.index("No. AST-2026/7 of 02.03.2026") < lines.index("To No. 12-34/567 of 20.02.2026")


def test_the_docx_is_a4_with_the_paperwork_margins():
    from docx import Document

    section = Document(io.BytesIO(sheet_docx(_sheet()))).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm, 1), round(section.right_margin.cm, 1)) == (3.0, 1.5)


def test_without_a_reference_there_is_no_to_no_line():
    sheet = _sheet(reference=None)
    lines = _docx_lines(sheet_docx(sheet))
    assert "No. AST-2026/7 of 02.03.2026" in lines
    assert not [line for line in lines if line.startswith("To No.")]
    assert "To No." not in sheet_html(sheet)
    assert "To No. 12-34/567 of 20.02.2026" in sheet_html(_sheet())


def test_an_unissued_letter_has_a_dash_and_a_preview_says_the_number_comes_when_sent():
    assert "No. — of 02.03.2026" in _docx_lines(sheet_docx(_sheet(number="")))
    html = sheet_html(_sheet(number="", preview=True, signer="", signer_position=""))
    assert "No. (given when sent) of 02.03.2026" in html
    assert "The head who signs it off" in html


def test_the_html_sheet_has_no_inline_style():
    """The pages' Content-Security-Policy allows no inline style: the sheet is styled by the site's stylesheet."""
    html = sheet_html(_sheet())
    assert 'class="letter-sheet" lang="en"' in html
    assert "style" not in html.lower()
    assert "Director А.А. Серіков<br>Astana, Abay Ave. 1" in html


def test_sheet_file_names_the_file_and_its_type():
    content, content_type, name = sheet_file(_sheet(), "docx")
    assert content.startswith(b"PK") and content_type == DOCX_CONTENT_TYPE
    assert name == "submission-AST-2026-7.docx"
    content, content_type, name = sheet_file(_sheet(), "pdf")
    assert content.startswith(b"%PDF-") and content_type == "application/pdf"
    assert name == "submission-AST-2026-7.pdf"


@pytest.mark.parametrize("fmt", ["odt", "", "PDF", "html"])
def test_an_unknown_format_is_refused(fmt):
    with pytest.raises(ValidationError):
        sheet_file(_sheet(), fmt)


def test_the_letterhead_is_read_from_the_office():
    office = Office(
        name_kk="Қала прокуратурасы",
        name_ru="Прокуратура города",
        address_kk="мекенжай",
        address_ru="адрес",
        phone="+7 700",
        email="x@prokuror.kz",
    )
    assert Letterhead.of(office) == Letterhead(
        "Қала прокуратурасы", "Прокуратура города", "мекенжай", "адрес", "+7 700", "x@prokuror.kz"
    )
    assert Letterhead.of(None) == Letterhead()


def test_the_signer_signs_with_initials_and_surname_and_the_position_in_the_letters_language():
    user = User(
        username="abenov",
        first_name="Ерлан",
        middle_name="Болатович",
        last_name="Абенов",
        position="City prosecutor",
        position_ru="Прокурор города",
        position_kk="Қала прокуроры",
    )
    assert signer_name(user) == "Е.Б. Абенов"
    assert signer_name(None) == ""
    assert [signer_position(user, language) for language in ("kk", "ru", "en")] == [
        "Қала прокуроры",
        "Прокурор города",
        "City prosecutor",
    ]
    user.position_kk = ""
    assert signer_position(user, "kk") == "Прокурор города"  # the Russian position when the Kazakh is missing
    assert signer_position(None, "ru") == ""
