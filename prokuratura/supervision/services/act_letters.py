"""An act's text from its type's template (ActTemplate), in the act's language, and the act as an official letter.

The template is a Django template that sees the act's plain facts only (`act_facts`: strings, numbers and dates,
never a model), as the appeals' letters do, so an administrator's template cannot reach a user, a setting or another
record. The act's own text, once drafted, is the prosecutor's: the template only starts it.

The letter is the sheet every module prints (`core.letters`): the office's letterhead in Kazakh and Russian, the
act's outgoing number and date, the appeal it answers ("На № … от …") when it is on one, the addressee, the title,
the text and the signer's position and name. An issued act's sheet is drawn from the act's row only — the number,
date, title, text and signer as `act_issue` stored them — so a template or a position edited later never changes
it. A draft can be previewed: no number, dated today, over its prosecutor's name, and marked as a draft on every
page of the file.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prokuratura.core.letters import (
    DOCX_CONTENT_TYPE,
    Letterhead,
    LetterSheet,
    draft_docx,
    draft_pdf,
    sheet_file,
    sheet_html,
    signer_name,
    signer_position,
)
from prokuratura.core.models import Office

from ..models import Act, ActStatus, ActTemplate, ActType, Violation

LETTER_FORMATS = ("pdf", "docx")
_BLANK_LINES = re.compile(r"\n{3,}")


def _sentence(text: str) -> str:
    """A violation's description as the start of a sentence the template ends with its own full stop."""
    return text.strip().rstrip(" .;")


def tenge(amount: Decimal) -> str:
    """An amount as Kazakhstan's documents write it in both languages: "1 500 000,00" (a no-break space groups the
    thousands, whatever the interface language's number format)."""
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",")


def act_facts(*, act: Act, violations: list[Violation]) -> dict[str, Any]:
    """What an act template may use, in the act's language: the act's type, addressee, inspection and appeal numbers,
    the place of detention visited, the office's name, today and the violations answered (plain values)."""
    office = act.office
    visit = act.visit if act.visit_id else None
    with translation.override(act.language):
        return {
            "act": {
                "type": act.act_type.name,
                "addressee": act.addressee_name,
                "addressee_official": act.addressee_official,
                "addressee_address": act.addressee_address,
                "number": act.number,
                "issued_on": act.issued_on,
                "inspection": act.inspection.number if act.inspection_id else "",  # type: ignore[union-attr]
                "appeal": act.appeal.reg_number if act.appeal_id else "",  # type: ignore[union-attr]
                "facility": visit.facility.name if visit is not None else "",
                "visited_on": visit.visited_on if visit is not None else None,
            },
            "office": office.name if office else "",
            "today": timezone.localdate(),
            "violations": [
                {
                    "description": _sentence(v.description),
                    "law_violated": v.law_violated,
                    "found_on": v.found_on,
                    "damage": v.damage,
                    "damage_text": tenge(v.damage),
                    "persons_affected": v.persons_affected,
                }
                for v in violations
            ],
        }


def _render(*, subject: str, body: str, facts: dict[str, Any], language: str) -> tuple[str, str]:
    with translation.override(language):
        context = Context(facts, autoescape=False)
        title: str = Template(subject).render(context)
        text: str = Template(body).render(context)
    # A loop or a condition that renders nothing leaves blank lines behind: one blank line separates paragraphs.
    # (The joins also make plain strings of the rendered SafeStrings: the act's text is escaped where it is shown.)
    text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.splitlines()))
    return " ".join(title.split()), text.strip()


def act_template_text(*, act: Act, violations: list[Violation]) -> tuple[str, str]:
    """(title, text) from the type's template in the act's language; the type's name and no text without one."""
    template = ActTemplate.objects.filter(act_type=act.act_type, language=act.language).first()
    with translation.override(act.language):
        if template is None:
            return act.act_type.name, ""
        try:
            return _render(
                subject=template.subject,
                body=template.body,
                facts=act_facts(act=act, violations=violations),
                language=act.language,
            )
        except TemplateSyntaxError:
            return act.act_type.name, ""


# --- the letter ---------------------------------------------------------------------------------------------------


def act_is_issued(act: Act) -> bool:
    """The act has gone out: it carries its outgoing number and date (a withdrawn act that was issued keeps them)."""
    return bool(act.number) and act.issued_on is not None


def _file_stem(act: Act) -> str:
    if act_is_issued(act):
        return f"{act.act_type.code}-{act.number.replace('/', '-')}"
    return f"{act.act_type.code}-draft-{act.pk}"


