"""Reference data and the working-day calendar in a real browser, each page checked with axe.

Locators avoid visible text: the language the pages come in depends on the user's settings."""

from prokuratura.core import reference


def test_reference_pages(page, login, cast):
    reference.countries_load()
    reference.regions_load()
    reference.crime_categories_load()
    login(cast.registrar_astana)
    page.goto("/reference/")
    page.locator(".card a").first.click()
    page.check()
    page.locator("#id_q").fill("kaz")
    page.locator("form[role=search] button").click()
    page.check()
    rows = page.locator("main tbody tr")
    assert rows.count() == 1
    assert "KAZ" in rows.first.inner_text()
    page.goto("/reference/regions/")
    page.goto("/reference/crime-categories/")


def test_calendar_calculator_and_an_administrators_exception(page, login, cast):
    reference.calendar_exceptions_load()
    login(cast.admin)
    page.goto("/calendar/?year=2024")
    assert page.locator(".calendar-total strong").inner_text() == "249"
    page.locator("#id_start").fill("2024-05-02")
    page.locator("#id_days").fill("15")
    page.locator("#id_days").press("Enter")
    page.check()
    assert page.locator(".calculator-result time").get_attribute("datetime") == "2024-05-27"

    page.locator("a[href='/calendar/exceptions/add/']").click()
    page.check()
    page.locator("#id_date").fill("2024-05-13")
    page.locator("#id_kind").select_option("day_off")
    page.locator("#id_reason").fill("Extra day off")
    page.locator("form.stacked button[type=submit]").click()
    page.check()
    assert page.locator(".calendar-total strong").inner_text() == "248"
    page.locator("#id_start").fill("2024-05-02")
    page.locator("#id_days").fill("15")
    page.locator("#id_days").press("Enter")
    assert page.locator(".calculator-result time").get_attribute("datetime") == "2024-05-28"
