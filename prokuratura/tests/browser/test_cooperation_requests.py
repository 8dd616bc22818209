"""The requests register in a real browser, every page checked with axe: an officer drafts an outgoing MLA request
on a cybercrime to Spain (the bilateral MLA convention offered by the resolver), is stopped by the completeness
check, completes it, a head signs it (on a Russian page), the officer generates the letter, records the sending and the
acknowledgement; an incoming extradition request for a Kazakh citizen shows the own-nationals ground; an officer
without clearance cannot find a terrorism request."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.cooperation.models_requests import AssistanceRequest, RequestStatus
from prokuratura.cooperation.tests.request_factories import incoming_extradition, outgoing_mla, treaty
from prokuratura.core.models import CrimeCategory
from prokuratura.tests.browser.conftest import CheckedPage

pytestmark = pytest.mark.browser


@pytest.fixture
def register(transactional_db):
    """Live-server tests flush the database between tests: load the reference data for each one."""
    from prokuratura.cooperation.reference import cooperation_load
    from prokuratura.core.reference import COUNTRIES, CRIME_CATEGORIES, reference_load

    assert not any(r.error for r in reference_load(datasets=(COUNTRIES, CRIME_CATEGORIES)))
    assert not any(r.error or r.rejected for r in cooperation_load())


@pytest.fixture(autouse=True)
def _defaults(transactional_db):
    """Live-server tests flush the database between tests, data-migration rows included: load them again (the
    requests' time limits and letter templates)."""
    importlib.import_module("prokuratura.cooperation.migrations.0005_request_terms").load(apps, None)
    importlib.import_module("prokuratura.cooperation.migrations.0006_request_templates").load(apps, None)


@pytest.fixture
def page_for(browser, live_server, no_2fa, cast):
    """page_for(user) → a page signed in as `user` in a browser context of its own."""
    contexts = []

    def open_as(user):
        context = browser.new_context(locale="en-US")
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(15000)
        checked = CheckedPage(pg, live_server.url)
        checked.goto("/accounts/login/")
        checked.get_by_label("Username").fill(user.username)
        checked.get_by_label("Password").fill(cast.password)
        checked.get_by_role("button", name="Sign in").click()
        checked.wait_for_load_state("load")
        return checked

    yield open_as
    for context in contexts:
        context.close()


def _in_english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def _swapped(page, action):
    """Do `action` and wait until htmx has swapped the answer in (the legal bases for the new choice)."""
    page.evaluate(
        "() => { window.swapped = false; document.body.addEventListener("
        "'htmx:afterSettle', () => { window.swapped = true; }, {once: true}); }"
    )
    action()
    page.wait_for_function("() => window.swapped === true")


def _take(page, step, **fields):
    """Open a step's form on the request's page, fill it in and take the step."""
    page.locator(f"#step-{step} > summary").click()
    for name, value in fields.items():
        page.locator(f"#step-{step}-{name}").fill(value)
    page.locator(f"#step-{step}-submit").click()
    page.wait_for_load_state("load")
    page.check()


def test_an_officer_drafts_checks_and_sends_an_mla_request_on_a_cybercrime(page_for, cast, register):
    officer = page_for(_in_english(cast.intl_officer))
    officer.goto("/cooperation/requests/")
    officer.locator("#new-outgoing").click()
    officer.wait_for_url("**/cooperation/requests/new/?direction=outgoing")
    officer.check()

    # Partner, kind and offence: the resolver's answer offers the bilateral MLA convention with Spain (htmx).
    assert officer.locator("#id_kind").input_value() == "mla"
    _swapped(officer, lambda: officer.locator("#id_partner").select_option("ES"))
    _swapped(officer, lambda: officer.locator("#id_focus_area").select_option("cybercrime"))
    spain = officer.locator("#basis-choices .basis-option", has_text="Spain on Mutual Legal Assistance")
    spain.wait_for()
    assert officer.locator("#basis-choices [data-testid=basis-headline]").inner_text().strip()
    spain.locator("input[type=radio]").check()
    officer.check()

    officer.locator("#id_foreign_authority").fill("Ministry of Justice of the Kingdom of Spain")
    officer.locator("#id_case_number").fill("261000031000123")
    officer.locator("#id_offence_article").fill("Criminal Code of the Republic of Kazakhstan, art. 205")
    officer.get_by_label("Bank and financial records").check()
    officer.get_by_label("Identifying or locating persons").check()
    officer.locator("#id_requesting_authority").fill(
        "Prosecutor General's Office of the Republic of Kazakhstan"
    )
    officer.locator("#id_proceedings_subject").fill(
        "Pre-trial investigation of unauthorised access (art. 205)"
    )
    officer.locator("#id_conducting_authority").fill("Anti-corruption and cybercrime department, Astana")
    officer.locator("#id_assistance_sought").fill("Subscriber data and access logs for the listed addresses.")
    officer.locator("#request-form-submit").click()
    officer.wait_for_load_state("load")
    officer.wait_for_url(re.compile(r".*/cooperation/requests/\d+/$"))
    officer.check()
    record = AssistanceRequest.objects.get()
    assert record.status == RequestStatus.DRAFT and record.focus_area.code == "cybercrime"
    assert "Spain" in officer.locator("#request-basis").inner_text()

    # Stopped by the completeness check: the missing items are named and "Mark as checked" is held back.
    missing = officer.locator("#completeness-missing").inner_text()
    assert "Summarise the relevant facts" in missing and "State the purpose" in missing
    assert "not complete" in officer.locator("#blocked-check").inner_text()
    assert officer.locator("#step-check-form").count() == 0

    # The officer completes it.
    officer.locator("#request-edit").click()
    officer.wait_for_url("**/edit/")
    officer.check()
    assert officer.locator("#basis-choices input[type=radio]:checked").count() == 1
    officer.locator("#id_facts_summary").fill("In March 2026 the bank's network was accessed from Spain.")
    officer.locator("#id_purpose").fill("To identify the persons who accessed the network.")
    officer.locator("#request-form-submit").click()
    officer.wait_for_url(re.compile(r".*/cooperation/requests/\d+/$"))
    officer.check()
    assert officer.locator("#completeness-ok").count() == 1
    _take(officer, "check")
    record.refresh_from_db()
    assert record.status == RequestStatus.CHECKED

    # A head signs, on a Russian page.
    head = page_for(cast.head_gpo)
    head.goto(f"/cooperation/requests/{record.pk}/")
    assert head.locator("html").get_attribute("lang") == "ru"
    _take(head, "sign")
    record.refresh_from_db()
    assert record.status == RequestStatus.SIGNED and record.signed_on == timezone.localdate()

    # The officer generates the signed letter (PDF), then records the sending and the acknowledgement.
    officer.goto(f"/cooperation/requests/{record.pk}/")
    officer.locator("#request-documents").click()
    officer.wait_for_url("**/documents/")
    officer.check()
    assert officer.locator("#letter-draft-note").count() == 0  # signed and complete: the final letter
    assert record.number in officer.locator("#letter-sheet").inner_text()
    with officer.page.expect_download() as download:
        officer.locator("#letter-pdf").click()
    path = download.value.path()
    assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"
    officer.goto(f"/cooperation/requests/{record.pk}/")
    _take(officer, "send")
    assert officer.locator("#request-status").inner_text() == "Sent"
    _take(officer, "acknowledge", foreign_reference="MJ-2026-118")
    record.refresh_from_db()
    assert record.status == RequestStatus.ACKNOWLEDGED and record.foreign_reference == "MJ-2026-118"
    assert officer.locator("#request-status").inner_text() == "Acknowledged"
    assert officer.locator("#request-due").count() == 1  # the term for execution runs
    history = officer.locator("#history").inner_text()
    assert "Draft → Checked" in history and "Sent → Acknowledged" in history


def test_an_incoming_extradition_of_a_kazakh_citizen_shows_the_own_nationals_ground(page_for, cast, offices):
    record = incoming_extradition(by=cast.intl_officer, office=offices.gpo)
    officer = page_for(cast.intl_officer)  # signs in to Russian pages
    officer.goto(f"/cooperation/requests/{record.pk}/")
    assert officer.locator("html").get_attribute("lang") == "ru"
    hint = officer.locator("#ground-own_national-suggestion")
    assert "Ivanov Ivan" in hint.inner_text()
    assert officer.locator("#ground-own_national select").count() == 1


def test_an_officer_without_clearance_cannot_find_a_terrorism_request(page_for, cast, offices):
    terrorism = CrimeCategory.objects.create(
        code="terrorism",
        kind=CrimeCategory.Kind.FOCUS_AREA,
        name_en="Terrorism",
        name_ru="Терроризм",
        name_kk="Терроризм",
    )
    record = outgoing_mla(by=cast.intl_officer, office=offices.gpo, instrument=treaty(), focus_area=terrorism)
    assert record.sensitivity == "restricted"
    other = _in_english(UserFactory(username="intl_other", office=offices.gpo, roles=[Role.INTL_OFFICER]))
    page = page_for(other)
    page.goto("/cooperation/requests/")
    assert record.number not in page.locator("main").inner_text()
    page.locator("#id_q").fill(record.number)
    page.locator("#request-filters-submit").click()
    page.locator("#request-results", has_text="No request matches.").wait_for()
    page.check()
    response = page.page.goto(f"{page.base_url}/cooperation/requests/{record.pk}/")
    assert response.status == 404
    page.check()
    assert record.number not in page.locator("body").inner_text()
