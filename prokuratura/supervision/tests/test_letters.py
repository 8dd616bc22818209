"""Acts of response as official letters: the default templates every act type starts from (kk and ru, no term
stated as a fact, an administrator's edit kept), the issued act's letter drawn from its row (letterhead in both
languages, number and date, the appeal it answers, addressee, title, text, signer), and a draft's marked preview."""

import datetime as dt
import importlib
import io
import re
import zlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from prokuratura.appeals import services as appeal_services
from prokuratura.appeals.services.letters import template_check
from prokuratura.appeals.tests.factories import register
from prokuratura.supervision.models import ActTemplate, ActType
from prokuratura.supervision.services import act_template_save
from prokuratura.supervision.services.act_letters import (
    act_draft_letter_file,
    act_letter_file,
    act_letter_html,
    act_letter_sheet,
    act_template_preview,
    draft_mark,
    tenge,
)

from .factories import make_act, make_inspection, make_violation

pytestmark = pytest.mark.django_db

ACT_TYPE_CODES = (
    "protest",
    "submission",
    "order",
    "warning",
    "disciplinary",
    "administrative",
    "release",
    "claim",
    "court_protest",
    "instruction",
)
ISSUED_ON = dt.date(2026, 12, 1)

# A term stated as a number of days or months ("10 дней", "бір ай ішінде", "within 10 days").
TERM_AS_FACT = re.compile(
    r"\d+\s*(дн|день|дня|календарн|рабоч|месяц|күн|жұмыс|ай\b|day|month)|(один|одного)\s+месяц|бір\s+ай", re.I
)


@pytest.fixture
def letterhead(offices):
    office = offices.astana_district
    office.name_kk, office.name_ru = "Есіл ауданының прокуратурасы", "Прокуратура района Есиль"
    office.address_kk, office.address_ru = "Астана қ., Бейбітшілік к-сі, 4", "г. Астана, ул. Бейбитшилик, 4"
    office.phone, office.email = "+7 7172 55-10-10", "yesil@prokuror.kz"
    office.save()
    return office


@pytest.fixture
def prosecutor(cast):
    user = cast.prosecutor_astana
    user.first_name, user.middle_name, user.last_name = "Данияр", "Ержанович", "Сейткали"
    user.position_ru, user.position_kk = "Прокурор района Есиль", "Есіл ауданының прокуроры"
    user.save()
    return user


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


def _pdf_characters(content: bytes) -> set[str]:
    """Every character the PDF draws, read from its fonts' ToUnicode maps (no PDF library is needed)."""
    objects = content
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            objects += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    drawn = set()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", objects, re.S):
        for _glyph, code in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            drawn.add(bytes.fromhex(code.decode()).decode("utf-16-be"))
    return drawn


def _issued_protest(cast, prosecutor, *, language="ru", **overrides):
    inspection = make_inspection(by=prosecutor, head=cast.head_astana, started=True)
    violation = make_violation(by=prosecutor, inspection=inspection)
    values = {
        "addressee_name": "Акиму района Есиль" if language == "ru" else "Есіл ауданының әкіміне",
        "addressee_official": "Сейткали Б.А.",
        "addressee_address": "г. Астана, ул. Акмешит, 1",
    }
    values.update(overrides)
    return make_act(
        by=prosecutor,
        code="protest",
        inspection=inspection,
        violations=[violation],
        language=language,
        text="",
        issue=True,
        issued_on=ISSUED_ON,
        **values,
    )


# --- the default templates ----------------------------------------------------------------------------------------


def test_every_act_type_has_a_template_in_kazakh_and_in_russian():
    assert set(ActType.objects.values_list("code", flat=True)) >= set(ACT_TYPE_CODES)
    found = set(ActTemplate.objects.values_list("act_type__code", "language"))
    missing = {(code, language) for code in ACT_TYPE_CODES for language in ("kk", "ru")} - found
    assert missing == set()


@pytest.mark.parametrize("code", ACT_TYPE_CODES)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_each_default_template_compiles_and_states_no_term_in_days(cast, code, language):
    template = ActTemplate.objects.get(act_type__code=code, language=language)
    template_check(body=template.body, subject=template.subject)
    assert not TERM_AS_FACT.search(template.body), template.body
    assert template.subject.strip()
    # Rendered on facts, nothing is left of the template language, and no term in days appears either.
    sheet = act_template_preview(
        act_type=template.act_type,
        language=language,
        subject=template.subject,
        body=template.body,
        office=cast.prosecutor_astana.office,
    )
    assert "{%" not in sheet.body and "{{" not in sheet.body
    assert "1\u00a0500\u00a0000,00" in sheet.body
    assert not TERM_AS_FACT.search(sheet.body), sheet.body
    assert len(sheet.paragraphs) >= 4


