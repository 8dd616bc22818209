"""The legal-basis resolver in a real browser, on the real treaty register, every page checked with axe (also with
its folded parts opened): the resolver for China, mutual legal assistance, money laundering does not offer CETS 141
(its "*" party row stands for the Council of Europe's member states, and China is not one), in English and in
Russian; the answer opens with its one-line headline and folds the instruments that do not apply."""

import re

import pytest

pytestmark = pytest.mark.browser

CHINA_ML = "/cooperation/resolver/?country=CN&kind=mla&focus_area=money_laundering&date=2026-12-01"


@pytest.fixture
def register(transactional_db):
    """Live-server tests flush the database between tests: load the reference data for each one."""
    from prokuratura.cooperation.reference import cooperation_load
    from prokuratura.core.reference import COUNTRIES, CRIME_CATEGORIES, reference_load

    assert not any(r.error for r in reference_load(datasets=(COUNTRIES, CRIME_CATEGORIES)))
    assert not any(r.error or r.rejected for r in cooperation_load())


def _speaking(user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


def _open_every_disclosure(page):
    for summary in page.locator("#resolver-result details > summary").all():
        if summary.is_visible():
            summary.click()


@pytest.mark.parametrize(
    ("language", "cets_title", "headline_start", "folded"),
    [
        (
            "en",
            "Council of Europe Convention on Laundering, Search, Seizure and Confiscation",
            "Use the 1993 bilateral treaty",
            "Does not apply:",
        ),
        ("ru", "Конвенция об отмывании, выявлении, изъятии и конфискации", None, None),
    ],
)
def test_the_resolver_for_china_mla_money_laundering_does_not_offer_cets_141(
    page, login, cast, register, language, cets_title, headline_start, folded
):
    login(_speaking(cast.intl_officer, language))

    page.goto(CHINA_ML)

    assert page.locator("html").get_attribute("lang") == language
    headline = page.locator("[data-testid=resolver-headline]")
    assert headline.is_visible()
    if headline_start:
        assert headline.inner_text().startswith(headline_start)
    applicable = page.locator("[data-testid=resolver-applicable]").inner_text()
    assert cets_title not in applicable
    assert "Китай" in applicable or "China" in applicable  # the 1993 treaty with China applies
    not_applicable = page.locator("[data-testid=resolver-not-applicable]")
    assert not_applicable.locator("li", has_text=cets_title).count() == 1
    if folded:
        assert not_applicable.locator("summary").inner_text().startswith(folded)
    # What does not apply is folded away: the answer is short until the officer opens it.
    assert not not_applicable.locator("li").first.is_visible()

    _open_every_disclosure(page)
    page.check()  # axe again, on the opened parts
    reason = not_applicable.locator("li", has_text=cets_title).inner_text()
    if language == "en":
        assert "not a member state of the Council of Europe" in reason
    # Reciprocity is not offered as applying when a treaty applies.
    assert page.locator("[data-testid=resolver-reciprocity]").count() == 1
    assert page.locator("[data-testid=resolver-applicable] li.resolver-candidate").count() >= 1


def test_the_form_asks_the_facts_and_the_answer_updates_in_place(page, login, cast, register):
    login(_speaking(cast.intl_officer, "en"))
    page.goto("/cooperation/resolver/?country=CN")

    page.locator("#id_kind").select_option("mla")
    page.locator("#id_focus_area").select_option("money_laundering")
    page.locator("#id_transnational").select_option("no")
    page.locator("#id_date").fill("2026-12-01")
    page.locator("form.filters button[type=submit]").click()  # htmx swaps the answer in and pushes the URL
    page.wait_for_url(re.compile(r".*transnational=no.*"))
    page.locator("[data-testid=resolver-headline]").wait_for()
    page.check()

    applicable = page.locator("[data-testid=resolver-applicable]").inner_text()
    assert "Transnational Organized Crime" not in applicable
    assert "Laundering, Search, Seizure" not in applicable
    untoc = page.locator("[data-testid=resolver-not-applicable] li", has_text="Transnational Organized Crime")
    assert "Outside its scope" in untoc.first.text_content()
