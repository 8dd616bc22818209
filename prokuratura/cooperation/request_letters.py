"""A request for legal assistance as official letters: the request itself and its cover letter, in Kazakh, Russian
or English, from the editable templates (RequestTemplate: kind × document × language), printed on the sheet every
module prints (`core.letters`: the office's letterhead in Kazakh and Russian, the number and date, the addressee,
the title, the text and the signer).

The template is a Django template that sees the request's plain facts only (`request_letter_facts`: strings, dates
and lists of them, never a model), so an administrator's template cannot reach a user, a setting or another record;
`request_template_check` also refuses the tags that would reach outside the facts (`{% load %}`, `{% include %}`,
`{% debug %}`…).

Two kinds of file:
- the final letter — not marked — only for an outgoing request that is signed (or later) and passes the
  completeness check (`letter_final_problems` names what stops it): numbered with the request's number, dated with
  its date, over the signer's name and position as signed;
- a draft — always, for the officer in charge or a head — dated today, marked "draft" on every page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
    signer_position,
)

from .completeness import LANGUAGE_NAMES, request_completeness
from .models_requests import (
    LETTER_LANGUAGES,
    AssistanceRequest,
    Assurance,
    Direction,
    ExtraditionPurpose,
    Measure,
    PersonRole,
    RequestKind,
    RequestStatus,
    RequestTemplate,
)

if TYPE_CHECKING:
    from prokuratura.core.models import Office

    from .models_requests import RequestPerson

LETTER_FORMATS = ("pdf", "docx")
LANGUAGE_CODES = tuple(code for code, _name in LETTER_LANGUAGES)
DOCUMENTS = tuple(RequestTemplate.Document.values)
S = RequestStatus
# A final letter exists from the signature on: the request as signed is what went (or goes) to the partner.
SIGNED_OR_LATER = frozenset(
    {
        S.SIGNED,
        S.SENT,
        S.ACKNOWLEDGED,
        S.IN_EXECUTION,
        S.EXECUTED,
        S.PARTLY_EXECUTED,
        S.REFUSED,
        S.WITHDRAWN,
    }
)
SOUGHT_ROLES = frozenset({PersonRole.SOUGHT, PersonRole.SENTENCED, PersonRole.SUSPECT})
_BLANK_LINES = re.compile(r"\n{3,}")
_TAG = re.compile(r"{%-?\s*(\w+)")
# The tags a letter template may use: logic and formatting over the facts it is given. Anything that loads code,
# other templates or the server's state (load, include, extends, debug, ssi, url, csrf_token…) is refused.
ALLOWED_TAGS = frozenset(
    {
        "if",
        "elif",
        "else",
        "endif",
        "for",
        "empty",
        "endfor",
        "with",
        "endwith",
        "firstof",
        "cycle",
        "now",
        "spaceless",
        "endspaceless",
        "filter",
        "endfilter",
        "comment",
        "endcomment",
        "templatetag",
        "widthratio",
        "autoescape",
        "endautoescape",
        "ifchanged",
        "endifchanged",
        "regroup",
        "resetcycle",
        "verbatim",
        "endverbatim",
    }
)


def letters_available(assistance_request: AssistanceRequest) -> bool:
    """The documents are the ones Kazakhstan writes: an outgoing request's (an incoming one is the partner's)."""
    return assistance_request.direction == Direction.OUTGOING


def letter_final_problems(assistance_request: AssistanceRequest) -> list[str]:
    """Why the final letter cannot be produced (empty: it can): the request is not signed yet, and every item the
    completeness check finds missing, each named."""
    problems: list[str] = []
    if not letters_available(assistance_request):
        problems.append(_("Letters are written for outgoing requests only."))
        return problems
    if assistance_request.signed_on is None or assistance_request.status not in SIGNED_OR_LATER:
        problems.append(_("The request is not signed yet: only a draft can be previewed."))
    problems.extend(item.message for item in request_completeness(assistance_request).missing)
    return problems


# --- the facts a template sees ------------------------------------------------------------------------------------


def _text(value: str) -> str:
    return (value or "").strip()


def _sentence(value: str) -> str:
    """A free text the template ends with its own full stop."""
    return _text(value).rstrip(" .;")


def _person_facts(person: RequestPerson) -> dict[str, Any]:
    nationality = ""
    if person.nationality_id is not None and person.nationality is not None:
        nationality = person.nationality.name
    elif person.stateless:
        nationality = _("stateless")
    return {
        "name": person.full_name,
        "role": str(PersonRole(person.role).label) if person.role in PersonRole.values else person.role,
        "role_code": person.role,
        "nationality": nationality,
        "birth_date": person.birth_date,
        "location": _text(person.location),
        "identity_document": _text(person.identity_document),
        "description": _sentence(person.description),
    }


def request_letter_facts(
    *,
    assistance_request: AssistanceRequest,
    persons: Sequence[RequestPerson] | None,
    language: str,
    final: bool,
) -> dict[str, Any]:
    """What a letter template may use, in the letter's language (plain values). `persons` is None when the reader
    may not see the personal data: the letter then names no one."""
    r = assistance_request
    with translation.override(language):
        people = [_person_facts(p) for p in persons or []]
        basis = ""
        if r.basis_id is not None and r.basis is not None:
            basis = r.basis.title
        return {
            "request": {
                "number": r.number,
                "date": (r.dated or r.signed_on) if final else timezone.localdate(),
                "kind": str(RequestKind(r.kind).label),
                "kind_code": r.kind,
                "urgent": r.urgency == "urgent",
                "partner": r.partner.name,
                "foreign_authority": _text(r.foreign_authority),
                "foreign_reference": _text(r.foreign_reference),
                "basis": basis,
                "reciprocity": r.basis_kind == "reciprocity",
                "reciprocity_assurance": _sentence(r.reciprocity_assurance),
                "case_number": _text(r.case_number),
                "offence_article": _sentence(r.offence_article),
                "offence_category": r.offence_category.name if r.offence_category_id else "",  # type: ignore[union-attr]
                "requesting_authority": _sentence(r.requesting_authority),
                "proceedings_subject": _sentence(r.proceedings_subject),
                "conducting_authority": _sentence(r.conducting_authority),
                "facts_summary": _sentence(r.facts_summary),
                "assistance_sought": _sentence(r.assistance_sought),
                "procedure": _sentence(r.procedure),
                "purpose": _sentence(r.purpose),
                "measures": [str(Measure(m).label) for m in r.measures if m in Measure.values],
                "extradition_purpose": r.extradition_purpose,
                "for_prosecution": r.extradition_purpose == ExtraditionPurpose.PROSECUTION,
                "for_sentence": r.extradition_purpose == ExtraditionPurpose.SENTENCE,
                "penalty": _sentence(r.penalty),
                "limitation": _sentence(r.limitation),
                "warrant": _sentence(r.warrant),
                "judgment": _sentence(r.judgment),
                "sentence_remaining": _sentence(r.sentence_remaining),
                "assurances": [str(Assurance(a).label) for a in r.assurances if a in Assurance.values],
                "translations": [_(LANGUAGE_NAMES.get(c, c)) for c in r.translations_required or []],
            },
            "persons": people,
            "sought": [p for p in people if p["role_code"] in SOUGHT_ROLES],
            "office": r.office.name if r.office_id else "",
            "signer": {"name": r.signer_name, "position": _signer_position(r, language)} if final else {},
            "today": timezone.localdate(),
        }


def _signer_position(r: AssistanceRequest, language: str) -> str:
    """The position as signed (in the request's language); in another language, the signer's position in it."""
    if language == r.language and r.signer_position:
        return r.signer_position
    return signer_position(r.signer, language) or r.signer_position


# --- rendering ----------------------------------------------------------------------------------------------------


def request_template_check(*, subject: str, body: str) -> None:
    """Refuse a template that does not compile or that uses a tag beyond the logic over its facts (the message
    names the error, next to the field)."""
    for name, text in (("subject", subject), ("body", body)):
        refused = sorted({tag for tag in _TAG.findall(text) if tag not in ALLOWED_TAGS})
        if refused:
            raise ValidationError(
                {
                    name: _("The template may not use the tag “%(tags)s”: it sees the request's facts only.")
                    % {"tags": ", ".join(refused)}
                }
            )
        try:
            Template(text)
        except TemplateSyntaxError as exc:
            raise ValidationError({name: _("The template has an error: %(error)s") % {"error": exc}}) from exc


def _render(*, subject: str, body: str, facts: dict[str, Any], language: str) -> tuple[str, str]:
    request_template_check(subject=subject, body=body)
    with translation.override(language):
        context = Context(facts, autoescape=False)
        title: str = Template(subject).render(context)
        text: str = Template(body).render(context)
    # A condition that renders nothing leaves blank lines behind: one blank line separates paragraphs.
    text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.splitlines()))
    return " ".join(title.split()), text.strip()


def _template(*, kind: str, document: str, language: str) -> RequestTemplate:
    found = RequestTemplate.objects.filter(kind=kind, document=document, language=language).first()
    if found is None:
        raise ValidationError(
            _(
                "There is no template of this document in this language: an administrator writes it in the "
                "catalogue of request templates."
            )
        )
    return found


def _check_choice(*, document: str, language: str) -> None:
    if document not in DOCUMENTS:
        raise ValidationError({"document": _("Choose the request or the cover letter.")})
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose Kazakh, Russian or English.")})


def _file_stem(r: AssistanceRequest, document: str, language: str, final: bool) -> str:
    stem = f"{r.number.replace('/', '-')}-{document}-{language}"
    return stem if final else f"{stem}-draft"


def request_letter_sheet(
    *,
    assistance_request: AssistanceRequest,
    persons: Sequence[RequestPerson] | None,
    document: str,
    language: str,
    final: bool,
) -> LetterSheet:
    """The letter as printed. Final: the request's number and date, its signer. Otherwise a preview dated today
    with no signer yet (`preview=True`)."""
    _check_choice(document=document, language=language)
    r = assistance_request
    template = _template(kind=r.kind, document=document, language=language)
    facts = request_letter_facts(assistance_request=r, persons=persons, language=language, final=final)
    try:
        title, text = _render(subject=template.subject, body=template.body, facts=facts, language=language)
    except ValidationError as error:
        raise ValidationError(
            _("The template of this document cannot be used: %(error)s") % {"error": " ".join(error.messages)}
        ) from error
    with translation.override(language):
        addressee = tuple(line for line in (_text(r.foreign_authority), r.partner.name) if line)
    return LetterSheet(
        language=language,
        subject=title,
        body=text,
        number=r.number,
        date=facts["request"]["date"],
        addressee=addressee,
        signer=r.signer_name if final else "",
        signer_position=_signer_position(r, language) if final else "",
        letterhead=Letterhead.of(r.office),
        preview=not final,
        filename_stem=_file_stem(r, document, language, final),
    )


def request_letter_file(
    *,
    assistance_request: AssistanceRequest,
    persons: Sequence[RequestPerson] | None,
    document: str,
    language: str,
    fmt: str,
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the final letter; refused, naming every missing item, while the
    request is not signed or not complete."""
    problems = letter_final_problems(assistance_request)
    if problems:
        raise ValidationError(problems)
    if fmt not in LETTER_FORMATS:
        raise ValidationError(_("Unknown letter format."))
    sheet = request_letter_sheet(
        assistance_request=assistance_request,
        persons=persons,
        document=document,
        language=language,
        final=True,
    )
    return sheet_file(sheet, fmt)


# --- drafts: marked on every page ---------------------------------------------------------------------------------


def draft_mark(language: str) -> str:
    """The line every page of a draft carries, in the letter's language."""
    with translation.override(language):
        return _("DRAFT: not signed, not sent. Not valid as a request.")


def request_draft_letter_file(
    *,
    assistance_request: AssistanceRequest,
    persons: Sequence[RequestPerson] | None,
    document: str,
    language: str,
    fmt: str,
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the letter as it would be printed today, marked as a draft on every
    page — whatever the request's status and completeness."""
    if not letters_available(assistance_request):
        raise ValidationError(_("Letters are written for outgoing requests only."))
    sheet = request_letter_sheet(
        assistance_request=assistance_request,
        persons=persons,
        document=document,
        language=language,
        final=False,
    )
    mark = draft_mark(language)
    if fmt == "pdf":
        return draft_pdf(sheet, mark), "application/pdf", f"{sheet.filename_stem}.pdf"
    if fmt == "docx":
        content, _type, name = sheet_file(sheet, "docx")
        return draft_docx(content, mark), DOCX_CONTENT_TYPE, name
    raise ValidationError(_("Unknown letter format."))


# --- the template editor's preview --------------------------------------------------------------------------------

# Made-up facts for the preview of a template an administrator edits, in each letter language.
_SAMPLE: dict[str, dict[str, str]] = {
    "en": {
        "partner": "State of Example",
        "authority": "Ministry of Justice of the State of Example",
        "basis": "Treaty between the Republic of Kazakhstan and the State of Example on Mutual Legal Assistance "
        "in Criminal Matters",
        "article": "Article 190, part 4, of the Criminal Code of the Republic of Kazakhstan (fraud)",
        "subject": "Pre-trial investigation of large-scale fraud committed by an organised group",
        "conducting": "Investigation Department of the Police of Astana",
        "facts": "Between January and March 2026 the suspects obtained 250 million tenge from investors through "
        "a fictitious investment platform and moved the money to accounts in the State of Example",
        "sought": "Copies of the account opening documents and statements of the accounts listed in the annex",
        "purpose": "To trace the proceeds of the offence and to identify the persons who control the accounts",
        "procedure": "Please certify the copies of the bank records as true copies of the originals",
        "person": "Example Person",
        "location": "Capital City, State of Example",
        "description": "Height about 180 cm, a scar on the left hand",
        "penalty": "Imprisonment for five to ten years, with confiscation of property",
        "limitation": "Article 71 of the Criminal Code of the Republic of Kazakhstan: fifteen years",
        "warrant": "Investigating court of Astana, 2 February 2026",
        "judgment": "Specialised inter-district criminal court of Astana, 10 December 2025",
        "remaining": "4 years 3 months",
    },
    "ru": {
        "partner": "Государство Образец",
        "authority": "Министерство юстиции Государства Образец",
        "basis": "Договор между Республикой Казахстан и Государством Образец о взаимной правовой помощи по "
        "уголовным делам",
        "article": "Часть 4 статьи 190 Уголовного кодекса Республики Казахстан (мошенничество)",
        "subject": "Досудебное расследование мошенничества в особо крупном размере, совершённого преступной "
        "группой",
        "conducting": "Следственное управление Департамента полиции города Астаны",
        "facts": "В период с января по март 2026 года подозреваемые через фиктивную инвестиционную платформу "
        "получили от вкладчиков 250 млн тенге и перевели их на счета в Государстве Образец",
        "sought": "Копии документов об открытии счетов и выписки по счетам, указанным в приложении",
        "purpose": "Установление движения доходов от преступления и лиц, распоряжающихся счетами",
        "procedure": "Просим заверить копии банковских документов как соответствующие подлинникам",
        "person": "Образцов Иван Петрович",
        "location": "город Столица, Государство Образец",
        "description": "Рост около 180 см, шрам на левой руке",
        "penalty": "Лишение свободы на срок от пяти до десяти лет с конфискацией имущества",
        "limitation": "Статья 71 Уголовного кодекса Республики Казахстан: пятнадцать лет",
        "warrant": "Следственный суд города Астаны, 02.02.2026",
        "judgment": "Специализированный межрайонный суд по уголовным делам города Астаны, 10.12.2025",
        "remaining": "4 года 3 месяца",
    },
    "kk": {
        "partner": "Үлгі Мемлекеті",
        "authority": "Үлгі Мемлекетінің Әділет министрлігі",
        "basis": "Қазақстан Республикасы мен Үлгі Мемлекеті арасындағы Қылмыстық істер бойынша өзара құқықтық "
        "көмек туралы шарт",
        "article": "Қазақстан Республикасы Қылмыстық кодексінің 190-бабының 4-бөлігі (алаяқтық)",
        "subject": "Қылмыстық топ жасаған аса ірі мөлшердегі алаяқтық бойынша сотқа дейінгі тергеп-тексеру",
        "conducting": "Астана қаласы Полиция департаментінің Тергеу басқармасы",
        "facts": "2026 жылғы қаңтар–наурыз аралығында күдіктілер жалған инвестициялық платформа арқылы "
        "салымшылардан 250 млн теңге алып, оларды Үлгі Мемлекетіндегі шоттарға аударған",
        "sought": "Қосымшада көрсетілген шоттарды ашу туралы құжаттардың көшірмелері мен шоттар бойынша үзінділер",
        "purpose": "Қылмыстан түскен кірістердің қозғалысын және шоттарға билік ететін адамдарды анықтау",
        "procedure": "Банк құжаттарының көшірмелерін түпнұсқаларына сәйкес деп куәландыруды сұраймыз",
        "person": "Үлгіұлы Иван Петрұлы",
        "location": "Астана қаласы, Үлгі Мемлекеті",
        "description": "Бойы шамамен 180 см, сол қолында тыртық бар",
        "penalty": "Мүлкі тәркіленіп, бес жылдан он жылға дейінгі мерзімге бас бостандығынан айыру",
        "limitation": "Қазақстан Республикасы Қылмыстық кодексінің 71-бабы: он бес жыл",
        "warrant": "Астана қаласының тергеу соты, 02.02.2026",
        "judgment": "Астана қаласының қылмыстық істер жөніндегі мамандандырылған ауданаралық соты, 10.12.2025",
        "remaining": "4 жыл 3 ай",
    },
}


def request_template_preview(
    *, kind: str, document: str, language: str, subject: str, body: str, office: Office | None
) -> LetterSheet:
    """The sheet a template makes on made-up facts (a sample partner, case and person): what the administrator reads
    before saving. Not a write; refuses a template that does not compile."""
    request_template_check(subject=subject, body=body)
    sample = _SAMPLE.get(language, _SAMPLE["en"])
    today = timezone.localdate()
    extradition = kind == RequestKind.EXTRADITION
    sentenced = kind == RequestKind.TRANSFER_SENTENCED
    with translation.override(language):
        person = {
            "name": sample["person"],
            "role": str((PersonRole.SENTENCED if sentenced else PersonRole.SOUGHT).label)
            if extradition or sentenced
            else str(PersonRole.SUSPECT.label),
            "role_code": PersonRole.SENTENCED if sentenced else PersonRole.SOUGHT,
            "nationality": sample["partner"],
            "birth_date": dt.date(1985, 5, 1),
            "location": sample["location"],
            "identity_document": "P1234567",
            "description": sample["description"],
        }
        facts: dict[str, Any] = {
            "request": {
                "number": f"{office.code if office else 'GPO'}-{today.year}/OUT-1",
                "date": today,
                "kind": str(RequestKind(kind).label) if kind in RequestKind.values else "",
                "kind_code": kind,
                "urgent": False,
                "partner": sample["partner"],
                "foreign_authority": sample["authority"],
                "foreign_reference": "",
                "basis": sample["basis"],
                "reciprocity": False,
                "reciprocity_assurance": "",
                "case_number": f"{today.year % 100:02d}7510031000123",
                "offence_article": sample["article"],
                "offence_category": "",
                "requesting_authority": str(_("Prosecutor General's Office of the Republic of Kazakhstan")),
                "proceedings_subject": sample["subject"],
                "conducting_authority": sample["conducting"],
                "facts_summary": sample["facts"],
                "assistance_sought": sample["sought"],
                "procedure": sample["procedure"],
                "purpose": sample["purpose"],
                "measures": [str(Measure.BANK_RECORDS.label), str(Measure.LOCATE.label)]
                if kind == RequestKind.MLA
                else [],
                "extradition_purpose": ExtraditionPurpose.PROSECUTION if extradition else "",
                "for_prosecution": extradition,
                "for_sentence": False,
                "penalty": sample["penalty"],
                "limitation": sample["limitation"],
                "warrant": sample["warrant"],
                "judgment": sample["judgment"],
                "sentence_remaining": sample["remaining"],
                "assurances": [str(Assurance.DEATH_PENALTY.label)] if extradition else [],
                "translations": [],
            },
            "persons": [person],
            "sought": [person] if extradition or sentenced else [],
            "office": office.name if office else "",
            "signer": {},
            "today": today,
        }
        addressee = (sample["authority"], sample["partner"])
    title, text = _render(subject=subject, body=body, facts=facts, language=language)
    return LetterSheet(
        language=language,
        subject=title,
        body=text,
        number=facts["request"]["number"],
        date=today,
        addressee=addressee,
        letterhead=Letterhead.of(office),
        preview=True,
        filename_stem="template-preview",
    )