@pytest.mark.parametrize(
    ("code", "phrase"),
    [("protest", "в установленный законом срок"), ("submission", "в установленный законом срок")],
)
def test_the_answer_is_asked_within_the_time_the_law_sets(code, phrase):
    assert phrase in ActTemplate.objects.get(act_type__code=code, language="ru").body
    assert "заңда белгіленген мерзімде" in ActTemplate.objects.get(act_type__code=code, language="kk").body


def test_the_migration_creates_only_missing_templates():
    migration = importlib.import_module("prokuratura.supervision.migrations.0004_default_act_templates")
    edited = ActTemplate.objects.get(act_type__code="protest", language="ru")
    edited.subject, edited.body = "ПРОТЕСТ (отредактирован)", "Текст администратора."
    edited.save()
    ActTemplate.objects.filter(act_type__code="warning", language="kk").delete()
    migration.load(apps, None)
    edited.refresh_from_db()
    assert (edited.subject, edited.body) == ("ПРОТЕСТ (отредактирован)", "Текст администратора.")
    restored = ActTemplate.objects.get(act_type__code="warning", language="kk")
    assert restored.subject == "Заңды бұзуға жол бермеу туралы ЕСКЕРТУ"
    assert ActTemplate.objects.count() == len(ACT_TYPE_CODES) * 2


def test_a_draft_starts_from_its_types_template_with_the_violations(cast, prosecutor):
    inspection = make_inspection(by=prosecutor, head=cast.head_astana, started=True)
    violation = make_violation(by=prosecutor, inspection=inspection, description="Зарплата не выплачена.")
    ru = make_act(by=prosecutor, code="protest", inspection=inspection, violations=[violation], text="")
    assert ru.subject == "ПРОТЕСТ"
    assert f"(проверка № {inspection.number})" in ru.text
    # The description's own full stop is not doubled; the damage reads as Kazakhstan's documents write it.
    assert "1. Зарплата не выплачена. Нарушены требования закона: Трудовой кодекс РК, ст. 113." in ru.text
    assert "Сумма причинённого ущерба: 1\u00a0500\u00a0000,00 тенге." in ru.text
    assert "ТРЕБУЮ:" in ru.text and "\n\n\n" not in ru.text
    kk = make_act(
        by=prosecutor,
        code="submission",
        inspection=inspection,
        violations=[violation],
        text="",
        language="kk",
    )
    assert kk.subject == "Заң бұзушылықтарды жою туралы ҰСЫНУ"
    assert "Келтірілген залал сомасы: 1\u00a0500\u00a0000,00 теңге." in kk.text
    assert "ТАЛАП ЕТЕМІН:" in kk.text


def test_a_draft_without_violations_asks_the_prosecutor_to_state_them(cast, prosecutor):
    act = make_act(by=prosecutor, code="order", text="")
    assert "[Изложите установленные нарушения закона" in act.text
    assert "ПРЕДПИСЫВАЮ:" in act.text


