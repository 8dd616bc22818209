"""Appeals in a real browser, every page checked with axe: a person files and follows an appeal; staff register,
assign, extend, answer and download the letters; a registrar re-routes, and a form gone stale is refused."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps

from prokuratura.appeals.models import Appeal, Status, Topic


@pytest.fixture(autouse=True)
def _appeal_defaults(transactional_db):
    """Live-server tests flush the database between tests, data-migration rows included: load them again."""
    importlib.import_module("prokuratura.appeals.migrations.0002_default_rules_topics_letters").load(
        apps, None
    )


def test_a_person_files_an_appeal_with_an_attachment_and_follows_it(page, offices, settings, tmp_path):
    settings.APPEALS_PUBLIC_FORM_MIN_SECONDS = 0  # a test types faster than a person
    settings.MEDIA_ROOT = tmp_path
    page.goto("/appeals/public/new/")
    page.locator("#id_applicant_type").select_option("individual")
    page.locator("#id_applicant_name").fill("Әлиев Қанат Серікұлы")
    page.locator("#id_applicant_email").fill("kanat@example.kz")
    page.locator("#id_applicant_language").select_option("kk")
    page.locator("#id_kind").select_option("complaint")
    page.locator("#id_region").select_option(str(offices.astana.region.pk))
    page.locator("#id_topic").select_option(str(Topic.objects.get(code="labour").pk))
    page.locator("#id_subject").fill("Жалақы төленбеді")
    page.locator("#id_text").fill("Үш ай бойы жалақы төленбей келеді.")
    page.locator("#id_attachments").set_input_files(
        {"name": "scan.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 64}
    )
    page.locator("#id_consent_personal_data").check()
    question = page.locator("label[for=id_challenge_answer]").inner_text()
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", question).groups())
    page.locator("#id_challenge_answer").fill(str(a + b))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appeals/public/receipt/")
    page.check()
    code = page.locator("#tracking-code").inner_text()
    appeal = Appeal.objects.get(tracking_code=code)
    assert appeal.attachments.count() == 1

    page.goto("/appeals/public/status/")
    page.locator("#id_code").fill(code.lower())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appeals/public/status/?code=*")
    page.check()
    assert page.locator("#appeal-stage").inner_text() == "Registered"


def test_a_file_too_large_is_refused_in_the_browser_and_the_typed_text_stays(page, offices):
    from prokuratura.appeals.models import AppealRule
    from prokuratura.appeals.rules import rules_changed

    AppealRule.objects.filter(code="attachment_max_mb").update(value=1)
    rules_changed()
    page.goto("/appeals/public/new/")
    page.locator("#id_text").fill("Үш ай бойы жалақы төленбей келеді.")
    files = page.locator("#id_attachments")
    files.set_input_files(
        {
            "name": "scan.pdf",
            "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1),
        }
    )
    message = files.evaluate("input => input.validationMessage")
    assert message == "“scan.pdf” is larger than 1 MB."
    page.locator("main form button[type=submit]").click()  # the browser keeps the form: nothing is sent
    assert page.url.endswith("/appeals/public/new/")
    assert page.locator("#id_text").input_value() == "Үш ай бойы жалақы төленбей келеді."
    files.set_input_files(
        {"name": "scan.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 64}
    )
    assert files.evaluate("input => input.validationMessage") == ""
    assert Appeal.objects.count() == 0


def test_staff_register_assign_extend_answer_download_letters_and_the_numbers_change(
    page, login, cast, offices, browser
):
    login(cast.registrar_astana)
    page.goto("/appeals/register/")
    page.locator("#id_kind").select_option("statement")
    page.locator("#id_received_via").select_option("phone")
    page.locator("#id_applicant_type").select_option("individual")
    page.locator("#id_applicant_name").fill("Сериков Нурлан")
    page.locator("#id_applicant_iin").fill("900101300126")
    page.locator("#id_applicant_phone").fill("+7 701 000 00 00")
    page.locator("#id_applicant_language").select_option("ru")
    page.locator("#id_consent_personal_data").check()
    page.locator("#id_region").select_option(str(offices.astana.region.pk))
    page.locator("#id_topic").select_option(str(Topic.objects.get(code="housing").pk))
    page.locator("#id_subject").fill("Аварийный дом")
    page.locator("#id_text").fill("Дом признан аварийным, расселение не проводится.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/appeals/\d+/$"))
    page.check()
    appeal = Appeal.objects.get()
    assert appeal.received_via == "phone"
    detail = f"/appeals/{appeal.pk}/"

    page.context.clear_cookies()
    login(cast.head_astana)
    page.goto(detail)
    page.locator("#action-assign").evaluate("f => f.closest('details').open = true")
    page.locator("#action-assign select[name=assignee]").select_option(str(cast.prosecutor_astana.pk))
    page.locator("#action-assign button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    page.check()
    appeal.refresh_from_db()
    assert appeal.status == Status.ASSIGNED

    page.context.clear_cookies()
    login(cast.prosecutor_astana)
    page.goto(detail)
    page.locator("#action-start").evaluate("f => f.closest('details').open = true")
    page.locator("#action-start button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    page.locator("#action-request_extension").evaluate("f => f.closest('details').open = true")
    until = appeal.due_date + dt.timedelta(days=14)
    page.locator("#action-request_extension input[name=until]").fill(until.isoformat())
    page.locator("#action-request_extension textarea[name=reason]").fill("Назначена строительная экспертиза")
    page.locator("#action-request_extension button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    page.check()

    page.context.clear_cookies()
    login(cast.head_astana)
    page.goto(detail)
    page.locator("#action-extend").evaluate("f => f.closest('details').open = true")
    assert page.locator("#action-extend input[name=until]").input_value() == until.isoformat()
    page.locator("#action-extend button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    page.check()
    appeal.refresh_from_db()
    assert appeal.status == Status.EXTENDED and appeal.due_date == until

    helped = "#stats-table tfoot td:last-child"
    page.context.clear_cookies()
    login(cast.analyst)
    page.goto("/appeals/stats/")
    assert page.locator(helped).inner_text() == "0"

    page.context.clear_cookies()
    login(cast.prosecutor_astana)
    page.goto(detail)
    page.locator("#action-answer").evaluate("f => f.closest('details').open = true")
    page.locator("#action-answer select[name=outcome]").select_option("satisfied")
    page.locator("#action-answer textarea[name=answer_text]").fill(
        "Акимат включил дом в программу расселения."
    )
    page.locator("#action-answer input[name=rights_restored]").check()
    page.locator("#action-answer input[name=persons_restored]").fill("12")
    page.locator("#action-answer button[type=submit]:not([name=preview])").click()
    page.wait_for_url(f"**{detail}")
    page.check()
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED and appeal.persons_restored == 12

    for fmt, magic in (("pdf", b"%PDF-"), ("docx", b"PK")):
        with page.expect_download() as info:
            page.locator(f"a[href='/appeals/{appeal.pk}/letters/answer.{fmt}']").click()
        path = info.value.path()
        with open(path, "rb") as fh:
            assert fh.read(5).startswith(magic)

    page.context.clear_cookies()
    login(cast.analyst)
    page.goto("/appeals/stats/")
    assert page.locator(helped).inner_text() == "12"  # the people helped by this answer


def test_a_registrar_reroutes_and_a_head_is_told_when_the_form_went_stale(page, login, cast, offices):
    from prokuratura.appeals import services
    from prokuratura.appeals.tests.factories import register

    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    detail = f"/appeals/{appeal.pk}/"
    login(cast.registrar_astana)
    page.goto(detail)
    page.locator("#action-route").evaluate("f => f.closest('details').open = true")
    page.locator("#action-route select[name=office]").select_option(str(offices.astana_district.pk))
    page.locator("#action-route textarea[name=reason]").fill("По месту жительства заявителя")
    page.locator("#action-route button[type=submit]").click()
    page.wait_for_url(f"**{detail}")
    page.check()
    history = page.locator("section[aria-labelledby=history-heading]").inner_text()
    # The cast reads the pages in Russian, their preferred language.
    assert "Зарегистрировано — Обращение передано в другой орган прокуратуры" in history
    appeal.refresh_from_db()
    assert appeal.office == offices.astana_district

    page.context.clear_cookies()
    login(cast.head_astana)
    page.goto(detail)
    page.locator("#action-assign").evaluate("f => f.closest('details').open = true")
    page.locator("#action-assign select[name=assignee]").select_option(str(cast.prosecutor_astana.pk))
    # Meanwhile the head of the GPO assigns it, with instructions of their own.
    services.appeal_assign(
        by=cast.head_gpo, appeal=appeal, assignee=cast.prosecutor_astana, reason="Срочно, на контроле ГП"
    )
    page.locator("#action-assign button[type=submit]").click()
    page.wait_for_load_state("load")
    page.check()
    assert "запись изменил другой пользователь" in page.locator("#action-assign").inner_text()
    assert [(t.step, t.by) for t in appeal.transitions.filter(step="assign")] == [("assign", cast.head_gpo)]


def test_an_anonymous_report_is_triaged_by_a_registrar_and_forwarded_at_once(
    page, login, cast, offices, settings
):
    settings.APPEALS_PUBLIC_FORM_MIN_SECONDS = 0
    page.goto("/appeals/public/new/")
    assert page.locator("#id_is_urgent_report").count() == 0  # judged by what it says, not by a box
    page.locator("#id_applicant_type").select_option("anonymous")
    page.locator("#id_kind").select_option("report")
    page.locator("#id_region").select_option(str(offices.astana.region.pk))
    page.locator("#id_topic").select_option(str(Topic.objects.get(code="labour").pk))
    page.locator("#id_subject").fill("Готовится поджог склада")
    page.locator("#id_text").fill("Слышал, что сегодня ночью собираются поджечь склад на ул. Кенесары, 12.")
    question = page.locator("label[for=id_challenge_answer]").inner_text()
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", question).groups())
    page.locator("#id_challenge_answer").fill(str(a + b))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appeals/public/receipt/")
    appeal = Appeal.objects.get()
    assert appeal.status == Status.REGISTERED

    login(cast.registrar_astana)
    page.goto("/")
    page.check()
    page.locator(f"a:has-text('{appeal.reg_number}')").first.click()
    page.wait_for_url(f"**/appeals/{appeal.pk}/")
    page.check()
    form = page.locator("#action-triage_forward")
    form.evaluate("f => f.closest('details').open = true")
    form.locator("input[name=forwarded_to]").fill("Департамент полиции г. Астаны")
    form.locator("textarea[name=reason]").fill("Сообщение о готовящемся поджоге")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/appeals/{appeal.pk}/")
    page.check()
    appeal.refresh_from_db()
    assert appeal.status == Status.FORWARDED and appeal.is_urgent_report
    assert appeal.transitions.last().by == cast.registrar_astana


def test_a_head_declines_a_prosecutors_extension_request_from_the_home_page(page, login, cast, offices):
    from prokuratura.appeals import services
    from prokuratura.appeals.tests.factories import register

    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    due = appeal.due_date
    services.appeal_request_extension(
        by=cast.prosecutor_astana,
        appeal=appeal,
        until=due + dt.timedelta(days=10),
        reason="Назначена экспертиза",
    )
    login(cast.head_astana)
    page.goto("/")
    page.check()
    page.locator(f"a:has-text('{appeal.reg_number}')").first.click()
    page.wait_for_url(f"**/appeals/{appeal.pk}/")
    form = page.locator("#action-decline_extension")
    form.evaluate("f => f.closest('details').open = true")
    form.locator("textarea[name=reason]").fill("Экспертиза укладывается в срок")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/appeals/{appeal.pk}/")
    page.check()
    appeal.refresh_from_db()
    assert appeal.extension_requested_until is None and appeal.due_date == due
    assert (
        "Экспертиза укладывается в срок"
        in page.locator("section[aria-labelledby=history-heading]").inner_text()
    )


def test_a_registrar_corrects_a_registration_slip(page, login, cast, offices):
    from prokuratura.appeals.tests.factories import register

    appeal = register(by=cast.registrar_astana, region=offices.astana.region, applicant_name="Сериков Нурлн")
    login(cast.registrar_astana)
    page.goto(f"/appeals/{appeal.pk}/")
    form = page.locator("#action-correct")
    form.evaluate("f => f.closest('details').open = true")
    page.check()
    form.locator("input[name=applicant_name]").fill("Сериков Нурлан")
    form.locator("textarea[name=reason]").fill("Опечатка в имени заявителя")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/appeals/{appeal.pk}/")
    page.check()
    appeal.refresh_from_db()
    assert appeal.applicant_name == "Сериков Нурлан"
    assert (
        "Опечатка в имени заявителя" in page.locator("section[aria-labelledby=history-heading]").inner_text()
    )


def test_back_and_forward_after_a_search_restore_the_box_and_the_results(page, login, cast, offices):
    from prokuratura.appeals.tests.factories import register

    housing = register(by=cast.registrar_astana, region=offices.astana.region, subject="Аварийный дом")
    wages = register(by=cast.registrar_astana, region=offices.astana.region, subject="Невыплата зарплаты")
    login(cast.registrar_astana)
    page.goto("/appeals/")
    page.locator("#id_q").fill("аварийный")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/appeals/?q=*")
    results = page.locator("#appeal-results")
    results.locator(f"text={housing.reg_number}").wait_for()
    assert wages.reg_number not in results.inner_text()
    page.go_back()
    page.wait_for_url("**/appeals/")
    page.locator("#appeal-results").locator(f"text={wages.reg_number}").wait_for()
    assert page.locator("#id_q").input_value() == ""
    page.go_forward()
    page.wait_for_url("**/appeals/?q=*")
    page.locator("#appeal-results").locator(f"text={housing.reg_number}").wait_for()
    assert page.locator("#id_q").input_value() == "аварийный"
    assert wages.reg_number not in page.locator("#appeal-results").inner_text()
    page.check()
    assert page.console_errors == [], page.console_errors


def test_a_person_follows_the_answered_appeal_and_downloads_the_answer_letter(page, cast, offices):
    from prokuratura.appeals import services
    from prokuratura.appeals.tests.factories import register

    appeal = register(by=cast.registrar_astana, region=offices.astana.region)
    services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    services.appeal_answer(
        by=cast.prosecutor_astana,
        appeal=appeal,
        outcome="explained",
        answer_text="Разъяснён порядок обжалования.",
    )
    page.goto("/appeals/public/status/")
    page.locator("#id_code").fill(appeal.tracking_code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appeals/public/status/?code=*")
    page.check()
    assert page.locator("#appeal-answered-on").inner_text() == appeal.answered_on.strftime("%d.%m.%Y")
    with page.expect_download() as info:
        page.locator("#appeal-letters a[href*='answer.pdf']").click()
    with open(info.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_the_public_form_works_at_360_px_and_a_refusal_is_summarised_at_the_top(
    page, offices, settings, tmp_path
):
    settings.APPEALS_PUBLIC_FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/appeals/public/new/")
    page.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing sticks out sideways
    page.locator("#id_applicant_type").select_option("individual")
    page.locator("#id_applicant_name").fill("Әлиев Қанат")
    page.locator("#id_applicant_iin").fill("123")  # not an IIN
    page.locator("#id_attachments").set_input_files(
        {"name": "scan.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 64}
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    summary = page.locator("#error-summary")
    assert summary.is_visible() and page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#error-summary a[href='#id_applicant_iin']").count() == 1
    assert page.locator("#files-lost").is_visible()
    assert page.locator("#id_applicant_name").input_value() == "Әлиев Қанат"  # typed text is kept
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.check()
