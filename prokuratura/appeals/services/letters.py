"""Letters to applicants, in the applicant's language, from the templates administrators edit.

A `LetterTemplate` body is a Django template rendered with `appeal`, `office`, `today`, `signer`, `salutation` and
`rules` only — plain values (`letter_context`: the appeal's listed facts, never a model), no request, no settings —
so an edited template can show the appeal's facts but nothing else: no path leads to a user, a password hash or
another record.

A letter that is sent (the answer, the extension notice, the forwarding notice) is *issued* in the same transaction
as the step that sends it (`letter_issue`): it gets the office's next outgoing number for the year, its date, and
its text and signer as sent, in an `OutgoingLetter` row. PDF (WeasyPrint, with the Noto/DejaVu fonts
`scripts/system-deps.sh` installs for Kazakh letters) and DOCX (python-docx) are both drawn from that row, so they
carry the same number and dates, and a template edited later does not change a letter already sent. The receipt
is not an outgoing letter: it carries the registration number and date. Appeals answered before letters were
issued (or imported) get the letter rendered from the template, dated on the day of the event.

The page is an official letter on A4 (`core.letters`, the sheet every module prints): the office's letterhead in
Kazakh and in Russian with its address and contacts, the letter's number and date and the appeal it answers, the
addressee, the salutation (by the applicant's sex where the IIN tells it), the text, and the signer's position and
name in the letter's language. `Letter` is an appeal's letter; `Letter.sheet()` is what is printed.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.core.actors import Actor
from prokuratura.core.audit import audit_record, diff
from prokuratura.core.letters import (
    Letterhead,
    LetterSheet,
    sheet_docx,
    sheet_file,
    sheet_html,
    sheet_pdf,
    signer_name,
    signer_position,
)
from prokuratura.core.models import AuditEntry

from ..models import Appeal, ApplicantType, LetterCounter, LetterTemplate, OutgoingLetter
from ..rules import rules

LETTER_STATUS_NEEDED: dict[str, str] = {
    LetterTemplate.Kind.ANSWER: "answered_on",
    LetterTemplate.Kind.EXTENSION: "extended_until",
    LetterTemplate.Kind.FORWARDING: "forwarded_on",
}
# The letters that are sent and so numbered; the receipt carries the registration number instead.
ISSUED_KINDS = frozenset(LETTER_STATUS_NEEDED)


@dataclass(frozen=True)
class Letter:
    """A letter to the applicant about an appeal; `sheet()` is the page it prints as."""

    kind: str
    language: str
    subject: str
    body: str
    appeal: Appeal
    signer: str = ""  # the signer's name as signed: initials and surname
    signer_position: str = ""
    number: str = ""  # the outgoing number; empty for the receipt and for a preview not sent yet
    date: dt.date | None = None  # the letter's own date
    letterhead: Letterhead = field(default_factory=Letterhead)
    preview: bool = False

    @property
    def paragraphs(self) -> list[str]:
        return self.sheet().paragraphs

    @property
    def filename_stem(self) -> str:
        return f"{self.kind}-{self.appeal.reg_number}"

    @property
    def reference(self) -> tuple[str, dt.date] | None:
        """The appeal the letter answers: its registration number and date ("На № … от …"); none for the receipt,
        which carries the registration number as its own."""
        if self.kind == LetterTemplate.Kind.RECEIPT:
            return None
        return self.appeal.reg_number, self.appeal.registered_on

    @property
    def addressee(self) -> tuple[str, ...]:
        appeal = self.appeal
        return tuple(line for line in (appeal.applicant_name, appeal.applicant_address) if line)

    def sheet(self) -> LetterSheet:
        return LetterSheet(
            language=self.language,
            subject=self.subject,
            body=self.body,
            number=self.number,
            date=self.date,
            reference=self.reference,
            addressee=self.addressee,
            signer=self.signer,
            signer_position=self.signer_position,
            letterhead=self.letterhead,
            preview=self.preview,
            filename_stem=self.filename_stem,
        )


def letter_available(*, appeal: Appeal, kind: str) -> bool:
    needed = LETTER_STATUS_NEEDED.get(kind)
    return needed is None or bool(getattr(appeal, needed))


def letter_kinds_available(*, appeal: Appeal) -> list[str]:
    """The kinds of letter the applicant is sent at the appeal's present stage, in the order they are sent."""
    return [kind for kind in LetterTemplate.Kind.values if letter_available(appeal=appeal, kind=kind)]


def template_check(*, body: str, subject: str = "") -> None:
    """Refuse a template that does not compile (administrators see the message next to the field)."""
    for name, text in (("body", body), ("subject", subject)):
        try:
            Template(text)
        except TemplateSyntaxError as exc:
            raise ValidationError({name: _("The template has an error: %(error)s") % {"error": exc}}) from exc


