"""Supervision of legality in a real browser, every page checked with axe (issue 12's "Done when"): a prosecutor
opens an inspection from an appeal, records two violations, issues a submission and a protest and downloads the
protest as PDF; the addressee's reply is recorded; a head sees the overdue act on the home page; an analyst sees
the numbers move; a prosecutor of another region cannot find the detention visit; an administrator corrects an
act type with its source.

The cast reads the pages in Russian (their preferred language): the tests find things by ids and names, never by
visible text, and compare labels in the page's own language."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone, translation

from prokuratura.appeals import services as appeal_services
from prokuratura.appeals.tests.factories import register
from prokuratura.supervision.models import (
    Act,
    ActStatus,
    ActType,
    DetentionVisit,
    Inspection,
    InspectionStatus,
)
from prokuratura.supervision.rules import act_due_date
from prokuratura.supervision.tests.factories import VALID_BIN, make_act, make_facility, make_inspection

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _defaults(transactional_db):
    """Live-server tests flush the database between tests, data-migration rows included: load them again (the
    act types and their templates, and the appeals' rules and topics an appeal's registration needs)."""
    importlib.import_module("prokuratura.appeals.migrations.0002_default_rules_topics_letters").load(
        apps, None
    )
    importlib.import_module("prokuratura.appeals.migrations.0013_letters_signoff").update_default_letters(
        apps, None
    )
    importlib.import_module("prokuratura.supervision.migrations.0002_default_act_types").load(apps, None)
    importlib.import_module("prokuratura.supervision.migrations.0004_default_act_templates").load(apps, None)


def submit(page, selector):
    """Click a button that posts a form and wait for the page the server answers with (after its redirect), then
    check it with axe."""
    with page.expect_navigation():
        page.locator(selector).click()
    page.check()


def follow(page, selector):
    """Follow a link and check the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).click()
    page.check()


def open_step(page, name):
    """Unfold a step's <details> (its form is inside)."""
    page.locator(f"#step-{name} > summary").click()


def status_label(page, status):
    """A status's label in the page's language (the badge shows it so)."""
    with translation.override(page.locator("html").get_attribute("lang")):
        return str(status.label)


def sign_in_as(page, login, user):
    page.context.clear_cookies()
    login(user)