def act_letter_sheet(act: Act) -> LetterSheet:
    """The act as printed. Issued: from the act's row as it was signed. A draft: a preview with no number, dated
    today, signed as its prosecutor would sign it."""
    issued = act_is_issued(act)
    if issued:
        date: dt.date | None = act.issued_on
        name, position = act.signer_name, act.signer_position
    else:
        date = timezone.localdate()
        name, position = signer_name(act.author), signer_position(act.author, act.language)
    appeal = act.appeal if act.appeal_id else None
    lines = (act.addressee_name, act.addressee_official, act.addressee_address)
    return LetterSheet(
        language=act.language,
        subject=act.subject,
        body=act.text,
        number=act.number if issued else "",
        date=date,
        reference=(appeal.reg_number, appeal.registered_on) if appeal is not None else None,
        addressee=tuple(line.strip() for line in lines if line.strip()),
        signer=name,
        signer_position=position,
        letterhead=Letterhead.of(act.office),
        preview=not issued,
        filename_stem=_file_stem(act),
    )


def act_letter_html(act: Act) -> str:
    """The sheet as an HTML fragment (the letter page's preview)."""
    return sheet_html(act_letter_sheet(act))


def act_letter_file(*, act: Act, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an issued act as a PDF or DOCX letter, drawn from its row."""
    if not act_is_issued(act):
        raise ValidationError(_("The act is not issued yet: preview the draft instead."))
    return sheet_file(act_letter_sheet(act), fmt)


def draft_mark(language: str) -> str:
    """The line every page of a draft's file carries, in the act's language."""
    with translation.override(language):
        return _("DRAFT: not signed, not numbered, not sent.")


def act_draft_letter_file(*, act: Act, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a draft act as it would be printed, marked as a draft on every page."""
    if act.status != ActStatus.DRAFT:
        raise ValidationError(_("Only a draft is previewed: an issued act is downloaded as it was signed."))
    sheet = act_letter_sheet(act)
    mark = draft_mark(act.language)
    if fmt == "pdf":
        return draft_pdf(sheet, mark), "application/pdf", f"{sheet.filename_stem}.pdf"
    if fmt == "docx":
        content, _type, name = sheet_file(sheet, "docx")
        return draft_docx(content, mark), DOCX_CONTENT_TYPE, name
    raise ValidationError(_("Unknown letter format."))


# --- the template editor's preview ----------------------------------------------------------------------------------

# Made-up facts for the preview of a template an administrator edits, in each letter language.
_SAMPLE = {
    "ru": {
        "addressee": "Акиму района Есиль города Астаны",
        "official": "Сейткали Б.А.",
        "address": "г. Астана, ул. Образец, 1",
        "description": "Заработная плата работникам коммунального предприятия не выплачивалась три месяца",
        "law": "статья 113 Трудового кодекса Республики Казахстан",
        "facility": "Следственный изолятор № 1",
    },
    "kk": {
        "addressee": "Астана қаласы Есіл ауданының әкіміне",
        "official": "Б.А. Сейтқали",
        "address": "Астана қ., Үлгі к-сі, 1",
        "description": "Коммуналдық кәсіпорын қызметкерлеріне үш ай бойы жалақы төленбеген",
        "law": "Қазақстан Республикасы Еңбек кодексінің 113-бабы",
        "facility": "№ 1 тергеу изоляторы",
    },
}


def act_template_preview(
    *, act_type: ActType, language: str, subject: str, body: str, office: Office | None
) -> LetterSheet:
    """The sheet a template would start an act with, on made-up facts (a sample addressee, one violation, an
    inspection number): what the administrator reads before saving. Not a write; refuses a template that does not
    compile."""
    from prokuratura.appeals.services.letters import template_check

    template_check(body=body, subject=subject)
    sample = _SAMPLE.get(language, _SAMPLE["ru"])
    today = timezone.localdate()
    with translation.override(language):
        facts: dict[str, Any] = {
            "act": {
                "type": act_type.name,
                "addressee": sample["addressee"],
                "addressee_official": sample["official"],
                "addressee_address": sample["address"],
                "number": "",
                "issued_on": None,
                "inspection": f"{office.code if office else 'AST'}-{today.year}/1",
                "appeal": "",
                "facility": sample["facility"],
                "visited_on": today,
            },
            "office": office.name if office else "",
            "today": today,
            "violations": [
                {
                    "description": sample["description"],
                    "law_violated": sample["law"],
                    "found_on": today,
                    "damage": Decimal("1500000.00"),
                    "damage_text": tenge(Decimal("1500000.00")),
                    "persons_affected": 12,
                }
            ],
        }
        signer = _("The prosecutor who issues the act")
    title, text = _render(subject=subject, body=body, facts=facts, language=language)
    return LetterSheet(
        language=language,
        subject=title,
        body=text,
        date=today,
        addressee=(sample["addressee"], sample["official"], sample["address"]),
        signer_position=signer,
        letterhead=Letterhead.of(office),
        preview=True,
        filename_stem="template-preview",
    )
