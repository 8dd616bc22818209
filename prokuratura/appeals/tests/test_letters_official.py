"""Official letters: issued with their own number and date when the step sends them, the letterhead in Kazakh and
Russian, the signer's position and name in the letter's language, the salutation by the IIN's sex digit, the same
facts in PDF and DOCX; and the head's sign-off of answers where the office requires it."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from prokuratura.appeals import services
from prokuratura.appeals.models import Appeal, AppealTransition, OfficeAppealSetting, OutgoingLetter, Status
from prokuratura.appeals.services.letters import (
    letter_docx,
    letter_html,
    letter_render,
    salutation,
    sex_from_iin,
    signer_name,
)
from prokuratura.appeals.tests.factories import register
from prokuratura.appeals.transitions import APPEALS
from prokuratura.core.models import AuditEntry

ANSWER = {"outcome": "explained", "answer_text": "Разъяснено право на обращение в суд."}


@pytest.fixture
def letterhead(offices):
    office = offices.astana
    office.name_kk, office.name_ru = "Астана қаласының прокуратурасы", "Прокуратура города Астаны"
    office.address_kk, office.address_ru = "Астана қ., Мәңгілік Ел д-лы, 14", "г. Астана, пр. Мангилик Ел, 14"
    office.phone, office.email = "+7 7172 71-28-00", "astana@prokuror.kz"
    office.save()
    return office


@pytest.fixture
def signers(cast):
    prosecutor, head = cast.prosecutor_astana, cast.head_astana
    prosecutor.first_name, prosecutor.middle_name, prosecutor.last_name = "Данияр", "Ержанович", "Сейткали"
    prosecutor.position_ru, prosecutor.position_kk = "Прокурор района", "Аудан прокуроры"
    prosecutor.position = "District prosecutor"
    prosecutor.save()
    head.first_name, head.middle_name, head.last_name = "Ерлан", "Болатович", "Абенов"
    head.position_ru, head.position_kk = "Прокурор города", "Қала прокуроры"
    head.save()
    return prosecutor, head


def _in_review(appeal, cast):
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    return services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*cells, *(p.text for p in document.paragraphs)])


# --- who the letter greets and who signs it -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iin", "sex"),
    [
        ("900101300126", "m"),  # 3: a man born in the 20th century
        ("900101400126", "f"),  # 4: a woman born in the 20th century
        ("050505500123", "m"),  # 5: a man born in the 21st century
        ("050505600123", "f"),
        ("900101000126", None),  # 0: the IIN does not tell
        ("", None),
        ("12345", None),
    ],
)
def test_the_sex_digit_of_the_iin(iin, sex):
    assert sex_from_iin(iin) == sex


@pytest.mark.parametrize(
    ("iin", "language", "expected"),
    [
        ("900101300126", "ru", "Уважаемый Серик Болатович!"),
        ("900101400126", "ru", "Уважаемая Серик Болатович!"),
        ("", "ru", "Уважаемый(-ая) Серик Болатович!"),
        ("900101400126", "kk", "Құрметті Серик Болатович!"),
        ("900101300126", "en", "Dear Mr Асанов,"),
        ("900101400126", "en", "Dear Ms Асанов,"),
        ("", "en", "Dear Асанов Серик Болатович,"),
    ],
)
def test_the_salutation_follows_the_iin_and_the_language(iin, language, expected):
    appeal = Appeal(applicant_type="individual", applicant_name="Асанов Серик Болатович", applicant_iin=iin)
    assert salutation(appeal=appeal, language=language) == expected


def test_an_organisation_or_a_nameless_applicant_is_greeted_as_applicant():
    organisation = Appeal(applicant_type="organisation", applicant_name="ТОО «Береке»")
    assert salutation(appeal=organisation, language="ru") == "Уважаемый заявитель!"
    assert salutation(appeal=Appeal(applicant_type="individual"), language="kk") == "Құрметті өтініш беруші!"


def test_the_signer_signs_with_initials_and_surname(signers):
    prosecutor, _head = signers
    assert signer_name(prosecutor) == "Д.Е. Сейткали"
    assert signer_name(None) == ""


# --- issuing -------------------------------------------------------------------------------------------------------


def test_an_answer_issues_a_numbered_letter_signed_by_the_prosecutor(offices, cast, letterhead, signers):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    appeal = services.appeal_answer(by=cast.prosecutor_astana, appeal=appeal, **ANSWER)
    letter = OutgoingLetter.objects.get(appeal=appeal, kind="answer")
    today = timezone.localdate()
    assert letter.number == f"{appeal.office.code}-{today.year}/1"
    assert letter.issued_on == today == appeal.answered_on
    assert (letter.signer, letter.signer_name, letter.signer_position) == (
        cast.prosecutor_astana,
        "Д.Е. Сейткали",
        "Прокурор района",
    )
    assert letter.language == "ru" and letter.body.startswith("Уважаемый Серик Болатович!")
    assert "Разъяснено право на обращение в суд." in letter.body
    assert AuditEntry.objects.filter(object_type="appeals.outgoingletter", object_id=str(letter.pk)).exists()


def test_the_letter_is_in_the_applicants_language_with_the_signers_position_in_it(offices, cast, signers):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region, applicant_language="kk")
    appeal = services.appeal_answer(by=cast.prosecutor_astana, appeal=_in_review(appeal, cast), **ANSWER)
    letter = letter_render(appeal=appeal, kind="answer")
    assert letter.language == "kk" and letter.signer_position == "Аудан прокуроры"
    assert letter.body.startswith("Құрметті Серик Болатович!")


def test_numbers_run_per_office_and_year_and_a_sent_letter_does_not_change(offices, cast, signers):
    first = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    second = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    services.appeal_extend(
        by=cast.head_astana,
        appeal=first,
        until=first.due_date + dt.timedelta(days=10),
        reason="Нужна проверка",
    )
    services.appeal_answer(by=cast.prosecutor_astana, appeal=second, **ANSWER)
    numbers = list(OutgoingLetter.objects.order_by("id").values_list("kind", "sequence", "signer_name"))
    assert numbers == [("extension", 1, "Е.Б. Абенов"), ("answer", 2, "Д.Е. Сейткали")]
    # The template edited after sending: the letter as sent stays.
    from prokuratura.appeals.models import LetterTemplate

    LetterTemplate.objects.filter(kind="answer", language="ru").update(body="Другой текст")
    second.refresh_from_db()
    assert "Разъяснено" in letter_render(appeal=second, kind="answer").body


def test_pdf_and_docx_carry_the_same_number_dates_letterhead_and_signer(offices, cast, letterhead, signers):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    appeal = services.appeal_answer(by=cast.prosecutor_astana, appeal=appeal, **ANSWER)
    letter = letter_render(appeal=appeal, kind="answer")
    sheet = letter_html(letter)
    text = _docx_text(letter_docx(letter))
    date = letter.date.strftime("%d.%m.%Y")
    registered = appeal.registered_on.strftime("%d.%m.%Y")
    for expected in (
        letter.number,
        date,
        appeal.reg_number,
        registered,
        "Астана қаласының прокуратурасы".upper(),
        "г. Астана, пр. Мангилик Ел, 14",
        "Астана қ., Мәңгілік Ел д-лы, 14",
        "astana@prokuror.kz",
        "Прокурор района",
        "Д.Е. Сейткали",
        "Уважаемый Серик Болатович!",
    ):
        assert expected in text, expected
        assert expected.lower() in sheet.lower(), expected
    content, content_type, _name = services.letter_file(appeal=appeal, kind="answer", fmt="pdf")
    assert content.startswith(b"%PDF-")
    from docx import Document

    section = Document(io.BytesIO(letter_docx(letter))).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_the_answer_refers_to_the_appeal_and_the_receipt_does_not(offices, cast):
    """The receipt carries the registration number as its own, so it has no "To No. … of …" line."""
    appeal = register(by=cast.registrar_astana, region=offices.astana.region, applicant_language="en")
    receipt = letter_render(appeal=appeal, kind="receipt")
    assert receipt.sheet().reference is None
    assert "To No." not in letter_html(receipt)
    assert "To No." not in _docx_text(letter_docx(receipt))
    appeal = services.appeal_answer(by=cast.prosecutor_astana, appeal=_in_review(appeal, cast), **ANSWER)
    answer = letter_render(appeal=appeal, kind="answer")
    line = f"To No. {appeal.reg_number} of {appeal.registered_on:%d.%m.%Y}"
    assert line in letter_html(answer)
    assert line in _docx_text(letter_docx(answer))


def test_the_receipt_is_right_after_an_extension(offices, cast):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    statutory = appeal.statutory_due_date
    until = statutory + dt.timedelta(days=20)
    appeal = services.appeal_extend(by=cast.head_astana, appeal=appeal, until=until, reason="Нужна проверка")
    body = letter_render(appeal=appeal, kind="receipt").body
    assert f"до {statutory:%d.%m.%Y} (15 рабочих дней" in body
    assert f"продлён до {until:%d.%m.%Y}" in body


def test_a_refused_step_issues_no_letter(offices, cast):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    with pytest.raises(PermissionDenied):
        services.appeal_answer(by=cast.prosecutor_almaty, appeal=appeal, **ANSWER)
    assert not OutgoingLetter.objects.exists()


def test_an_anonymous_report_forwarded_at_once_gets_no_letter(offices, cast):
    appeal = register(
        by=cast.registrar_astana,
        region=offices.astana.region,
        applicant_type="anonymous",
        applicant_name="",
        applicant_iin="",
        applicant_email="",
    )
    services.appeal_triage_forward(
        by=cast.registrar_astana,
        appeal=appeal,
        forwarded_to="ДП г. Астаны",
        reason="Сообщение о преступлении",
    )
    assert not OutgoingLetter.objects.exists()


# --- sign-off ----------------------------------------------------------------------------------------------------


@pytest.fixture
def signoff(offices):
    return OfficeAppealSetting.objects.create(office=offices.astana, answer_signoff_required=True)


def _steps(actor, appeal):
    return {step.name for step in APPEALS.available(actor=actor, record=appeal)}


def test_with_signoff_the_prosecutor_submits_and_the_head_signs(
    offices, cast, signers, signoff, mailoutbox, django_capture_on_commit_callbacks
):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    assert "answer" not in _steps(cast.prosecutor_astana, appeal)
    assert "submit_answer" in _steps(cast.prosecutor_astana, appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_answer(by=cast.prosecutor_astana, appeal=appeal, **ANSWER)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_submit_answer(by=cast.prosecutor_astana, appeal=appeal, **ANSWER)
    assert appeal.status == Status.AWAITING_SIGNOFF and appeal.answered_on is None
    assert not OutgoingLetter.objects.exists() and not mailoutbox
    assert _steps(cast.head_astana, appeal) >= {"sign_off", "return_answer"}
    assert not _steps(cast.prosecutor_astana, appeal) & {"sign_off", "return_answer", "answer"}
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_sign_off(by=cast.head_astana, appeal=appeal)
    assert appeal.status == Status.ANSWERED and appeal.answered_on == timezone.localdate()
    letter = OutgoingLetter.objects.get(appeal=appeal)
    assert (letter.signer, letter.signer_name, letter.signer_position) == (
        cast.head_astana,
        "Е.Б. Абенов",
        "Прокурор города",
    )
    assert [m.to for m in mailoutbox] == [["serik@example.kz"]]
    [(filename, content, content_type)] = mailoutbox[0].attachments
    assert content.startswith(b"%PDF-") and content_type == "application/pdf"


def test_the_head_returns_an_answer_for_rework_and_the_draft_stays(offices, cast, signoff):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    appeal = services.appeal_submit_answer(by=cast.prosecutor_astana, appeal=appeal, **ANSWER)
    appeal = services.appeal_return_answer(
        by=cast.head_astana, appeal=appeal, reason="Уточните ссылку на закон"
    )
    assert appeal.status == Status.IN_REVIEW and appeal.answer_text == ANSWER["answer_text"]
    last = AppealTransition.objects.filter(appeal=appeal).latest("id")
    assert (last.step, last.reason) == ("return_answer", "Уточните ссылку на закон")
    form = APPEALS.step("submit_answer").form_class(actor=cast.prosecutor_astana, record=appeal)
    assert form.initial["answer_text"] == ANSWER["answer_text"]


def test_an_extended_appeal_returns_to_extended(offices, cast, signoff):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    appeal = services.appeal_extend(
        by=cast.head_astana, appeal=appeal, until=appeal.due_date + dt.timedelta(days=5), reason="Проверка"
    )
    appeal = services.appeal_submit_answer(by=cast.prosecutor_astana, appeal=appeal, **ANSWER)
    appeal = services.appeal_return_answer(by=cast.head_astana, appeal=appeal, reason="Доработать")
    assert appeal.status == Status.EXTENDED


def test_a_head_answers_directly_even_where_signoff_is_required(offices, cast, signoff):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    appeal = services.appeal_answer(by=cast.head_astana, appeal=appeal, **ANSWER)
    assert appeal.status == Status.ANSWERED
    assert OutgoingLetter.objects.get(appeal=appeal).signer == cast.head_astana


def test_an_appeal_awaiting_signoff_is_still_open_work(offices, cast, signoff):
    appeal = _in_review(register(by=cast.registrar_astana, region=offices.astana.region), cast)
    appeal = services.appeal_submit_answer(by=cast.prosecutor_astana, appeal=appeal, **ANSWER)
    assert appeal.is_open


def test_the_signoff_setting_is_audited(offices, cast):
    services.office_signoff_set(by=cast.admin, office=offices.astana, required=True)
    services.office_signoff_set(by=cast.admin, office=offices.astana, required=True)  # no change, no entry
    entries = AuditEntry.objects.filter(object_type="appeals.officeappealsetting")
    assert entries.count() == 1
    assert entries.get().changes == {"answer_signoff_required": {"before": False, "after": True}}