def test_a_prosecutor_opens_an_inspection_from_an_appeal_and_issues_a_submission_and_a_protest(
    page, login, cast, offices
):
    appeal = register(
        by=cast.registrar_astana,
        region=offices.astana.region,
        respondent_body="ТОО «Астана Құрылыс»",
        respondent_official="Директор Ахметов Б.С.",
    )
    appeal_services.appeal_assign(by=cast.head_astana, appeal=appeal, assignee=cast.prosecutor_astana)
    appeal_services.appeal_start_review(by=cast.prosecutor_astana, appeal=appeal)
    appeal_page = f"/appeals/{appeal.pk}/"

    login(cast.prosecutor_astana)
    page.goto(appeal_page)
    follow(page, "#appeal-open-inspection")
    # The appeal fills the form in: it is the grounds, the body complained about is the subject.
    assert page.locator("#id_ground").input_value() == "appeal"
    assert page.locator("#id_ground_appeal_number").input_value() == appeal.reg_number
    assert page.locator("#id_subject_name").input_value() == "ТОО «Астана Құрылыс»"
    page.locator("#id_subject_kind").select_option("organisation")
    page.locator("#id_subject_bin").fill(VALID_BIN)
    page.locator("#id_period_end").fill((TODAY + dt.timedelta(days=30)).isoformat())
    submit(page, "#inspection-form-submit")
    inspection = Inspection.objects.get()
    assert page.url.endswith(f"/supervision/inspections/{inspection.pk}/")
    assert inspection.ground_appeal == appeal and inspection.responsible == cast.prosecutor_astana
    assert page.locator("#ground-appeal").get_attribute("href") == appeal_page
    inspection_page = f"/supervision/inspections/{inspection.pk}/"

    sign_in_as(page, login, cast.head_astana)
    page.goto(inspection_page)
    open_step(page, "order")
    submit(page, "#step-order-submit")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.ORDERED

    sign_in_as(page, login, cast.prosecutor_astana)
    page.goto(inspection_page)
    open_step(page, "start")
    submit(page, "#step-start-submit")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS

    found = [
        (
            "Строительство ведётся без разрешения",
            "Закон РК «Об архитектурной деятельности», ст. 68",
            "1",
            "0",
        ),
        ("Работникам не выплачена заработная плата", "Трудовой кодекс РК, ст. 113", "14", "2300000.00"),
    ]
    for description, law, persons, damage in found:
        page.locator("#record-violation > summary").click()
        page.locator("#violation-description").fill(description)
        page.locator("#violation-law_violated").fill(law)
        page.locator("#violation-category").select_option("business" if damage == "0" else "labour")
        page.locator("#violation-persons_affected").fill(persons)
        page.locator("#violation-damage").fill(damage)
        submit(page, "#violation-form-submit")
    assert inspection.violations.count() == 2
    assert page.locator("#violations tbody tr").count() == 2

    acts = {}
    for code in ("submission", "protest"):
        page.goto(inspection_page)
        follow(page, "#draft-act")
        page.locator("#id_act_type").select_option(str(ActType.objects.get(code=code).pk))
        checkboxes = page.locator("#id_violations input[type=checkbox]")
        assert checkboxes.count() == 2
        for i in range(2):
            checkboxes.nth(i).check()
        submit(page, "#act-form-submit")
        act = Act.objects.get(act_type__code=code)
        assert page.url.endswith(f"/supervision/acts/{act.pk}/")
        assert act.status == ActStatus.DRAFT and act.violations.count() == 2
        assert act.text  # the type's template gave the text
        open_step(page, "issue")
        submit(page, "#step-issue-submit")
        act.refresh_from_db()
        assert act.status == ActStatus.ISSUED and act.issued_on == TODAY and act.number
        assert page.locator("#act-status").inner_text() == status_label(page, ActStatus.ISSUED)
        acts[code] = act

    protest = acts["protest"]
    assert protest.number != acts["submission"].number
    # The protest's due date is the type's rule on the calendar, and the page shows it.
    assert protest.due_date == act_due_date(act_type=protest.act_type, issued_on=TODAY)
    assert protest.due_date.strftime("%d.%m.%Y") in page.locator("main").inner_text()

    with page.expect_download() as info:
        page.locator("#act-letter-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    response = page.request.get(page.base_url + page.locator("#act-letter-pdf").get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    page.goto(inspection_page)
    assert page.locator("#acts tbody tr").count() == 2
    page.goto(appeal_page)
    assert inspection.number in page.locator("#appeal-inspections").inner_text()
    assert page.locator(f"#appeal-inspections a[href='{inspection_page}']").count() == 1


def test_the_addressees_reply_is_recorded_and_a_reply_dated_before_the_act_is_refused(page, login, cast):
    inspection = make_inspection(
        by=cast.prosecutor_astana,
        head=cast.head_astana,
        started=True,
        period_start=TODAY - dt.timedelta(days=20),
    )
    act = make_act(
        by=cast.prosecutor_astana,
        code="submission",
        inspection=inspection,
        issue=True,
        issued_on=TODAY - dt.timedelta(days=5),
    )
    steps_before = act.history.count()
    act_page = f"/supervision/acts/{act.pk}/"

    login(cast.prosecutor_astana)
    page.goto(act_page)
    open_step(page, "record_reply")
    page.locator("#step-record_reply-reply_on").fill((act.issued_on - dt.timedelta(days=1)).isoformat())
    page.locator("#step-record_reply-result").select_option("satisfied")
    page.locator("#step-record_reply-reply_summary").fill("Нарушения устранены, виновные наказаны.")
    submit(page, "#step-record_reply-submit")
    assert (
        act.issued_on.strftime("%d.%m.%Y") in page.locator("#step-record_reply-reply_on_errors").inner_text()
    )
    assert page.locator("#step-record_reply").get_attribute("open") is not None  # the form stays unfolded
    # What was typed is kept, nothing is saved.
    assert (
        page.locator("#step-record_reply-reply_summary").input_value()
        == "Нарушения устранены, виновные наказаны."
    )
    act.refresh_from_db()
    assert act.status == ActStatus.ISSUED and act.reply_on is None and act.history.count() == steps_before
    assert page.locator("#act-answer").count() == 0

    page.locator("#step-record_reply-reply_on").fill(TODAY.isoformat())
    page.locator("#step-record_reply-reply_number").fill("02-15/318")
    submit(page, "#step-record_reply-submit")
    assert page.url.endswith(act_page)
    act.refresh_from_db()
    assert act.status == ActStatus.REPLIED and act.reply_on == TODAY and act.result == "satisfied"
    assert page.locator("#act-status").inner_text() == status_label(page, ActStatus.REPLIED)
    answer = page.locator("#act-answer").inner_text()
    assert TODAY.strftime("%d.%m.%Y") in answer and "02-15/318" in answer
    assert page.locator("#step-record_reply").count() == 0  # the reply is recorded once
    assert page.locator("#step-record_result").count() == 1  # what came of it is next


def test_a_head_sees_the_overdue_act_of_the_office_on_the_home_page(page, login, cast):
    act = make_act(
        by=cast.prosecutor_astana, code="protest", issue=True, issued_on=TODAY - dt.timedelta(days=40)
    )
    assert act.due_date < TODAY
    on_time = make_act(by=cast.prosecutor_astana, code="protest", issue=True, addressee_name="ТОО Асыл")

    login(cast.head_astana)
    page.goto("/")
    panel = page.locator("section[aria-labelledby=home-control-office]")
    assert act.number in panel.inner_text()
    assert on_time.number not in panel.inner_text()
    follow(page, f"section[aria-labelledby=home-control-office] a[href='/supervision/acts/{act.pk}/']")
    assert page.locator("#act-overdue").is_visible()

    page.goto("/supervision/control/?scope=office")
    assert page.locator(f"main a[href='/supervision/acts/{act.pk}/']").count() >= 1


def test_an_analyst_sees_the_numbers_move_when_an_act_is_issued(page, login, cast):
    make_act(by=cast.prosecutor_astana, code="protest", issue=True)
    acts_issued = page.locator("#numbers-by-type-table tfoot td").first

    login(cast.analyst)
    page.goto("/supervision/numbers/")
    before = int(acts_issued.inner_text())
    assert before == 1

    make_act(by=cast.prosecutor_almaty, code="submission", issue=True)
    page.reload()
    page.check()
    assert int(acts_issued.inner_text()) == before + 1


def test_a_prosecutor_of_another_region_cannot_find_the_detention_visit(page, login, cast, offices):
    facility = make_facility(region=offices.astana.region)

    login(cast.prosecutor_astana)
    page.goto("/supervision/visits/")
    follow(page, "#record-visit")
    assert page.locator("#visit-restricted-note").is_visible()  # a prosecutor may not open it to more readers
    page.locator("#id_facility").select_option(str(facility.pk))
    page.locator("#id_findings").fill("Камеры переполнены; жалобы на применение силы при задержании.")
    page.locator("#id_ill_treatment_alleged").check()
    page.locator("#id_persons_concerned").fill("Ержанов А.К., 1990 г.р.")
    page.locator("#id_persons_count").fill("1")
    submit(page, "#visit-form-submit")
    visit = DetentionVisit.objects.get()
    visit_page = f"/supervision/visits/{visit.pk}/"
    assert page.url.endswith(visit_page)
    assert visit.sensitivity == "restricted" and visit.prosecutor == cast.prosecutor_astana
    assert page.locator("#ill-treatment-alleged").is_visible()
    assert page.locator("#torture-alleged").count() == 0
    link = f"a[href='{visit_page}']"

    sign_in_as(page, login, cast.prosecutor_almaty)
    page.goto("/supervision/visits/")
    assert page.locator(link).count() == 0
    assert page.locator("#visit-table").count() == 0
    response = page.page.goto(page.base_url + visit_page)
    page.check()
    assert response.status == 404
    assert page.locator("#visit-findings").count() == 0

    sign_in_as(page, login, cast.head_astana)
    page.goto("/supervision/visits/")
    follow(page, f"#visit-table {link}")
    assert "Ержанов" in page.locator("#visit-findings").inner_text()
    assert page.locator("#visit-edit").count() == 1  # a head over the office may correct it


def test_an_administrator_corrects_an_unverified_act_type_with_its_source(page, login, cast):
    source = (
        "Конституционный закон РК от 5 ноября 2022 года № 155-VII, ст. 39 п. 3 (adilet.zan.kz, проверено)"
    )

    login(cast.admin)
    page.goto("/supervision/catalogue/")
    assert page.locator("#catalogue-unverified-notice").is_visible()
    follow(page, "#act-type-protest a[href='/supervision/catalogue/act-types/protest/correct/']")
    page.locator("#id_term_value").fill("15")
    page.locator("#id_verified").check()
    page.locator("#id_source").fill(source)
    submit(page, "form:has(#id_source) button[type=submit]")
    assert page.url.endswith("/supervision/catalogue/act-types/protest/")
    protest = ActType.objects.get(code="protest")
    assert protest.term_value == 15 and protest.verified
    history = page.locator("#act-type-history").inner_text()
    assert source in history and cast.admin.username in history  # the audit entry names who and why

    page.goto("/supervision/catalogue/")
    assert page.locator("#act-type-protest .badge-ok").count() == 1
    assert page.locator("#catalogue-unverified-notice").is_visible()  # the other rows are still unverified