def test_an_amount_in_tenge_groups_thousands_whatever_the_interface_language():
    with translation.override("en"):
        assert tenge(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50"
    assert tenge(Decimal("0")) == "0,00"


# --- the issued act's letter --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_issued_acts_letter_carries_its_facts_in_pdf_and_docx(cast, letterhead, prosecutor, language):
    act = _issued_protest(cast, prosecutor, language=language)
    assert act.number.startswith("AST-01-2026/Н-")
    content, content_type, name = act_letter_file(act=act, fmt="docx")
    assert content.startswith(b"PK") and name == f"protest-{act.number.replace('/', '-')}.docx"
    text = _docx_text(content)
    position = "Прокурор района Есиль" if language == "ru" else "Есіл ауданының прокуроры"
    for expected in (
        act.number,
        "01.12.2026",
        act.addressee_name,
        "Сейткали Б.А.",
        "г. Астана, ул. Акмешит, 1",
        act.subject,
        "НАРАЗЫЛЫҚ" if language == "kk" else "ПРОТЕСТ",
        position,
        "Д.Е. Сейткали",
        "Есіл ауданының прокуратурасы".upper(),
        "Прокуратура района Есиль".upper(),
        "Астана қ., Бейбітшілік к-сі, 4",
        "г. Астана, ул. Бейбитшилик, 4",
        "yesil@prokuror.kz",
    ):
        assert expected in text, expected
    for paragraph in act_letter_sheet(act).paragraphs:
        assert paragraph in text
    assert draft_mark(language) not in text
    # On an inspection, the act answers nothing numbered: no "To No. … of …" line.
    assert act_letter_sheet(act).reference is None

    pdf, content_type, name = act_letter_file(act=act, fmt="pdf")
    assert pdf.startswith(b"%PDF-") and content_type == "application/pdf" and name.endswith(".pdf")
    drawn = _pdf_characters(pdf)
    for drawn_text in (act.number, "01.12.2026", act.subject, "Д.Е. Сейткали", position, "ЕСІЛ"):
        assert not set(drawn_text.replace(" ", "")) - drawn, drawn_text


def test_the_pdfs_text_reads_the_letters_facts(cast, letterhead, prosecutor):
    pypdf = pytest.importorskip("pypdf")
    act = _issued_protest(cast, prosecutor)
    pdf, _type, _name = act_letter_file(act=act, fmt="pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for expected in (
        act.number,
        "01.12.2026",
        "Акиму района Есиль",
        "ПРОТЕСТ",
        "Сейткали",
        "ПРОКУРАТУРА РАЙОНА ЕСИЛЬ",
    ):
        assert expected in text, expected


def test_the_docx_is_a4(cast, letterhead, prosecutor):
    from docx import Document

    act = _issued_protest(cast, prosecutor)
    section = Document(io.BytesIO(act_letter_file(act=act, fmt="docx")[0])).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_an_act_on_an_appeal_refers_to_the_appeals_number_and_date(offices, cast, prosecutor):
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    appeal = appeal_services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=prosecutor)
    act = make_act(by=prosecutor, code="submission", appeal=appeal, issue=True, issued_on=ISSUED_ON)
    sheet = act_letter_sheet(act)
    assert sheet.reference == (appeal.reg_number, appeal.registered_on)
    text = _docx_text(act_letter_file(act=act, fmt="docx")[0])
    assert appeal.reg_number in text and appeal.registered_on.strftime("%d.%m.%Y") in text
    assert appeal.reg_number in act_letter_html(act)


def test_an_issued_acts_letter_does_not_change_when_the_template_or_the_signer_changes(
    cast, letterhead, prosecutor
):
    act = _issued_protest(cast, prosecutor)
    before = _docx_text(act_letter_file(act=act, fmt="docx")[0])
    protest = ActType.objects.get(code="protest")
    act_template_save(
        by=cast.admin, act_type=protest, language="ru", subject="НОВЫЙ ЗАГОЛОВОК", body="Новый текст."
    )
    prosecutor.position_ru, prosecutor.last_name = "Старший прокурор", "Другой"
    prosecutor.save()
    act.refresh_from_db()
    after = _docx_text(act_letter_file(act=act, fmt="docx")[0])
    assert after == before
    assert "НОВЫЙ ЗАГОЛОВОК" not in after and "Старший прокурор" not in after
    # A new act starts from the edited template.
    fresh = make_act(by=prosecutor, code="protest", text="")
    assert (fresh.subject, fresh.text) == ("НОВЫЙ ЗАГОЛОВОК", "Новый текст.")


# --- the draft's preview -----------------------------------------------------------------------------------------


def test_a_draft_has_no_letter_only_a_marked_preview(cast, letterhead, prosecutor):
    act = make_act(by=prosecutor, code="protest", text="")
    with pytest.raises(ValidationError):
        act_letter_file(act=act, fmt="pdf")
    sheet = act_letter_sheet(act)
    assert (sheet.number, sheet.preview, sheet.date) == ("", True, timezone.localdate())
    assert (sheet.signer, sheet.signer_position) == ("Д.Е. Сейткали", "Прокурор района Есиль")
    content, _type, name = act_draft_letter_file(act=act, fmt="docx")
    text = _docx_text(content)
    assert draft_mark("ru") in text and name == f"protest-draft-{act.pk}.docx"
    assert "ПРОТЕСТ" in text
    pdf, content_type, _name = act_draft_letter_file(act=act, fmt="pdf")
    assert pdf.startswith(b"%PDF-") and content_type == "application/pdf"
    assert not set(draft_mark("ru").replace(" ", "")) - _pdf_characters(pdf)
    with pytest.raises(ValidationError):
        act_draft_letter_file(act=act, fmt="odt")


def test_an_issued_act_is_not_previewed_as_a_draft(cast, letterhead, prosecutor):
    act = _issued_protest(cast, prosecutor)
    with pytest.raises(ValidationError):
        act_draft_letter_file(act=act, fmt="pdf")


def test_the_template_preview_refuses_a_template_that_does_not_compile(cast):
    with pytest.raises(ValidationError) as caught:
        act_template_preview(
            act_type=ActType.objects.get(code="protest"),
            language="ru",
            subject="ПРОТЕСТ",
            body="{% if violations %}без конца",
            office=cast.admin.office,
        )
    assert "body" in caught.value.error_dict
