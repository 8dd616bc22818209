"""The official letter sheet every module prints: A4, the office's letterhead in Kazakh and in Russian with its
address and contacts, the letter's number and date ("№ … от …"), the document it answers ("На № … от …"), the
addressee, the subject, the text, and the signer's position and name in the letter's language.

A module builds a `LetterSheet` (plain values, already in the letter's language: which record it belongs to, how it
is numbered and what its text says are the module's business) and gets the same sheet as HTML (the preview on a
page; `core/includes/letter_sheet.html`, styled by the site's stylesheet, as the pages' CSP allows no inline style),
PDF (WeasyPrint, `core/letter_pdf.html` with its own print styles and the Noto/DejaVu fonts
`scripts/system-deps.sh` installs for Kazakh letters) and DOCX (python-docx). The three draw the same facts, so a
letter's number and dates agree whichever file is opened.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from prokuratura.accounts.models import User
    from prokuratura.core.models import Office

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Letterhead:
    """The office's name and address in Kazakh and in Russian, and its contacts (both languages on every letter)."""

    name_kk: str = ""
    name_ru: str = ""
    address_kk: str = ""
    address_ru: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def of(cls, office: Office | None) -> Letterhead:
        if office is None:
            return cls()
        return cls(
            name_kk=office.name_kk,
            name_ru=office.name_ru,
            address_kk=office.address_kk,
            address_ru=office.address_ru,
            phone=office.phone,
            email=office.email,
        )


@dataclass(frozen=True)
class LetterSheet:
    """One official letter as printed, whatever module writes it."""

    language: str
    subject: str
    body: str  # paragraphs separated by a blank line
    number: str = ""  # the outgoing number; empty while it is not issued
    date: dt.date | None = None  # the letter's own date
    reference: tuple[str, dt.date] | None = None  # the document answered ("На № … от …"); None: no such line
    addressee: tuple[str, ...] = ()  # the addressee's lines
    signer: str = ""  # the signer's name as signed: initials and surname
    signer_position: str = ""
    letterhead: Letterhead = field(default_factory=Letterhead)
    preview: bool = False  # not sent yet: the number reads "given when sent"
    filename_stem: str = "letter"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


# --- the signer ---------------------------------------------------------------------------------------------------


def signer_name(user: User | None) -> str:
    """Initials and surname as signed under a letter: "А.Б. Иванов"."""
    if user is None:
        return ""
    initials = "".join(f"{part[0]}." for part in (user.first_name, user.middle_name) if part)
    return f"{initials} {user.last_name}".strip() if user.last_name else user.get_full_name()


def signer_position(user: User | None, language: str) -> str:
    """The user's position as signed under a letter in `language` (Russian, then English, then Kazakh if that
    language's is not filled in)."""
    if user is None:
        return ""
    by_language = {"kk": user.position_kk, "ru": user.position_ru, "en": user.position}
    return by_language.get(language) or user.position_ru or user.position or user.position_kk


# --- files --------------------------------------------------------------------------------------------------------


def sheet_html(sheet: LetterSheet) -> str:
    """The sheet as an HTML fragment (what the PDF prints and a page's preview shows)."""
    with translation.override(sheet.language):
        return render_to_string("core/includes/letter_sheet.html", {"sheet": sheet})


def sheet_pdf(sheet: LetterSheet) -> bytes:
    from weasyprint import HTML

    with translation.override(sheet.language):
        html = render_to_string("core/letter_pdf.html", {"sheet": sheet})
    return HTML(string=html).write_pdf()


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def sheet_docx(sheet: LetterSheet) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    # A4 with the margins of the office-paperwork rules (left 3 cm for the binding), as the PDF.
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = sheet.letterhead
    with translation.override(sheet.language):
        table = document.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, (name, address) in zip(
            table.rows[0].cells,
            ((head.name_kk, head.address_kk), (head.name_ru, head.address_ru)),
            strict=True,
        ):
            title = cell.paragraphs[0]
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = title.add_run(name.upper())
            run.bold = True
            run.font.size = Pt(11)
            for line in (address, head.phone, head.email):
                if line:
                    small = cell.add_paragraph(line)
                    small.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    small.runs[0].font.size = Pt(9)
        number = sheet.number or "—"
        document.add_paragraph(
            _("No. %(number)s of %(date)s") % {"number": number, "date": _date(sheet.date)}
        )
        if sheet.reference is not None:
            reference_number, reference_date = sheet.reference
            document.add_paragraph(
                _("To No. %(number)s of %(date)s")
                % {"number": reference_number, "date": _date(reference_date)}
            )
        for line in sheet.addressee:
            addressee = document.add_paragraph(line)
            addressee.paragraph_format.left_indent = Cm(9)
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(sheet.subject).bold = True
        for paragraph in sheet.paragraphs:
            text = document.add_paragraph(paragraph)
            text.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            text.paragraph_format.first_line_indent = Cm(1.25)
        if sheet.signer or sheet.signer_position:
            signature = document.add_table(rows=1, cols=2)
            left, right = signature.rows[0].cells
            left.paragraphs[0].add_run(sheet.signer_position).bold = True
            right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            right.paragraphs[0].add_run(sheet.signer).bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sheet_file(sheet: LetterSheet, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the sheet as PDF or DOCX."""
    if fmt == "pdf":
        return sheet_pdf(sheet), "application/pdf", f"{sheet.filename_stem}.pdf"
    if fmt == "docx":
        return sheet_docx(sheet), DOCX_CONTENT_TYPE, f"{sheet.filename_stem}.docx"
    raise ValidationError(_("Unknown letter format."))


# --- drafts: marked on every page (supervision's acts, the requests' letters) -----------------------------------


def draft_pdf(sheet: LetterSheet, mark: str) -> bytes:
    """The sheet as a PDF with `mark` ("DRAFT …") in the top margin of every page."""
    from weasyprint import CSS, HTML

    with translation.override(sheet.language):
        html = render_to_string("core/letter_pdf.html", {"sheet": sheet})
    # A page-margin box, so the mark is on every page and cannot be mistaken for the text; json.dumps quotes the
    # mark as a CSS string.
    quoted = json.dumps(mark, ensure_ascii=False)
    mark_css = CSS(
        string="@page { @top-center { content: "
        + quoted
        + '; color: #b00020; font-weight: bold; font-family: "Noto Sans", "DejaVu Sans", sans-serif; '
        "font-size: 11pt; } }"
    )
    return HTML(string=html).write_pdf(stylesheets=[mark_css])


def draft_docx(content: bytes, mark: str) -> bytes:
    """A DOCX letter with `mark` in the header of every page."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = Document(io.BytesIO(content))
    header = document.sections[0].header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(mark)
    run.bold = True
    run.font.size = Pt(11)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
