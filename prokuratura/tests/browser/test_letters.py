"""Letters in a real browser, every page checked with axe: in an office that requires sign-off, a prosecutor
previews the answer letter and submits it; the head reads the letter awaiting sign-off and signs it off; the letter
goes out with its own number, over the head's name."""

import importlib
import re

import pytest
from django.apps import apps

from prokuratura.appeals import services
from prokuratura.appeals.models import OfficeAppealSetting, OutgoingLetter, Status
from prokuratura.appeals.tests.factories import register


@pytest.fixture(autouse=True)
def _appeal_defaults(transactional_db):
    """Live-server tests flush the database between tests, data-migration rows included: load them again."""
    importlib.import_module("prokuratura.appeals.migrations.0002_default_rules_topics_letters").load(
        apps, None
    )
    importlib.import_module("prokuratura.appeals.migrations.0013_letters_signoff").update_default_letters(
        apps, None
    )


def test_a_prosecutor_previews_the_letter_and_a_head_signs_it_off(page, login, cast, offices):
    OfficeAppealSetting.objects.create(office=offices.astana, answer_signoff_required=True)
    head = cast.head_astana
    head.first_name, head.middle_name, head.last_name, head.position_ru = (
        "Ерлан",
        "Болатович",
        "Абенов",
        "Прокурор",
    )
    head.save()
    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    detail = f"/appeals/{appeal.pk}/"

    login(cast.prosecutor_astana)
    page.goto(detail)
    assert page.locator("#action-answer").count() == 0  # the office requires sign-off
    form = page.locator("#action-submit_answer")
    form.evaluate("f => f.closest('details').open = true")
    form.locator("select[name=outcome]").select_option("explained")
    form.locator("textarea[name=answer_text]").fill("Вам разъяснён порядок обращения в суд.")
    form.locator("button[name=preview]").click()
    page.wait_for_load_state("load")
    preview = page.locator("#letter-preview")
    assert "Вам разъяснён порядок обращения в суд." in preview.inner_text()
    assert "Уважаемый Серик Болатович!" in preview.inner_text()
    page.check()
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_REVIEW and not OutgoingLetter.objects.exists()
    # The form kept what was typed: submit what was read.
    assert (
        form.locator("textarea[name=answer_text]").input_value() == "Вам разъяснён порядок обращения в суд."
    )
    form.locator("button[type=submit]:not([name=preview])").click()
    page.wait_for_url(f"**{detail}")
    page.check()
    appeal.refresh_from_db()
    assert appeal.status == Status.AWAITING_SIGNOFF

    page.context.clear_cookies()
    login(cast.head_astana)
    page.goto(detail)
    awaiting = page.locator("section[aria-labelledby=signoff-heading]")
    assert "Вам разъяснён порядок обращения в суд." in awaiting.inner_text()
    assert "Е.Б. Абенов" in awaiting.inner_text()  # the letter will go out over the reader's name
    page.locator("#action-sign_off").evaluate("f => f.closest('details').open = true")
    page.locator("#action-sign_off button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    page.check()
    appeal.refresh_from_db()
    letter = OutgoingLetter.objects.get(appeal=appeal)
    assert appeal.status == Status.ANSWERED and letter.signer == cast.head_astana
    assert re.search(
        re.escape(letter.number), page.locator("section[aria-labelledby=letters-heading]").inner_text()
    )
