"""The appeals statistics in a real browser, checked with axe: at 1280 px wide, in Russian and in Kazakh, no table
runs off the page (the outcome table opened too), and both charts load as images."""

import importlib

import pytest
from django.apps import apps

WIDEST = """() => [document.documentElement, ...document.querySelectorAll('.table-scroll')]
    .map(e => e.scrollWidth - e.clientWidth)"""


@pytest.fixture(autouse=True)
def _appeal_defaults(transactional_db):
    """Live-server tests flush the database between tests, data-migration rows included: load them again."""
    importlib.import_module("prokuratura.appeals.migrations.0002_default_rules_topics_letters").load(
        apps, None
    )


def test_the_statistics_fit_a_1280_px_screen_in_russian_and_kazakh_with_both_charts(
    page, login, cast, offices
):
    from prokuratura.appeals.tests.factories import register

    register(by=cast.registrar_astana, office=offices.astana_district, region=offices.astana.region)
    register(by=cast.registrar_astana, office=offices.almaty, region=offices.almaty.region)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(cast.analyst)
    for language in ("ru", "kk"):
        with page.expect_navigation():
            page.locator("#language-select").evaluate(
                "(s, lang) => { s.value = lang; s.form.submit(); }", language
            )
        page.goto("/appeals/stats/")
        page.wait_for_load_state("networkidle")  # both charts fetched
        assert page.evaluate("document.documentElement.lang") == language
        page.locator("details.stats-more summary").click()
        assert page.locator("#stats-outcome-table").is_visible()
        assert max(page.evaluate(WIDEST)) <= 0, language
        charts = page.locator(".stats-chart img")
        assert charts.count() == 2
        for index in range(2):
            chart = charts.nth(index)
            assert chart.get_attribute("alt")
            assert chart.evaluate("img => img.complete && img.naturalWidth") == 760
        page.check()  # axe again, with the outcome table open
