"""Letters: the administrator's template, in the applicant's language, with the rule values; PDF and DOCX."""

import pytest
from django.core.exceptions import ValidationError

from prokuratura.appeals.models import AppealRule, LetterTemplate
from prokuratura.appeals.rules import rules_changed
from prokuratura.appeals.services.letters import letter_file, letter_render, template_check
from prokuratura.appeals.tests.factories import register


def test_receipt_is_in_the_applicants_language_and_follows_the_rule(offices, cast):
    appeal = register(by=cast.registrar_astana, applicant_language="kk")
    letter = letter_render(appeal=appeal, kind="receipt")
    assert letter.language == "kk"
    assert appeal.reg_number in letter.subject
    assert "15 жұмыс күні" in letter.body and appeal.tracking_code in letter.body
    AppealRule.objects.filter(code="review_working_days").update(value=10)
    rules_changed()
    assert "10 жұмыс күні" in letter_render(appeal=appeal, kind="receipt").body


def test_an_edited_template_is_used(offices, cast):
    LetterTemplate.objects.filter(kind="receipt", language="en").update(
        body="No. {{ appeal.reg_number }} — ok"
    )
    appeal = register(by=cast.registrar_astana, applicant_language="en")
    assert letter_render(appeal=appeal, kind="receipt").body == f"No. {appeal.reg_number} — ok"


def test_a_broken_template_is_refused():
    with pytest.raises(ValidationError):
        template_check(body="{% if %}")


def test_answer_letter_is_refused_before_the_answer(offices, cast):
    appeal = register(by=cast.registrar_astana)
    with pytest.raises(ValidationError):
        letter_file(appeal=appeal, kind="answer", fmt="pdf")


def test_receipt_pdf_is_a_pdf(offices, cast):
    appeal = register(by=cast.registrar_astana)
    content, content_type, name = letter_file(appeal=appeal, kind="receipt", fmt="pdf")
    assert content.startswith(b"%PDF-") and content_type == "application/pdf"
    assert name == f"receipt-{appeal.reg_number}.pdf"


@pytest.mark.parametrize(
    "probe",
    [
        "{{ appeal.assignee.password }}",
        "{{ appeal.registered_by.password }}",
        "{{ appeal.office.staff.all }}",
        "{{ appeal.transitions.all }}",
        "{{ appeal.notes.all }}",
        "{{ office.staff.all }}",
        "{{ appeal.submission_key }}",
        "{{ appeal.text }}",
    ],
)
def test_a_template_reaches_only_the_appeals_listed_facts(offices, cast, probe):
    from prokuratura.appeals import services

    appeal = register(by=cast.registrar_astana, applicant_language="en")
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    LetterTemplate.objects.filter(kind="receipt", language="en").update(body=f"[{probe}]")
    assert letter_render(appeal=appeal, kind="receipt").body == "[]"


def test_a_template_still_sees_the_facts_and_the_labels_in_the_letters_language(offices, cast):
    appeal = register(by=cast.registrar_astana, applicant_language="ru", kind="complaint")
    LetterTemplate.objects.filter(kind="receipt", language="ru").update(
        body="{{ appeal.reg_number }}|{{ appeal.get_kind_display }}|{{ office.name }}|{{ appeal.topic }}"
    )
    number, kind, office, topic = letter_render(appeal=appeal, kind="receipt").body.split("|")
    assert number == appeal.reg_number and kind == "Жалоба"
    assert office and topic == appeal.topic.name_ru
