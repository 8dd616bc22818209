"""International cooperation in a real browser, every page checked with axe, on the real treaty register that
`make run` loads: an officer opens a state's profile and asks the legal-basis resolver about an extradition for
drug trafficking and an MLA request on a cybercrime; an administrator corrects a treaty date and the audit trail
shows it."""

import datetime as dt
import re

import pytest

from prokuratura.cooperation.models import Instrument
from prokuratura.core.audit import audit_seal
from prokuratura.core.models import AuditEntry

from .conftest import CheckedPage


@pytest.fixture
def register(transactional_db):
    """Live-server tests flush the database between tests: load the reference data for each one."""
    from prokuratura.cooperation.reference import cooperation_load
    from prokuratura.core.reference import COUNTRIES, CRIME_CATEGORIES, reference_load

    assert not any(r.error for r in reference_load(datasets=(COUNTRIES, CRIME_CATEGORIES)))
    assert not any(r.error or r.rejected for r in cooperation_load())


def _in_english(user):
    """The cast signs in to Russian pages; these tests read the English text of the answer."""
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def _candidates(page, heading_level_3_index):
    """The titles of the candidates that apply (the answer folds those that do not into a disclosure)."""
    lists = page.locator("#resolver-result .resolver-candidates")
    return lists.nth(heading_level_3_index).locator("li.resolver-candidate h4").all_inner_texts()


def _not_applying(page, text):
    """The folded line of an instrument that does not apply: its title and the reason that rules it out."""
    return page.locator("#resolver-result [data-testid=resolver-not-applicable] li", has_text=text)


def test_an_officer_reads_a_profile_and_asks_the_resolver_about_extradition_and_mla(
    page, login, cast, register
):
    login(_in_english(cast.intl_officer))
    page.goto("/cooperation/countries/")
    page.locator("#id_q").fill("Spain")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/cooperation/countries/?q=Spain*")
    page.check()
    page.locator("main tbody th a", has_text="Spain").click()
    page.wait_for_url("**/cooperation/countries/ES/")
    page.check()
    bilateral = page.locator("main table").first.inner_text()
    assert "Mutual Legal Assistance in Criminal Matters" in bilateral
    assert "Extradition" in bilateral and "Transfer of Sentenced Persons" in bilateral

    # From the profile to the resolver, with the state already chosen.
    page.locator("main a[href^='/cooperation/resolver/']").click()
    page.wait_for_url("**/cooperation/resolver/?country=ES*")
    page.check()
    assert page.locator("#id_country").input_value() == "ES"

    # Extradition for drug trafficking: the bilateral treaty is only signed; the 1988 Vienna Convention applies.
    page.locator("#id_kind").select_option("extradition")
    page.locator("#id_focus_area").select_option("drug_trafficking")
    page.locator("#id_date").fill("2026-11-30")
    page.locator("form.filters button[type=submit]").click()  # htmx swaps the answer in and pushes the URL
    page.wait_for_url(re.compile(r".*kind=extradition.*focus_area=drug_trafficking.*"))
    page.locator("#resolver-answer-title").wait_for()
    page.check()
    applies = _candidates(page, 0)
    assert any("Illicit Traffic in Narcotic Drugs" in title for title in applies), applies
    assert not any("Spain on Extradition" in title for title in applies), applies
    refused = _not_applying(page, "Spain on Extradition")
    assert refused.count() == 1
    assert "Signed" in refused.text_content()  # why it does not apply
    vienna = page.locator(
        "#resolver-result li.resolver-candidate", has_text="Illicit Traffic in Narcotic Drugs"
    ).first
    assert vienna.locator(".resolver-reasons li").count() >= 1  # why it applies
    assert vienna.locator(".resolver-sources li").count() >= 1

    # MLA on a cybercrime: the bilateral MLA convention in force since 2012-12-01 comes first.
    page.locator("#id_kind").select_option("mla")
    page.locator("#id_focus_area").select_option("cybercrime")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r".*kind=mla.*focus_area=cybercrime.*"))
    page.locator("#resolver-result", has_text="Mutual Legal Assistance").wait_for()
    page.check()
    applies = _candidates(page, 0)
    assert "Spain on Mutual Legal Assistance in Criminal Matters" in applies[0], applies
    first = page.locator("#resolver-result .resolver-candidates").first.locator("li.resolver-candidate").first
    assert "01.12.2012" in first.inner_text()  # the one line of why it applies, before the folded reasons
    cyber = _not_applying(page, "United Nations Convention against Cybercrime")
    assert cyber.count() == 1 and "participation is not confirmed" in cyber.text_content()

    # A reload of the pushed URL gives the same answer as a whole page.
    page.reload()
    page.check()
    assert _candidates(page, 0) == applies


def test_an_administrator_corrects_a_treaty_date_and_the_audit_trail_shows_it(
    page, login, cast, register, browser
):
    treaty = Instrument.objects.get(
        kind="bilateral", partner_id="US", title_en__icontains="Mutual Legal Assistance"
    )
    assert treaty.in_force_date is None
    login(_in_english(cast.admin))
    page.goto(f"/cooperation/treaties/{treaty.code}/")
    assert "unknown" in page.locator("main").inner_text()
    page.locator(f"main a[href='/cooperation/treaties/{treaty.code}/edit/']").click()
    page.wait_for_url(f"**/cooperation/treaties/{treaty.code}/edit/")
    page.check()

    # A correction without its source is refused, and nothing changes.
    page.locator("#id_in_force_date").fill("2016-03-01")
    page.locator("main form button[type=submit]").click()
    page.check()
    assert page.locator("#id_source_errors").count() == 1
    treaty.refresh_from_db()
    assert treaty.in_force_date is None

    page.locator("#id_in_force_date").fill("2016-03-01")
    page.locator("#id_source").fill("Note of the Ministry of Foreign Affairs (test)")
    page.locator("#id_reason").fill("The exchange of notes was found")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/cooperation/treaties/{treaty.code}/")
    page.check()
    treaty.refresh_from_db()
    assert treaty.in_force_date == dt.date(2016, 3, 1)
    history = page.locator("main .treaty-history").inner_text()
    assert "2016-03-01" in history and "The exchange of notes was found" in history
    assert "Note of the Ministry of Foreign Affairs (test)" in page.locator("main").inner_text()

    audit_seal()  # what a task worker does within a second: the auditors' trail lists sealed entries
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, object_id=str(treaty.pk)).get()

    # The auditor finds the same change in the audit trail.
    auditor_context = browser.new_context(locale="en-US")
    auditor = CheckedPage(auditor_context.new_page(), page.base_url)
    try:
        auditor.goto("/accounts/login/")
        auditor.get_by_label("Username").fill(_in_english(cast.auditor).username)
        auditor.get_by_label("Password").fill(cast.password)
        auditor.get_by_role("button", name="Sign in").click()
        auditor.wait_for_load_state("load")
        auditor.goto(f"/audit/?object_type=cooperation.instrument&object_id={treaty.pk}")
        rows = auditor.locator("#audit-results tbody tr")
        assert rows.count() == 1
        rows.first.locator("th a").click()
        auditor.wait_for_url(f"**/audit/{entry.seq}/")
        auditor.check()
        detail = auditor.locator("main").inner_text()
        assert "2016-03-01" in detail and "admin" in detail
    finally:
        auditor_context.close()
