"""Letters to applicants, in the applicant's language, from the templates administrators edit.

A `LetterTemplate` body is a Django template rendered with `appeal`, `office`, `today`, `signer` and `rules` only —
plain values (`letter_context`: the appeal's listed facts, never a model), no request, no settings — so an edited
template can show the appeal's facts but nothing else: no path leads to a user, a password hash or another record. The same text becomes
a PDF (WeasyPrint, with the Noto/DejaVu fonts `scripts/system-deps.sh` installs for Kazakh letters) and a DOCX
(python-docx).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Appeal, LetterTemplate
from ..rules import rules

LETTER_STATUS_NEEDED: dict[str, str] = {
    LetterTemplate.Kind.ANSWER: "answered_on",
    LetterTemplate.Kind.EXTENSION: "extended_until",
    LetterTemplate.Kind.FORWARDING: "forwarded_on",
}


@dataclass(frozen=True)
class Letter:
    kind: str
    language: str
    subject: str
    body: str
    appeal: Appeal
    signer: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def filename_stem(self) -> str:
        return f"{self.kind}-{self.appeal.reg_number}"


def letter_available(*, appeal: Appeal, kind: str) -> bool:
    needed = LETTER_STATUS_NEEDED.get(kind)
    return needed is None or bool(getattr(appeal, needed))


def template_check(*, body: str, subject: str = "") -> None:
    """Refuse a template that does not compile (administrators see the message next to the field)."""
    for name, text in (("body", body), ("subject", subject)):
        try:
            Template(text)
        except TemplateSyntaxError as exc:
            raise ValidationError({name: _("The template has an error: %(error)s") % {"error": exc}}) from exc


# What a letter template sees of an appeal: these facts, as plain values, and nothing that leads on to another
# record — a template is text an administrator edits, and `{{ appeal.assignee.password }}` must render nothing.
LETTER_APPEAL_FACTS = (
    "reg_number",
    "tracking_code",
    "received_at",
    "registered_on",
    "due_date",
    "statutory_due_date",
    "subject",
    "applicant_name",
    "applicant_address",
    "applicant_email",
    "respondent_body",
    "respondent_official",
    "answer_text",
    "answered_on",
    "extended_until",
    "extension_reason",
    "forwarded_to",
    "forwarded_on",
    "closed_on",
)


def _appeal_facts(appeal: Appeal) -> dict[str, Any]:
    facts: dict[str, Any] = {name: getattr(appeal, name) for name in LETTER_APPEAL_FACTS}
    facts.update(
        get_kind_display=str(appeal.get_kind_display()),
        get_outcome_display=str(appeal.get_outcome_display()),
        get_status_display=str(appeal.get_status_display()),
        topic=str(appeal.topic.name) if appeal.topic_id else "",
        region=str(appeal.region.name) if appeal.region_id else "",
    )
    return facts


def letter_context(*, appeal: Appeal, signer: str) -> dict[str, Any]:
    """What a letter template may use: the appeal's facts and its office's name (plain values, no model), today,
    the signer and the rule values. Built in the letter's language (the labels are translated)."""
    office = appeal.office if appeal.office_id else None
    return {
        "appeal": _appeal_facts(appeal),
        "office": {"name": str(office.name), "code": office.code} if office else {"name": "", "code": ""},
        "today": timezone.localdate(),
        "signer": signer,
        "rules": dict(rules()),
    }


def letter_render(*, appeal: Appeal, kind: str, language: str | None = None) -> Letter:
    language = language or appeal.applicant_language or "ru"
    template = (
        LetterTemplate.objects.filter(kind=kind, language=language).first()
        or LetterTemplate.objects.filter(kind=kind, language="ru").first()
    )
    if template is None:
        raise ValidationError(_("No letter template exists for this kind of letter."))
    signer = appeal.assignee.get_full_name() if appeal.assignee_id and appeal.assignee else ""
    with translation.override(template.language):
        context = Context(letter_context(appeal=appeal, signer=signer), autoescape=False)
        subject = Template(template.subject).render(context).strip()
        body = Template(template.body).render(context).strip()
    return Letter(kind, template.language, subject, body, appeal, signer)


def letter_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    with translation.override(letter.language):
        html = render_to_string("appeals/letter_pdf.html", {"letter": letter, "appeal": letter.appeal})
    return HTML(string=html).write_pdf()


def letter_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    appeal = letter.appeal
    with translation.override(letter.language):
        header = document.add_paragraph()
        header.add_run(appeal.office.name).bold = True
        document.add_paragraph(
            _("No. %(number)s of %(date)s")
            % {"number": appeal.reg_number, "date": timezone.localdate().strftime("%d.%m.%Y")}
        )
        if appeal.applicant_name:
            document.add_paragraph(appeal.applicant_name)
        if appeal.applicant_address:
            document.add_paragraph(appeal.applicant_address)
        document.add_heading(letter.subject, level=2)
        for paragraph in letter.paragraphs:
            document.add_paragraph(paragraph)
        if letter.signer:
            document.add_paragraph(letter.signer)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_file(*, appeal: Appeal, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a letter as PDF or DOCX."""
    if not letter_available(appeal=appeal, kind=kind):
        raise ValidationError(_("This letter cannot be produced at the appeal's present stage."))
    letter = letter_render(appeal=appeal, kind=kind)
    if fmt == "pdf":
        return letter_pdf(letter), "application/pdf", f"{letter.filename_stem}.pdf"
    if fmt == "docx":
        return (
            letter_docx(letter),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            f"{letter.filename_stem}.docx",
        )
    raise ValidationError(_("Unknown letter format."))
