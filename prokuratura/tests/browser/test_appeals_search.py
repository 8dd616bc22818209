"""The appeals search box in a real browser, as people type (issue 11, "Search"): a Russian word in another form
than the text's, and a Kazakh word typed on a Russian keyboard, without the Kazakh letters. Axe on every page."""

import importlib

import pytest
from django.apps import apps

from prokuratura.appeals.tests.factories import register


@pytest.fixture(autouse=True)
def _appeal_defaults(transactional_db):
    """Live-server tests flush the database between tests, data-migration rows included: load them again."""
    importlib.import_module("prokuratura.appeals.migrations.0002_default_rules_topics_letters").load(
        apps, None
    )


def _search(page, query):
    page.locator("#id_q").fill(query)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/appeals/?q=*")
    return page.locator("#appeal-results")


def test_the_search_box_finds_word_forms_and_kazakh_words_typed_without_kazakh_letters(
    page, login, cast, offices
):
    wages = register(
        by=cast.registrar_astana,
        region=offices.astana.region,
        subject="Задолженность по заработной плате",
        text="Третий месяц не выплачивается заработная плата.",
    )
    akimat = register(
        by=cast.registrar_astana,
        region=offices.astana.region,
        subject="Әкімдік жауап бермеді",
        text="Азаматтың құқығы бұзылды.",
        applicant_language="kk",
    )
    other = register(
        by=cast.registrar_astana,
        region=offices.astana.region,
        subject="Ёлка во дворе",
        text="Ёлку не убрали.",
    )
    login(cast.registrar_astana)
    page.goto("/appeals/")

    results = _search(page, "заработной платы")  # neither word in the form the text has
    results.locator(f"text={wages.reg_number}").wait_for()
    assert akimat.reg_number not in results.inner_text()
    assert other.reg_number not in results.inner_text()
    page.check()

    results = _search(page, "акимдик кукыгы")  # әкімдік құқығы on a Russian keyboard
    results.locator(f"text={akimat.reg_number}").wait_for()
    assert wages.reg_number not in results.inner_text()
    page.check()

    results = _search(page, "елка")  # ё typed as е
    results.locator(f"text={other.reg_number}").wait_for()
    assert akimat.reg_number not in results.inner_text()
    page.check()
    assert page.console_errors == [], page.console_errors