# --- the people in the letter -------------------------------------------------------------------------------------


def sex_from_iin(iin: str) -> str | None:
    """ "m" or "f" from a Kazakhstan IIN, whose seventh digit gives the century of birth and the sex (1, 3, 5: a
    man; 2, 4, 6: a woman); None when the IIN does not tell (empty, malformed, or 0 for a foreigner).
    Source: the Rules for forming the IIN (Law "On national registers of identification numbers", art. 3)."""
    if len(iin) != 12 or not iin.isdigit():
        return None
    digit = int(iin[6])
    if not 1 <= digit <= 6:
        return None
    return "m" if digit % 2 else "f"


def _given_names(full_name: str) -> str:
    """The given name and patronymic of a name written "Surname Given Patronymic" (the order of Kazakhstan's
    documents); a name of one or two words is used whole."""
    parts = full_name.split()
    return " ".join(parts[1:]) if len(parts) >= 3 else " ".join(parts)


# The salutation by language and sex (None: the IIN does not tell). Kazakh has no grammatical gender here.
_SALUTATIONS: dict[str, dict[str | None, str]] = {
    "ru": {"m": "Уважаемый {name}!", "f": "Уважаемая {name}!", None: "Уважаемый(-ая) {name}!"},
    "kk": {"m": "Құрметті {name}!", "f": "Құрметті {name}!", None: "Құрметті {name}!"},
    "en": {"m": "Dear Mr {surname},", "f": "Dear Ms {surname},", None: "Dear {full},"},
}
_SALUTATION_NO_NAME = {"ru": "Уважаемый заявитель!", "kk": "Құрметті өтініш беруші!", "en": "Dear applicant,"}


def salutation(*, appeal: Appeal, language: str) -> str:
    """How the letter greets the applicant in `language`: by name, in the form the IIN's sex digit calls for; an
    organisation or an applicant without a name is greeted as "applicant"."""
    language = language if language in _SALUTATIONS else "ru"
    name = appeal.applicant_name.strip()
    if not name or appeal.applicant_type != ApplicantType.INDIVIDUAL:
        return _SALUTATION_NO_NAME[language]
    sex = sex_from_iin(appeal.applicant_iin)
    surname = name.split()[0]
    return _SALUTATIONS[language][sex].format(name=_given_names(name), surname=surname, full=name)


# --- rendering ----------------------------------------------------------------------------------------------------

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


def letter_context(*, appeal: Appeal, signer: str, language: str | None = None) -> dict[str, Any]:
    """What a letter template may use: the appeal's facts and its office's name (plain values, no model), today,
    the signer, the salutation and the rule values. Built in the letter's language (the labels are translated)."""
    office = appeal.office if appeal.office_id else None
    language = language or translation.get_language() or "ru"
    return {
        "appeal": _appeal_facts(appeal),
        "office": {"name": str(office.name), "code": office.code} if office else {"name": "", "code": ""},
        "today": timezone.localdate(),
        "signer": signer,
        "salutation": salutation(appeal=appeal, language=language[:2]),
        "rules": dict(rules()),
    }


def _template_for(kind: str, language: str) -> LetterTemplate:
    template = (
        LetterTemplate.objects.filter(kind=kind, language=language).first()
        or LetterTemplate.objects.filter(kind=kind, language="ru").first()
    )
    if template is None:
        raise ValidationError(_("No letter template exists for this kind of letter."))
    return template


def _render(*, appeal: Appeal, kind: str, signer: User | None, language: str | None = None) -> Letter:
    template = _template_for(kind, language or appeal.applicant_language or "ru")
    name = signer_name(signer)
    with translation.override(template.language):
        context = Context(
            letter_context(appeal=appeal, signer=name, language=template.language), autoescape=False
        )
        subject = Template(template.subject).render(context).strip()
        body = Template(template.body).render(context).strip()
    return Letter(
        kind=kind,
        language=template.language,
        subject=subject,
        body=body,
        appeal=appeal,
        signer=name,
        signer_position=signer_position(signer, template.language),
        letterhead=Letterhead.of(appeal.office if appeal.office_id else None),
    )


def _event_date(appeal: Appeal, kind: str) -> dt.date:
    """The day a letter of `kind` speaks of, for a letter that was not issued (the receipt; older appeals)."""
    if kind == LetterTemplate.Kind.RECEIPT:
        return appeal.registered_on
    if kind == LetterTemplate.Kind.ANSWER and appeal.answered_on:
        return appeal.answered_on
    if kind == LetterTemplate.Kind.FORWARDING and appeal.forwarded_on:
        return appeal.forwarded_on
    if kind == LetterTemplate.Kind.EXTENSION and appeal.extension_notice_due:
        return appeal.extension_notice_due
    return timezone.localdate()


def _default_signer(appeal: Appeal, kind: str) -> User | None:
    if kind == LetterTemplate.Kind.EXTENSION and appeal.extension_decided_by_id:
        return appeal.extension_decided_by
    return appeal.assignee if appeal.assignee_id else None


def letter_from_record(record: OutgoingLetter) -> Letter:
    """The letter as it was sent."""
    appeal = record.appeal
    return Letter(
        kind=record.kind,
        language=record.language,
        subject=record.subject,
        body=record.body,
        appeal=appeal,
        signer=record.signer_name,
        signer_position=record.signer_position,
        number=record.number,
        date=record.issued_on,
        letterhead=Letterhead.of(record.office),
    )


def issued_letter(*, appeal: Appeal, kind: str) -> OutgoingLetter | None:
    """The latest letter of `kind` sent for the appeal (a reopened appeal may be answered twice)."""
    return (
        OutgoingLetter.objects.filter(appeal=appeal, kind=kind)
        .select_related("office", "appeal")
        .order_by("-id")
        .first()
    )


def issued_letters(*, appeal: Appeal) -> dict[str, OutgoingLetter]:
    """The latest letter of each kind sent for the appeal, in one query (the detail page, the API)."""
    latest: dict[str, OutgoingLetter] = {}
    for record in OutgoingLetter.objects.filter(appeal=appeal).select_related("office").order_by("id"):
        record.appeal = appeal
        latest[record.kind] = record
    return latest


def letter_render(*, appeal: Appeal, kind: str, language: str | None = None) -> Letter:
    """The letter of `kind` for the appeal: as sent when it was issued, else drawn from the template now."""
    if language is None and kind in ISSUED_KINDS:
        record = issued_letter(appeal=appeal, kind=kind)
        if record is not None:
            return letter_from_record(record)
    letter = _render(appeal=appeal, kind=kind, signer=_default_signer(appeal, kind), language=language)
    number = appeal.reg_number if kind == LetterTemplate.Kind.RECEIPT else ""
    return replace(letter, number=number, date=_event_date(appeal, kind))


def letter_preview(*, appeal: Appeal, kind: str, signer: User | None, changes: dict[str, Any]) -> Letter:
    """The letter the step about to be taken would send, with its inputs applied to an unsaved copy of the appeal:
    what the prosecutor reads before sending. No number yet; dated today. Not a write."""
    draft = copy.copy(appeal)  # the related rows it already holds come along; nothing is read again
    for name, value in changes.items():
        setattr(draft, name, value)
    letter = _render(appeal=draft, kind=kind, signer=signer)
    return replace(letter, date=timezone.localdate(), preview=True)


def letter_issue(*, by: Actor, appeal: Appeal, kind: str, signer: User | None) -> OutgoingLetter | None:
    """Issue the letter a step sends: the office's next outgoing number, today's date, the text and the signer as
    sent. Runs inside the step's transaction, so a refused step issues nothing. An anonymous appeal gets none:
    there is nobody to write to."""
    if kind not in ISSUED_KINDS or appeal.applicant_type == ApplicantType.ANONYMOUS:
        return None
    letter = _render(appeal=appeal, kind=kind, signer=signer)
    today = timezone.localdate()
    with transaction.atomic():
        sequence = LetterCounter.next(appeal.office, today.year)
        number = f"{appeal.office.code}-{today.year}/{sequence}"
        record = OutgoingLetter.objects.create(
            appeal=appeal,
            kind=kind,
            office=appeal.office,
            year=today.year,
            sequence=sequence,
            number=number,
            issued_on=today,
            language=letter.language,
            subject=letter.subject[:300],
            body=letter.body,
            signer=signer,
            signer_name=letter.signer,
            signer_position=letter.signer_position,
        )
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=record,
            changes=diff({}, {"number": number, "kind": kind, "appeal": appeal.reg_number}),
        )
    return record


# --- files --------------------------------------------------------------------------------------------------------


def letter_html(letter: Letter) -> str:
    """The letter's sheet as HTML (what the PDF prints and the preview shows)."""
    return sheet_html(letter.sheet())


def letter_pdf(letter: Letter) -> bytes:
    return sheet_pdf(letter.sheet())


def letter_docx(letter: Letter) -> bytes:
    return sheet_docx(letter.sheet())


def letter_file(*, appeal: Appeal, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a letter as PDF or DOCX."""
    if not letter_available(appeal=appeal, kind=kind):
        raise ValidationError(_("This letter cannot be produced at the appeal's present stage."))
    return sheet_file(letter_render(appeal=appeal, kind=kind).sheet(), fmt)
